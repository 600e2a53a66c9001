package scoring

import (
	"context"
	"math"
	"testing"
	"time"
)

// Each aggregate computed by hand on one lead; both evaluation paths.
func TestEventAggregates(t *testing.T) {
	day := 24 * time.Hour
	evs := []any{
		map[string]any{"type": "purchase", "time": at.Add(-10 * day).Format(time.RFC3339), "amount": 100.0},
		map[string]any{"type": "purchase", "time": at.Add(-7 * day).Format(time.RFC3339), "amount": 40.0}, // exactly 7 days old
		map[string]any{"type": "purchase", "time": at.Add(-2 * day).Format(time.RFC3339), "amount": 60.0},
		map[string]any{"type": "email_click", "time": at.Add(-3 * day).Format(time.RFC3339)},
		map[string]any{"type": "email_click", "time": at.Add(-36 * time.Hour).Format(time.RFC3339)},   // 1.5 days old
		map[string]any{"type": "purchase", "time": at.Add(day).Format(time.RFC3339), "amount": 999.0}, // tomorrow: not yet
	}
	rules := `version: "1"
event_types: [purchase, email_click]
event_fields: {amount: float}
scores:
`
	tests := []struct {
		name, expr string
		want       float64
	}{
		// All purchases up to at: 100, 40, 60 (tomorrow's 999 is not seen).
		{"count", `count(events, .type == "purchase")`, 3},
		// .time > at − 7d excludes the purchase exactly 7 days old: 60.
		{"count exclusive", `count(events, .type == "purchase" && .time > at - duration("7d"))`, 1},
		// .time >= at − 7d includes it: 40 and 60.
		{"count inclusive", `count(events, .type == "purchase" && .time >= at - duration("7d"))`, 2},
		{"sum", `sum(filter(events, .type == "purchase"), .amount)`, 200},
		{"sum in window", `sum(filter(events, .type == "purchase" && .time >= at - duration("7d")), .amount)`, 100},
		{"max", `max(map(filter(events, .type == "purchase"), .amount))`, 100},
		{"min", `min(map(filter(events, .type == "purchase"), .amount))`, 40},
		// Events are oldest first: the first purchase is 10 days old, the
		// last email click 1.5 days old.
		{"first time", `days_since(first(filter(events, .type == "purchase")).time)`, 10},
		{"last time", `days_since(last(filter(events, .type == "email_click")).time)`, 1.5},
		{"days since none", `days_since(last(filter(events, .type == "webinar"))?.time) > 1e9 ? 1 : 0`, 1}, // none: +Inf
		{"len", `len(events)`, 5},
		{"any", `any(events, .amount > 99) ? 1 : 0`, 1},
		{"all", `all(filter(events, .type == "purchase"), .amount >= 40) ? 1 : 0`, 1},
		{"none in 1 day", `none(events, .time > at - duration("1d")) ? 1 : 0`, 1},
		{"one", `one(events, .amount == 60) ? 1 : 0`, 1},
	}
	for _, tt := range tests {
		for _, fast := range []bool{true, false} {
			src := rules + "  s:\n    rules:\n      - {id: r, points: '" + tt.expr + "'}\n"
			src = replaceOnce(src, `.type == "webinar"`, `.type == "email_click" && .amount > 1`)
			rs := mustRules(t, src, WithFastPath(fast))
			res, err := rs.Score(context.Background(), map[string]any{"events": evs}, at)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got, _ := res.Score("s"); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("%s (fast=%v): %v, want %v", tt.name, fast, got, tt.want)
			}
		}
	}
}

// Decay and inactivity on the same lead: a webinar 40 days ago is worth
// 12 × 2^(−40/30) = 4.7622; nothing in 30 days takes 10 off: −5.2378, and
// with min 0 the score is 0. Ten days later nothing changes the sign.
func TestDecayAndInactivity(t *testing.T) {
	src := `version: "1"
event_types: [webinar]
scores:
  e:
    min: 0
    rules:
      - {id: webinar, on: webinar, points: 12, half_life: 30d}
      - {id: inactive, when: 'none(events, .time > at - duration("30d"))', points: -10}
`
	rs := mustRules(t, src)
	lead := map[string]any{"events": []any{map[string]any{"type": "webinar", "time": at.Add(-40 * 24 * time.Hour).Format(time.RFC3339)}}}
	res, err := rs.Score(context.Background(), lead, at)
	if err != nil {
		t.Fatal(err)
	}
	web := 12 * math.Exp2(-40.0/30)
	if s := res.Scores[0]; s.Value != 0 || math.Abs(s.Raw-(web-10)) > 1e-12 || len(s.Contributions()) != 2 {
		t.Fatalf("%+v; want raw %v, value 0", s, web-10)
	}
	// 20 days after the webinar: 12 × 2^(−20/30) = 7.5595 and active.
	res, _ = rs.Score(context.Background(), lead, at.Add(-20*24*time.Hour))
	if got := res.Scores[0].Value; math.Abs(got-12*math.Exp2(-20.0/30)) > 1e-12 {
		t.Fatalf("20 days after: %v", got)
	}
}
