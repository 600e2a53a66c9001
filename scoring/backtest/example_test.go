package backtest_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/backtest"
)

// rules returns a rules file whose MQL threshold on fit is mql.
func rules(version string, mql int) *scoring.RuleSet {
	return scoring.MustParse("rules-"+version+".yaml", []byte(fmt.Sprintf(`
version: %q
fields:
  fit: int
scores:
  fit:
    rules:
      - {id: fit, points: fit}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= %d
`, version, mql)))
}

// Raising the MQL threshold from 50 to 60: of leads with fit 40, 55 and 65
// only the 55 moves from mql back to lead; the won lead of fit 55 moves
// with it, so the new MQLs convert better.
func ExampleRun() {
	oldRules, newRules := rules("1", 50), rules("2", 60)
	leads := strings.NewReader(`{"id": "a", "fit": 40, "outcome": "lost"}
{"id": "b", "fit": 55, "outcome": "lost"}
{"id": "c", "fit": 65, "outcome": "won"}
`)
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	rep, err := backtest.Run(context.Background(), oldRules, newRules, leads, "leads.jsonl", at, backtest.WithOutcomes("outcome"))
	if err != nil {
		panic(err)
	}
	fmt.Println(rep.Stages.Changed, "of", rep.Counts.Compared, "leads change stage")
	fmt.Println("mql → lead:", rep.Stages.Count("mql", "lead"))
	for _, s := range rep.Outcomes.Stages {
		if s.Stage == "mql" {
			fmt.Printf("mql conversion: old %.2f, new %.2f\n", *s.Old.ConversionRate, *s.New.ConversionRate)
		}
	}
	// Output:
	// 1 of 3 leads change stage
	// mql → lead: 1
	// mql conversion: old 0.50, new 1.00
}

// A lead that a side rejects is reported with its line and each side's
// reason, never dropped: here line 2 is not an integer fit, line 3 is not
// JSON.
func ExampleRun_rejected() {
	oldRules, newRules := rules("1", 50), rules("2", 60)
	leads := strings.NewReader("{\"fit\": 55}\n{\"fit\": 5.5}\n{oops\n")
	rep, err := backtest.Run(context.Background(), oldRules, newRules, leads, "leads.jsonl", time.Time{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", rep.Counts)
	for _, r := range rep.Rejected {
		fmt.Printf("line %d: %v\n", r.Line, r.Old)
	}
	// Output:
	// {Read:3 Compared:1 RejectedOldOnly:0 RejectedNewOnly:0 RejectedBoth:2}
	// line 2: leads.jsonl:2: lead field "fit": want int, got 5.5
	// line 3: leads.jsonl:3: lead: invalid JSON: invalid character 'o' looking for beginning of object key string
}

// A JSON array that is not valid JSON stops the run with the position.
func ExampleRun_invalidArray() {
	oldRules, newRules := rules("1", 50), rules("2", 60)
	leads := strings.NewReader("[\n{\"fit\": 55},\n{\"fit\" 60}\n]")
	_, err := backtest.Run(context.Background(), oldRules, newRules, leads, "leads.jsonl", time.Time{})
	fmt.Println(err)
	// Output:
	// leads.jsonl:3:8: invalid JSON array: invalid character '6' after object key
}

// RunLeads takes leads already decoded, for example from a database.
func ExampleRunLeads() {
	oldRules, newRules := rules("1", 50), rules("2", 60)
	leads := []map[string]any{{"fit": 40.0}, {"fit": 55.0}, {"fit": 65.0}}
	rep, err := backtest.RunLeads(context.Background(), oldRules, newRules, leads, time.Time{})
	if err != nil {
		panic(err)
	}
	m := rep.Stages
	for i, from := range m.Labels {
		for j, to := range m.Labels {
			if n := m.Counts[i][j]; n > 0 {
				fmt.Printf("%s → %s: %d\n", from, to, n)
			}
		}
	}
	// Output:
	// lead → lead: 1
	// mql → lead: 1
	// mql → mql: 1
}
