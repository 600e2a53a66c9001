package revbeam

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func positionedLead(l ScoredLead) string { return fmt.Sprintf("%s\t%09d\t%s", l.File, l.Line, l.JSON) }
func positionedReject(r Reject) string {
	return fmt.Sprintf("%s\t%09d\t%s", r.File, r.Line, r.String())
}

func init() {
	register.Function1x1[ScoredLead, string](positionedLead)
	register.Function1x1[Reject, string](positionedReject)
}

// unposition drops the sort prefix of positionedLead/positionedReject.
func unposition(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l[strings.IndexByte(l[strings.IndexByte(l, '\t')+1:], '\t')+strings.IndexByte(l, '\t')+2:]
	}
	return out
}

const badLeads = `{"id":"X1","email":"ana@fintech-co.com","domain":"fintech-co.com","company_size":2400,"industry":"fintech","country":"US","seniority":"vp"}
{"id":"X2", "email": 
{"id":"X3","company_size":12}
{"id":"X4","email":"bo@acme.io","company_size":"big"}

{"id":"X5","email":"cy@gmail.com","domain":"gmail.com","company_size":3}
`

// revengineScore runs the root module's CLI: `revengine score`, the
// single-process reference, and returns its result lines and reject lines.
func revengineScore(t *testing.T, rules, at, file string, flags ...string) (stdout, rejects []string, summary string) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("SKIP: no go command to run the revengine CLI: %v", err)
	}
	args := append([]string{"run", "./cmd/revengine", "score", "--rules", rules, "--at", at}, flags...)
	cmd := exec.Command("go", append(args, file)...)
	cmd.Dir = "../.."
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	_ = cmd.Run() // exit status 1 when a lead is rejected
	// Standard error: the rejects, then "N read, N scored, N rejected"
	// (then go run's "exit status 1").
	errLines := strings.Split(strings.TrimRight(e.String(), "\n"), "\n")
	k := slices.IndexFunc(errLines, func(l string) bool { return strings.HasSuffix(l, " rejected") })
	if k < 0 {
		t.Fatalf("revengine score: %s", e.String())
	}
	summary, rejects = errLines[k], errLines[:k]
	return strings.Split(strings.TrimRight(o.String(), "\n"), "\n"), rejects, summary
}

// Scoring on prism writes, for each file, the lines `revengine score`
// writes, and the same rejects; the counters say read = scored + rejected.
func TestScoreEqualsCLI(t *testing.T) {
	requirePrism(t)
	dir := t.TempDir()
	rulesPath, _ := filepath.Abs("../../examples/quickstart/rules.yaml")
	src, err := os.ReadFile(rulesPath)
	if err != nil {
		t.Fatal(err)
	}
	leadsSrc, err := os.ReadFile("../../examples/quickstart/leads.json")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"a-leads.json": leadsSrc, "b-bad.jsonl": []byte(badLeads)}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const at = "2026-11-23T09:00:00Z"
	var wantScored, wantRejects []string
	var read, scored, rejected int64
	for _, name := range []string{"a-leads.json", "b-bad.jsonl"} {
		o, r, sum := revengineScore(t, rulesPath, at, filepath.Join(dir, name))
		wantScored = append(wantScored, o...)
		wantRejects = append(wantRejects, r...)
		var a, b, c int64
		if _, err := fmt.Sscanf(sum, "%d read, %d scored, %d rejected", &a, &b, &c); err != nil {
			t.Fatalf("summary %q: %v", sum, err)
		}
		read, scored, rejected = read+a, scored+b, rejected+c
	}
	// The bad file: X2 (broken JSON), X3 (no email, required), X4 (a
	// string for an int) are rejected; X1 and X5 are scored.
	if len(wantRejects) != 3 {
		t.Fatalf("the CLI rejected %q, want 3 leads", wantRejects)
	}

	rules, err := NewRules(rulesPath, src)
	if err != nil {
		t.Fatal(err)
	}
	atT, _ := time.Parse(time.RFC3339, at)
	p, s := beam.NewPipelineWithRoot()
	out := Score(s, rules, atT, ReadFiles(s, filepath.Join(dir, "*")))
	sp := write(s, t.TempDir(), "scored.txt", SortedText(s, beam.ParDo(s, positionedLead, out.Scored)))
	rp := write(s, t.TempDir(), "rejects.txt", SortedText(s, beam.ParDo(s, positionedReject, out.Rejects)))
	counters := run(t, p)
	gotScored, gotRejects := unposition(readLines(t, sp)), unposition(readLines(t, rp))
	if !slices.Equal(gotScored, wantScored) {
		t.Errorf("scored lines differ from revengine score:\n got %d lines, first %.300q\nwant %d lines, first %.300q",
			len(gotScored), first(gotScored), len(wantScored), first(wantScored))
		for i := range min(len(gotScored), len(wantScored)) {
			if gotScored[i] != wantScored[i] {
				t.Errorf("line %d:\n got %s\nwant %s", i, gotScored[i], wantScored[i])
				break
			}
		}
	}
	if !slices.Equal(gotRejects, wantRejects) {
		t.Errorf("rejects differ from revengine score:\n got %q\nwant %q", gotRejects, wantRejects)
	}
	c := func(name string) int64 { return counters[ScoreNamespace+"/"+name] }
	if c(CounterRead) != read || c(CounterScored) != scored || c(CounterScoreRejected) != rejected {
		t.Errorf("counters read %d, scored %d, rejected %d; revengine score: %d, %d, %d",
			c(CounterRead), c(CounterScored), c(CounterScoreRejected), read, scored, rejected)
	}
	if c(CounterRead) != c(CounterScored)+c(CounterScoreRejected) {
		t.Errorf("read %d != scored %d + rejected %d", c(CounterRead), c(CounterScored), c(CounterScoreRejected))
	}
	if int64(len(gotScored)) != c(CounterScored) || int64(len(gotRejects)) != c(CounterScoreRejected) {
		t.Errorf("%d scored and %d rejected lines written, counters say %d and %d",
			len(gotScored), len(gotRejects), c(CounterScored), c(CounterScoreRejected))
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// A shipped rule set whose bytes do not match its hash is refused by the
// worker, and a bad rules file fails NewRules with its position.
func TestRulesHash(t *testing.T) {
	r, err := NewRules("f.yaml", []byte(funnelRules))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.compile(); err != nil {
		t.Fatal(err)
	}
	r.Src = append([]byte("# changed\n"), r.Src...)
	if _, err := r.compile(); err == nil || !strings.Contains(err.Error(), "hash") {
		t.Errorf("tampered rules: %v, want a hash error", err)
	}
	if _, err := NewRules("bad.yaml", []byte("version: \"1\"\nscores: {fit: {rules: [{id: x, when: 'nope >', points: 1}]}}\n")); err == nil || !strings.Contains(err.Error(), "bad.yaml:") {
		t.Errorf("bad rules: %v, want an error placed in bad.yaml", err)
	}
}

const funnelRules = `version: "1"
name: funnel
fields:
  size: {type: int, default: 0}
scores:
  fit:
    rules:
      - id: big
        when: size >= 100
        points: 50
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 50
`

// Funnel counts of six leads scored on Monday 2026-11-23 (ISO week 48).
// The scoring package's doc: a lead given without a stage starts in the
// first stage and counts as having entered it now, and moves forward to the
// highest stage whose condition holds. So a, b, c (size ≥ 100, fit 50) enter
// mql now; f was already in mql and stays; d and e are new and enter lead.
// mql: 4 leads, 3 entered; lead: 2 leads, 2 entered.
func TestFunnelCounts(t *testing.T) {
	requirePrism(t)
	dir := t.TempDir()
	leads := `{"id":"a","size":200}
{"id":"b","size":300}
{"id":"c","size":150}
{"id":"d","size":10}
{"id":"e","size":5}
{"id":"f","size":500,"stage":"mql","stage_entered_at":"2026-11-01T00:00:00Z"}
`
	if err := os.WriteFile(filepath.Join(dir, "leads.jsonl"), []byte(leads), 0o644); err != nil {
		t.Fatal(err)
	}
	rules, err := NewRules("funnel.yaml", []byte(funnelRules))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	p, s := beam.NewPipelineWithRoot()
	out := Score(s, rules, at, ReadFiles(s, filepath.Join(dir, "*.jsonl")))
	fp := write(s, t.TempDir(), "funnel.jsonl", SortedText(s, FunnelLines(s, FunnelCounts(s, Week, out.Scored))))
	run(t, p)
	got := readLines(t, fp)
	want := []string{
		`{"period":"2026-W48","stage":"lead","leads":2,"entered":2}`,
		`{"period":"2026-W48","stage":"mql","leads":4,"entered":3}`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("funnel:\n got %q\nwant %q", got, want)
	}
}

// Period labels: ISO 8601 weeks (2026 starts on a Thursday, so it has 53
// weeks and 2027-01-01, a Friday, is in 2026-W53), calendar months and days,
// all in UTC.
func TestPeriodLabel(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		p    Period
		t    time.Time
		want string
	}{
		{Week, time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "2026-W53"},
		{Week, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "2026-W01"},
		{Week, time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), "2026-W01"}, // Monday of 2026-W01
		{Month, time.Date(2026, 2, 28, 23, 59, 0, 0, time.UTC), "2026-02"},
		{Day, time.Date(2026, 11, 30, 21, 0, 0, 0, ny), "2026-12-01"}, // 21:00 EST = 02:00 UTC next day
	}
	for _, tt := range tests {
		if got := tt.p.Label(tt.t); got != tt.want {
			t.Errorf("%s of %v = %s, want %s", tt.p, tt.t, got, tt.want)
		}
	}
	if _, err := ParsePeriod("quarter"); err == nil {
		t.Error("ParsePeriod(quarter): no error")
	}
}

// Relaxed rules score a lead with an undeclared key and list it as ignored,
// as `revengine score --strict=false` does; strict rules (the default)
// reject it, as `revengine score` does.
func TestScoreRelaxedEqualsCLI(t *testing.T) {
	requirePrism(t)
	dir := t.TempDir()
	rulesPath, _ := filepath.Abs("../../examples/quickstart/rules.yaml")
	src, err := os.ReadFile(rulesPath)
	if err != nil {
		t.Fatal(err)
	}
	leads := filepath.Join(dir, "leads.jsonl")
	if err := os.WriteFile(leads, []byte(`{"id":"R1","email":"ro@acme.io","employees":5000}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const at = "2026-11-23T09:00:00Z"
	atT, _ := time.Parse(time.RFC3339, at)
	for _, relaxed := range []bool{false, true} {
		wantScored, wantRejects, _ := revengineScore(t, rulesPath, at, leads, fmt.Sprintf("--strict=%v", !relaxed))
		if wantScored[0] == "" {
			wantScored = nil
		}
		rules, err := NewRules(rulesPath, src)
		if err != nil {
			t.Fatal(err)
		}
		rules.Relaxed = relaxed
		p, s := beam.NewPipelineWithRoot()
		out := Score(s, rules, atT, ReadFiles(s, leads))
		sp := write(s, t.TempDir(), "scored.txt", SortedText(s, ScoredLines(s, out.Scored)))
		rp := write(s, t.TempDir(), "rejects.txt", SortedText(s, RejectLines(s, out.Rejects)))
		run(t, p)
		if got := readLines(t, sp); !slices.Equal(got, wantScored) {
			t.Errorf("relaxed %v: scored %q, revengine score printed %q", relaxed, got, wantScored)
		}
		if got := readLines(t, rp); !slices.Equal(got, wantRejects) {
			t.Errorf("relaxed %v: rejects %q, revengine score wrote %q", relaxed, got, wantRejects)
		}
		// One lead: strict rejects it, relaxed scores it.
		if relaxed && (len(wantScored) != 1 || !strings.Contains(wantScored[0], `"ignored":["employees"]`)) ||
			!relaxed && len(wantRejects) != 1 {
			t.Errorf("relaxed %v: the CLI gave scored %q, rejects %q", relaxed, wantScored, wantRejects)
		}
	}
}
