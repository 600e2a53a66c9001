package backtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/scoring"
)

var fixtureAt = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func loadFixture(t testing.TB) (oldRules, newRules *scoring.RuleSet, leads []byte) {
	t.Helper()
	var err error
	if oldRules, err = scoring.LoadFile(filepath.Join("testdata", "old.yaml")); err != nil {
		t.Fatal(err)
	}
	if newRules, err = scoring.LoadFile(filepath.Join("testdata", "new.yaml")); err != nil {
		t.Fatal(err)
	}
	if leads, err = os.ReadFile(filepath.Join("testdata", "leads.jsonl")); err != nil {
		t.Fatal(err)
	}
	return oldRules, newRules, leads
}

func fixtureReport(t *testing.T, opts ...Option) *Report {
	t.Helper()
	oldRules, newRules, leads := loadFixture(t)
	rep, err := Run(context.Background(), oldRules, newRules, bytes.NewReader(leads), "leads.jsonl", fixtureAt, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func ptr(f float64) *float64 { return &f }

// The fixture, worked out by hand from testdata/old.yaml and new.yaml.
//
// old: fit = fit field (clamped 0..100); size = size field; grade A ≥ 70,
// B ≥ 50, else C; mql when fit ≥ 50; competitor → disqualified; segment big
// when size ≥ 100; an MQL routes to ana (fixed) when US, else queue inbound.
// new: fit = fit + 5 for FR − 5 for DE (clamped 0..100); intent = 10 for US;
// grade A ≥ 70, B ≥ 60, else C; mql when fit ≥ 60, sql when fit ≥ 90;
// segments big when size ≥ 50 and us when US; an MQL routes to ben when US,
// else inbound. Every lead starts in stage lead, so only a lead entering
// mql in this evaluation is routed.
//
//	line lead  fit  cty size | fit o/n | stage o/n  | grade | route o/n      | segs o / n   | outcome
//	1    L1    40   DE  10   | 40/35   | lead/lead  | C/C   | none/none      | - / -        | lost
//	2    L2    55   US  120  | 55/55   | mql/lead   | B/C   | ana/none       | big / big,us | won
//	3    L3    65   US  60   | 65/65   | mql/mql    | B/B   | ana/ben        | - / big,us   | 5000
//	4    L4    95   FR  200  | 95/100  | mql/sql    | A/A   | inbound/none   | big / big    | true
//	5    L5    30   DE  0    | 30/25   | disq/disq  | C/C   | none/none      | - / -        | false (competitor)
//	6    L6    70   DE  0    | 70/65   | mql/mql    | A/B   | inbound/inb.   | - / -        | open
//	7    L7    fit 1.5: not an int, rejected by both
//	8    (blank: not a lead)
//	9    L8    58   US  0    | 58/58   | mql/lead   | B/C   | ana/none       | - / us       | lost
//	10   L9    52   DE  100  | 52/47   | mql/lead   | B/C   | inbound/none   | big / big    | 1250.5
//	11   {not json: rejected by both
//	12   L10   legacy "yes": only the old rules declare legacy (bool): old only
//	13   L11   tier "gold": only the new rules declare tier (int): new only
//	14   L12   80   US  500  | 80/80   | mql/mql    | A/A   | ana/ben        | big / big,us | won
func TestRunByConstruction(t *testing.T) {
	rep := fixtureReport(t, WithOutcomes("outcome"))

	// 13 leads (14 lines, one blank) = 9 compared + 1 + 1 + 2.
	if diff := cmp.Diff(Counts{Read: 13, Compared: 9, RejectedOldOnly: 1, RejectedNewOnly: 1, RejectedBoth: 2}, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	var lines []int
	for _, r := range rep.Rejected {
		lines = append(lines, r.Line)
	}
	if diff := cmp.Diff([]int{7, 11, 12, 13}, lines); diff != "" {
		t.Errorf("rejected lines (-want +got):\n%s", diff)
	}
	if r := rep.Rejected[2]; r.Old == nil || r.New != nil || !errors.Is(r.Old, scoring.ErrLead) {
		t.Errorf("line 12: old %v, new %v; want only old, an ErrLead", r.Old, r.New)
	}
	if r := rep.Rejected[3]; r.Old != nil || !errors.Is(r.New, scoring.ErrLead) {
		t.Errorf("line 13: old %v, new %v; want only new, an ErrLead", r.Old, r.New)
	}

	// Stages in file order (sql only in new, after mql), disqualified last.
	wantStages := Matrix{
		Labels: []string{"lead", "mql", "sql", "disqualified"},
		Counts: [][]int{
			{1, 0, 0, 0}, // lead → lead: L1
			{3, 3, 1, 0}, // mql → lead: L2 L8 L9; mql → mql: L3 L6 L12; mql → sql: L4
			{0, 0, 0, 0},
			{0, 0, 0, 1}, // L5
		},
		Changed: 4,
	}
	if diff := cmp.Diff(wantStages, rep.Stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	if got := rep.Stages.Count("mql", "lead"); got != 3 {
		t.Errorf("Count(mql, lead) = %d, want 3", got)
	}
	if got, want := rep.Stages.OldTotal("mql"), 7; got != want {
		t.Errorf("OldTotal(mql) = %d, want %d", got, want)
	}
	if got, want := rep.Stages.NewTotal("lead"), 4; got != want {
		t.Errorf("NewTotal(lead) = %d, want %d", got, want)
	}

	wantGrades := Matrix{
		Labels: []string{"A", "B", "C"},
		Counts: [][]int{
			{2, 1, 0}, // A → A: L4 L12; A → B: L6
			{0, 1, 3}, // B → B: L3; B → C: L2 L8 L9
			{0, 0, 2}, // C → C: L1 L5
		},
		Changed: 4,
	}
	if diff := cmp.Diff(wantGrades, rep.Grades); diff != "" {
		t.Errorf("grades (-want +got):\n%s", diff)
	}

	wantRoutes := Matrix{
		Labels: []string{"ana", "ben", "inbound", "none"},
		Counts: [][]int{
			{0, 2, 0, 2}, // ana → ben: L3 L12; ana → none: L2 L8
			{0, 0, 0, 0},
			{0, 0, 1, 2}, // inbound → inbound: L6; inbound → none: L4 L9
			{0, 0, 0, 2}, // L1 L5
		},
		Changed: 6,
	}
	if diff := cmp.Diff(wantRoutes, rep.Routes); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}

	// fit old sorted: 30 40 52 55 58 65 70 80 95, sum 545; nearest rank with
	// n = 9: p10 → k = ⌈0.9⌉ = 1, median → ⌈4.5⌉ = 5, p90 → ⌈8.1⌉ = 9.
	// fit new sorted: 25 35 47 55 58 65 65 80 100, sum 530.
	// Moves: up L4; down L1 L5 L6 L9; unchanged L2 L3 L8 L12.
	// size (old only) sorted: 0 0 0 10 60 100 120 200 500, sum 990.
	// intent (new only): 10 for L2 L3 L8 L12, else 0: sum 40, x5 = 0.
	// Models in merged file order: fit, then intent (new only, after fit,
	// its predecessor in the new file), then size.
	wantScores := []ScoreDiff{
		{
			Model: "fit",
			Old:   &Distribution{Count: 9, Mean: 545.0 / 9, Min: 30, P10: 30, Median: 58, P90: 95, Max: 95},
			New:   &Distribution{Count: 9, Mean: 530.0 / 9, Min: 25, P10: 25, Median: 58, P90: 100, Max: 100},
			Moves: &Moves{Up: 1, Down: 4, Unchanged: 4},
			Bands: []Band{
				{20, 30, 0, 1}, {30, 40, 1, 1}, {40, 50, 1, 1}, {50, 60, 3, 2}, {60, 70, 1, 2},
				{70, 80, 1, 0}, {80, 90, 1, 1}, {90, 100, 1, 0}, {100, 110, 0, 1},
			},
		},
		{
			Model: "intent",
			New:   &Distribution{Count: 9, Mean: 40.0 / 9, Min: 0, P10: 0, Median: 0, P90: 10, Max: 10},
			Bands: []Band{{0, 10, 0, 5}, {10, 20, 0, 4}},
		},
		{
			Model: "size",
			Old:   &Distribution{Count: 9, Mean: 110, Min: 0, P10: 0, Median: 60, P90: 500, Max: 500},
			Bands: []Band{{0, 10, 3, 0}, {10, 20, 1, 0}, {60, 70, 1, 0}, {100, 110, 1, 0}, {120, 130, 1, 0}, {200, 210, 1, 0}, {500, 510, 1, 0}},
		},
	}
	if diff := cmp.Diff(wantScores, rep.Scores); diff != "" {
		t.Errorf("scores (-want +got):\n%s", diff)
	}

	// big: old size ≥ 100: L2 L4 L9 L12; new size ≥ 50 adds L3.
	// us: new only: L2 L3 L8 L12.
	wantSegments := []SegmentDiff{
		{Segment: "big", Old: 4, New: 5, Gained: 1},
		{Segment: "us", Old: 0, New: 4, Gained: 4},
	}
	if diff := cmp.Diff(wantSegments, rep.Segments); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}

	// Outcomes: L1 lost, L2 won, L3 5000 (won), L4 true (won), L5 false
	// (lost), L6 open (none), L8 lost, L9 1250.5 (won), L12 won.
	// old mql: L2 L3 L4 L6 L8 L9 L12: 7 leads, 6 with an outcome (not L6),
	// 5 won → 5/6; revenue 5000 + 1250.5 = 6250.5.
	// new lead: L1 L2 L8 L9: 4, 4, won L2 L9 → 2/4 = 0.5, revenue 1250.5.
	// new mql: L3 L6 L12: 3 leads, 2 with, 2 won → 1, revenue 5000.
	st := func(leads, with, won int, rate *float64, rev float64) OutcomeStats {
		return OutcomeStats{Leads: leads, WithOutcome: with, Won: won, ConversionRate: rate, Revenue: rev}
	}
	zero := st(0, 0, 0, nil, 0)
	wantOutcomes := &Outcomes{
		Field: "outcome",
		Model: "fit",
		Stages: []StageOutcome{
			{"lead", st(1, 1, 0, ptr(0), 0), st(4, 4, 2, ptr(0.5), 1250.5)},
			{"mql", st(7, 6, 5, ptr(5.0/6), 6250.5), st(3, 2, 2, ptr(1), 5000)},
			{"sql", zero, st(1, 1, 1, ptr(1), 0)},
			{"disqualified", st(1, 1, 0, ptr(0), 0), st(1, 1, 0, ptr(0), 0)},
		},
		// old [50,60): L9 52, L2 55, L8 58: 3 with outcome, won L2 L9 → 2/3.
		// new [50,60): L2 55, L8 58 → 1/2; new [40,50): L9 47.
		// new [60,70): L3 65, L6 65: 1 with outcome, won → 1.
		Bands: []BandOutcome{
			{20, 30, zero, st(1, 1, 0, ptr(0), 0)},
			{30, 40, st(1, 1, 0, ptr(0), 0), st(1, 1, 0, ptr(0), 0)},
			{40, 50, st(1, 1, 0, ptr(0), 0), st(1, 1, 1, ptr(1), 1250.5)},
			{50, 60, st(3, 3, 2, ptr(2.0/3), 1250.5), st(2, 2, 1, ptr(0.5), 0)},
			{60, 70, st(1, 1, 1, ptr(1), 5000), st(2, 1, 1, ptr(1), 5000)},
			{70, 80, st(1, 0, 0, nil, 0), zero},
			{80, 90, st(1, 1, 1, ptr(1), 0), st(1, 1, 1, ptr(1), 0)},
			{90, 100, st(1, 1, 1, ptr(1), 0), zero},
			{100, 110, zero, st(1, 1, 1, ptr(1), 0)},
		},
	}
	if diff := cmp.Diff(wantOutcomes, rep.Outcomes); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}

	if rep.Old.Version != "1" || rep.New.Version != "2" || rep.Old.Name != "backtest-fixture" ||
		!strings.HasPrefix(rep.Old.Hash, "sha256:") || rep.Old.Hash == rep.New.Hash {
		t.Errorf("rule set info: old %+v, new %+v", rep.Old, rep.New)
	}
}

// TestRunCountsAddUp checks Read = Compared + the three rejection counts,
// and that the matrices hold every compared lead, for several inputs.
func TestRunCountsAddUp(t *testing.T) {
	oldRules, newRules, leads := loadFixture(t)
	tests := []struct {
		name  string
		input string
		read  int
	}{
		{"fixture", string(leads), 13},
		{"empty", "", 0},
		{"blank lines only", "\n\n  \n", 0},
		{"all bad", "x\n[\n{\n", 3},
		{"null and number", "null\n42\n\"s\"\n", 3},
		{"array", "[\n" + `{"fit": 50},` + "\n" + `{"fit": "x"},` + "\n7\n]", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Run(context.Background(), oldRules, newRules, strings.NewReader(tt.input), "leads.jsonl", fixtureAt, WithOutcomes("outcome"))
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Counts
			if c.Read != tt.read || c.Compared+c.RejectedOldOnly+c.RejectedNewOnly+c.RejectedBoth != c.Read {
				t.Errorf("counts %+v: want read %d = compared + rejected", c, tt.read)
			}
			if len(rep.Rejected) != c.Read-c.Compared {
				t.Errorf("%d rejections, want %d", len(rep.Rejected), c.Read-c.Compared)
			}
			for _, m := range []Matrix{rep.Stages, rep.Grades, rep.Routes} {
				n := 0
				for _, row := range m.Counts {
					for _, x := range row {
						n += x
					}
				}
				if n != c.Compared {
					t.Errorf("matrix %v holds %d leads, want %d", m.Labels, n, c.Compared)
				}
			}
		})
	}
}

// TestRunArrayLines: the same leads as a JSON array, one element per line
// after the "[" line, are numbered by the line each starts on.
func TestRunArrayLines(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	input := "[\n" +
		`{"id":"a","fit":55},` + "\n" + // line 2: moves mql → lead (55 < 60)
		`{"id":"b","fit":1.5},` + "\n" + // line 3: rejected by both
		"\n" +
		`  {"id":"c",` + "\n" + `"fit":65}` + "\n" + // line 5: starts there, spans two lines
		"]\n"
	rep, err := Run(context.Background(), oldRules, newRules, strings.NewReader(input), "leads.jsonl", fixtureAt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts.Read != 3 || rep.Counts.Compared != 2 || rep.Counts.RejectedBoth != 1 {
		t.Errorf("counts %+v", rep.Counts)
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
		t.Errorf("rejected %+v, want line 3", rep.Rejected)
	}
	if rep.Stages.Count("mql", "lead") != 1 || rep.Stages.Count("mql", "mql") != 1 {
		t.Errorf("stages %v", rep.Stages.Counts)
	}
}

func TestRunLeads(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	leads := []map[string]any{
		{"id": "a", "fit": 40.0, "won": false}, // lead/lead
		{"id": "b", "fit": 55.0, "won": true},  // mql → lead
		nil,                                    // 3: rejected by both
		{"id": "d", "fit": 65.0, "won": 900},   // mql/mql, revenue 900 (an int from Go)
	}
	rep, err := RunLeads(context.Background(), oldRules, newRules, leads, fixtureAt, WithOutcomes("won"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts != (Counts{Read: 4, Compared: 3, RejectedBoth: 1}) || rep.Rejected[0].Line != 3 {
		t.Errorf("counts %+v, rejected %+v", rep.Counts, rep.Rejected)
	}
	// old mql: b (won), d (900, won) → 2/2, revenue 900; new mql: d only.
	mql := rep.Outcomes.Stages[1]
	if mql.Stage != "mql" || mql.Old.Won != 2 || mql.Old.Revenue != 900 || mql.New.Leads != 1 || *mql.New.ConversionRate != 1 {
		t.Errorf("mql outcomes %+v", mql)
	}
}

func TestReadOutcome(t *testing.T) {
	tests := []struct {
		name    string
		value   any
		want    outcome
		wantErr bool
	}{
		{"won", "won", outcome{known: true, won: true}, false},
		{"Won in capitals", " Won ", outcome{known: true, won: true}, false},
		{"lost", "lost", outcome{known: true}, false},
		{"open", "open", outcome{}, false},
		{"empty string", "", outcome{}, false},
		{"null", nil, outcome{}, false},
		{"true", true, outcome{known: true, won: true}, false},
		{"false", false, outcome{known: true}, false},
		{"revenue", 1250.5, outcome{known: true, won: true, revenue: 1250.5}, false},
		{"zero revenue is lost", 0.0, outcome{known: true}, false},
		{"negative revenue is lost", -10.0, outcome{known: true, revenue: -10}, false},
		{"json number", json.Number("12"), outcome{known: true, won: true, revenue: 12}, false},
		{"too large", 1e300, outcome{}, true},
		{"other string", "maybe", outcome{}, true},
		{"object", map[string]any{}, outcome{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readOutcome(map[string]any{"o": tt.value}, "o")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				var oe *OutcomeError
				if !errors.Is(err, ErrOutcome) || !errors.As(err, &oe) || oe.Field != "o" {
					t.Errorf("err = %#v, want an *OutcomeError for field o", err)
				}
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if got, err := readOutcome(map[string]any{}, "o"); err != nil || got != (outcome{}) {
		t.Errorf("missing field: %+v, %v", got, err)
	}
}

// An invalid outcome rejects the lead on both sides; without outcomes the
// same lead is compared.
func TestRunInvalidOutcome(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	input := `{"fit": 50, "outcome": "maybe"}` + "\n"
	rep, err := Run(context.Background(), oldRules, newRules, strings.NewReader(input), "leads.jsonl", fixtureAt, WithOutcomes("outcome"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts.RejectedBoth != 1 || !errors.Is(rep.Rejected[0].Old, ErrOutcome) {
		t.Errorf("counts %+v, rejected %+v", rep.Counts, rep.Rejected)
	}
	// Without outcomes, "outcome" is a key neither rules file declares:
	// strict rules reject the lead, relaxed rules compare it.
	rep, err = Run(context.Background(), oldRules, newRules, strings.NewReader(input), "leads.jsonl", fixtureAt)
	if err != nil || rep.Counts.RejectedBoth != 1 || !errors.Is(rep.Rejected[0].Old, scoring.ErrLead) {
		t.Errorf("without outcomes, strict: %+v, %v", rep.Counts, err)
	}
	relaxed := func(path string) *scoring.RuleSet {
		rs, err := scoring.LoadFile(path, scoring.Strict(false))
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	rep, err = Run(context.Background(), relaxed("testdata/old.yaml"), relaxed("testdata/new.yaml"), strings.NewReader(input), "leads.jsonl", fixtureAt)
	if err != nil || rep.Counts.Compared != 1 {
		t.Errorf("without outcomes, relaxed: %+v, %v", rep.Counts, err)
	}
}

func TestRunOptionErrors(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	tests := []struct {
		name string
		old  *scoring.RuleSet
		opts []Option
	}{
		{"zero band", oldRules, []Option{WithBandWidth(0)}},
		{"negative band", oldRules, []Option{WithBandWidth(-5)}},
		{"NaN band", oldRules, []Option{WithBandWidth(math.NaN())}},
		{"infinite band", oldRules, []Option{WithBandWidth(math.Inf(1))}},
		{"model in old only", oldRules, []Option{WithOutcomes("o"), WithOutcomeModel("size")}},
		{"unknown model", oldRules, []Option{WithOutcomes("o"), WithOutcomeModel("nope")}},
		{"nil rules", nil, nil},
		{"zero max bytes", oldRules, []Option{MaxLineBytes(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), tt.old, newRules, strings.NewReader(""), "leads.jsonl", fixtureAt, tt.opts...)
			if !errors.Is(err, ErrOption) {
				t.Errorf("err = %v, want ErrOption", err)
			}
		})
	}
}

func TestRunInputErrors(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	tests := []struct {
		name       string
		input      string
		line, col  int
		msgContain string
	}{
		{"syntax in array", "[\n{\"fit\": 1},\n{\"fit\" 2}\n]", 3, 8, "invalid JSON array"},
		{"unclosed array", "[\n{\"fit\": 1}", 2, 11, "unexpected end"},
		{"data after array", "[{\"fit\": 1}]\n {}", 2, 2, "after the closing"},
		{"missing comma", "[{\"fit\": 1}\n  {\"fit\": 2}]", 2, 3, "invalid JSON array"},
		{"leading comma", "[\n , {}]", 2, 2, "invalid JSON array"},
		{"trailing comma", "[{},\n]", 2, 1, "invalid JSON array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), oldRules, newRules, strings.NewReader(tt.input), "leads.jsonl", fixtureAt)
			var ie *scoring.Error
			if !errors.As(err, &ie) || !errors.Is(err, ErrInput) || !errors.Is(err, scoring.ErrSyntax) || ie.File != "leads.jsonl" {
				t.Fatalf("err = %v, want a *scoring.Error matching ErrInput at leads.jsonl", err)
			}
			if ie.Line != tt.line || ie.Column != tt.col || !strings.Contains(ie.Msg, tt.msgContain) {
				t.Errorf("got %d:%d: %s; want %d:%d: …%s…", ie.Line, ie.Column, ie.Msg, tt.line, tt.col, tt.msgContain)
			}
		})
	}
}

func TestRunTooLong(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	long := `{"id":"` + strings.Repeat("x", 200) + `","fit":55}`
	tests := []struct {
		name  string
		input string
	}{
		{"line", `{"fit":55}` + "\n" + long + "\n" + `{"fit":65}` + "\n"},
		{"array element", "[" + `{"fit":55},` + "\n" + long + ",\n" + `{"fit":65}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Run(context.Background(), oldRules, newRules, strings.NewReader(tt.input), "leads.jsonl", fixtureAt, MaxLineBytes(100))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Counts != (Counts{Read: 3, Compared: 2, RejectedBoth: 1}) || rep.Rejected[0].Line != 2 ||
				!errors.Is(rep.Rejected[0].Old, scoring.ErrLineTooLong) {
				t.Errorf("counts %+v, rejected %+v", rep.Counts, rep.Rejected)
			}
		})
	}
	// Far over the bound inside an array: the read stops with an InputError.
	huge := "[" + `{"id":"` + strings.Repeat("x", 100000) + `"}]`
	_, err := Run(context.Background(), oldRules, newRules, strings.NewReader(huge), "leads.jsonl", fixtureAt, MaxLineBytes(100))
	if !errors.Is(err, ErrInput) {
		t.Errorf("huge element: err = %v, want ErrInput", err)
	}
}

// TestRunDeterministic: the JSON of the report is the same byte for byte
// whatever the number of workers.
func TestRunDeterministic(t *testing.T) {
	oldRules, newRules, leads := loadFixture(t)
	var big bytes.Buffer
	for range 50 {
		big.Write(leads)
	}
	var first []byte
	for _, w := range []int{1, 2, 7} {
		rep, err := Run(context.Background(), oldRules, newRules, bytes.NewReader(big.Bytes()), "leads.jsonl", fixtureAt, WithWorkers(w), WithOutcomes("outcome"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Errorf("workers %d: report differs from workers 1", w)
		}
	}
}

func TestRunCanceled(t *testing.T) {
	oldRules, newRules, leads := loadFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, oldRules, newRules, bytes.NewReader(leads), "leads.jsonl", fixtureAt)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestMergeOrder(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []string
	}{
		{"same", []string{"lead", "mql"}, []string{"lead", "mql"}, []string{"lead", "mql"}},
		{"inserted in the middle", []string{"lead", "mql", "sql"}, []string{"lead", "mql", "sal", "sql"}, []string{"lead", "mql", "sal", "sql"}},
		{"new first", []string{"mql"}, []string{"new", "mql"}, []string{"new", "mql"}},
		{"appended", []string{"lead"}, []string{"lead", "x", "y"}, []string{"lead", "x", "y"}},
		{"disjoint", []string{"a", "b"}, []string{"c"}, []string{"c", "a", "b"}},
		{"empty old", nil, []string{"a", "b"}, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, mergeOrder(tt.a, tt.b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDistributionNearestRank(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   Distribution
	}{
		// n = 1: every rank is 1.
		{"one", []float64{7}, Distribution{Count: 1, Mean: 7, Min: 7, P10: 7, Median: 7, P90: 7, Max: 7}},
		// n = 4: p10 k = ⌈0.4⌉ = 1, median k = ⌈2⌉ = 2 (lower middle), p90 k = ⌈3.6⌉ = 4.
		{"four", []float64{4, 1, 3, 2}, Distribution{Count: 4, Mean: 2.5, Min: 1, P10: 1, Median: 2, P90: 4, Max: 4}},
		// n = 10, values 1..10: p10 k = 1, median k = 5, p90 k = 9.
		{"ten", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, Distribution{Count: 10, Mean: 5.5, Min: 1, P10: 1, Median: 5, P90: 9, Max: 10}},
		// n = 11, values 0..10: p10 k = ⌈1.1⌉ = 2 → 1, median k = 6 → 5, p90 k = ⌈9.9⌉ = 10 → 9.
		{"eleven", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Distribution{Count: 11, Mean: 5, Min: 0, P10: 1, Median: 5, P90: 9, Max: 10}},
		// n = 30: 10·30/100 = 3 exactly (3.0000000000000004 in floating point), so k = 3.
		{"thirty", seq(1, 30), Distribution{Count: 30, Mean: 15.5, Min: 1, P10: 3, Median: 15, P90: 27, Max: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s sum
			for _, v := range tt.values {
				s.add(v)
			}
			if diff := cmp.Diff(&tt.want, distribution(tt.values, s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if distribution(nil, sum{}) != nil {
		t.Error("no values: want nil")
	}
}

func seq(lo, hi int) []float64 {
	var out []float64
	for i := lo; i <= hi; i++ {
		out = append(out, float64(i))
	}
	return out
}

// Negative scores fall in bands below zero: −5 with width 10 is in
// [−10, 0); 0 is in [0, 10), never in a "−0" band.
func TestBandsNegative(t *testing.T) {
	a := &accumulator{width: 10}
	for _, tt := range []struct{ v, want float64 }{{-5, -1}, {0, 0}, {-0.0, 0}, {9.999, 0}, {10, 1}, {-10, -1}, {-10.5, -2}} {
		if got := a.band(tt.v); got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("band(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

// cancelReader cancels its context once the first chunk has been read.
type cancelReader struct {
	r      *bytes.Reader
	cancel context.CancelFunc
	reads  int
}

func (c *cancelReader) Read(p []byte) (int, error) {
	c.reads++
	if c.reads == 2 {
		c.cancel()
	}
	if len(p) > 512 {
		p = p[:512]
	}
	return c.r.Read(p)
}

// TestRunCanceledMidStream: canceling while leads are in flight stops the
// run with ctx's error and no partial report.
func TestRunCanceledMidStream(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	for _, input := range []string{"lines", "array"} {
		t.Run(input, func(t *testing.T) {
			var big bytes.Buffer
			if input == "array" {
				big.WriteString("[\n")
			}
			for i := range 2000 {
				if input == "array" && i > 0 {
					big.WriteString(",\n")
				}
				big.WriteString(`{"fit": 55, "outcome": "won"}`)
				if input == "lines" {
					big.WriteByte('\n')
				}
			}
			if input == "array" {
				big.WriteString("\n]")
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rep, err := Run(ctx, oldRules, newRules, &cancelReader{r: bytes.NewReader(big.Bytes()), cancel: cancel}, "leads.jsonl", fixtureAt, WithWorkers(2))
			if !errors.Is(err, context.Canceled) || rep != nil {
				t.Errorf("err = %v, report %v; want context.Canceled and no report", err, rep != nil)
			}
		})
	}
}

// A band width too small for the scores is an ErrOption, not an infinite
// or collapsed band; a huge one puts every score in band 0 or −1.
func TestRunBandWidthExtremes(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	input := `{"fit": 95}` + "\n"
	_, err := Run(context.Background(), oldRules, newRules, strings.NewReader(input), "leads.jsonl", fixtureAt, WithBandWidth(1e-300))
	if !errors.Is(err, ErrOption) {
		t.Errorf("width 1e-300: err = %v, want ErrOption", err)
	}
	rep, err := Run(context.Background(), oldRules, newRules, strings.NewReader(input), "leads.jsonl", fixtureAt, WithBandWidth(1e300))
	if err != nil {
		t.Fatal(err)
	}
	// 95 / 1e300 floors to 0: the band [0, 1e300).
	if b := rep.Scores[0].Bands; len(b) != 1 || b[0].Lo != 0 || b[0].Hi != 1e300 || b[0].Old != 1 {
		t.Errorf("bands %+v", b)
	}
}

// The mean of values whose sum overflows float64 is still finite.
func TestDistributionHugeValues(t *testing.T) {
	values := []float64{math.MaxFloat64, math.MaxFloat64, math.MaxFloat64 / 2}
	var s sum
	for _, v := range values {
		s.add(v)
	}
	d := distribution(values, s)
	// (M + M + M/2) / 3 = 5M/6.
	if want := math.MaxFloat64 / 6 * 5; math.Abs(d.Mean-want) > want*1e-15 {
		t.Errorf("mean = %g, want %g", d.Mean, want)
	}
}

// Run reads like ScoreLines: a byte order mark and CRLF are accepted, a
// 5 MB line is a rejection at its line and the next lead is still compared.
func TestRunBOMAndHugeLine(t *testing.T) {
	oldRules, newRules, _ := loadFixture(t)
	in := "\xEF\xBB\xBF{\"fit\": 1}\r\n{\"fit\": \"" + strings.Repeat("x", 5<<20) + "\"}\r\n{\"fit\": 2}\r\n"
	rep, err := Run(context.Background(), oldRules, newRules, strings.NewReader(in), "leads.jsonl", fixtureAt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts.Read != 3 || rep.Counts.Compared != 2 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 2 || !errors.Is(rep.Rejected[0].Old, scoring.ErrLineTooLong) {
		t.Errorf("counts %+v rejected %+v", rep.Counts, rep.Rejected)
	}
}
