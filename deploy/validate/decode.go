package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// decoded is one document as its typed Kubernetes object.
type decoded struct {
	where  string // file and document number, for messages
	kind   string
	name   string
	object runtime.Object
}

func (d decoded) String() string { return fmt.Sprintf("%s %s/%s", d.where, d.kind, d.name) }

// The API groups a chart of ours may use; any other kind is refused rather than left unchecked.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme,
		networkingv1.AddToScheme, policyv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}()

// decodeAll splits a YAML stream into documents and strictly decodes each non-empty one.
func decodeAll(file string, text []byte) ([]decoded, []string) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(text)))
	var objects []decoded
	var problems []string
	for index := 1; ; index++ {
		document, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		where := fmt.Sprintf("%s#%d", file, index)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: unreadable YAML: %v", where, err))
			break
		}
		if isEmpty(document) {
			continue
		}
		object, err := decodeOne(where, document)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		objects = append(objects, object)
	}
	return objects, problems
}

func isEmpty(document []byte) bool {
	var value interface{}
	return yaml.Unmarshal(document, &value) == nil && value == nil
}

func decodeOne(where string, document []byte) (decoded, error) {
	var typeMeta metav1.TypeMeta
	if err := yaml.Unmarshal(document, &typeMeta); err != nil {
		return decoded{}, fmt.Errorf("%s: unreadable apiVersion/kind: %v", where, err)
	}
	gvk := schema.FromAPIVersionAndKind(typeMeta.APIVersion, typeMeta.Kind)
	object, err := scheme.New(gvk)
	if err != nil {
		return decoded{}, fmt.Errorf("%s: unknown kind %q of apiVersion %q", where, typeMeta.Kind, typeMeta.APIVersion)
	}
	if err := yaml.UnmarshalStrict(document, object); err != nil {
		return decoded{}, fmt.Errorf("%s %s: does not decode strictly into %s: %v", where, typeMeta.Kind, gvk, err)
	}
	accessor, err := meta.Accessor(object)
	if err != nil {
		return decoded{}, fmt.Errorf("%s %s: no object metadata: %v", where, typeMeta.Kind, err)
	}
	result := decoded{where: where, kind: typeMeta.Kind, name: accessor.GetName(), object: object}
	for _, message := range validation.IsDNS1123Subdomain(accessor.GetName()) {
		return result, fmt.Errorf("%s: metadata.name %q: %s", result, accessor.GetName(), message)
	}
	return result, nil
}
