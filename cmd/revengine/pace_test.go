package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updatePace = flag.Bool("update-pace", false, "rewrite testdata/pace/*.golden")

func paceFile(name string) string { return filepath.Join("testdata", "pace", name) }

// TestPaceGolden runs the command on the files in testdata/pace and
// compares exit code, stdout and stderr with the golden files. The figures
// in the goldens were checked by hand (see TestPaceJSONValues and the
// revenue package's tests for the arithmetic).
func TestPaceGolden(t *testing.T) {
	tests := []cliCase{
		{"table_inside", "", []string{"--target", paceFile("q1.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"json_inside", "", []string{"--target", paceFile("q1.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15", "--json"}},
		{"table_before", "", []string{"--target", paceFile("q1.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2023-12-31"}},
		{"table_after", "", []string{"--target", paceFile("q1.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-05-01"}},
		{"weights_plan", "", []string{"--target", paceFile("weights.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"working_days", "", []string{"--target", paceFile("workdays.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"leap_year_quarters", "", []string{"--target", paceFile("year.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-29"}},
		{"stdin_actuals", "2024-01-10,100000\n", []string{"--target", paceFile("q1.yaml"), "--actuals", "-", "--at", "2024-01-10"}},
		{"zero_target", "", []string{"--target", paceFile("zero.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"bad_target", "", []string{"--target", paceFile("bad_target.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"bad_weights", "", []string{"--target", paceFile("bad_weights.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"bad_yaml", "", []string{"--target", paceFile("bad_yaml.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"bad_calendar", "", []string{"--target", paceFile("bad_calendar.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"missing_keys", "", []string{"--target", paceFile("missing.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15"}},
		{"bad_actuals", "", []string{"--target", paceFile("q1.yaml"), "--actuals", paceFile("bad_actuals.csv"), "--at", "2024-02-15"}},
		{"missing_at", "", []string{"--target", paceFile("q1.yaml"), "--actuals", paceFile("actuals.csv")}},
		{"bad_at", "", []string{"--target", paceFile("q1.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "15/02/2024"}},
	}
	checkGolden(t, "pace", filepath.Join("testdata", "pace"), *updatePace, tests)
}

// TestPaceJSONValues checks the JSON figures against arithmetic by hand:
// 9,100.00 over Q1 2024 (91 days), at the end of 15 February (day 46),
// 4,000.00 booked (1,000.00 on 10 Jan, 2,500.00 on 1 Feb, 500.00 on 15 Feb).
func TestPaceJSONValues(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "pace", "--target", paceFile("q1.yaml"), "--actuals", paceFile("actuals.csv"), "--at", "2024-02-15", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out paceJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	tot := out.Total
	// expected 910000 × 46/91 = 460000; gap 400000 − 460000; projection
	// 400000 × 91/46 = 791304.35 → 791304; remaining 510000 / 45 days =
	// 11333.33 → 11333; pipeline 510000 / 0.25 = 2040000, 20.4 deals.
	if tot.ElapsedDays != 46 || tot.ActualMinor != 400000 || tot.ExpectedMinor != 460000 || tot.GapMinor != -60000 ||
		*tot.ProjectionMinor != 791304 || tot.RemainingMinor != 510000 || *tot.RequiredDailyMinor != 11333 ||
		tot.Pipeline.NeededMinor != 2040000 || tot.Pipeline.Deals != 20.4 || tot.Pipeline.RequiredCoverage != 4 {
		t.Errorf("total = %+v", tot)
	}
	// 6 rows: 3 counted, 1 later (31 Mar), 2 outside (31 Dec 2023, 1 Apr).
	if out.Counted != 3 || out.Later != 1 || out.Outside != 2 {
		t.Errorf("counted, later, outside = %d, %d, %d", out.Counted, out.Later, out.Outside)
	}
	// Months by days: 3100.00, 2900.00, 3100.00.
	if len(out.Parts) != 3 || out.Parts[0].TargetMinor != 310000 || out.Parts[1].TargetMinor != 290000 || out.Parts[2].TargetMinor != 310000 {
		t.Errorf("parts = %+v", out.Parts)
	}
}

func TestPaceHelp(t *testing.T) {
	code, _, stderr := runCLI(t, "", "pace", "-h")
	if code != exitOK || !strings.Contains(stderr, "amount_minor") || !strings.Contains(stderr, "date,amount_minor[,currency]") {
		t.Errorf("help: exit %d, %q", code, stderr)
	}
}

func TestParsePacePeriod(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"year", "2024", "2024", true},
		{"quarter", "2024-Q2", "2024-Q2", true},
		{"month", "2024-02", "2024-02", true},
		{"range", "2024-01-15..2024-02-14", "2024-01-15..2024-02-14", true},
		{"quarter 5", "2024-Q5", "", false},
		{"month 13", "2024-13", "", false},
		{"signed month", "2024-+1", "", false},
		{"reversed range", "2024-02-14..2024-01-15", "", false},
		{"bad date", "2024-02-30..2024-03-01", "", false},
		{"word", "soon", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePacePeriod(tt.in)
			if (err == nil) != tt.ok || (tt.ok && p.String() != tt.want) {
				t.Errorf("parsePacePeriod(%q) = %v, %v; want %q", tt.in, p, err, tt.want)
			}
		})
	}
}

func TestReadPaceActualsHeader(t *testing.T) {
	in := "\ufeffamount_minor,date\n5,2024-01-02\n7,2024-01-03\n"
	got, err := readPaceActuals(context.Background(), "h.csv", strings.NewReader(in), "USD")
	if err != nil || len(got) != 2 || got[1].Amount.Amount != 7 || got[1].Date.Day() != 3 {
		t.Fatalf("got %v, %v", got, err)
	}
	for name, in := range map[string]string{
		"unknown column": "date,amount_minor,channel\n2024-01-02,5,web\n",
		"missing column": "date,currency\n2024-01-02,USD\n",
		"short row":      "date,amount_minor\n2024-01-02\n",
		"bare quote":     "2024-01-02,5\"x\n",
	} {
		if _, err := readPaceActuals(context.Background(), "h.csv", strings.NewReader(in), "USD"); err == nil || !strings.HasPrefix(err.Error(), "h.csv:") {
			t.Errorf("%s: err = %v, want a positioned error", name, err)
		}
	}
}

func FuzzPaceTarget(f *testing.F) {
	for _, name := range []string{"q1.yaml", "weights.yaml", "workdays.yaml", "zero.yaml", "bad_target.yaml", "year.yaml", "bad_weights.yaml", "bad_yaml.yaml", "bad_calendar.yaml", "missing.yaml"} {
		data, err := os.ReadFile(paceFile(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("period: 2024-01-01..2024-01-01\namount_minor: 1\ncurrency: JPY\nby: none\n"))
	f.Add([]byte("[1, 2]"))
	f.Add([]byte("a: &a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := parsePaceTarget("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		var sum int64
		for _, p := range spec.goal.Parts {
			sum += p.Amount.Amount
		}
		if sum != spec.target.Amount.Amount {
			t.Errorf("split adds up to %d, target %d", sum, spec.target.Amount.Amount)
		}
	})
}

func FuzzPaceActuals(f *testing.F) {
	for _, name := range []string{"actuals.csv", "bad_actuals.csv"} {
		data, err := os.ReadFile(paceFile(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("amount_minor,date\n5,2024-01-02\n"))
	f.Add([]byte("\"2024-01-02\n,5"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readPaceActuals(context.Background(), "fuzz.csv", strings.NewReader(string(data)), "USD")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		for _, a := range got {
			if a.Amount.Amount < 0 || a.Amount.Currency != "USD" {
				t.Errorf("accepted %v", a)
			}
		}
	})
}
