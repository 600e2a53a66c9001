package scoring_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/revengine/revengine/scoring"
)

const exampleRules = `
version: "2026.1"
fields:
  company_size: int
  industry: string
event_fields:
  url: string
lists:
  targets: [fintech, saas]
scores:
  fit:
    rules:
      - {id: enterprise, when: company_size >= 1000, points: 30}
      - {id: target, when: industry in lists.targets, points: 20}
  engagement:
    rules:
      - id: pricing
        on: page_view
        when: event.url contains "/pricing"
        points: 10
        half_life: 7d
grades:
  - {grade: A, when: scores.fit >= 50}
  - {grade: B}
stages:
  - id: lead
  - id: mql
    when: grade == "A" && scores.engagement >= 5
    sla: 24h
`

func Example() {
	rs, err := scoring.Parse("rules.yaml", []byte(exampleRules))
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	lead := map[string]any{ // as decoded from JSON
		"id": "L-42", "company_size": 1200.0, "industry": "fintech",
		"events": []any{map[string]any{"type": "page_view", "time": "2026-11-16T09:00:00Z", "url": "/pricing"}},
	}
	res, err := rs.Score(context.Background(), lead, at)
	if err != nil {
		panic(err)
	}
	for _, s := range res.Scores {
		fmt.Printf("%s = %g\n", s.Name, s.Value)
		for _, c := range s.Contributions() {
			fmt.Printf("  %s %+g %v\n", c.Rule, c.Points, c.Inputs)
		}
	}
	fmt.Println("grade", res.Grade, "stage", res.Stage, "by", res.StageRule)
	fmt.Println("SLA deadline", res.SLA.Deadline.Format(time.RFC3339))
	// Output:
	// fit = 50
	//   enterprise +30 [{company_size 1200}]
	//   target +20 [{industry "fintech"}]
	// engagement = 5
	//   pricing +5 []
	// grade A stage mql by mql
	// SLA deadline 2026-11-24T09:00:00Z
}

func ExampleParse_errors() {
	_, err := scoring.Parse("rules.yaml", []byte(`
version: "1"
fields:
  company_size: int
scores:
  fit:
    rules:
      - id: enterprise
        when: compnay_size >= 1000
        points: 10
`))
	var errs scoring.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Println(e)
			fmt.Println(e.Caret())
		}
	}
	// Output:
	// rules.yaml:9:15: rule "enterprise": unknown field compnay_size (did you mean company_size?)
	//         when: compnay_size >= 1000
	//               ^
}

func ExampleRuleSet_ScoreLines() {
	rs := scoring.MustParse("rules.yaml", []byte(exampleRules))
	input := strings.NewReader(`{"id":"a","company_size":5000,"industry":"saas"}
{"id":"b","company_size":"big"}
{"id":"c","industry":"retail"}
`)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	stats, err := rs.ScoreLines(context.Background(), input, "leads.jsonl", at, func(r scoring.Record) error {
		if r.Err != nil {
			fmt.Printf("line %d: rejected: %v\n", r.Line, r.Err)
			return nil
		}
		fit, _ := r.Result.Score("fit")
		fmt.Printf("line %d: %s fit %g grade %s\n", r.Line, r.Result.LeadID, fit, r.Result.Grade)
		return nil
	})
	fmt.Printf("%d read, %d scored, %d rejected, err %v\n", stats.Read, stats.Scored, stats.Rejected, err)
	// Output:
	// line 1: a fit 50 grade A
	// line 2: rejected: leads.jsonl:2: lead field "company_size": want int, got string "big"
	// line 3: c fit 0 grade B
	// 3 read, 2 scored, 1 rejected, err <nil>
}
