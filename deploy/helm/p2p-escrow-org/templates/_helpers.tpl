{{/* A Kubernetes name from a Fabric node name: peer0.marketa -> peer0-marketa. */}}
{{- define "p2p.dnsName" -}}
{{- . | replace "." "-" | lower | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The DNS names of Service .service in the release's namespace, comma-separated, then the names of .more:
gateway, gateway.<ns>, gateway.<ns>.svc, gateway.<ns>.svc.<cluster domain>.
*/}}
{{- define "p2p.serviceNames" -}}
{{- $namespace := .root.Release.Namespace -}}
{{- $names := list .service (printf "%s.%s" .service $namespace) (printf "%s.%s.svc" .service $namespace) (printf "%s.%s.svc.%s" .service $namespace .root.Values.clusterDomain) -}}
{{- concat $names (.more | default list) | uniq | join "," -}}
{{- end -}}

{{/* The labels of every object of component .component. */}}
{{- define "p2p.labels" -}}
app.kubernetes.io/name: {{ .component | quote }}
app.kubernetes.io/instance: {{ .root.Release.Name | quote }}
app.kubernetes.io/part-of: p2p-escrow
app.kubernetes.io/managed-by: {{ .root.Release.Service | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | quote }}
p2p-escrow/org: {{ .root.Values.org.name | quote }}
{{- end -}}

{{- define "p2p.selector" -}}
app.kubernetes.io/name: {{ .component | quote }}
app.kubernetes.io/instance: {{ .root.Release.Name | quote }}
{{- end -}}

{{- define "p2p.image" -}}
{{- printf "%s:%s" (required "an image repository is required" .repository) (required "an image tag is required" .tag) -}}
{{- end -}}

{{/* Pod-level settings shared by every workload: non-root user, no service account token. */}}
{{- define "p2p.podSettings" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{- define "p2p.containerSecurity" -}}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{- end -}}

{{/* A node's MSP folder from its Secret: Secret keys cannot hold slashes, so each file is placed. */}}
{{- define "p2p.mspVolume" -}}
- name: msp
  secret:
    secretName: {{ required "an MSP Secret is required" . | quote }}
    defaultMode: 0400
    items:
      - { key: signcert.pem, path: signcerts/cert.pem }
      - { key: key.pem, path: keystore/key.pem }
      - { key: cacert.pem, path: cacerts/ca.pem }
      - { key: tlscacert.pem, path: tlscacerts/ca.pem }
      - { key: config.yaml, path: config.yaml }
{{- end -}}

{{/* A node's TLS folder (cert.pem, key.pem, ca.pem) from a kubernetes.io/tls Secret with ca.crt. */}}
{{- define "p2p.tlsVolume" -}}
- name: {{ .name }}
  secret:
    secretName: {{ required "a TLS Secret is required" .secret | quote }}
    defaultMode: 0400
    items:
      - { key: tls.crt, path: cert.pem }
      - { key: tls.key, path: key.pem }
      - { key: ca.crt, path: ca.pem }
{{- end -}}

{{- define "p2p.publicTlsCaVolume" -}}
- name: org-tls-ca
  configMap:
    name: {{ required "publicMaterial.tlsCaConfigMap is required" .Values.publicMaterial.tlsCaConfigMap | quote }}
    items:
      - { key: ca.pem, path: ca.pem }
{{- end -}}

{{/* Probes on a Fabric node's operations endpoint (plain HTTP /healthz). */}}
{{- define "p2p.operationsProbes" -}}
readinessProbe:
  httpGet: { path: /healthz, port: operations }
  periodSeconds: 10
livenessProbe:
  httpGet: { path: /healthz, port: operations }
  initialDelaySeconds: 30
  periodSeconds: 20
  failureThreshold: 3
{{- end -}}

{{- define "p2p.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "the Secret of %s is required" .name) .ref.name | quote }}
      key: {{ required (printf "the Secret key of %s is required" .name) .ref.key | quote }}
{{- end -}}
