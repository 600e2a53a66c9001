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
		{"ungrouped", "", []string{"--model", "linear", attributeFile("ungrouped.csv")}},
		{"many_errors", "", []string{"--model", "linear", attributeFile("many_errors.csv")}},
		{"bad_spend", "", []string{"--model", "linear", "--spend", attributeFile("bad_spend.csv"), journeys}},
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
		// A bad row: exit 1 with FILE:LINE: message.
		{"bad row", []string{"--model", "linear", attributeFile("bad_row.csv")}, exitFindings,
			attributeFile("bad_row.csv") + `:3: value_minor: "12.5" is not an integer (minor units)`, ""},
		{"bad flag", []string{"--model", "linear", "--format", "xml", attributeFile("journeys.csv")}, exitUsage, `--format "xml"`, ""},
		{"unknown flag", []string{"--colour", attributeFile("journeys.csv")}, exitUsage, "flag provided but not defined", ""},
		{"help", []string{"-h"}, exitOK, "channel,cost_minor", ""},
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
// a 400·0.46/1.38 = 133.33, b 266.67.
//
// spend.csv: a 200, b 0, tv 500. a: ROAS 133.33/200 = 2/3, ROI −1/3,
// cost per conversion 200/(4·0.55/1.35) = 122.73. b: cost 0 → no ROAS or
// ROI, cost per conversion 0. tv: no credit → ROAS 0, ROI −1, no cost per
// conversion.
func TestAttributeJSONValues(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "attribute", "--model", "markov", "--format", "paths", "--json",
		"--spend", attributeFile("spend.csv"), attributeFile("paths.csv"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Model            string `json:"model"`
		TotalConversions int64  `json:"total_conversions"`
		TotalValue       int64  `json:"total_value_minor"`
		Channels         []struct {
			Channel           string   `json:"channel"`
			Conversions       float64  `json:"conversions"`
			Value             float64  `json:"value_minor"`
			Share             float64  `json:"share"`
			RemovalEffect     *float64 `json:"removal_effect"`
			Cost              *int64   `json:"cost_minor"`
			ROAS              *float64 `json:"roas"`
			ROI               *float64 `json:"roi"`
			CostPerConversion *float64 `json:"cost_per_conversion"`
		} `json:"channels"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Model != "markov" || got.TotalConversions != 4 || got.TotalValue != 400 || len(got.Channels) != 3 {
		t.Fatalf("got %+v", got)
	}
	near := func(what string, p *float64, want float64) {
		t.Helper()
		if p == nil || math.Abs(*p-want) > 1e-9 {
			t.Errorf("%s = %v, want %g", what, p, want)
		}
	}
	a, b, tv := got.Channels[0], got.Channels[1], got.Channels[2]
	if a.Channel != "a" || b.Channel != "b" || tv.Channel != "tv" {
		t.Fatalf("channels %q %q %q", a.Channel, b.Channel, tv.Channel)
	}
	near("a conversions", &a.Conversions, 4*0.55/1.35)
	near("a value", &a.Value, 400*0.46/1.38)
	near("a share", &a.Share, 0.55/1.35)
	near("a removal effect", a.RemovalEffect, 0.55)
	near("b conversions", &b.Conversions, 4*0.8/1.35)
	near("b value", &b.Value, 400*0.92/1.38)
	near("b removal effect", b.RemovalEffect, 0.8)
	near("a roas", a.ROAS, (400*0.46/1.38)/200)
	near("a roi", a.ROI, (400*0.46/1.38-200)/200)
	near("a cost per conversion", a.CostPerConversion, 200/(4*0.55/1.35))
	if b.ROAS != nil || b.ROI != nil {
		t.Errorf("b has zero cost but ROAS %v ROI %v", b.ROAS, b.ROI)
	}
	near("b cost per conversion", b.CostPerConversion, 0)
	near("tv roas", tv.ROAS, 0)
	near("tv roi", tv.ROI, -1)
	if tv.CostPerConversion != nil {
		t.Errorf("tv has no conversions but cost per conversion %v", *tv.CostPerConversion)
	}
}
