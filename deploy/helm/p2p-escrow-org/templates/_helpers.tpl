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

{{/* The org's peer and this client's Fabric identity (mounted at /etc/p2p-escrow/identity). */}}
{{- define "p2p.fabricClientEnv" -}}
{{- $peer := include "p2p.dnsName" (required "peer.name is required" .Values.peer.name) -}}
- { name: P2P_FABRIC_PEER_ENDPOINT, value: {{ printf "%s:%v" $peer .Values.peer.port | quote }} }
- { name: P2P_FABRIC_PEER_HOST_ALIAS, value: {{ $peer | quote }} }
- { name: P2P_FABRIC_PEER_TLS_ROOT_CERT, value: /etc/p2p-escrow/org-tls-ca/ca.pem }
- { name: P2P_FABRIC_MSP_ID, value: {{ required "org.mspId is required" .Values.org.mspId | quote }} }
- { name: P2P_FABRIC_CERT, value: /etc/p2p-escrow/identity/cert.pem }
- { name: P2P_FABRIC_KEY, value: /etc/p2p-escrow/identity/key.pem }
- { name: P2P_FABRIC_CHANNEL, value: {{ .Values.channel | quote }} }
- { name: P2P_FABRIC_CHAINCODE, value: {{ .Values.chaincode.name | quote }} }
{{- end -}}

{{/* A Fabric client identity's volume from its Secret (cert.pem, key.pem). */}}
{{- define "p2p.identityVolume" -}}
- name: identity
  secret:
    secretName: {{ required "an identity Secret is required" . | quote }}
    defaultMode: 0400
    items:
      - { key: cert.pem, path: cert.pem }
      - { key: key.pem, path: key.pem }
{{- end -}}

{{/* The database CA's volume (key ca.pem of a ConfigMap), mounted at /etc/p2p-escrow/database-ca. */}}
{{- define "p2p.databaseCaVolume" -}}
- name: database-ca
  configMap:
    name: {{ required "a database CA ConfigMap is required" . | quote }}
{{- end -}}

{{/* The Kafka connection of an off-chain daemon: .values names its user and its password's Secret. */}}
{{- define "p2p.kafkaEnv" -}}
- { name: P2P_KAFKA_BROKERS, value: {{ required "kafka.brokers is required" .root.Values.kafka.brokers | quote }} }
- { name: P2P_KAFKA_CA_FILE, value: /etc/p2p-escrow/kafka-ca/ca.pem }
- { name: P2P_KAFKA_TOPIC, value: {{ .root.Values.kafka.topic | quote }} }
- { name: P2P_KAFKA_USERNAME, value: {{ required "a Kafka user is required" .values.kafkaUsername | quote }} }
{{ include "p2p.secretEnv" (dict "name" "P2P_KAFKA_PASSWORD" "ref" .values.kafkaPasswordSecret) }}
{{- end -}}

{{- define "p2p.kafkaCaVolume" -}}
- name: kafka-ca
  configMap:
    name: {{ required "kafka.caConfigMap is required" .Values.kafka.caConfigMap | quote }}
    items:
      - { key: ca.pem, path: ca.pem }
{{- end -}}

{{/*
An off-chain daemon of the off-chain image (relay, notifier, keeper): one Deployment running .entry,
its own database role (.values.databaseUrlSecret), its operations endpoint on .values.opsPort probed
at /readyz and /healthz, and the daemon's own .env, .mounts and .volumes (rendered YAML lists).
*/}}
{{- define "p2p.offchainDaemon" -}}
{{- $root := .root -}}
{{- $ctx := dict "root" $root "component" .component -}}
# {{ .description }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .component }}
  labels: {{- include "p2p.labels" $ctx | nindent 4 }}
spec:
  replicas: 1
  strategy: { type: Recreate }
  selector:
    matchLabels: {{- include "p2p.selector" $ctx | nindent 6 }}
  template:
    metadata:
      labels: {{- include "p2p.labels" $ctx | nindent 8 }}
    spec:
      {{- include "p2p.podSettings" $root | nindent 6 }}
      containers:
        - name: {{ .component }}
          image: {{ include "p2p.image" $root.Values.images.offchain }}
          imagePullPolicy: {{ $root.Values.images.pullPolicy }}
          args: [{{ .entry }}]
          env:
            {{- include "p2p.secretEnv" (dict "name" "P2P_DATABASE_URL" "ref" .values.databaseUrlSecret) | nindent 12 }}
            - { name: P2P_DATABASE_CA, value: /etc/p2p-escrow/database-ca/ca.pem }
            - { name: P2P_OPS_HOST, value: 0.0.0.0 }
            - { name: P2P_OPS_PORT, value: {{ .values.opsPort | quote }} }
            {{- .env | nindent 12 }}
            {{- range $key, $value := .values.env }}
            - { name: {{ $key }}, value: {{ $value | quote }} }
            {{- end }}
          ports:
            - { name: operations, containerPort: {{ .values.opsPort }} }
          readinessProbe:
            httpGet: { path: /readyz, port: operations }
            periodSeconds: 10
          livenessProbe:
            httpGet: { path: /healthz, port: operations }
            initialDelaySeconds: 20
            periodSeconds: 20
          resources: {{- toYaml .values.resources | nindent 12 }}
          {{- include "p2p.containerSecurity" $root | nindent 10 }}
          volumeMounts:
            - { name: database-ca, mountPath: /etc/p2p-escrow/database-ca, readOnly: true }
            {{- .mounts | nindent 12 }}
            - { name: tmp, mountPath: /tmp }
      volumes:
        {{- include "p2p.databaseCaVolume" .values.databaseCaConfigMap | nindent 8 }}
        {{- .volumes | nindent 8 }}
        - name: tmp
          emptyDir: {}
{{- end -}}
