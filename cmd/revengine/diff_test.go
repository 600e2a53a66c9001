package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateDiff = flag.Bool("update-diff", false, "rewrite testdata/diff/*.golden")

func diffFile(name string) string { return filepath.Join("testdata", "diff", name) }

const diffAt = "2026-11-23T12:00:00Z"

// TestDiffGolden runs the command on the files in testdata/diff and
// compares exit code, stdout and stderr with the golden files.
//
// old.yaml, new.yaml and leads.jsonl are the backtest package's fixture,
// whose every figure is worked out by hand in its TestRunByConstruction
// (scoring/backtest/backtest_test.go); TestDiffJSONValues re-checks the key
// numbers here independently of the goldens. clean.jsonl and
// leads_array.json are its nine valid leads (as lines and as an array).
// quickstart.yaml and quickstart_leads.json are copies of the quickstart,
// and quickstart_next.yaml a proposed change of it (see its header).
func TestDiffGolden(t *testing.T) {
	old, new := diffFile("old.yaml"), diffFile("new.yaml")
	leads := diffFile("leads.jsonl")
	stdin, err := os.ReadFile(diffFile("leads_array.json"))
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--rules", old, "--against", new, "--at", diffAt}
	with := func(args ...string) []string { return append(append([]string{}, base...), args...) }
	tests := []cliCase{
		// The fixture's leads carry "outcome", which neither rules file
		// declares: without --outcomes the relaxed mode ignores it.
		{"table", "", with("--strict=false", leads)},
		{"table_strict", "", with(leads)},
		{"table_outcomes", "", with("--outcomes", "outcome", leads)},
		{"json_outcomes", "", with("--outcomes", "outcome", "--json", leads)},
		{"clean_lines", "", with("--outcomes", "outcome", diffFile("clean.jsonl"))},
		{"array_stdin", string(stdin), with("--outcomes", "outcome", "--band", "25", "-")},
		{"flags_after_file", "", append([]string{leads, "--strict=false"}, base...)},
		{"quickstart", "", []string{"--rules", diffFile("quickstart.yaml"), "--against", diffFile("quickstart_next.yaml"), "--at", diffAt, diffFile("quickstart_leads.json")}},
		{"quickstart_json", "", []string{"--rules", diffFile("quickstart.yaml"), "--against", diffFile("quickstart_next.yaml"), "--at", diffAt, "--json", diffFile("quickstart_leads.json")}},
		{"bad_rules", "", []string{"--rules", diffFile("bad_rules.yaml"), "--against", new, "--at", diffAt, leads}},
		{"both_rules_bad", "", []string{"--rules", diffFile("bad_rules.yaml"), "--against", diffFile("bad_version.yaml"), "--at", diffAt, leads}},
		{"missing_rules", "", []string{"--rules", diffFile("nope.yaml"), "--against", new, "--at", diffAt, leads}},
		{"bad_array", "", with(diffFile("bad_array.json"))},
		{"missing_leads", "", with(diffFile("nope.jsonl"))},
		{"no_leads_file", "", base},
		{"two_leads_files", "", with(leads, leads)},
		{"no_against", "", []string{"--rules", old, leads}},
		{"bad_band", "", with("--band", "0", leads)},
		{"model_without_outcomes", "", with("--model", "fit", leads)},
		{"model_in_one_file", "", with("--outcomes", "outcome", "--model", "size", leads)},
		{"bad_at", "", []string{"--rules", old, "--against", new, "--at", "yesterday", leads}},
		{"help", "", []string{"-h"}},
	}
	checkGolden(t, "diff", filepath.Join("testdata", "diff"), *updateDiff, tests)
}

// TestDiffExitCodes: 0 clean, 1 rejected leads or invalid rules or
// unreadable input, 2 usage.
func TestDiffExitCodes(t *testing.T) {
	old, new := diffFile("old.yaml"), diffFile("new.yaml")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"--rules", old, "--against", new, "--at", diffAt, "--outcomes", "outcome", diffFile("clean.jsonl")}, exitOK},
		{"same rules", []string{"--rules", old, "--against", old, "--at", diffAt, "--strict=false", diffFile("clean.jsonl")}, exitOK},
		{"undeclared key, strict", []string{"--rules", old, "--against", old, "--at", diffAt, diffFile("clean.jsonl")}, exitFindings},
		{"rejected leads", []string{"--rules", old, "--against", new, "--at", diffAt, diffFile("leads.jsonl")}, exitFindings},
		{"invalid rules", []string{"--rules", diffFile("bad_rules.yaml"), "--against", new, diffFile("clean.jsonl")}, exitFindings},
		{"bad array", []string{"--rules", old, "--against", new, diffFile("bad_array.json")}, exitFindings},
		{"no rules", []string{diffFile("clean.jsonl")}, exitUsage},
		{"unknown flag", []string{"--frobnicate", "--rules", old, "--against", new, diffFile("clean.jsonl")}, exitUsage},
		{"help", []string{"-h"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", append([]string{"diff"}, tt.args...)...)
			if code != tt.want {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
		})
	}
}

// TestDiffJSONValues checks the JSON report of the fixture against figures
// worked out by hand (see TestRunByConstruction in scoring/backtest for the
// lead-by-lead table), independently of the golden files.
func TestDiffJSONValues(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "diff", "--rules", diffFile("old.yaml"), "--against", diffFile("new.yaml"),
		"--at", diffAt, "--outcomes", "outcome", "--json", diffFile("leads.jsonl"))
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (4 rejected lines); stderr:\n%s", code, stderr)
	}
	var rep struct {
		Counts map[string]int `json:"counts"`
		Stages struct {
			Labels  []string `json:"labels"`
			Counts  [][]int  `json:"counts"`
			Changed int      `json:"changed"`
		} `json:"stages"`
		Outcomes struct {
			Stages []struct {
				Stage string `json:"stage"`
				Old   struct {
					Rate    *float64 `json:"conversion_rate"`
					Revenue float64  `json:"revenue"`
				} `json:"old"`
				New struct {
					Rate *float64 `json:"conversion_rate"`
				} `json:"new"`
			} `json:"stages"`
		} `json:"outcomes"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// 14 lines, 1 blank: 13 read = 9 compared + 1 old only + 1 new only + 2 both.
	wantCounts := map[string]int{"read": 13, "compared": 9, "rejected_old_only": 1, "rejected_new_only": 1, "rejected_both": 2}
	if diff := cmp.Diff(wantCounts, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	// mql → lead: L2 (55), L8 (58), L9 (52 − 5 for DE = 47): below the new 60.
	if rep.Stages.Labels[1] != "mql" || rep.Stages.Labels[0] != "lead" || rep.Stages.Counts[1][0] != 3 || rep.Stages.Changed != 4 {
		t.Errorf("stages %+v", rep.Stages)
	}
	// old mql: 5 won of 6 with an outcome; revenue 5000 + 1250.5.
	mql := rep.Outcomes.Stages[1]
	if mql.Stage != "mql" || mql.Old.Rate == nil || *mql.Old.Rate != 5.0/6 || mql.Old.Revenue != 6250.5 || *mql.New.Rate != 1 {
		t.Errorf("mql outcomes %+v", mql)
	}
	// sql has no lead under the old rules: the rate is absent, not NaN.
	if sql := rep.Outcomes.Stages[2]; sql.Stage != "sql" || sql.Old.Rate != nil {
		t.Errorf("sql outcomes %+v", sql)
	}
	if !strings.Contains(stderr, "leads.jsonl:12: old: ") || !strings.Contains(stderr, "leads.jsonl:13: new: ") ||
		!strings.Contains(stderr, "leads.jsonl:7: old: ") || !strings.Contains(stderr, "leads.jsonl:7: new: ") {
		t.Errorf("stderr lacks the rejected lines:\n%s", stderr)
	}
}

// TestDiffQuickstartValues checks the quickstart change against reasoning
// from the rules (scores at 2026-11-23T12:00Z as "revengine score" prints
// them): the new MQL condition fit ≥ 55 && engagement ≥ 20 admits L-1015
// (fit 60 + 2 for US = 62, engagement 23.6) and L-1020 (AE is not a target
// country: fit 71.5, engagement 20.1) and, as every lead starts in stage
// lead, drops L-1016 (NO is not a target country: fit 53.2, below 55);
// grade B at 55 turns L-1013 (US: 50 + 2 = 52) and L-1016 (53.2) into C
// while L-1004 (US: 53 + 2 = 55) stays B; the new segment north-america
// holds the 7 US and CA leads of quickstart_leads.json.
func TestDiffQuickstartValues(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "diff", "--rules", diffFile("quickstart.yaml"), "--against", diffFile("quickstart_next.yaml"),
		"--at", diffAt, "--json", diffFile("quickstart_leads.json"))
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var rep struct {
		Stages struct {
			Labels []string `json:"labels"`
			Counts [][]int  `json:"counts"`
		} `json:"stages"`
		Grades struct {
			Changed int `json:"changed"`
		} `json:"grades"`
		Segments []struct {
			Segment string `json:"segment"`
			New     int    `json:"new"`
		} `json:"segments"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"lead", "mql", "sal", "sql", "opportunity", "disqualified"}, rep.Stages.Labels); diff != "" {
		t.Errorf("stage labels (-want +got):\n%s", diff)
	}
	if got := rep.Stages.Counts[0][1]; got != 2 {
		t.Errorf("lead → mql = %d, want 2 (L-1015, L-1020)", got)
	}
	if got := rep.Stages.Counts[1][0]; got != 1 {
		t.Errorf("mql → lead = %d, want 1 (L-1016)", got)
	}
	if rep.Grades.Changed != 2 {
		t.Errorf("grades changed = %d, want 2 (L-1013, L-1016)", rep.Grades.Changed)
	}
	for _, s := range rep.Segments {
		if s.Segment == "north-america" && s.New != 7 {
			t.Errorf("north-america = %d, want 7", s.New)
		}
	}
}
