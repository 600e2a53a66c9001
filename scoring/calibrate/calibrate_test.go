package calibrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/scoring"
)

var at = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// scoreRules makes the score "fit" equal to the lead's field s, so tests
// choose the scores directly.
const scoreRules = `version: "1"
name: cal
fields:
  s: {type: float, default: 0}
scores:
  fit:
    rules:
      - id: base
        when: "true"
        points: s
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 25
`

func mustParse(t testing.TB, src string) *scoring.RuleSet {
	t.Helper()
	rs, err := scoring.Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// leadsOf builds leads with score s and outcome won/lost.
func leadsOf(won, lost []float64) string {
	var b strings.Builder
	for _, s := range won {
		fmt.Fprintf(&b, `{"s": %v, "outcome": "won"}`+"\n", s)
	}
	for _, s := range lost {
		fmt.Fprintf(&b, `{"s": %v, "outcome": "lost"}`+"\n", s)
	}
	return b.String()
}

// TestAUCByHand checks the Mann–Whitney AUC and DeLong's variance on
// won X = {0.9, 0.8, 0.5}, lost Y = {0.7, 0.5, 0.3, 0.1} (m = 3, n = 4):
//
//	ψ sums per X: 0.9 → 4, 0.8 → 4, 0.5 → 2 + ½ (tie with 0.5) = 2.5;
//	A = 10.5 / 12 = 0.875.
//	V10 = {1, 1, 0.625}; V01 = {2/3, 5/6, 1, 1}.
//	S10 = (2·(1/8)² + (3/8)²·... ) → ((1/8)²·2 + (2/8)²)/2 = 3/64;
//	S01 = ((5/24)² + (1/24)² + 2·(3/24)²)/3 = 44/1728;
//	Var = S10/3 + S01/4 = 1/64 + 11/1728 = 38/1728.
//
// (DeLong, DeLong & Clarke-Pearson 1988, eq. for V10, V01, S10, S01.)
func TestAUCByHand(t *testing.T) {
	z := 1.959963984540054
	a, ok := computeAUC([]float64{0.9, 0.8, 0.5}, []float64{0.7, 0.5, 0.3, 0.1}, z, 0.95)
	if !ok {
		t.Fatal("no AUC")
	}
	se := math.Sqrt(38.0 / 1728)
	if !near(a.Value, 0.875, 1e-15) || !near(a.SE, se, 1e-15) {
		t.Fatalf("AUC = %v ± %v, want 0.875 ± %v", a.Value, a.SE, se)
	}
	if !near(a.Lo, 0.875-z*se, 1e-15) || a.Hi != 1 { // 0.875 + 1.96·0.1483 > 1: cut to 1
		t.Fatalf("interval [%v, %v], want [%v, 1]", a.Lo, a.Hi, 0.875-z*se)
	}

	// The same through Run: the score is s, scaled by 100.
	rep, err := Run(context.Background(), mustParse(t, scoreRules),
		strings.NewReader(leadsOf([]float64{90, 80, 50}, []float64{70, 50, 30, 10})), "leads.jsonl", at)
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Models[0].AUC
	if got == nil || !near(got.Value, 0.875, 1e-15) || !near(got.SE, se, 1e-15) || got.Won != 3 || got.Lost != 4 {
		t.Fatalf("Run AUC = %+v", got)
	}
}

func TestAUCEdges(t *testing.T) {
	tests := []struct {
		name     string
		pos, neg []float64
		want     float64
		interval bool
	}{
		// All ties: every pair counts ½.
		{"all tied", []float64{5, 5}, []float64{5, 5, 5}, 0.5, true},
		// Perfect separation: every pair 1; V10 ≡ 1, V01 ≡ 1, variance 0.
		{"separated", []float64{3, 4}, []float64{1, 2}, 1, true},
		// Reversed: 0.
		{"reversed", []float64{1}, []float64{2, 3}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := computeAUC(tc.pos, tc.neg, 1.96, 0.95)
			if !ok || a.Value != tc.want || a.HasInterval != tc.interval {
				t.Fatalf("got %+v, want %v interval %v", a, tc.want, tc.interval)
			}
			if math.IsNaN(a.SE) || math.IsNaN(a.Lo) || math.IsNaN(a.Hi) {
				t.Fatalf("NaN in %+v", a)
			}
		})
	}
	if _, ok := computeAUC(nil, []float64{1}, 1.96, 0.95); ok {
		t.Fatal("AUC with no won lead")
	}
}

// TestThresholdByHand: won at 30, 20; lost at 25, 10, 10 (P = 2).
//
//	t = 30: MQLs 1, TP 1, F1 = 2·1/(1+2) = 0.667
//	t = 25: MQLs 2, TP 1, F1 = 2/4 = 0.5
//	t = 20: MQLs 3, TP 2, F1 = 4/5 = 0.8   ← best F1
//	t = 10: MQLs 5, TP 2, F1 = 4/7 = 0.571
//
// Capacity(2): t = 30 and t = 25 both win 1; the higher wins the tie.
func TestThresholdByHand(t *testing.T) {
	in := leadsOf([]float64{30, 20}, []float64{25, 10, 10})
	rs := mustParse(t, scoreRules)
	rep, err := Run(context.Background(), rs, strings.NewReader(in), "l", at)
	if err != nil {
		t.Fatal(err)
	}
	b := rep.Models[0].Best
	if b == nil || b.Score != 20 || b.MQLs != 3 || b.Won != 2 || !near(b.F1, 0.8, 1e-15) ||
		!near(b.Precision, 2.0/3, 1e-15) || b.Recall != 1 {
		t.Fatalf("best F1 = %+v", b)
	}
	rep, err = Run(context.Background(), rs, strings.NewReader(in), "l", at, WithObjective(Capacity(2)))
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Models[0].Best; b == nil || b.Score != 30 || b.MQLs != 1 || b.Won != 1 {
		t.Fatalf("best capacity(2) = %+v", b)
	}
	// The stage mql is "fit >= 25": MQLs are 30 (won) and 25 (lost):
	// precision 1/2, recall 1/2, F1 = 2·1/(2+2) = 0.5.
	cur := rep.Stages.Current
	if rep.Stages.Stage != "mql" || cur == nil || cur.MQLs != 2 || cur.Won != 1 || cur.F1 != 0.5 {
		t.Fatalf("stage threshold = %+v", rep.Stages)
	}
}

// TestBandsAndLift: overall rate 2/5 = 0.4. Band [10, 20): 0 of 2, lift 0;
// [20, 30): 1 of 2 = 0.5, lift 1.25; [30, 40): 1 of 1, lift 2.5.
func TestBandsAndLift(t *testing.T) {
	rep, err := Run(context.Background(), mustParse(t, scoreRules),
		strings.NewReader(leadsOf([]float64{30, 20}, []float64{25, 10, 10})), "l", at, WithMinOutcomes(1))
	if err != nil {
		t.Fatal(err)
	}
	want := []Band{
		{Lo: 10, Hi: 20, Leads: 2, Won: 0, Rate: 0, Lift: 0, Few: true},
		{Lo: 20, Hi: 30, Leads: 2, Won: 1, Rate: 0.5, Lift: 1.25},
		{Lo: 30, Hi: 40, Leads: 1, Won: 1, Rate: 1, Lift: 2.5, Few: true},
	}
	got := rep.Models[0].Bands
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("bands\n got %+v\nwant %+v", got, want)
	}
}

// TestCalibrationGroups: scores 10, 10, 20, 25, 30 in G = 2 groups; rank
// r goes to group ⌈r·G/N⌉ = ⌈r·2/5⌉. The tie block {10, 10} has mid-rank
// 1.5 → ⌈0.6⌉ = 1; 20 (rank 3) → ⌈1.2⌉ = 2; 25 → 2; 30 → 2. Group 1:
// 2 leads, 0 won, ranks 0–40%; group 2: 3 leads, 2 won (30, 20), 40–100%.
func TestCalibrationGroups(t *testing.T) {
	rep, err := Run(context.Background(), mustParse(t, scoreRules),
		strings.NewReader(leadsOf([]float64{30, 20}, []float64{25, 10, 10})), "l", at, WithGroups(2))
	if err != nil {
		t.Fatal(err)
	}
	g := rep.Models[0].Calibration
	if len(g) != 2 || g[0].Leads != 2 || g[0].Won != 0 || g[0].MinScore != 10 || g[0].MaxScore != 10 ||
		g[0].RankLo != 0 || g[0].RankHi != 40 || g[1].Leads != 3 || g[1].Won != 2 || g[1].Observed != 2.0/3 ||
		g[1].MinScore != 20 || g[1].MaxScore != 30 || g[1].RankLo != 40 || g[1].RankHi != 100 {
		t.Fatalf("groups %+v", g)
	}
}

// ruleRules has one binary rule per field f0…f(k-1).
func ruleRules(k int, points []float64) string {
	var b strings.Builder
	b.WriteString("version: \"1\"\nname: syn\nfields:\n")
	for j := 0; j < k; j++ {
		fmt.Fprintf(&b, "  f%d: {type: bool, default: false}\n", j)
	}
	b.WriteString("scores:\n  fit:\n    rules:\n")
	for j := 0; j < k; j++ {
		fmt.Fprintf(&b, "      - id: r%d\n        when: f%d\n        points: %v\n", j, j, points[j])
	}
	b.WriteString("stages:\n  - id: lead\n  - id: mql\n    when: scores.fit >= 20\n")
	return b.String()
}

// TestTwoByTwoByHand: one rule; fired 100 leads, 30 won; not fired 100, 10
// won. With λ → 0 the logistic regression is saturated, so
//
//	β0 = logit(10/100) = ln(10/90) = −2.1972246,
//	β1 = ln(30/70) − ln(10/90) = 1.3499267 (the log odds ratio),
//	SE(β1) = √(1/30 + 1/70 + 1/10 + 1/90) = 0.3984095 (Woolf 1955; the Wald
//	SE of the saturated model is the same).
//
// Marginal effect: 0.3 − 0.1 = 0.2.
func TestTwoByTwoByHand(t *testing.T) {
	rs := mustParse(t, ruleRules(1, []float64{10}))
	var leads []map[string]any
	add := func(n int, fired, won bool) {
		for range n {
			leads = append(leads, map[string]any{"f0": fired, "outcome": won})
		}
	}
	add(30, true, true)
	add(70, true, false)
	add(10, false, true)
	add(90, false, false)
	rep, err := RunLeads(context.Background(), rs, leads, at, WithLambda(1e-9))
	if err != nil {
		t.Fatal(err)
	}
	e := rep.Rules[0]
	if e.Fired != 100 || e.FiredWon != 30 || e.NotFired != 100 || e.NotFiredWon != 10 || !near(*e.Effect, 0.2, 1e-15) {
		t.Fatalf("effect %+v", e)
	}
	if !near(rep.Regression.Intercept, math.Log(10.0/90), 1e-7) || !near(e.Coefficient, math.Log(30.0/70)-math.Log(10.0/90), 1e-7) {
		t.Fatalf("β = %v, %v", rep.Regression.Intercept, e.Coefficient)
	}
	if se := math.Sqrt(1.0/30 + 1.0/70 + 1.0/10 + 1.0/90); !near(e.SE, se, 1e-6) {
		t.Fatalf("SE = %v, want %v", e.SE, se)
	}
	// One rule: the fitted scale maps the coefficient onto the current 10
	// points exactly (s = 10·β/β²), so the suggestion is 10, not
	// distinguishable.
	if e.Suggested != 10 || e.Distinguishable || rep.Regression.ScaleMethod != "fit" {
		t.Fatalf("suggested %v distinguishable %v scale %v", e.Suggested, e.Distinguishable, rep.Regression.ScaleMethod)
	}
}

// TestRecoversGeneratingModel draws a synthetic population from a known
// logistic model — five rules firing independently with probability 0.3,
// logit P(won) = −2 + Σ β_j·x_j, β = (1, 0.5, −0.7, 1.5, 0) — and checks
// that each 99% Wald interval of the fit holds the true β_j, and that the
// points interval at 20 points per doubling holds β_j·20/ln 2.
func TestRecoversGeneratingModel(t *testing.T) {
	beta := []float64{1, 0.5, -0.7, 1.5, 0}
	const n = 20000
	rng := rand.New(rand.NewPCG(17, 2026))
	leads := make([]map[string]any, n)
	for i := range leads {
		m := map[string]any{}
		eta := -2.0
		for j, b := range beta {
			x := rng.Float64() < 0.3
			m[fmt.Sprintf("f%d", j)] = x
			if x {
				eta += b
			}
		}
		m["outcome"] = rng.Float64() < 1/(1+math.Exp(-eta))
		leads[i] = m
	}
	rs := mustParse(t, ruleRules(5, []float64{10, 10, 10, 10, 10}))
	rep, err := RunLeads(context.Background(), rs, leads, at, WithConfidence(0.99), WithPointsPerDoubling(20), WithWorkers(3))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Regression.Converged || rep.Regression.Scale != 20/math.Ln2 {
		t.Fatalf("regression %+v", rep.Regression)
	}
	for _, e := range rep.Rules {
		var j int
		fmt.Sscanf(e.Rule, "r%d", &j)
		if e.CoefLo > beta[j] || e.CoefHi < beta[j] {
			t.Errorf("%s: β = %v outside [%v, %v]", e.Rule, beta[j], e.CoefLo, e.CoefHi)
		}
		if p := beta[j] * 20 / math.Ln2; e.SuggestedLo > p || e.SuggestedHi < p {
			t.Errorf("%s: points %v outside [%v, %v]", e.Rule, p, e.SuggestedLo, e.SuggestedHi)
		}
	}
	// The same report with one worker: deterministic whatever the count.
	rep1, err := RunLeads(context.Background(), rs, leads, at, WithConfidence(0.99), WithPointsPerDoubling(20), WithWorkers(1))
	if err != nil {
		t.Fatal(err)
	}
	j1, _ := json.Marshal(rep1)
	j3, _ := json.Marshal(rep)
	if string(j1) != string(j3) {
		t.Fatal("report depends on the worker count")
	}
}

func TestRejectionsAndErrors(t *testing.T) {
	rs := mustParse(t, scoreRules)
	in := `{"s": 10, "outcome": "won"}
{"s": "x", "outcome": "lost"}
{"s": 5, "outcome": "maybe"}
{"s": 7}
{"s": 3, "outcome": false}
`
	rep, err := Run(context.Background(), rs, strings.NewReader(in), "leads.jsonl", at)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Counts
	if c.Read != 5 || c.Rejected != 2 || c.Open != 1 || c.Outcomes != 2 || c.Won != 1 || c.Lost != 1 {
		t.Fatalf("counts %+v", c)
	}
	if rep.Rejected[0].Line != 2 || !strings.HasPrefix(rep.Rejected[0].Err.Error(), "leads.jsonl:2") {
		t.Fatalf("rejection %v", rep.Rejected[0].Err)
	}
	if rep.Rejected[1].Line != 3 || !errors.Is(rep.Rejected[1].Err, ErrOutcome) {
		t.Fatalf("rejection %v", rep.Rejected[1].Err)
	}

	_, err = Run(context.Background(), rs, strings.NewReader(`{"s": 1}`), "l", at)
	if !errors.Is(err, ErrEmptyInput) {
		t.Fatalf("no outcomes: %v", err)
	}
	for _, o := range []Option{WithBandWidth(0), WithLambda(math.NaN()), WithConfidence(1), WithGroups(0),
		WithObjective(Capacity(0)), WithStage("nope"), WithOutcomes(""), WithObjective(Objective{})} {
		if _, err := Run(context.Background(), rs, strings.NewReader(in), "l", at, o); !errors.Is(err, ErrOption) || !errors.Is(err, ErrInvalidInput) {
			t.Errorf("option: %v", err)
		}
	}
	_, err = Run(context.Background(), rs, strings.NewReader("[{]"), "l.json", at)
	if err == nil || !strings.HasPrefix(err.Error(), "l.json:1:") {
		t.Fatalf("unreadable input: %v", err)
	}
}

// TestOneClass: every lead won: no AUC, no regression, a warning; nothing
// NaN.
func TestOneClass(t *testing.T) {
	rep, err := Run(context.Background(), mustParse(t, scoreRules), strings.NewReader(leadsOf([]float64{1, 2}, nil)), "l", at)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Models[0].AUC != nil || rep.Regression != nil || rep.Warnings[0].Code != WarnOneClass {
		t.Fatalf("%+v", rep)
	}
}

// TestDegenerate: populations at the edges give figures, warnings or
// errors — never NaN, ±Inf or a panic (json.Marshal fails on NaN).
func TestDegenerate(t *testing.T) {
	rs := mustParse(t, scoreRules)
	tests := []struct {
		name string
		in   string
		opts []Option
	}{
		{"one lead", `{"s": 5, "outcome": "won"}`, nil},
		{"one each, tied", leadsOf([]float64{5}, []float64{5}), nil},
		{"all tied", leadsOf([]float64{5, 5, 5}, []float64{5, 5}), nil},
		{"huge scores", leadsOf([]float64{1e300, -1e300}, []float64{1e300}), []Option{WithBandWidth(1e299)}},
		{"min outcomes 0", leadsOf([]float64{1, 2}, []float64{3}), []Option{WithMinOutcomes(0)}},
		{"confidence near 1", leadsOf([]float64{1, 2}, []float64{3, 0}), []Option{WithConfidence(0.999999)}},
		{"capacity too small", leadsOf([]float64{9, 9}, []float64{9}), []Option{WithObjective(Capacity(1))}},
		{"revenue outcomes", `{"s": 5, "outcome": 120.5}` + "\n" + `{"s": 1, "outcome": 0}`, nil},
		{"many groups", leadsOf([]float64{1, 2}, []float64{3}), []Option{WithGroups(1000)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Run(context.Background(), rs, strings.NewReader(tc.in), "l", at, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := json.Marshal(rep); err != nil {
				t.Fatal(err)
			}
		})
	}
	if _, err := Run(context.Background(), nil, strings.NewReader(""), "l", at); !errors.Is(err, ErrOption) {
		t.Fatalf("nil rules: %v", err)
	}
	// A band width too small for the scores is an option error, not ±Inf.
	_, err := Run(context.Background(), rs, strings.NewReader(leadsOf([]float64{1e300}, []float64{1})), "l", at, WithBandWidth(1e-300))
	if !errors.Is(err, ErrOption) {
		t.Fatalf("tiny band: %v", err)
	}
	// A canceled context stops the run.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, rs, strings.NewReader(leadsOf([]float64{1}, []float64{2})), "l", at); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %v", err)
	}
}

// TestCapacityPerWeek: the leads of TestThresholdByHand created over 21
// days: weeks = 21/7 = 3, so 1 MQL a week allows ⌊1·3⌋ = 3 MQLs: among
// t = 30 (1 MQL, 1 won), 25 (2, 1) and 20 (3, 2) the most won is t = 20.
// A lead with an outcome and no time is rejected; an open one needs none.
func TestCapacityPerWeek(t *testing.T) {
	in := `{"s": 30, "outcome": "won", "created_at": "2026-11-01T00:00:00Z"}
{"s": 20, "outcome": "won", "created_at": "2026-11-22T00:00:00Z"}
{"s": 25, "outcome": "lost", "created_at": "2026-11-10T00:00:00Z"}
{"s": 10, "outcome": "lost", "created_at": "2026-11-11T00:00:00+01:00"}
{"s": 10, "outcome": "lost", "created_at": "2026-11-12T00:00:00Z"}
{"s": 50, "outcome": "won"}
{"s": 50, "outcome": "open"}
{"s": 50, "outcome": "won", "created_at": "yesterday"}
`
	rep, err := Run(context.Background(), mustParse(t, scoreRules), strings.NewReader(in), "l", at,
		WithObjective(CapacityPerWeek(1, "created_at")))
	if err != nil {
		t.Fatal(err)
	}
	if rep.CapacityWeeks != 3 || rep.CapacityMQLs != 3 || rep.Counts.Rejected != 2 || rep.Counts.Open != 1 {
		t.Fatalf("weeks %v, MQLs %v, counts %+v", rep.CapacityWeeks, rep.CapacityMQLs, rep.Counts)
	}
	if b := rep.Models[0].Best; b == nil || b.Score != 20 || b.MQLs != 3 || b.Won != 2 {
		t.Fatalf("best %+v", b)
	}
	if !errors.Is(rep.Rejected[0].Err, ErrOutcome) || rep.Rejected[0].Line != 6 || rep.Rejected[1].Line != 8 {
		t.Fatalf("rejected %v", rep.Rejected)
	}
	if _, err := Run(context.Background(), mustParse(t, scoreRules), strings.NewReader(in), "l", at,
		WithObjective(CapacityPerWeek(0, "created_at"))); !errors.Is(err, ErrOption) {
		t.Fatalf("zero a week: %v", err)
	}
}

func TestWithRulesOfAnotherFile(t *testing.T) {
	rf, err := ParseRules("other.yaml", []byte(scoreRules+"# changed\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), mustParse(t, scoreRules), strings.NewReader(leadsOf([]float64{1}, []float64{2})), "l", at, WithRules(rf))
	if !errors.Is(err, ErrOption) || !strings.Contains(err.Error(), "other.yaml") {
		t.Fatalf("%v", err)
	}
}
