package scoring

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const strictRules = `version: "1"
fields:
  company_size: {type: int, default: 0}
  email: string
event_types: [page_view, demo_request]
event_fields: {url: string}
scores:
  fit:
    rules:
      - {id: big, when: company_size >= 1000, points: 10}
  engagement:
    rules:
      - {id: pricing, on: page_view, when: 'event.url contains "/pricing"', points: 5}
grades:
  - {grade: A, when: scores.fit >= 10}
  - {grade: B}
`

// Issue: a CRM export that renames company_size to employees dropped
// grade-A leads to 0 points silently. Strict (the default) rejects the lead
// naming the key; relaxed mode scores it and says what it ignored.
func TestStrictInput(t *testing.T) {
	rs := mustRules(t, strictRules)
	tests := []struct {
		name, lead, field, msg string
	}{
		{"renamed field", `{"employees": 5000}`, "employees", "unknown field"},
		{"misspelled field", `{"compnay_size": 5000}`, "compnay_size", "did you mean company_size?"},
		{"unknown event type", `{"events": [{"type": "pageview", "time": "2026-11-20T00:00:00Z", "url": "/pricing"}]}`, "events[0].type", `unknown event type "pageview" (did you mean page_view?)`},
		{"misspelled property", `{"events": [{"type": "page_view", "time": "2026-11-20T00:00:00Z", "urll": "/pricing"}]}`, "events[0].urll", "did you mean url?"},
		{"misspelled nested property", `{"events": [{"type": "page_view", "time": "2026-11-20T00:00:00Z", "props": {"ulr": "/pricing"}}]}`, "events[0].props.ulr", "did you mean url?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lead, err := DecodeLead([]byte(tt.lead))
			if err != nil {
				t.Fatal(err)
			}
			_, err = rs.Score(context.Background(), lead, at)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrLead) || e.ID != tt.field || !strings.Contains(e.Msg, tt.msg) {
				t.Fatalf("err = %v; want a lead error on %s containing %q", err, tt.field, tt.msg)
			}
		})
	}
	// Declared keys, reserved keys and declared event types pass.
	ok := `{"id": "L1", "company_size": 5000, "email": "a@b.c", "stage_entered_at": "2026-11-01", "events": [{"type": "page_view", "time": "2026-11-20T00:00:00Z", "url": "/pricing"}]}`
	lead, _ := DecodeLead([]byte(ok))
	res, err := rs.Score(context.Background(), lead, at)
	if err != nil || res.Grade != "A" || res.Ignored != nil {
		t.Fatalf("declared lead: %v, %+v", err, res)
	}
	// Go values: Lead.Fields and Event.Props are checked the same way.
	_, err = rs.Score(context.Background(), &Lead{Fields: map[string]any{"employes": 3}}, at)
	if !errors.Is(err, ErrLead) {
		t.Fatalf("Lead with an unknown field: %v", err)
	}
}

func TestRelaxedInputCounts(t *testing.T) {
	rs := mustRules(t, strictRules, Strict(false))
	input := strings.Join([]string{
		`{"employees": 5000}`,
		`{"employees": 10, "events": [{"type": "pageview", "time": "2026-11-20T00:00:00Z"}, {"type": "page_view", "time": "2026-11-20T00:00:00Z", "urll": "/x"}]}`,
		`{"company_size": 5000}`,
	}, "\n")
	var ignored [][]string
	st, err := rs.ScoreLines(context.Background(), strings.NewReader(input), "leads.jsonl", at, func(r Record) error {
		if r.Err != nil {
			t.Fatalf("line %d: %v", r.Line, r.Err)
		}
		ignored = append(ignored, r.Result.Ignored)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"employees": 2, "event type pageview": 1, "events[].urll": 1}
	if diff := cmp.Diff(want, st.Ignored); diff != "" {
		t.Errorf("BatchStats.Ignored (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{{"employees"}, {"employees", "event type pageview", "events[].urll"}, nil}, ignored); diff != "" {
		t.Errorf("Result.Ignored (-want +got):\n%s", diff)
	}
	if st.Read != 3 || st.Scored != 3 {
		t.Errorf("stats %+v", st)
	}
}
