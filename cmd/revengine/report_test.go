package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateReport = flag.Bool("update-report", false, "rewrite testdata/report/*.golden")

func TestReportCLI(t *testing.T) {
	sampleDir := filepath.Join("..", "..", "examples", "kpis", "data")
	td := filepath.Join("testdata", "report")
	out := filepath.Join(t.TempDir(), "out.html")
	code, stdout, stderr := runCLI(t, "", "report", "-o", out, "--period", "quarter", "--title", "Q1 review",
		"--survey", filepath.Join("..", "..", "examples", "pulse", "pulse.yaml"), "--responses", filepath.Join("..", "..", "examples", "pulse", "responses.csv"),
		"--target", filepath.Join(td, "q1.yaml"), "--actuals", filepath.Join(td, "actuals.csv"), "--at", "2026-03-15",
		"--stages", "lead,mql,sal,sql,opportunity,won", "--rules", filepath.Join(td, "new.yaml"), "--against", filepath.Join(td, "old.yaml"),
		"--leads", filepath.Join(td, "leads.jsonl"), "--outcomes", "outcome", "--band", "25", sampleDir)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("exit %d\nstdout %q\nstderr %s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{
		"<title>Q1 review</title>",
		// 2026-Q1 won revenue: 12,000 + 6,000 + 3,000 (deals.csv) = 21,000.00
		`data-kpi="revenue" data-raw="2100000">USD 21000.00<`,
		// the default comparison models beside linear
		`<th scope="colgroup" colspan="2">linear</th><th scope="colgroup" colspan="2">first_touch</th><th scope="colgroup" colspan="2">last_touch</th><th scope="colgroup" colspan="2">position_based</th>`,
		// pacing of q1.yaml on 2026-03-15: 74 of 90 days; expected
		// 25,000 × 74 / 90 = 20,555.56; actual 12,000 + 6,000 = 18,000.00
		"74 of 90", "<td>USD 20555.56</td>", "<th scope=\"row\">Actual</th><td>USD 18000.00</td>",
		// the March part of the plan: 31 days, 15 elapsed on 2026-03-15
		"15 of 31",
		"Score distribution, fit", "Won rate per score band, fit",
		`details class="drill" data-month="2026-02"`,
		"eNPS, ",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	// Standard output by default, byte for byte the same report.
	code, stdout, _ = runCLI(t, "", "report", "--period", "quarter", "--title", "Q1 review",
		"--survey", filepath.Join("..", "..", "examples", "pulse", "pulse.yaml"), "--responses", filepath.Join("..", "..", "examples", "pulse", "responses.csv"),
		"--target", filepath.Join(td, "q1.yaml"), "--actuals", filepath.Join(td, "actuals.csv"), "--at", "2026-03-15",
		"--stages", "lead,mql,sal,sql,opportunity,won", "--rules", filepath.Join(td, "new.yaml"), "--against", filepath.Join(td, "old.yaml"),
		"--leads", filepath.Join(td, "leads.jsonl"), "--outcomes", "outcome", "--band", "25", sampleDir)
	if code != 0 || stdout != html {
		t.Errorf("stdout report differs from the file (exit %d)", code)
	}
}

func TestReportCLIErrors(t *testing.T) {
	sampleDir := filepath.Join("..", "..", "examples", "kpis", "data")
	td := filepath.Join("testdata", "report")
	checkGolden(t, "report", td, *updateReport, []cliCase{
		{name: "no_input", args: []string{}},
		{name: "bad_compare", args: []string{"--compare", "linear,magic", sampleDir}},
		{name: "target_without_actuals", args: []string{"--target", filepath.Join(td, "q1.yaml"), sampleDir}},
		{name: "leads_without_rules", args: []string{"--leads", filepath.Join(td, "leads.jsonl"), sampleDir}},
		{name: "unknown_period", args: []string{"--for", "2027-01", sampleDir}},
		{name: "bad_rows", args: []string{filepath.Join("testdata", "kpis", "bad")}},
		{name: "bad_at", args: []string{"--at", "15/03/2026", sampleDir}},
	})
}
