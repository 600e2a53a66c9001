package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/goal"
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
	var out goal.Report
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	tot := out.Total
	usd := func(a int64) money.Money { return money.New(a, "USD") }
	// expected 910000 × 46/91 = 460000; gap 400000 − 460000; projection
	// 400000 × 91/46 = 791304.35 → 791304; remaining 510000 / 45 days =
	// 11333.33 → 11333; pipeline 510000 / 0.25 = 2040000, 20.4 deals.
	if tot.ElapsedDays != 46 || tot.Actual != usd(400000) || tot.Expected != usd(460000) || tot.Gap != usd(-60000) ||
		*tot.Projection != usd(791304) || tot.Remaining != usd(510000) || *tot.RequiredDaily != usd(11333) ||
		tot.Pipeline.Needed != usd(2040000) || tot.Pipeline.Deals != 20.4 || tot.Pipeline.RequiredCoverage != 4 {
		t.Errorf("total = %+v", tot)
	}
	// 6 rows: 3 counted, 1 later (31 Mar), 2 outside (31 Dec 2023, 1 Apr).
	if out.Counted != 3 || out.Later != 1 || out.Outside != 2 {
		t.Errorf("counted, later, outside = %d, %d, %d", out.Counted, out.Later, out.Outside)
	}
	// Months by days: 3100.00, 2900.00, 3100.00.
	if len(out.Parts) != 3 || out.Parts[0].Target != usd(310000) || out.Parts[1].Target != usd(290000) || out.Parts[2].Target != usd(310000) {
		t.Errorf("parts = %+v", out.Parts)
	}
}

// TestPaceJSONIsTheLibrarys: --json prints exactly the library's encoding
// of goal.Report. Decoded with json.Unmarshal into the library type it
// equals the report the library computes from the same files, and
// encoding that report gives the same bytes.
func TestPaceJSONIsTheLibrarys(t *testing.T) {
	tests := []struct{ name, target, at string }{
		{"days by month", "q1.yaml", "2024-02-15"},
		{"weights, plan pacing", "weights.yaml", "2024-02-15"},
		{"working days", "workdays.yaml", "2024-02-15"},
		{"quarters", "year.yaml", "2024-02-29"},
		{"before the period", "q1.yaml", "2023-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", "pace", "--target", paceFile(tt.target), "--actuals", paceFile("actuals.csv"), "--at", tt.at, "--json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got goal.Report
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			spec, err := goal.LoadFile(paceFile(tt.target))
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(paceFile("actuals.csv"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			actuals, err := goal.ReadActuals(context.Background(), f, "actuals.csv", revenue.WithCurrency(spec.Target.Amount.Currency))
			if err != nil {
				t.Fatal(err)
			}
			at, _ := time.Parse(time.DateOnly, tt.at)
			want, err := spec.Pace(context.Background(), actuals, at)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CLI JSON decoded (-library +cli):\n%s", diff)
			}
			b, err := json.MarshalIndent(want, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if string(b)+"\n" != stdout {
				t.Errorf("CLI JSON is not the library's encoding:\n%s\nlibrary:\n%s", stdout, b)
			}
		})
	}
}

func TestPaceHelp(t *testing.T) {
	code, _, stderr := runCLI(t, "", "pace", "-h")
	if code != exitOK || !strings.Contains(stderr, "amount_minor") || !strings.Contains(stderr, "date,amount_minor[,currency]") {
		t.Errorf("help: exit %d, %q", code, stderr)
	}
}
