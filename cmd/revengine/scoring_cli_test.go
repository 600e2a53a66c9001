package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateScoring = flag.Bool("update-scoring", false, "rewrite the golden files of check, test and score")

// golden compares got with testdata/scoring/NAME, rewriting it with
// -update-scoring.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "scoring", name)
	if *updateScoring {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update-scoring)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", name, got, want)
	}
}

const quickRules = "../../examples/quickstart/rules.yaml"

func TestCheck(t *testing.T) {
	code, out, errOut := runCLI(t, "", "check", quickRules)
	if code != exitOK || errOut != "" || !strings.Contains(out, "version=2026.12.1 sha256:") {
		t.Errorf("valid file: code %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "check", "-q", quickRules)
	if code != exitOK || out != "" || errOut != "" {
		t.Errorf("-q: code %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "check", quickRules, "../../scoring/testdata/errors/typo.yaml", "../../scoring/testdata/errors/types.yaml")
	if code != exitFindings {
		t.Errorf("invalid files: code %d, want %d", code, exitFindings)
	}
	golden(t, "check.stderr", errOut)
	if strings.Count(out, "\n") != 1 {
		t.Errorf("stdout = %q, want the one valid file", out)
	}
	if code, _, _ := runCLI(t, "", "check"); code != exitUsage {
		t.Errorf("no args: code %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCLI(t, "", "check", "-h"); code != exitOK {
		t.Errorf("-h: code %d, want 0", code)
	}
}

func TestRuleTests(t *testing.T) {
	code, out, _ := runCLI(t, "", "test", "../../examples/quickstart/rules_test.yaml")
	if code != exitOK || !strings.HasSuffix(out, "16 passed, 0 failed\n") {
		t.Errorf("quickstart tests: code %d, out:\n%s", code, out)
	}
	// A test file that fails on purpose: the report is checked in full.
	code, out, _ = runCLI(t, "", "test", "../../scoring/ruletest/testdata/failing_test.yaml")
	if code != exitFindings {
		t.Errorf("failing tests: code %d, want %d", code, exitFindings)
	}
	golden(t, "test_failing.stdout", out)
	code, _, errOut := runCLI(t, "", "test", "testdata/scoring/missing.yaml")
	if code != exitFindings || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("missing file: code %d, err %q", code, errOut)
	}
}

func TestScoreCommand(t *testing.T) {
	leads, err := os.ReadFile("testdata/scoring/leads.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, string(leads), "score", "--rules", quickRules, "--at", "2026-11-23T09:00:00Z", "--workers", "3", "-")
	if code != exitFindings {
		t.Errorf("code %d, want %d (two leads are rejected)", code, exitFindings)
	}
	golden(t, "score.stderr", errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var ids []string
	for _, l := range lines {
		var r struct {
			LeadID string `json:"lead_id"`
			Stage  string `json:"stage"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.LeadID+":"+r.Stage)
	}
	// A: fit 25+20+10+15 = 70, engagement 40 → mql; C: a competitor.
	if got := strings.Join(ids, " "); got != "A:mql C:disqualified" {
		t.Errorf("results = %s", got)
	}
	golden(t, "score.stdout", out)

	for _, args := range [][]string{
		{"score"},
		{"score", "--rules", quickRules, "--at", "yesterday"},
		{"score", "--rules", quickRules, "a", "b"},
	} {
		if code, _, _ := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%v: code %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, _ := runCLI(t, "", "score", "--rules", "../../scoring/testdata/errors/typo.yaml", "-"); code != exitFindings {
		t.Errorf("invalid rules: code %d, want %d", code, exitFindings)
	}
}
