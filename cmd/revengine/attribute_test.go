package main

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

var updateAttribute = flag.Bool("update-attribute", false, "rewrite testdata/attribute/*.golden")

func attributeFile(name string) string { return filepath.Join("testdata", "attribute", name) }

// TestAttributeGolden runs the command on the files in testdata/attribute
// and compares exit code, stdout and stderr with the golden files. The
// figures were checked by hand: journeys.csv is the attribution package's
// handCSV (see its model_test.go for every model's arithmetic) and
// paths.csv its Markov chain (markov_test.go); TestAttributeJSONValues
// re-checks the key numbers independently of the goldens.
func TestAttributeGolden(t *testing.T) {
	journeys, paths := attributeFile("journeys.csv"), attributeFile("paths.csv")
	stdin, err := os.ReadFile(paths)
	if err != nil {
		t.Fatal(err)
	}
	tests := []cliCase{
		{"linear_table", "", []string{"--model", "linear", journeys}},
		{"w_shaped_json", "", []string{"--model", "w_shaped", "--json", journeys}},
		{"time_decay_half_life", "", []string{"--model", "time_decay", "--half-life", "24h", journeys}},
		{"all_touches", "", []string{"--model", "all", journeys}},
		{"all_paths", "", []string{"--model", "all", "--format", "paths", paths}},
		{"all_json", "", []string{"--model", "all", "--json", "--format", "paths", paths}},
		{"markov_table", "", []string{"--model", "markov", "--format", "paths", paths}},
		{"markov_json", "", []string{"--model", "markov", "--format", "paths", "--json", paths}},
		{"markov_share_json", "", []string{"--model", "markov", "--markov-value", "share", "--format", "paths", "--json", paths}},
		{"markov_order2_stdin", string(stdin), []string{"--model", "markov", "--order", "2", "--format", "paths", "-"}},
		{"spend_table", "", []string{"--model", "markov", "--format", "paths", "--spend", attributeFile("spend.csv"), paths}},
		{"spend_json", "", []string{"--model", "markov", "--format", "paths", "--spend", attributeFile("spend.csv"), "--json", paths}},
		{"lookback", "", []string{"--model", "first_touch", "--lookback", "10", journeys}},
		{"flags_after_file", "", []string{journeys, "--model", "shapley_local_rate"}},
		{"bad_row", "", []string{"--model", "linear", attributeFile("bad_row.csv")}},
		{"ungrouped", "", []string{"--model", "linear", "--grouped", attributeFile("ungrouped.csv")}},
		{"ungrouped_any_order", "", []string{"--model", "linear", attributeFile("ungrouped.csv")}},
		{"many_errors", "", []string{"--model", "linear", "--grouped", attributeFile("many_errors.csv")}},
		{"many_errors_any_order", "", []string{"--model", "linear", attributeFile("many_errors.csv")}},
		{"similar_channels", "", []string{"--model", "last_touch", attributeFile("mixed_case.csv")}},
		{"channel_fold_map", "", []string{"--model", "last_touch", "--channel-fold", "--channel-map", attributeFile("channel_map.csv"),
			"--spend", attributeFile("mixed_spend.csv"), attributeFile("mixed_case.csv")}},
		{"bootstrap_table", "", []string{"--model", "markov", "--format", "paths", "--bootstrap", "200", paths}},
		{"bootstrap_json", "", []string{"--model", "linear", "--bootstrap", "50", "--ci", "0.9", "--seed", "3", "--json", journeys}},
		{"bootstrap_all", "", []string{"--model", "all", "--bootstrap", "20", "--format", "paths", paths}},
		{"bad_ci", "", []string{"--model", "linear", "--bootstrap", "20", "--ci", "95", journeys}},
		{"privacy_drop", "", []string{"--model", "shapley", "--format", "paths", "--min-journeys", "2", attributeFile("rare_paths.csv")}},
		{"privacy_pool_json", "", []string{"--model", "markov", "--format", "paths", "--min-journeys", "2", "--privacy", "pool", "--json", attributeFile("rare_paths.csv")}},
		{"bad_privacy", "", []string{"--model", "markov", "--format", "paths", "--min-journeys", "2", "--privacy", "hide", attributeFile("rare_paths.csv")}},
		{"choose_order", "", []string{"--choose-order", "3", "--format", "paths", attributeFile("order2_paths.csv")}},
		{"choose_order_json", "", []string{"--choose-order", "2", "--folds", "3", "--format", "paths", "--json", attributeFile("order2_paths.csv")}},
		{"choose_order_with_model", "", []string{"--choose-order", "2", "--model", "markov", attributeFile("journeys.csv")}},
		{"disagreement_json", "", []string{"--model", "all", "--disagreement", "--json", journeys}},
		{"disagreement_needs_all", "", []string{"--model", "linear", "--disagreement", journeys}},
		{"lift_table", "", []string{"--model", "last_touch", "--format", "paths", "--lift", attributeFile("lift.csv"), paths}},
		{"lift_json", "", []string{"--model", "last_touch", "--format", "paths", "--lift", attributeFile("lift.csv"), "--json", paths}},
		{"lift_period", "", []string{"--model", "first_touch", "--period", "2026-01-01..2026-01-31", "--lift", attributeFile("lift_jan.csv"), journeys}},
		{"bad_period", "", []string{"--model", "first_touch", "--period", "2026-01-31..2026-01-01", journeys}},
		{"lift_needs_model", "", []string{"--model", "all", "--lift", attributeFile("lift.csv"), paths}},
		{"channel_fold_json", "", []string{"--model", "last_touch", "--channel-fold", "--json", attributeFile("mixed_case.csv")}},
		{"bad_spend", "", []string{"--model", "linear", "--spend", attributeFile("bad_spend.csv"), journeys}},
		{"spend_period", "", []string{"--model", "first_touch", "--period", "2026-01-01..2026-01-31", "--spend", attributeFile("spend_periods.csv"), journeys}},
		{"spend_straddle", "", []string{"--model", "first_touch", "--period", "2026-01-01..2026-01-31", "--spend", attributeFile("spend_straddle.csv"), journeys}},
		{"missing_file", "", []string{"--model", "linear", attributeFile("nope.csv")}},
		{"unknown_model", "", []string{"--model", "magic", journeys}},
		{"time_decay_on_paths", "", []string{"--model", "time_decay", "--format", "paths", paths}},
		{"bad_order", "", []string{"--model", "markov", "--order", "0", paths}},
		{"bad_half_life", "", []string{"--model", "time_decay", "--half-life", "soon", journeys}},
		{"no_file", "", []string{"--model", "linear"}},
	}
	checkGolden(t, "attribute", filepath.Join("testdata", "attribute"), *updateAttribute, tests)
}

func TestAttributeExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stderrHas  string
		stdoutWant string
	}{
		// A bad row: exit 1 with FILE:LINE:COLUMN: field: message.
		{"bad row", []string{"--model", "linear", attributeFile("bad_row.csv")}, exitFindings,
			attributeFile("bad_row.csv") + `:3:7: value_minor: "12.5" is not an integer (minor units)`, ""},
		{"bad flag", []string{"--model", "linear", "--format", "xml", attributeFile("journeys.csv")}, exitUsage, `--format "xml"`, ""},
		{"unknown flag", []string{"--colour", attributeFile("journeys.csv")}, exitUsage, "flag provided but not defined", ""},
		{"help", []string{"-h"}, exitOK, "period,channel,category,amount", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", append([]string{"attribute"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderrHas)
			}
			if stdout != tt.stdoutWant {
				t.Errorf("stdout %q", stdout)
			}
		})
	}
}

// TestAttributeJSONValues checks the JSON numbers against hand arithmetic.
//
// paths.csv is a > b (2 conv, 300), a (2 null), b (1 conv 60, 1 null),
// b > a (1 conv, 40). Order-1 chain: removal effects a 11/20, b 4/5; value
// removal effects a 0.46, b 0.92 (worked in the attribution package's
// markov_test.go). Conversions 4: a 4·0.55/1.35, b 4·0.8/1.35. Value 400:
// a 400·0.46/1.38 = 133.33, b 266.67; in whole cents by largest remainder
// a 133 and b 267 (b's remainder .67 takes the cent left over), 400 in all.
//
// spend.csv: a 150 (January, marketing) + 50 (February, sales) = 200, b 0,
// tv 500. The returns are engine.Returns on the credited money (a 133, b 267
// minor units): a ROI (133−200)/200 = −0.335 (revenue.ROI: (revenue − cost)
// / cost, Farris et al.), ROAS 133/200 = 0.665, cost per credited conversion
// 200/(4·0.55/1.35) = 122.727…; b: cost 0 → no ROI, ROAS or CAC; tv: no
// journey touches it → value 0, ROI (0−500)/500 = −1, ROAS 0, and a
// spend_without_journeys warning.
func TestAttributeJSONValues(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "attribute", "--model", "markov", "--format", "paths", "--json",
		"--spend", attributeFile("spend.csv"), attributeFile("paths.csv"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got attributeReport
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	usd := func(n int64) money.Money { return money.New(n, "USD") }
	if got.Result == nil || got.Model != "markov" || got.TotalConversions != 4 || got.TotalValue != usd(400) || len(got.Channels) != 2 || len(got.Returns) != 3 {
		t.Fatalf("got %+v", got)
	}
	near := func(what string, p *float64, want float64) {
		t.Helper()
		if p == nil || math.Abs(*p-want) > 1e-9 {
			t.Errorf("%s = %v, want %g", what, p, want)
		}
	}
	a, b := got.Channels[0], got.Channels[1]
	if a.Channel != "a" || b.Channel != "b" {
		t.Fatalf("channels %q %q", a.Channel, b.Channel)
	}
	near("a conversions", &a.Conversions, 4*0.55/1.35)
	near("a value", &a.ValueMinor, 400*0.46/1.38)
	near("a share", &a.Share, 0.55/1.35)
	near("a removal effect", &a.RemovalEffect, 0.55)
	near("b conversions", &b.Conversions, 4*0.8/1.35)
	near("b value", &b.ValueMinor, 400*0.92/1.38)
	near("b removal effect", &b.RemovalEffect, 0.8)
	if a.Value != usd(133) || b.Value != usd(267) {
		t.Errorf("money values %v, %v; want USD 1.33, USD 2.67", a.Value, b.Value)
	}
	ra, rb, rtv := got.Returns[0], got.Returns[1], got.Returns[2]
	if ra.Key != "a" || rb.Key != "b" || rtv.Key != "tv" {
		t.Fatalf("returns %q %q %q", ra.Key, rb.Key, rtv.Key)
	}
	if ra.Cost != usd(200) || rb.Cost != usd(0) || rtv.Cost != usd(500) {
		t.Errorf("costs %v %v %v", ra.Cost, rb.Cost, rtv.Cost)
	}
	if ra.ROI == nil || ra.ROAS == nil || ra.CAC == nil {
		t.Fatalf("a returns %+v", ra)
	}
	near("a roi", &ra.ROI.Value, (133.0-200)/200)
	near("a roas", &ra.ROAS.Value, 133.0/200)
	near("a cost per conversion", &ra.CAC.Exact, 200/(4*0.55/1.35))
	if ra.CAC.Value != usd(123) {
		t.Errorf("a CAC %v, want USD 1.23 (122.73 rounded)", ra.CAC.Value)
	}
	if rb.ROAS != nil || rb.ROI != nil || rb.CAC != nil {
		t.Errorf("b has zero cost but %+v", rb)
	}
	if rtv.Value != usd(0) || rtv.ROI == nil || rtv.ROI.Value != -1 || rtv.ROAS == nil || rtv.ROAS.Value != 0 || rtv.CAC != nil {
		t.Errorf("tv has no journeys but %+v", rtv)
	}
	if len(got.Warnings) != 1 || got.Warnings[0].Code != attribution.WarnSpendWithoutJourneys || got.Warnings[0].Channel != "tv" {
		t.Errorf("warnings %+v", got.Warnings)
	}
	if want := "revengine attribute: warning: spend of USD 5.00 on channel \"tv\", which no journey touches: it earns nothing (ROI -1)\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

// TestAttributeJSONRoundTrip decodes the CLI's --json output into the
// library's own types and compares it with what the library returns for
// the same input: the CLI prints exactly the library's encoding.
func TestAttributeJSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	read := func(t *testing.T, file string, paths bool) *attribution.Aggregate {
		t.Helper()
		f, err := os.Open(attributeFile(file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var agg *attribution.Aggregate
		if paths {
			agg, err = attribution.ReadPaths(ctx, f, file)
		} else {
			agg, err = attribution.ReadTouches(ctx, f, file)
		}
		if err != nil {
			t.Fatal(err)
		}
		return agg
	}
	run := func(t *testing.T, agg *attribution.Aggregate, name string, opts ...attribution.ModelOption) *attribution.Result {
		t.Helper()
		m, err := attribution.ModelByName(name, opts...)
		if err != nil {
			t.Fatal(err)
		}
		res, err := attribution.Run(ctx, agg, m)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cli := func(t *testing.T, into any, args ...string) {
		t.Helper()
		code, stdout, stderr := runCLI(t, "", append([]string{"attribute", "--json"}, args...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		dec := json.NewDecoder(strings.NewReader(stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(into); err != nil {
			t.Fatalf("decoding %s: %v", stdout, err)
		}
	}
	touches, paths := read(t, "journeys.csv", false), read(t, "paths.csv", true)

	t.Run("w_shaped", func(t *testing.T) {
		var got attribution.Result
		cli(t, &got, "--model", "w_shaped", attributeFile("journeys.csv"))
		if diff := cmp.Diff(run(t, touches, "w_shaped"), &got); diff != "" {
			t.Errorf("CLI JSON vs library (-library +cli):\n%s", diff)
		}
	})
	t.Run("markov order 2 share", func(t *testing.T) {
		var got attribution.Result
		cli(t, &got, "--model", "markov", "--order", "2", "--markov-value", "share", "--format", "paths", attributeFile("paths.csv"))
		want := run(t, paths, "markov", attribution.WithOrder(2), attribution.WithMarkovValue(attribution.ShareValue))
		if diff := cmp.Diff(want, &got); diff != "" {
			t.Errorf("CLI JSON vs library (-library +cli):\n%s", diff)
		}
	})
	t.Run("spend", func(t *testing.T) {
		var got attributeReport
		cli(t, &got, "--model", "markov", "--format", "paths", "--spend", attributeFile("spend.csv"), attributeFile("paths.csv"))
		f, err := os.Open(attributeFile("spend.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		spend, err := record.ReadSpend(ctx, f, "spend.csv")
		if err != nil {
			t.Fatal(err)
		}
		want, err := newAttributeReport(run(t, paths, "markov"), spend)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, &got); diff != "" {
			t.Errorf("CLI JSON vs library (-library +cli):\n%s", diff)
		}
	})
	t.Run("all", func(t *testing.T) {
		var got []*attribution.Result
		cli(t, &got, "--model", "all", attributeFile("journeys.csv"))
		var want []*attribution.Result
		for _, name := range attribution.Models() {
			want = append(want, run(t, touches, name))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CLI JSON vs library (-library +cli):\n%s", diff)
		}
	})
}

// TestAttributeFlags covers the flags whose grammar changed: durations in
// the module's grammar, --lookback still taking days, --currency.
func TestAttributeFlags(t *testing.T) {
	journeys := attributeFile("journeys.csv")
	table := func(t *testing.T, args ...string) string {
		t.Helper()
		code, stdout, stderr := runCLI(t, "", append([]string{"attribute"}, args...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return stdout
	}
	// 24h, 1d and 1440m are the same half-life.
	want := table(t, "--model", "time_decay", "--half-life", "24h", journeys)
	for _, hl := range []string{"1d", "1440m", "0.5d12h"} {
		if got := table(t, "--model", "time_decay", "--half-life", hl, journeys); got != want {
			t.Errorf("--half-life %s:\n%s\nwant (24h):\n%s", hl, got, want)
		}
	}
	// --lookback 10 (days, as before) is --lookback 10d and 240h.
	want = table(t, "--model", "first_touch", "--lookback", "10", journeys)
	for _, lb := range []string{"10d", "240h", "1w3d"} {
		if got := table(t, "--model", "first_touch", "--lookback", lb, journeys); got != want {
			t.Errorf("--lookback %s:\n%s\nwant (10):\n%s", lb, got, want)
		}
	}
	// --currency EUR: the same figures, in EUR.
	code, stdout, stderr := runCLI(t, "", "attribute", "--model", "linear", "--currency", "EUR", "--json", journeys)
	if code != exitOK || !strings.Contains(stdout, `"currency": "EUR"`) || strings.Contains(stdout, "USD") {
		t.Errorf("--currency EUR: exit %d, %s%s", code, stdout, stderr)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"half-life go syntax", []string{"--model", "time_decay", "--half-life", "1h0m0.5ms", journeys}, `--half-life: "1h0m0.5ms" is not a positive duration`},
		{"half-life zero", []string{"--model", "time_decay", "--half-life", "0d", journeys}, `--half-life: "0d" is not a positive duration`},
		{"lookback negative", []string{"--model", "linear", "--lookback", "-1", journeys}, "--lookback -1: want 0 or more days"},
		{"lookback bad unit", []string{"--model", "linear", "--lookback", "3y", journeys}, `--lookback "3y": want a duration`},
		{"lookback on paths", []string{"--model", "linear", "--lookback", "2w", "--format", "paths", journeys}, "--lookback needs touch times"},
		{"currency", []string{"--model", "linear", "--currency", "usd", journeys}, `--currency "usd": want an ISO 4217 code`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", append([]string{"attribute"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
	// Values in another currency than --currency are a line error.
	in := "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time,currency\n" +
		"j1,2026-01-01T00:00:00Z,email,0,0,1,100,2026-01-02T00:00:00Z,EUR\n"
	code, _, stderr = runCLI(t, in, "attribute", "--model", "linear", "-")
	if code != exitFindings || !strings.Contains(stderr, `<stdin>:2:9: currency: "EUR", but the input is in USD`) {
		t.Errorf("EUR row with --currency USD: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, in, "attribute", "--model", "linear", "--currency", "EUR", "-"); code != exitOK {
		t.Errorf("EUR row with --currency EUR: exit %d, %s", code, stderr)
	}
}

// TestAttributeParquet: journeys.parquet holds the rows of journeys.csv
// (in row groups of 5); every model prints the same table from both.
func TestAttributeParquet(t *testing.T) {
	for _, args := range [][]string{{"--model", "all"}, {"--model", "markov", "--json"}, {"--model", "all", "--grouped"}} {
		code, csvOut, stderr := runCLI(t, "", append(append([]string{"attribute"}, args...), attributeFile("journeys.csv"))...)
		if code != exitOK {
			t.Fatalf("csv: exit %d: %s", code, stderr)
		}
		code, pqOut, stderr := runCLI(t, "", append(append([]string{"attribute", "--format", "parquet"}, args...), attributeFile("journeys.parquet"))...)
		if code != exitOK {
			t.Fatalf("parquet: exit %d: %s", code, stderr)
		}
		if pqOut != csvOut {
			t.Errorf("%v: parquet output differs from csv:\n%s\n---\n%s", args, pqOut, csvOut)
		}
	}
	code, _, stderr := runCLI(t, "", "attribute", "--model", "linear", "--format", "parquet", "-")
	if code != exitUsage || !strings.Contains(stderr, "not standard input") {
		t.Errorf("parquet from stdin: exit %d, %s", code, stderr)
	}
}

// TestAttributeShuffled: journeys_shuffled.csv holds the rows of
// journeys.csv in another order (journeys interleaved, touches out of time
// order); every model prints exactly what it prints for the grouped file
// read in the strict mode.
func TestAttributeShuffled(t *testing.T) {
	for _, args := range [][]string{{"--model", "all"}, {"--model", "all", "--json"}, {"--model", "time_decay", "--lookback", "10"}} {
		code, want, stderr := runCLI(t, "", append(append([]string{"attribute", "--grouped"}, args...), attributeFile("journeys.csv"))...)
		if code != exitOK {
			t.Fatalf("grouped: exit %d: %s", code, stderr)
		}
		code, got, stderr := runCLI(t, "", append(append([]string{"attribute"}, args...), attributeFile("journeys_shuffled.csv"))...)
		if code != exitOK {
			t.Fatalf("shuffled: exit %d: %s", code, stderr)
		}
		if got != want {
			t.Errorf("%v: shuffled output differs:\n%s\n---\n%s", args, got, want)
		}
	}
}
