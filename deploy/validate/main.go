// Command validate reads rendered Kubernetes manifests (the output of `helm template`, one or more
// YAML documents) and checks them offline, without a cluster:
//   - every document decodes strictly into the Kubernetes API type its apiVersion and kind name
//     (an unknown field, a wrong type, a bad quantity or a duplicate key is an error);
//   - the workloads follow the project's deployment rules (policy.go).
//
// Usage: validate FILE... (or - for standard input). Prints one JSON summary line on success;
// prints every problem, one per line, to standard error and exits 1 otherwise.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

type summary struct {
	Documents int            `json:"documents"`
	Kinds     map[string]int `json:"kinds"`
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "--help" || os.Args[1] == "-h" {
		fmt.Fprintln(os.Stderr, "usage: validate FILE... (- reads standard input)")
		os.Exit(2)
	}
	result := summary{Kinds: map[string]int{}}
	var problems []string
	for _, name := range os.Args[1:] {
		text, err := readInput(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(2)
		}
		objects, decodeProblems := decodeAll(name, text)
		problems = append(problems, decodeProblems...)
		for _, object := range objects {
			result.Documents++
			result.Kinds[object.kind]++
			problems = append(problems, checkPolicy(object)...)
		}
	}
	if result.Documents == 0 {
		problems = append(problems, "no Kubernetes object to validate")
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		for _, problem := range problems {
			fmt.Fprintln(os.Stderr, problem)
		}
		fmt.Fprintf(os.Stderr, "%d problem(s)\n", len(problems))
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		os.Exit(2)
	}
}

func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}
