// Command kubevalidate strictly decodes rendered Kubernetes manifests into the API server's own Go types
// (k8s.io/api, prometheus-operator's monitoring/v1), so a misspelt or misplaced field, a wrong type or an
// unknown kind fails CI instead of being silently dropped at apply time. On top of decoding it checks the
// few rules the Ledgerline chart promises for every workload (probes, resources, non-root, no inline secrets).
//
// Usage: helm template ... | kubevalidate [-name label] ; exit status 1 names every bad document.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

// kinds lists every apiVersion/kind the chart may render; anything else is an error (a typo or a kind
// whose schema this program does not know yet: add it here).
var kinds = map[string]func() any{
	"v1/ConfigMap":                             func() any { return &corev1.ConfigMap{} },
	"v1/Service":                               func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                        func() any { return &corev1.ServiceAccount{} },
	"apps/v1/Deployment":                       func() any { return &appsv1.Deployment{} },
	"batch/v1/Job":                             func() any { return &batchv1.Job{} },
	"autoscaling/v2/HorizontalPodAutoscaler":   func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":            func() any { return &policyv1.PodDisruptionBudget{} },
	"networking.k8s.io/v1/NetworkPolicy":       func() any { return &networkingv1.NetworkPolicy{} },
	"monitoring.coreos.com/v1/ServiceMonitor":  func() any { return &monitoringv1.ServiceMonitor{} },
	"monitoring.coreos.com/v1/PrometheusRule":  func() any { return &monitoringv1.PrometheusRule{} },
}

var dns1123 = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

func main() {
	label := flag.String("name", "stdin", "label printed with each problem (the values file rendered)")
	flag.Parse()
	in, err := io.ReadAll(bufio.NewReader(os.Stdin))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	problems, counts := validate(in)
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "%s: %s\n", *label, p)
	}
	var summary []string
	for k, n := range counts {
		summary = append(summary, fmt.Sprintf("%s=%d", k, n))
	}
	fmt.Printf("%s: %d documents decoded strictly (%s), %d problems\n", *label, total(counts), strings.Join(sorted(summary), " "), len(problems))
	if len(problems) > 0 || total(counts) == 0 {
		os.Exit(1)
	}
}

func validate(in []byte) ([]string, map[string]int) {
	var problems []string
	counts := map[string]int{}
	for i, doc := range splitDocs(in) {
		var h header
		if err := yaml.Unmarshal(doc, &h); err != nil {
			problems = append(problems, fmt.Sprintf("document %d: not YAML: %v", i, err))
			continue
		}
		if h.Kind == "" && h.APIVersion == "" {
			continue // an empty document (a template rendered nothing)
		}
		where := fmt.Sprintf("%s %q (document %d)", h.Kind, h.Metadata.Name, i)
		newObj, ok := kinds[h.APIVersion+"/"+h.Kind]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: apiVersion/kind %s/%s is not one this chart may render", where, h.APIVersion, h.Kind))
			continue
		}
		obj := newObj()
		if err := yaml.UnmarshalStrict(doc, obj); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		if !dns1123.MatchString(h.Metadata.Name) || len(h.Metadata.Name) > 253 {
			problems = append(problems, fmt.Sprintf("%s: metadata.name is not a DNS-1123 name", where))
		}
		problems = append(problems, rules(where, obj)...)
		counts[h.Kind]++
	}
	return problems, counts
}

// rules are the chart's promises beyond the schema.
func rules(where string, obj any) []string {
	var p []string
	switch o := obj.(type) {
	case *appsv1.Deployment:
		if len(o.Name) > 63 {
			p = append(p, where+": name longer than 63 characters")
		}
		p = append(p, podRules(where, &o.Spec.Template.Spec, true)...)
		if o.Spec.Selector == nil || len(o.Spec.Selector.MatchLabels) == 0 {
			p = append(p, where+": spec.selector.matchLabels is empty")
		}
		for k, v := range o.Spec.Selector.MatchLabels {
			if o.Spec.Template.Labels[k] != v {
				p = append(p, fmt.Sprintf("%s: selector %s=%s does not match the pod template labels", where, k, v))
			}
		}
	case *batchv1.Job:
		p = append(p, podRules(where, &o.Spec.Template.Spec, false)...)
	case *autoscalingv2.HorizontalPodAutoscaler:
		if o.Spec.MinReplicas != nil && *o.Spec.MinReplicas > o.Spec.MaxReplicas {
			p = append(p, fmt.Sprintf("%s: minReplicas %d > maxReplicas %d", where, *o.Spec.MinReplicas, o.Spec.MaxReplicas))
		}
		if o.Spec.MaxReplicas < 1 {
			p = append(p, where+": maxReplicas < 1")
		}
	case *corev1.Service:
		for _, port := range o.Spec.Ports {
			if port.Port < 1 || port.Port > 65535 {
				p = append(p, fmt.Sprintf("%s: port %d out of range", where, port.Port))
			}
		}
	case *monitoringv1.PrometheusRule:
		for _, g := range o.Spec.Groups {
			for _, r := range g.Rules {
				if r.Alert != "" && (r.Annotations["summary"] == "" || r.Labels["severity"] == "") {
					p = append(p, fmt.Sprintf("%s: alert %s needs a summary annotation and a severity label", where, r.Alert))
				}
			}
		}
	}
	return p
}

func podRules(where string, spec *corev1.PodSpec, probes bool) []string {
	var p []string
	if spec.SecurityContext == nil || spec.SecurityContext.RunAsNonRoot == nil || !*spec.SecurityContext.RunAsNonRoot {
		p = append(p, where+": pod securityContext.runAsNonRoot must be true")
	}
	for _, c := range spec.Containers {
		cw := fmt.Sprintf("%s container %q", where, c.Name)
		if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
			p = append(p, cw+": needs cpu and memory requests and a memory limit")
		}
		if probes {
			if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/health/live" {
				p = append(p, cw+": livenessProbe must GET /health/live")
			}
			if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/health/ready" {
				p = append(p, cw+": readinessProbe must GET /health/ready")
			}
		}
		for _, e := range c.Env {
			upper := strings.ToUpper(e.Name)
			secretish := upper == "DATABASE_URL"
			for _, suffix := range []string{"_SECRET", "_PASSWORD", "_TOKEN", "_KEY"} {
				secretish = secretish || strings.HasSuffix(upper, suffix)
			}
			if secretish && e.Value != "" {
				p = append(p, fmt.Sprintf("%s: env %s looks secret but has an inline value; use valueFrom.secretKeyRef", cw, e.Name))
			}
		}
	}
	return p
}

func splitDocs(in []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	for _, line := range strings.SplitAfter(string(in), "\n") {
		if strings.TrimRight(line, "\r\n") == "---" {
			docs = append(docs, append([]byte(nil), cur.Bytes()...))
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	return append(docs, cur.Bytes())
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
