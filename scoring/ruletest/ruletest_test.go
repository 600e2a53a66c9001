package ruletest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuickstartRules runs the quickstart's rule tests the way a user's own
// go test would.
func TestQuickstartRules(t *testing.T) {
	Run(t, "../../examples/quickstart/rules_test.yaml")
}

// TestFailingSuite checks that wrong expectations fail, with messages that
// say what differs.
func TestFailingSuite(t *testing.T) {
	s, err := LoadFile("testdata/failing_test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep := s.Run(context.Background())
	if rep.Passed != 1 || rep.Failed != 3 {
		t.Fatalf("passed %d failed %d, want 1 and 3", rep.Passed, rep.Failed)
	}
	want := [][]string{
		nil,
		{"score fit: want 31, got 30", "grade: want \"A\", got \"B\""},
		{"fired: rule big did not fire", "not_fired: rule small fired", "score fit: want in [50, 60], got 10"},
		{"error: want the lead rejected with \"field n\", but it was scored"},
	}
	for i, cr := range rep.Results {
		got := strings.Join(cr.Failures, "|")
		for _, w := range want[i] {
			if !strings.Contains(got, w) {
				t.Errorf("case %d (%s): failures %q lack %q", i, cr.Name, got, w)
			}
		}
	}
}

func TestBadSuites(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no rules", "tests: []", "missing rules"},
		{"unknown key", "rules: rules.yaml\nat: 2026-01-01T00:00:00Z\ntests:\n  - name: x\n    expekt: {}\n", `suite.yaml:5:5: test "x": unknown key "expekt"`},
		{"bad rules", "rules: nowhere.yaml\n", "nowhere.yaml"},
		{"no time", "rules: rules.yaml\ntests:\n  - name: x\n", "no evaluation time"},
		{"bad range", "rules: rules.yaml\nat: 2026-01-01T00:00:00Z\ntests:\n  - expect: {scores: {fit: {min: 5, max: 1}}}\n", "min 5 above max 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("testdata/suite.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// A test file reads like every input of the module: a byte order mark and
// CRLF line ends are accepted; an oversized file is a positioned error.
func TestParseBOMAndCRLF(t *testing.T) {
	src := "\xEF\xBB\xBFrules: rules.yaml\r\nat: 2026-01-01T00:00:00Z\r\ntests:\r\n  - name: x\r\n    lead: {}\r\n"
	s, err := Parse("testdata/suite.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cases) != 1 || s.Cases[0].Name != "x" || s.Cases[0].Line != 4 {
		t.Errorf("cases = %+v", s.Cases)
	}
}

// A test file over MaxFileBytes (one huge line) is a positioned limit
// error, read in bounded memory.
func TestLoadFileTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge_test.yaml")
	if err := os.WriteFile(path, []byte("rules: rules.yaml\n# "+strings.Repeat("x", MaxFileBytes)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(path)
	var e *Error
	if !errors.As(err, &e) || e.File != path || e.Code != "limit" || !errors.Is(err, ErrTestFile) {
		t.Fatalf("err = %v, want a limit error naming %s", err, path)
	}
}
