package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/revengine/revengine/survey"
)

var updateSurvey = flag.Bool("update-survey", false, "rewrite testdata/survey/*.golden")

func TestSurveyGolden(t *testing.T) {
	const dir = "testdata/survey/"
	responses, err := os.ReadFile(dir + "responses.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{"season", "", []string{"--survey", dir + "pulse.yaml", "--invited", "99", dir + "responses.csv"}, exitOK},
		{"june_by_team", "", []string{"--survey", dir + "pulse.yaml", "--wave", "2026-06", "--invited", "33", "--by", "team", dir + "responses.csv"}, exitOK},
		{"june_by_team_json", "", []string{"--survey", dir + "pulse.yaml", "--wave", "2026-06", "--by", "team", "--json", dir + "responses.csv"}, exitOK},
		{"by_wave_threshold_10_level_90", "", []string{"--survey", dir + "pulse.yaml", "--by", "wave", "--threshold", "10", "--level", "0.9", dir + "responses.csv"}, exitOK},
		// The order of the task text: flags after the responses file.
		{"flags_after_file", "", []string{"--survey", dir + "pulse.yaml", dir + "responses.csv", "--wave", "2026-06", "--by", "team", "--json"}, exitOK},
		{"two_files", "", []string{"--survey", dir + "pulse.yaml", dir + "responses.csv", "--json", dir + "responses.csv"}, exitUsage},
		{"stdin", string(responses), []string{"--survey", dir + "pulse.yaml", "--wave", "2026-04", "-"}, exitOK},
		{"rejected_rows", "", []string{"--survey", dir + "pulse.yaml", dir + "bad.csv"}, exitFindings},
		{"bad_definition", "", []string{"--survey", dir + "bad.yaml", dir + "responses.csv"}, exitFindings},
		{"unknown_column_header", "respondent,wave,team,location,tenure,enps,tools,q7\n", []string{"--survey", dir + "pulse.yaml", "-"}, exitFindings},
		{"zero_invited", "", []string{"--survey", dir + "pulse.yaml", "--invited", "0", dir + "responses.csv"}, exitUsage},
		{"fewer_invited_than_responses", "", []string{"--survey", dir + "pulse.yaml", "--invited", "50", dir + "responses.csv"}, exitFindings},
		{"unknown_wave", "", []string{"--survey", dir + "pulse.yaml", "--wave", "2027-01", dir + "responses.csv"}, exitFindings},
		{"missing_file", "", []string{"--survey", dir + "pulse.yaml", dir + "nope.csv"}, exitFindings},
		{"missing_survey_flag", "", []string{dir + "responses.csv"}, exitUsage},
		{"no_responses_arg", "", []string{"--survey", dir + "pulse.yaml"}, exitUsage},
		{"unknown_by", "", []string{"--survey", dir + "pulse.yaml", "--by", "colour", dir + "responses.csv"}, exitUsage},
		{"bad_level", "", []string{"--survey", dir + "pulse.yaml", "--level", "95", dir + "responses.csv"}, exitUsage},
		{"bad_threshold", "", []string{"--survey", dir + "pulse.yaml", "--threshold", "0", dir + "responses.csv"}, exitUsage},
		// The definition pins min_group_size 7: the report uses 7, a flag can
		// raise it (9) but not lower it (5), and 2 is below the floor of 3.
		{"pinned_june_by_team", "", []string{"--survey", dir + "pinned.yaml", "--wave", "2026-06", "--by", "team", dir + "responses.csv"}, exitOK},
		{"pinned_raised", "", []string{"--survey", dir + "pinned.yaml", "--wave", "2026-06", "--by", "team", "--threshold", "9", dir + "responses.csv"}, exitOK},
		{"pinned_lowered", "", []string{"--survey", dir + "pinned.yaml", "--threshold", "5", dir + "responses.csv"}, exitUsage},
		{"threshold_below_floor", "", []string{"--survey", dir + "pulse.yaml", "--threshold", "2", dir + "responses.csv"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.stdin, append([]string{"survey"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstderr:\n%s", code, tt.code, stderr)
			}
			got := "--- stdout\n" + stdout + "--- stderr\n" + stderr
			path := filepath.Join(dir, tt.name+".golden")
			if *updateSurvey {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update-survey)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run go test -update-survey to accept):\n%s", path, got)
			}
		})
	}
}

// The JSON is for machines: it parses, and the counts add up.
func TestSurveyJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "survey", "--survey", "testdata/survey/pulse.yaml", "--json", "--by", "team", "testdata/survey/bad.csv")
	if code != exitFindings {
		t.Fatalf("code %d, stderr %s", code, stderr)
	}
	var rep struct {
		Read, Accepted, Rejected int
		Suppressed               string
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// bad.csv: 9 data records (one spans two lines); e001, e005, e007 and
	// e008 are clean, the other five each have a problem. Four respondents
	// are below the threshold of 5, so the whole report is suppressed.
	if rep.Read != 9 || rep.Accepted != 4 || rep.Rejected != 5 || rep.Suppressed != "below-threshold" {
		t.Errorf("report = %+v", rep)
	}
	if n := strings.Count(stderr, "bad.csv:"); n != 5 {
		t.Errorf("%d positioned errors on stderr, want 5:\n%s", n, stderr)
	}
}

// Two small teams that together are still below the threshold: the total
// minus the shown teams would give their pooled answers, so the smallest
// shown team is hidden too (complementary suppression), with its comments.
func TestSurveyPooledSuppression(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("respondent,wave,team,location,tenure,enps,tools,comment\n")
	id := 0
	// AE 6, CSM 7, Ops 2, RevOps 2: Ops + RevOps = 4 < 5, so AE (6, the
	// smallest shown) is complementary; CSM stays.
	for _, g := range []struct {
		team string
		n    int
	}{{"AE", 6}, {"CSM", 7}, {"Ops", 2}, {"RevOps", 2}} {
		for i := 0; i < g.n; i++ {
			id++
			fmt.Fprintf(&csv, "e%02d,2026-06,%s,Austin,1-3y,9,4,from %s\n", id, g.team, g.team)
		}
	}
	code, stdout, stderr := runCLI(t, csv.String(), "survey", "--survey", "testdata/survey/pulse.yaml", "--by", "team", "--json", "-")
	if code != exitOK {
		t.Fatalf("code %d, stderr %s", code, stderr)
	}
	var rep struct {
		Breakdown struct {
			Groups []struct {
				Value, Suppressed string
				Questions         []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range rep.Breakdown.Groups {
		got = append(got, g.Value+":"+g.Suppressed)
		if (g.Suppressed != "") != (g.Questions == nil) {
			t.Errorf("%s: suppressed %q with %d questions", g.Value, g.Suppressed, len(g.Questions))
		}
	}
	want := "AE:complementary CSM: Ops:below-threshold RevOps:below-threshold"
	if strings.Join(got, " ") != want {
		t.Errorf("groups = %v, want %s", got, want)
	}
	// The breakdown shows CSM's comments and no one else's.
	_, breakdown, _ := strings.Cut(stdout, `"breakdown"`)
	for _, team := range []string{"AE", "Ops", "RevOps"} {
		if strings.Contains(breakdown, "from "+team) {
			t.Errorf("breakdown leaks the comments of %s", team)
		}
	}
	if !strings.Contains(breakdown, "from CSM") {
		t.Error("breakdown lacks CSM's comments")
	}
}

// Flags after the responses file (the order of the task text) and after
// "--" parse as in the usual order.
func TestSurveyFlagOrder(t *testing.T) {
	const dir = "testdata/survey/"
	_, want, _ := runCLI(t, "", "survey", "--survey", dir+"pulse.yaml", "--by", "team", "--json", dir+"responses.csv")
	for _, args := range [][]string{
		{"--survey", dir + "pulse.yaml", dir + "responses.csv", "--by", "team", "--json"},
		{"--json", dir + "responses.csv", "--survey", dir + "pulse.yaml", "--by=team"},
		{"--survey", dir + "pulse.yaml", "--by", "team", "--json", "--", dir + "responses.csv"},
	} {
		code, got, stderr := runCLI(t, "", append([]string{"survey"}, args...)...)
		if code != exitOK || got != want {
			t.Errorf("%v: code %d, stderr %s, output differs: %v", args, code, stderr, got != want)
		}
	}
	// After "--" a flag-like name is the file, not a flag.
	code, _, stderr := runCLI(t, "", "survey", "--survey", dir+"pulse.yaml", "--", "--json")
	if code != exitFindings || !strings.Contains(stderr, "--json") {
		t.Errorf("-- --json: code %d, stderr %s", code, stderr)
	}
}

// --json prints the library's encoding of its Report, nothing of the CLI's
// own: decoded into survey.Report it equals the Report the library
// computes from the same files and options, and re-encoding that Report
// gives the output byte for byte.
func TestSurveyJSONRoundTrip(t *testing.T) {
	const dir = "testdata/survey/"
	for _, tt := range []struct {
		name string
		args []string
		opts []survey.ReportOption
	}{
		{"june by team", []string{"--wave", "2026-06", "--by", "team"},
			[]survey.ReportOption{survey.WithWave("2026-06"), survey.WithBreakdown("team")}},
		{"season, invited, by wave, threshold 10, level 0.9", []string{"--invited", "99", "--by", "wave", "--threshold", "10", "--level", "0.9"},
			[]survey.ReportOption{survey.WithInvited(99), survey.WithBreakdown("wave"), survey.WithThreshold(10), survey.WithLevel(0.9)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"survey", "--survey", dir + "pulse.yaml", "--json"}, tt.args...)
			code, stdout, stderr := runCLI(t, "", append(args, dir+"responses.csv")...)
			if code != exitOK {
				t.Fatalf("code %d, stderr %s", code, stderr)
			}
			var got survey.Report
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			s, err := survey.LoadFile(dir + "pulse.yaml")
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(dir + "responses.csv")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			b, err := s.ReadResponses(context.Background(), f, dir+"responses.csv")
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.Report(context.Background(), b, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, &got); diff != "" {
				t.Errorf("--json decoded (-library +cli):\n%s", diff)
			}
			enc, err := json.MarshalIndent(want, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if string(enc)+"\n" != stdout {
				t.Error("--json is not the library's encoding of the Report")
			}
		})
	}
}

// A responses file with no line end (as /dev/zero) ends with a positioned
// error and exit status 1, instead of growing until the process dies.
func TestSurveyEndlessInput(t *testing.T) {
	code, stdout, stderr := runCLI(t, strings.Repeat("x", 65<<20), "survey", "--survey", "testdata/survey/pulse.yaml", "-")
	want := "<stdin>:1: line longer than 1048576 bytes, and no end of line within 67108864 bytes: giving up\n"
	if code != exitFindings || stdout != "" || stderr != want {
		t.Errorf("code %d, stdout %q, stderr %q; want %q", code, stdout, stderr, want)
	}
}
