package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The limits of scoring are flags of check, score, test and diff, with the
// library's defaults.
func TestLimitFlags(t *testing.T) {
	rules := "../../examples/quickstart/rules.yaml"
	for _, cmd := range []string{"check", "score", "test", "diff"} {
		_, _, stderr := runCLI(t, "", cmd, "-h")
		for _, flag := range []string{"-max-cost", "-max-depth", "-max-tokens", "-max-nodes", "-max-expr-bytes",
			"-max-list-items", "-max-lead-list-items", "-max-events", "-max-string-bytes", "-max-memory", "-max-source-bytes", "-max-rules", "-max-fields"} {
			if !strings.Contains(stderr, flag+" ") {
				t.Errorf("%s -h does not list %s", cmd, flag)
			}
		}
	}
	// A cost limit below the quickstart's estimate rejects it at its most
	// expensive rule, with a position.
	code, _, stderr := runCLI(t, "", "check", "--max-cost", "2100000", "--max-events", "100000", rules)
	if code != exitFindings || !strings.Contains(stderr, "rules.yaml:") || !strings.Contains(stderr, "(MaxCost)") {
		t.Fatalf("check --max-cost 2100000 --max-events 100000: exit %d, stderr %q", code, stderr)
	}
	// A string limit rejects the lead that exceeds it, and only that lead.
	leads := `{"id":"a","email":"x@y.io"}` + "\n" + `{"id":"b","email":"` + strings.Repeat("x", 40) + `@y.io"}` + "\n"
	code, stdout, stderr := runCLI(t, leads, "score", "--rules", rules, "--at", "2026-11-20T00:00:00Z", "--max-string-bytes", "20")
	if code != exitFindings || strings.Count(stdout, "\n") != 1 || !strings.Contains(stderr, "MaxStringBytes") || !strings.Contains(stderr, "2 read, 1 scored, 1 rejected") {
		t.Fatalf("score --max-string-bytes 20: exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	// A non-positive limit is a usage problem, reported, not ignored.
	if code, _, stderr := runCLI(t, "", "check", "--max-depth", "0", rules); code == exitOK || !strings.Contains(stderr, "Depth must be at least 1") {
		t.Fatalf("check --max-depth 0: exit %d, stderr %q", code, stderr)
	}
}

// An error on a 1 MB line prints a window around the column, fast.
func TestCaretOnLongLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "long.yaml")
	src := "version: \"1\"\nfields: {email: string}\nscores:\n  s:\n    rules:\n      - {id: r, description: '" +
		strings.Repeat("x", 900_000) + "', when: 'nope == 1', points: 1}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, _, stderr := runCLI(t, "", "check", path)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("check took %v", d)
	}
	if code != exitFindings || !strings.Contains(stderr, "unknown field nope") {
		t.Fatalf("exit %d, stderr %q", code, stderr[:min(len(stderr), 300)])
	}
	if len(stderr) > 1000 {
		t.Errorf("stderr is %d bytes for one error: the caret line is not windowed", len(stderr))
	}
}

// score --next-change: each result says when it would next change; an MQL
// entered now under a 24 h SLA breaches it a nanosecond after the deadline.
func TestScoreNextChange(t *testing.T) {
	lead := `{"id":"x","email":"a@b.io","company_size":4200,"industry":"banking","country":"US","seniority":"vp","events":[{"type":"demo_request","time":"2026-11-20T09:00:00Z"}]}`
	code, stdout, stderr := runCLI(t, lead, "score", "--rules", "../../examples/quickstart/rules.yaml", "--at", "2026-11-23T09:00:00Z", "--next-change", "90d")
	if code != exitOK || !strings.Contains(stdout, `"stage":"mql"`) ||
		!strings.Contains(stdout, `"next_change_at":"2026-11-24T09:00:00.000000001Z","next_change":"SLA of mql breached"`) {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, lead, "score", "--rules", "../../examples/quickstart/rules.yaml", "--next-change", "soon"); code != exitUsage || !strings.Contains(stderr, "--next-change") {
		t.Fatalf("bad horizon: exit %d, %s", code, stderr)
	}
}

// revengine test --coverage and --min-coverage.
func TestRuleTestCoverage(t *testing.T) {
	tests := "../../examples/quickstart/rules_test.yaml"
	code, stdout, _ := runCLI(t, "", "test", "--coverage", tests)
	if code != exitOK || !strings.Contains(stdout, "coverage ../../examples/quickstart/rules.yaml: ") {
		t.Fatalf("--coverage: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", "test", "--coverage", "--json", tests)
	if code != exitOK || !strings.Contains(stdout, `"rules_file": "../../examples/quickstart/rules.yaml"`) || !strings.Contains(stdout, `"not_hit"`) {
		t.Fatalf("--json: exit %d\n%s", code, stdout)
	}
	code, _, stderr := runCLI(t, "", "test", "--min-coverage", "99.9", tests)
	if code != exitFindings || !strings.Contains(stderr, "below --min-coverage 99.9") {
		t.Fatalf("--min-coverage 99.9: exit %d, %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "test", "--min-coverage", "50", tests); code != exitOK {
		t.Fatalf("--min-coverage 50: exit %d", code)
	}
}

// score --log then replay: no change against the same rules; the stricter
// candidate's changes are reported.
func TestScoreLogReplay(t *testing.T) {
	rules := "../../examples/quickstart/rules.yaml"
	log := filepath.Join(t.TempDir(), "decisions.jsonl")
	if code, _, stderr := runCLI(t, "", "score", "--rules", rules, "--at", "2026-11-23T09:00:00Z", "--log", log, "../../examples/quickstart/leads.json"); code != exitOK {
		t.Fatalf("score --log: exit %d, %s", code, stderr)
	}
	data, err := os.ReadFile(log)
	if err != nil || strings.Count(string(data), "\n") != 20 {
		t.Fatalf("log: %d lines, %v", strings.Count(string(data), "\n"), err)
	}
	code, stdout, stderr := runCLI(t, "", "replay", "--against", rules, log)
	if code != exitOK || !strings.Contains(stdout, "20 leads read, 20 compared, 0 rejected") || !strings.Contains(stdout, "Stage: 0 of 20 leads change") {
		t.Fatalf("replay: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, _ := runCLI(t, "", "replay", log); code != exitUsage {
		t.Fatalf("replay without --against: exit %d", code)
	}
}

// score on CSV leads: typed cells, a bad cell rejected at its line and
// column, progress lines, counts that add up.
func TestScoreCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leads.csv")
	csv := "id,email,company_size,industry\nL-1,a@b.io,4200,banking\nL-2,,3x,\nL-3,c@d.io,12,\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "score", "--rules", "../../examples/quickstart/rules.yaml", "--at", "2026-11-23T09:00:00Z", "--progress", "2", path)
	if code != exitFindings || strings.Count(stdout, "\n") != 2 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, want := range []string{path + `:3:3: lead field "company_size": want int, got "3x"`, "progress: 2 read, 1 scored, 1 rejected", "3 read, 2 scored, 1 rejected"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code, _, _ := runCLI(t, "", "score", "--rules", "../../examples/quickstart/rules.yaml", "--format", "xml", path); code != exitUsage {
		t.Errorf("--format xml: exit %d", code)
	}
}

// check --lint: a definite finding fails the check, a warning does not.
func TestCheckLint(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: \"1\"\nfields: {size: int}\nscores:\n  fit:\n    rules:\n      - {id: big, when: size >= 1000, points: 40}\ngrades:\n  - {grade: A, when: scores.fit >= 30}\n  - {grade: B, when: scores.fit >= 35}\n  - {grade: F}\n"), 0o644)
	code, stdout, stderr := runCLI(t, "", "check", "--lint", bad)
	if code != exitFindings || stdout != "" || !strings.Contains(stderr, `bad.yaml:9:22: grade "B": can never match: every lead it matches matches grade "A" first`) {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "", "check", "--lint", "../../examples/quickstart/rules.yaml")
	if code != exitOK || !strings.Contains(stdout, "ok name=quickstart") || !strings.Contains(stderr, "warning: ") {
		t.Fatalf("quickstart: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// score --accounts: one account result per line, bad accounts rejected at
// their line.
func TestScoreAccountsCLI(t *testing.T) {
	in := `{"id":"a1","industry":"fintech","employees":800,"leads":[{"id":"x","seniority":"vp","department":"finance","clicks":5}]}` + "\n" + `{"id":"a2","industri":"x"}` + "\n"
	code, stdout, stderr := runCLI(t, in, "score", "--rules", "../../examples/abm/rules.yaml", "--accounts", "--at", "2026-11-23T09:00:00Z")
	if code != exitFindings || strings.Count(stdout, "\n") != 1 || !strings.Contains(stdout, `"account":{"lead_id":"a1"`) ||
		!strings.Contains(stderr, `<stdin>:2: lead field "industri": unknown field`) || !strings.Contains(stderr, "2 read, 1 scored, 1 rejected") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// diff --accounts: account stages old × new.
func TestDiffAccounts(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../examples/abm/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	next := filepath.Join(dir, "next.yaml")
	os.WriteFile(next, []byte(strings.Replace(string(src), "when: engagement_total >= 50", "when: engagement_total >= 80", 1)), 0o644)
	code, stdout, stderr := runCLI(t, "", "diff", "--accounts", "--rules", "../../examples/abm/rules.yaml", "--against", next, "--at", "2026-11-23T09:00:00Z", "../../examples/abm/accounts.jsonl")
	if code != exitOK || !strings.Contains(stdout, "Stage: 1 of 3 leads change") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
}
