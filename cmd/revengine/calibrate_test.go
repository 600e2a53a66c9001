package main

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateCalibrate = flag.Bool("update-calibrate", false, "rewrite testdata/calibrate/*.golden")

func calFile(name string) string { return filepath.Join("testdata", "calibrate", name) }

const calAt = "2026-12-01T00:00:00Z"

// TestCalibrateGolden runs the command on testdata/calibrate. rules.yaml
// and leads.jsonl (drawn by gen.py from a known model) are the fixture;
// the figures the goldens hold are the library's, whose definitions are
// checked by hand in scoring/calibrate, and TestCalibrateJSONByHand checks
// the command's own numbers.
func TestCalibrateGolden(t *testing.T) {
	rules, leads := calFile("rules.yaml"), calFile("leads.jsonl")
	base := []string{"--rules", rules, "--at", calAt}
	with := func(args ...string) []string { return append(append([]string{}, base...), args...) }
	stdin, err := os.ReadFile(calFile("hand.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "calibrate", filepath.Join("testdata", "calibrate"), *updateCalibrate, []cliCase{
		{"table", "", with(leads)},
		{"json", "", with("--json", leads)},
		{"capacity", "", with("--objective", "capacity", "--capacity", "20", "--weeks", "4", "--pdo", "20", leads)},
		{"hand_stdin", string(stdin), []string{"--rules", calFile("hand.yaml"), "--at", calAt, "--min-outcomes", "1", "-"}},
		{"rejected", "", with(calFile("bad_leads.jsonl"))},
		{"bad_rules", "", []string{"--rules", calFile("bad_rules.yaml"), leads}},
		{"missing_leads", "", with(calFile("nope.jsonl"))},
		{"no_rules", "", []string{leads}},
		{"bad_objective", "", with("--objective", "auc", leads)},
		{"capacity_without_objective", "", with("--capacity", "5", leads)},
		{"capacity_weeks_field", "", []string{"--rules", calFile("hand.yaml"), "--at", calAt, "--objective", "capacity", "--capacity", "1", "--weeks-field", "created_at", calFile("hand_dated.jsonl")}},
		{"weeks_and_weeks_field", "", with("--objective", "capacity", "--capacity", "1", "--weeks", "2", "--weeks-field", "created_at", leads)},
		{"bad_stage", "", with("--stage", "nope", leads)},
		{"bad_model", "", with("--model", "nope", leads)},
		{"keep_points_without_write", "", with("--keep-points", leads)},
		{"no_outcomes", "", with("--outcomes", "missing_field", "--strict=false", leads)},
	})
}

// TestCalibrateJSONByHand: hand.jsonl gives won scores 90, 80, 50 and lost
// 70, 50, 30, 10: AUC 10.5/12 = 0.875 with DeLong SE √(38/1728) (worked
// in scoring/calibrate TestAUCByHand); F1 by threshold (P = 3): ≥ 90: 2/4;
// ≥ 80: 4/5 = 0.8; ≥ 70: 4/6; ≥ 50: 6/8 = 0.75; ≥ 30: 6/9; ≥ 10: 6/10 —
// best 80.
func TestCalibrateJSONByHand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "calibrate", "--rules", calFile("hand.yaml"), "--at", calAt, "--json", calFile("hand.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Models []struct {
			AUC  struct{ Value, SE float64 }
			Best struct {
				Score float64
				F1    float64
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	m := rep.Models[0]
	if math.Abs(m.AUC.Value-0.875) > 1e-12 || math.Abs(m.AUC.SE-math.Sqrt(38.0/1728)) > 1e-12 || m.Best.Score != 80 || math.Abs(m.Best.F1-0.8) > 1e-12 {
		t.Fatalf("%+v", m)
	}
}

// TestCalibrateWriteRules: the rules written keep every byte but the
// points and the threshold, pass check and test, and diff shows the
// change.
func TestCalibrateWriteRules(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.yaml")
	rules, leads := calFile("rules.yaml"), calFile("leads.jsonl")
	code, _, stderr := runCLI(t, "", "calibrate", "--rules", rules, "--at", calAt, "--write-rules", out, leads)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	orig, _ := os.ReadFile(rules)
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ol, gl := strings.Split(string(orig), "\n"), strings.Split(string(got), "\n")
	if len(ol) != len(gl) {
		t.Fatalf("line count %d → %d", len(ol), len(gl))
	}
	changed := 0
	for i := range ol {
		if ol[i] == gl[i] {
			continue
		}
		changed++
		o, g := strings.TrimSpace(ol[i]), strings.TrimSpace(gl[i])
		if !(strings.HasPrefix(o, "points: ") && strings.HasPrefix(g, "points: ")) &&
			!(strings.HasPrefix(o, "when: scores.total >= ") && strings.HasPrefix(g, "when: scores.total >= ")) {
			t.Errorf("line %d changed: %q → %q", i+1, ol[i], gl[i])
		}
	}
	if changed == 0 || !strings.Contains(stderr, "threshold mql: scores.total >= 30 -> ") {
		t.Fatalf("%d lines changed; stderr:\n%s", changed, stderr)
	}
	if code, _, stderr := runCLI(t, "", "check", out); code != 0 {
		t.Fatalf("check: %s", stderr)
	}
	// A rule test of the written file: a lead for which no rule fires
	// scores 0 on every model and stays a lead, whatever the points.
	tests := filepath.Join(filepath.Dir(out), "out_test.yaml")
	if err := os.WriteFile(tests, []byte(`rules: out.yaml
at: 2026-12-01T00:00:00Z
tests:
  - name: nothing fired
    lead: {demo: false, enterprise: false, webinar: false, newsletter: false, size: 0}
    expect:
      scores: {fit: 0, engagement: 0, total: 0}
      stage: lead
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "", "test", tests); code != 0 {
		t.Fatalf("test: %s%s", stdout, stderr)
	}
	code, stdout, stderr := runCLI(t, "", "diff", "--rules", rules, "--against", out, "--outcomes", "outcome", "--at", calAt, leads)
	if code != 0 || !strings.Contains(stdout, "Stage: ") || strings.Contains(stdout, "Stage: 0 of") {
		t.Fatalf("diff exit %d: %s\n%s", code, stdout, stderr)
	}

	// --keep-points --only-distinguishable: only the threshold line.
	code, _, stderr = runCLI(t, "", "calibrate", "--rules", rules, "--at", calAt, "--write-rules", out, "--keep-points", leads)
	got, _ = os.ReadFile(out)
	if code != 0 || strings.Count(stderr, " -> ") != 1 || strings.Count(string(got), "points: ") != strings.Count(string(orig), "points: ") {
		t.Fatalf("keep points: %d %s", code, stderr)
	}
}

// TestCalibrateCapacityByHand: hand_dated.jsonl spans 2026-11-01 to
// 2026-11-15, 14 days = 2 weeks; 1 MQL a week allows 2 MQLs. Won 90, 80,
// 50; lost 70, 50, 30, 10: t = 90 gives 1 MQL (1 won), t = 80 2 MQLs (2
// won), t = 70 3 — too many. Best: 80.
func TestCalibrateCapacityByHand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "calibrate", "--rules", calFile("hand.yaml"), "--at", calAt, "--json",
		"--objective", "capacity", "--capacity", "1", "--weeks-field", "created_at", calFile("hand_dated.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		CapacityWeeks float64 `json:"capacity_weeks"`
		CapacityMQLs  int     `json:"capacity_mqls"`
		Models        []struct {
			Best struct {
				Score float64
				MQLs  int
				Won   int
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if b := rep.Models[0].Best; rep.CapacityWeeks != 2 || rep.CapacityMQLs != 2 || b.Score != 80 || b.MQLs != 2 || b.Won != 2 {
		t.Fatalf("%+v", rep)
	}
}
