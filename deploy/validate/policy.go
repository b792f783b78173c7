package main

import (
	"fmt"
	"regexp"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// The project's rules for what it deploys, beyond what the API types themselves enforce.

// A variable that names a secret by its name must take its value from a Secret, never inline;
// variables naming a file, path or directory, or whose value is an absolute path, only point at a
// mounted Secret (Fabric's ORDERER_GENERAL_TLS_PRIVATEKEY, our P2P_FABRIC_KEY).
var secretName = regexp.MustCompile(`(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_?KEY|_KEY)$`)
var pointerName = regexp.MustCompile(`_(FILE|PATH|DIR|ID)$`)

// A URL carrying a user and password (postgres://user:pass@host) is a secret whatever its name.
var credentialsInURL = regexp.MustCompile(`://[^/\s:@]+:[^/\s@]+@`)

func checkPolicy(d decoded) []string {
	var problems []string
	report := func(format string, args ...interface{}) {
		problems = append(problems, fmt.Sprintf("%s: %s", d, fmt.Sprintf(format, args...)))
	}
	switch object := d.object.(type) {
	case *corev1.Secret:
		report("the chart renders a Secret; it must reference Secrets the operator creates, never carry their values")
	case *corev1.ConfigMap:
		for key, value := range object.Data {
			if looksSecret(value) {
				report("ConfigMap key %s holds a private key or credentials", key)
			}
		}
	case *corev1.Service:
		if len(object.Spec.Selector) == 0 {
			report("a Service without a selector reaches nothing")
		}
		// A Service's name becomes a DNS label: no dots (peer0.marketa is served as peer0-marketa).
		for _, message := range validation.IsDNS1035Label(object.Name) {
			report("Service name: %s", message)
		}
	case *appsv1.Deployment:
		checkSelector(report, object.Spec.Selector, object.Spec.Template.Labels)
		checkPod(report, &object.Spec.Template.Spec, true)
	case *appsv1.StatefulSet:
		checkSelector(report, object.Spec.Selector, object.Spec.Template.Labels)
		claims := make([]string, 0, len(object.Spec.VolumeClaimTemplates))
		for _, claim := range object.Spec.VolumeClaimTemplates {
			claims = append(claims, claim.Name)
		}
		checkPod(report, &object.Spec.Template.Spec, true, claims...)
	case *appsv1.DaemonSet:
		checkSelector(report, object.Spec.Selector, object.Spec.Template.Labels)
		checkPod(report, &object.Spec.Template.Spec, true)
	case *batchv1.Job:
		checkJob(report, &object.Spec)
	case *batchv1.CronJob:
		checkJob(report, &object.Spec.JobTemplate.Spec)
	case *corev1.Pod:
		checkPod(report, &object.Spec, false)
	}
	return problems
}

type reporter func(format string, args ...interface{})

// A Job (a migration run by a Helm hook) is bounded in time, so a stuck one fails the install or
// upgrade instead of holding it forever.
func checkJob(report reporter, job *batchv1.JobSpec) {
	if job.ActiveDeadlineSeconds == nil || *job.ActiveDeadlineSeconds <= 0 {
		report("a Job without activeDeadlineSeconds may run forever")
	}
	checkPod(report, &job.Template.Spec, false)
}

func checkSelector(report reporter, selector *metav1.LabelSelector, podLabels map[string]string) {
	if selector == nil {
		report("no selector")
		return
	}
	parsed, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil || parsed.Empty() || !parsed.Matches(labels.Set(podLabels)) {
		report("the selector does not select the pod template's labels")
	}
}

// checkPod checks a pod template; claims are the volumes a StatefulSet adds from its claim templates.
func checkPod(report reporter, pod *corev1.PodSpec, longRunning bool, claims ...string) {
	volumes := map[string]bool{}
	for _, claim := range claims {
		volumes[claim] = true
	}
	for _, volume := range pod.Volumes {
		volumes[volume.Name] = true
		if volume.Secret != nil && volume.Secret.SecretName == "" {
			report("volume %s names no Secret", volume.Name)
		}
	}
	for i := range pod.InitContainers {
		checkContainer(report, pod, &pod.InitContainers[i], volumes, false)
	}
	for i := range pod.Containers {
		checkContainer(report, pod, &pod.Containers[i], volumes, longRunning)
	}
}

func checkContainer(report reporter, pod *corev1.PodSpec, c *corev1.Container, volumes map[string]bool, longRunning bool) {
	name := "container " + c.Name
	checkImage(report, name, c.Image)
	checkSecurity(report, name, pod.SecurityContext, c.SecurityContext)
	for _, resource := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if _, ok := c.Resources.Requests[resource]; !ok {
			report("%s has no %s request", name, resource)
		}
		if _, ok := c.Resources.Limits[resource]; !ok {
			report("%s has no %s limit", name, resource)
		}
	}
	for _, env := range c.Env {
		if env.ValueFrom == nil && env.Value != "" && (isSecretVariable(env.Name, env.Value) || looksSecret(env.Value)) {
			report("%s sets %s inline; take it from a Secret (valueFrom.secretKeyRef)", name, env.Name)
		}
		if ref := env.ValueFrom; ref != nil && ref.SecretKeyRef != nil && (ref.SecretKeyRef.Name == "" || ref.SecretKeyRef.Key == "") {
			report("%s: %s names no Secret or key", name, env.Name)
		}
	}
	for _, arg := range append(append([]string{}, c.Command...), c.Args...) {
		if looksSecret(arg) {
			report("%s has a private key or credentials on its command line", name)
		}
	}
	for _, mount := range c.VolumeMounts {
		if !volumes[mount.Name] {
			report("%s mounts volume %s, which the pod does not define", name, mount.Name)
		}
	}
	if longRunning {
		if c.ReadinessProbe == nil {
			report("%s of a long-running service has no readiness probe", name)
		}
		if c.LivenessProbe == nil {
			report("%s of a long-running service has no liveness probe", name)
		}
	}
	for _, probe := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
		if probe != nil {
			checkProbePort(report, name, c, probe)
		}
	}
}

func checkImage(report reporter, name, image string) {
	last := image[strings.LastIndex(image, "/")+1:]
	switch {
	case image == "":
		report("%s has no image", name)
	case !strings.Contains(last, ":") && !strings.Contains(image, "@sha256:"):
		report("%s image %s has no tag; pin a version", name, image)
	case strings.HasSuffix(image, ":latest"):
		report("%s image %s is :latest; pin a version", name, image)
	}
}

// The container's own settings override the pod's, as the kubelet applies them.
func checkSecurity(report reporter, name string, pod *corev1.PodSecurityContext, c *corev1.SecurityContext) {
	var nonRoot *bool
	var user *int64
	if pod != nil {
		nonRoot, user = pod.RunAsNonRoot, pod.RunAsUser
	}
	if c != nil {
		if c.RunAsNonRoot != nil {
			nonRoot = c.RunAsNonRoot
		}
		if c.RunAsUser != nil {
			user = c.RunAsUser
		}
	}
	if nonRoot == nil || !*nonRoot {
		report("%s may run as root (runAsNonRoot is not true)", name)
	}
	if user != nil && *user == 0 {
		report("%s runs as user 0", name)
	}
	if c == nil || c.AllowPrivilegeEscalation == nil || *c.AllowPrivilegeEscalation {
		report("%s allows privilege escalation", name)
	}
	if c != nil && c.Privileged != nil && *c.Privileged {
		report("%s is privileged", name)
	}
}

func checkProbePort(report reporter, name string, c *corev1.Container, probe *corev1.Probe) {
	var port *intstr.IntOrString
	switch {
	case probe.HTTPGet != nil:
		port = &probe.HTTPGet.Port
	case probe.TCPSocket != nil:
		port = &probe.TCPSocket.Port
	case probe.GRPC != nil, probe.Exec != nil:
		return
	default:
		report("%s has a probe with no handler", name)
		return
	}
	if port.Type != intstr.String {
		return
	}
	for _, declared := range c.Ports {
		if declared.Name == port.StrVal {
			return
		}
	}
	report("%s probes port %q, which it does not declare", name, port.StrVal)
}

func isSecretVariable(variable, value string) bool {
	return secretName.MatchString(variable) && !pointerName.MatchString(variable) && !strings.HasPrefix(value, "/")
}

func looksSecret(value string) bool {
	return strings.Contains(value, "PRIVATE KEY-----") || credentialsInURL.MatchString(value)
}
