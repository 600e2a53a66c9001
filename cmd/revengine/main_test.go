package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runCLI runs the CLI in process and returns its exit code and streams.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	code = run(context.Background(), args, env)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no args", nil, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"help", []string{"help"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, _ := runCLI(t, "", tt.args...)
			if code != tt.want {
				t.Errorf("exit code = %d, want %d", code, tt.want)
			}
		})
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	fs := newFlagSet(&cmdEnv{Stderr: new(bytes.Buffer)}, "x", "")
	at := fs.String("at", "", "")
	json := fs.Bool("json", false, "")
	if _, ok := parseFlags(fs, []string{"a.jsonl", "--at", "T", "-", "--json", "--", "--not-a-flag"}); !ok {
		t.Fatal("parse failed")
	}
	if *at != "T" || !*json {
		t.Errorf("at %q json %v", *at, *json)
	}
	if got := strings.Join(fs.Args(), " "); got != "a.jsonl - --not-a-flag" {
		t.Errorf("args = %q", got)
	}
}

// cliCase is one golden test of a command: its standard input and arguments.
type cliCase struct {
	name  string
	stdin string
	args  []string
}

// checkGolden runs each case of command and compares its exit code and
// both streams with DIR/NAME.golden; with update set it first rewrites the
// file (review the diff before committing).
func checkGolden(t *testing.T, command, dir string, update bool, cases []cliCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.stdin, append([]string{command}, tt.args...)...)
			got := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr)
			golden := filepath.Join(dir, tt.name+".golden")
			if update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test with the command's -update flag)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", command, strings.Join(tt.args, " "), diff)
			}
		})
	}
}
