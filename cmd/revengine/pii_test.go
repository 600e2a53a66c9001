package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A value planted in a pii field appears in no output of the CLI: score's
// results and rejections, a failing rule test's report and trace, diff's
// JSON.
func TestPIINeverPrinted(t *testing.T) {
	const planted = "planted-secret@bank.com"
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rules := write("rules.yaml", `version: "1"
fields:
  email: {type: string, pii: true}
  phone: {type: int, pii: true}
  size: {type: int, default: 0}
scores:
  fit:
    rules:
      - {id: bank, when: 'email endsWith "@bank.com"', points: 10}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 10 && email != ""
`)
	leads := write("leads.jsonl", `{"id":"a","email":"`+planted+`","size":3}`+"\n"+`{"id":"b","email":"x@y.z","phone":"`+planted+`"}`+"\n")
	tests := write("rules_test.yaml", `rules: rules.yaml
at: 2026-11-23T09:00:00Z
tests:
  - name: fails on purpose, printing the lead and the trace
    lead: {email: `+planted+`}
    expect:
      scores: {fit: 99}
`)
	var outputs []string
	logFile := filepath.Join(dir, "decisions.jsonl")
	for _, args := range [][]string{
		{"score", "--rules", rules, "--at", "2026-11-23T09:00:00Z", leads},
		{"score", "--rules", rules, "--at", "2026-11-23T09:00:00Z", "--log", logFile, "--next-change", "30d", leads},
		{"replay", "--against", rules, "--json", logFile},
		{"test", tests},
		{"diff", "--rules", rules, "--against", rules, "--at", "2026-11-23T09:00:00Z", "--json", leads},
		{"diff", "--rules", rules, "--against", rules, "--at", "2026-11-23T09:00:00Z", leads},
	} {
		_, stdout, stderr := runCLI(t, "", args...)
		outputs = append(outputs, stdout, stderr)
		if strings.Contains(stdout+stderr, "planted") {
			t.Errorf("%s prints the pii value:\n%s\n%s", args[0], stdout, stderr)
		}
	}
	if data, err := os.ReadFile(logFile); err != nil || strings.Contains(string(data), "planted") || !strings.Contains(string(data), `"email":"***"`) {
		t.Errorf("decision log (%v):\n%s", err, data)
	}
	// The outputs are not empty: the masks are there.
	if all := strings.Join(outputs, "\n"); !strings.Contains(all, `"***"`) {
		t.Errorf("no mask in any output:\n%s", all)
	}
}
