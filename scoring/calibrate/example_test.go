package calibrate_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/calibrate"
)

const rulesYAML = `version: "1"
name: example
fields:
  demo: {type: bool, default: false}
  big: {type: bool, default: false}
scores:
  fit:
    rules:
      - id: demo
        when: demo
        points: 20
      - id: big   # company size
        when: big
        points: 10
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 20
`

// leads: 16 demo requests (fit 20), 12 won; 16 big companies (fit 10), 4
// won; 32 others (fit 0), 8 won.
func leads() string {
	var b strings.Builder
	for i := range 64 {
		demo, big := i%4 == 0, i%4 == 1
		won := (demo && i%16 != 0) || (big && i%16 == 1) || (!demo && !big && i%8 == 2)
		fmt.Fprintf(&b, `{"demo": %v, "big": %v, "outcome": %v}`+"\n", demo, big, won)
	}
	return b.String()
}

func ExampleRun() {
	rs, err := scoring.Parse("rules.yaml", []byte(rulesYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rep, err := calibrate.Run(context.Background(), rs, strings.NewReader(leads()), "leads.jsonl", at)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := rep.Models[0]
	fmt.Printf("%d leads, %d won; AUC %.3f [%.3f, %.3f]\n", rep.Counts.Outcomes, rep.Counts.Won, m.AUC.Value, m.AUC.Lo, m.AUC.Hi)
	fmt.Printf("best threshold: fit >= %g (F1 %.3f)\n", m.Best.Score, m.Best.F1)
	for _, r := range rep.Rules {
		fmt.Printf("%s: %d/%d won when fired vs %d/%d\n", r.Rule, r.FiredWon, r.Fired, r.NotFiredWon, r.NotFired)
	}
	// By hand: won at 20, 10, 0: 12, 4, 8; lost: 4, 12, 24 (m = 24, n = 40).
	// Pairs won > lost, ties ½: 12·(36 + 2) + 4·(24 + 6) + 8·12 = 672;
	// AUC = 672/960 = 0.7. DeLong: V10 = 0.95, 0.75, 0.3 → S10 = 2.04/23;
	// V01 = 0.25, 7/12, 5/6 → S01 = 1.4/39; SE = √(S10/24 + S01/40) =
	// 0.06777, ×1.96 = 0.1328. F1 at fit ≥ 20: 2·12/(16 + 24) = 0.6; at
	// ≥ 10: 32/56; at ≥ 0: 48/88.

	// Output:
	// 64 leads, 24 won; AUC 0.700 [0.567, 0.833]
	// best threshold: fit >= 20 (F1 0.600)
	// demo: 12/16 won when fired vs 12/48
	// big: 4/16 won when fired vs 20/48
}

func ExampleRun_noOutcomes() {
	rs := scoring.MustParse("rules.yaml", []byte(rulesYAML))
	_, err := calibrate.Run(context.Background(), rs, strings.NewReader(`{"demo": true}`+"\n"), "leads.jsonl", time.Time{})
	fmt.Println(errors.Is(err, calibrate.ErrEmptyInput))
	// Output:
	// true
}

func ExampleWriteRules() {
	rs := scoring.MustParse("rules.yaml", []byte(rulesYAML))
	rf, err := calibrate.ParseRules("rules.yaml", []byte(rulesYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	// λ → 0: the three patterns (demo, big, neither) make the model
	// saturated, so β0 = logit(8/32) = −ln 3, β_demo = logit(12/16) + ln 3
	// = 2 ln 3, β_big = logit(4/16) + ln 3 = 0; each SE = √(1/12 + 1/4 +
	// 1/8 + 1/24) = √0.5 (Woolf). Scale s = (20·2 ln 3 + 10·0)/(2 ln 3)² =
	// 9.1024 points per log-odds: demo 20 ± 1.96·√0.5·s = [7.4, 32.6], big
	// 0 ± 12.6. The best threshold on the new points stays 20.
	rep, err := calibrate.Run(context.Background(), rs, strings.NewReader(leads()), "leads.jsonl", time.Time{},
		calibrate.WithRules(rf), calibrate.WithLambda(1e-9), calibrate.WithMinOutcomes(4))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Rules {
		fmt.Printf("%s: %g points, suggested %g [%.1f, %.1f], distinguishable %v\n",
			r.Rule, r.Current, r.Suggested, r.SuggestedLo, r.SuggestedHi, r.Distinguishable)
	}
	// With demo 20 and big 0 the scores are 20 (16 leads, 12 won) and 0:
	// F1 at ≥ 20 is 24/40 = 0.6, at ≥ 0 48/88.
	sb := rep.Models[0].SuggestedBest
	fmt.Printf("with the suggested points: fit >= %g, %d MQLs, %d won\n", sb.Score, sb.MQLs, sb.Won)
	out, edits, err := calibrate.WriteRules(rf, rep, calibrate.WriteThreshold("fit"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range edits {
		fmt.Printf("%d:%d %s %s: %s -> %s\n", e.Line, e.Column, e.Kind, e.ID, e.Old, e.New)
	}
	fmt.Println(strings.Contains(string(out), "- id: big   # company size\n        when: big\n        points: 0\n"))
	// Output:
	// demo: 20 points, suggested 20 [7.4, 32.6], distinguishable false
	// big: 10 points, suggested 0 [-12.6, 12.6], distinguishable false
	// with the suggested points: fit >= 20, 16 MQLs, 12 won
	// 14:17 points big: 10 -> 0
	// true
}

func ExampleRunLeads() {
	rs := scoring.MustParse("rules.yaml", []byte(rulesYAML))
	leads := []map[string]any{
		{"demo": true, "outcome": "won"},
		{"demo": true, "outcome": "lost"},
		{"outcome": "lost"},
		{"outcome": false},
		{"outcome": "open"},
	}
	rep, err := calibrate.RunLeads(context.Background(), rs, leads, time.Time{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Won at fit 20; lost at 20, 0, 0: AUC = (½ + 1 + 1)/3.
	fmt.Printf("%d open; AUC %.4f\n", rep.Counts.Open, rep.Models[0].AUC.Value)
	r := rep.Rules[0]
	fmt.Printf("%s: %d/%d won when fired vs %d/%d\n", r.Rule, r.FiredWon, r.Fired, r.NotFiredWon, r.NotFired)
	// Output:
	// 1 open; AUC 0.8333
	// demo: 1/2 won when fired vs 0/2
}
