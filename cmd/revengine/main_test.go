package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
