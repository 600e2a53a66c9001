package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var at = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const testRules = `
version: "t1"
name: test
fields:
  email: {type: string, required: true}
  domain: string
  size: {type: int, default: 10}
  revenue: float
  industry: {type: string, default: "unknown"}
  tags: list
  opted_out: bool
  accepted: bool
event_types: [page_view, demo, webinar]
event_fields:
  url: string
lists:
  free: [gmail.com, yahoo.com]
  targets: [fintech, saas]
scores:
  fit:
    min: 0
    max: 50
    rules:
      - id: big
        when: size >= 1000
        points: 30
      - id: target
        when: industry in lists.targets
        points: 15
      - id: free-mail
        when: domain in lists.free
        points: -20
      - id: per-hundred
        when: size > 0
        points: size / 100
        cap: 8
      - id: tagged
        when: '"vip" in tags'
        points: 5
  engagement:
    rules:
      - id: pricing
        on: page_view
        when: event.url contains "/pricing"
        points: 10
        half_life: 10d
        cap: 15
      - id: demo
        on: demo
        points: 40
        within: 30d
      - id: webinar
        on: webinar
        points: 8
      - id: opted-out
        when: opted_out
        points: -5
grades:
  - {grade: A, when: scores.fit >= 40}
  - {grade: B, when: scores.fit >= 20}
  - {grade: C}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 20 && scores.engagement >= 30
    sla: 24h
  - id: sal
    when: stage == "mql" && accepted
disqualify:
  - id: competitor
    when: domain == "rival.io"
recycle:
  - id: cold
    when: stage == "mql" && scores.engagement < 5
    to: lead
`

func mustRules(t testing.TB, src string, opts ...Option) *RuleSet {
	t.Helper()
	rs, err := Parse("test.yaml", []byte(src), opts...)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return rs
}

func ev(typ string, age time.Duration, url string) map[string]any {
	m := map[string]any{"type": typ, "time": at.Add(-age).Format(time.RFC3339Nano)}
	if url != "" {
		m["url"] = url
	}
	return m
}

const day = 24 * time.Hour

func TestScores(t *testing.T) {
	rs := mustRules(t, testRules)
	tests := []struct {
		name       string
		lead       map[string]any
		fit, eng   float64
		grade      string
		stage      string
		fired      []string
		notFired   []string
		contribFit map[string]float64
	}{
		{
			name: "defaults only",
			lead: map[string]any{"email": "a@b.c"},
			// size defaults to 10: per-hundred = 10/100 = 0.1; industry "unknown" is no target.
			fit: 0.1, eng: 0, grade: "C", stage: "lead",
			fired: []string{"per-hundred"}, notFired: []string{"big", "target", "tagged"},
		},
		{
			name: "enterprise fintech",
			lead: map[string]any{"email": "a@bank.com", "size": 5000.0, "industry": "fintech", "tags": []any{"vip"}},
			// 30 (big) + 15 (target) + min(5000/100, 8) = 8 (cap) + 5 (tagged) = 58, clamped to max 50.
			fit: 50, eng: 0, grade: "A", stage: "lead",
			contribFit: map[string]float64{"big": 30, "target": 15, "per-hundred": 8, "tagged": 5},
		},
		{
			name: "free mail clamps at min",
			lead: map[string]any{"email": "a@gmail.com", "domain": "gmail.com", "size": 1.0},
			// -20 + 1/100 = -19.99, clamped to min 0.
			fit: 0, eng: 0, grade: "C", stage: "lead",
		},
		{
			name: "events with decay, window and cap",
			lead: map[string]any{"email": "a@b.c", "size": 0.0, "events": []any{
				ev("page_view", 0, "/pricing"),      // 10 × 2^0 = 10
				ev("page_view", 10*day, "/pricing"), // 10 × 2^-1 = 5
				ev("page_view", 20*day, "/pricing"), // 10 × 2^-2 = 2.5 → 17.5 capped at 15
				ev("page_view", 1*day, "/blog"),     // no match
				ev("demo", 29*day, ""),              // within 30d: 40
				ev("demo", 31*day, ""),              // outside the window
				ev("webinar", -1*day, ""),           // in the future: not yet happened
				ev("webinar", 400*day, ""),          // no decay, no window: 8
			}},
			// fit: size 0 → per-hundred does not fire (size > 0 false) → 0.
			// engagement: 15 + 40 + 8 = 63 (no clamp).
			fit: 0, eng: 63, grade: "C", stage: "lead",
		},
		{
			name: "becomes mql",
			lead: map[string]any{"email": "a@b.c", "size": 2000.0, "events": []any{ev("demo", day, "")}},
			// fit 30 + 8 = 38 → B; engagement 40 → mql.
			fit: 38, eng: 40, grade: "B", stage: "mql",
		},
		{
			name: "negative points",
			lead: map[string]any{"email": "a@b.c", "size": 0.0, "opted_out": true},
			fit:  0, eng: -5, grade: "C", stage: "lead",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := rs.Score(context.Background(), tt.lead, at)
			if err != nil {
				t.Fatal(err)
			}
			fit, _ := res.Score("fit")
			eng, _ := res.Score("engagement")
			if math.Abs(fit-tt.fit) > 1e-9 || math.Abs(eng-tt.eng) > 1e-9 {
				t.Errorf("fit, engagement = %v, %v; want %v, %v", fit, eng, tt.fit, tt.eng)
			}
			if res.Grade != tt.grade || res.Stage != tt.stage {
				t.Errorf("grade, stage = %q, %q; want %q, %q", res.Grade, res.Stage, tt.grade, tt.stage)
			}
			for _, r := range tt.fired {
				if !res.Fired(r) {
					t.Errorf("rule %s did not fire", r)
				}
			}
			for _, r := range tt.notFired {
				if res.Fired(r) {
					t.Errorf("rule %s fired", r)
				}
			}
			if tt.contribFit != nil {
				got := map[string]float64{}
				for _, c := range res.Scores[0].Contributions() {
					got[c.Rule] = c.Points
				}
				if diff := cmp.Diff(tt.contribFit, got); diff != "" {
					t.Errorf("fit contributions (-want +got):\n%s", diff)
				}
			}
			if res.Version != "t1" || len(res.Hash) != len("sha256:")+64 {
				t.Errorf("version, hash = %q, %q", res.Version, res.Hash)
			}
		})
	}
}

// TestDecay checks behavioural decay against the half-life formula
// points × 2^(−age/half_life), at ages that are not whole half-lives.
func TestDecay(t *testing.T) {
	rs := mustRules(t, testRules)
	for _, age := range []time.Duration{0, 36 * time.Hour, 7 * day, 13*day + 5*time.Hour} {
		lead := map[string]any{"email": "x", "events": []any{ev("page_view", age, "/pricing")}}
		res, err := rs.Score(context.Background(), lead, at)
		if err != nil {
			t.Fatal(err)
		}
		want := 10 * math.Pow(0.5, age.Hours()/(10*24))
		got, _ := res.Score("engagement")
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("age %v: engagement = %v, want 10 × 0.5^(%v/240) = %v", age, got, age.Hours(), want)
		}
		c := res.Scores[1].Contributions()
		if len(c) != 1 || c[0].Rule != "pricing" || c[0].Events != 1 {
			t.Errorf("age %v: contributions = %+v", age, c)
		}
	}
}

func TestTrace(t *testing.T) {
	rs := mustRules(t, testRules)
	res, err := rs.Score(context.Background(), map[string]any{"id": "L9", "email": "e", "size": 1500.0, "industry": "saas"}, at)
	if err != nil {
		t.Fatal(err)
	}
	want := []Contribution{
		{Rule: "big", Points: 30, Inputs: []Input{{"size", intVal(1500)}}},
		{Rule: "target", Points: 15, Inputs: []Input{{"industry", strVal("saas")}}},
		// 1500/100 = 15, capped at 8.
		{Rule: "per-hundred", Points: 8, Capped: true, Inputs: []Input{{"size", intVal(1500)}}},
	}
	if diff := cmp.Diff(want, res.Scores[0].Contributions(), cmp.AllowUnexported(Value{})); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(res.Scores[0].Contributions()[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"rule":"big","points":30,"inputs":[{"field":"size","value":1500}]}` {
		t.Errorf("JSON = %s", got)
	}
	if res.LeadID != "L9" {
		t.Errorf("lead id = %q", res.LeadID)
	}
}

func TestStages(t *testing.T) {
	rs := mustRules(t, testRules)
	mqlLead := func(extra map[string]any) map[string]any {
		// fit 30 + 8 = 38, engagement 40: qualifies for mql.
		m := map[string]any{"email": "e", "size": 2000.0, "events": []any{ev("demo", day, "")}}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	entered := at.Add(-30 * time.Hour)
	tests := []struct {
		name      string
		lead      map[string]any
		stage     string
		prev      string
		changed   bool
		rule      string
		sla       SLA
		wantInput string
	}{
		{name: "new lead enters mql", lead: mqlLead(nil), stage: "mql", changed: true, rule: "mql",
			sla: SLA{Within: "24h", EnteredAt: at, Deadline: at.Add(24 * time.Hour)}, wantInput: "scores.fit"},
		{name: "mql stays, SLA breached", lead: mqlLead(map[string]any{"stage": "mql", "stage_entered_at": entered.Format(time.RFC3339)}),
			stage: "mql", prev: "mql", sla: SLA{Within: "24h", EnteredAt: entered, Deadline: entered.Add(24 * time.Hour), Breached: true}},
		{name: "accepted moves to sal", lead: mqlLead(map[string]any{"stage": "mql", "accepted": true}),
			stage: "sal", prev: "mql", changed: true, rule: "sal", wantInput: "stage"},
		{name: "never backwards", lead: map[string]any{"email": "e", "stage": "sal"}, stage: "sal", prev: "sal"},
		{name: "recycle", lead: map[string]any{"email": "e", "stage": "mql"}, stage: "lead", prev: "mql", changed: true, rule: "cold"},
		{name: "disqualify", lead: mqlLead(map[string]any{"domain": "rival.io", "stage": "sal"}), stage: DisqualifiedStage, prev: "sal", changed: true, rule: "competitor", wantInput: "domain"},
		{name: "disqualified stays", lead: mqlLead(map[string]any{"stage": DisqualifiedStage}), stage: DisqualifiedStage, prev: DisqualifiedStage},
		// The competitor rule still fires, so the recycle rule (engagement
		// < 5 from mql only) cannot bring it back; nothing changes.
		{name: "disqualified competitor stays", lead: map[string]any{"email": "e", "domain": "rival.io", "stage": DisqualifiedStage},
			stage: DisqualifiedStage, prev: DisqualifiedStage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := rs.Score(context.Background(), tt.lead, at)
			if err != nil {
				t.Fatal(err)
			}
			if res.Stage != tt.stage || res.PreviousStage != tt.prev || res.StageChanged != tt.changed || res.StageRule != tt.rule {
				t.Errorf("stage %q prev %q changed %v rule %q; want %q %q %v %q",
					res.Stage, res.PreviousStage, res.StageChanged, res.StageRule, tt.stage, tt.prev, tt.changed, tt.rule)
			}
			if res.SLA != tt.sla {
				t.Errorf("SLA = %+v, want %+v", res.SLA, tt.sla)
			}
			if tt.wantInput != "" {
				found := false
				for _, in := range res.StageInputs() {
					found = found || in.Field == tt.wantInput
				}
				if !found {
					t.Errorf("stage inputs %v lack %s", res.StageInputs(), tt.wantInput)
				}
			}
		})
	}
}

func TestLeadErrors(t *testing.T) {
	rs := mustRules(t, testRules)
	tests := []struct {
		name  string
		lead  any
		field string
	}{
		{"missing required", map[string]any{"size": 1.0}, "email"},
		{"int from fraction", map[string]any{"email": "e", "size": 1.5}, "size"},
		{"int from string", map[string]any{"email": "e", "size": "big"}, "size"},
		{"string from number", map[string]any{"email": 5.0}, "email"},
		{"list of numbers", map[string]any{"email": "e", "tags": []any{1.0}}, "tags"},
		{"bool from string", map[string]any{"email": "e", "accepted": "yes"}, "accepted"},
		{"unknown stage", map[string]any{"email": "e", "stage": "won"}, "stage"},
		{"event without time", map[string]any{"email": "e", "events": []any{map[string]any{"type": "demo"}}}, "events[0].time"},
		{"event bad time", map[string]any{"email": "e", "events": []any{map[string]any{"type": "demo", "time": "yesterday"}}}, "events[0].time"},
		{"event not object", map[string]any{"email": "e", "events": []any{"demo"}}, "events[0]"},
		{"events not list", map[string]any{"email": "e", "events": "demo"}, "events"},
		{"not a lead", 42, ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rs.Score(context.Background(), tt.lead, at)
			var le *Error
			if !errors.As(err, &le) || !errors.Is(err, ErrLead) || errors.Is(err, ErrInternal) {
				t.Fatalf("err = %v, want an *Error matching ErrLead", err)
			}
			if le.ID != tt.field {
				t.Errorf("field = %q, want %q (%v)", le.ID, tt.field, err)
			}
		})
	}
}

func TestMaxEvents(t *testing.T) {
	rs := mustRules(t, testRules, MaxEvents(2))
	lead := map[string]any{"email": "e", "events": []any{ev("demo", 0, ""), ev("demo", 0, ""), ev("demo", 0, "")}}
	if _, err := rs.Score(context.Background(), lead, at); !errors.Is(err, ErrLimit) {
		t.Errorf("err = %v, want ErrLimit", err)
	}
}

// TestEvalErrors: run-time failures are EvalErrors naming the rule and its
// position, the same on the fast path and on expr's VM.
func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name, rules string
		rule        string
		line, col   int
	}{
		// n/d with d = 0 is +Inf in expr: points must be finite. The
		// position is the expression's first character: 6 spaces, "- {" to
		// column 9, "id: ratio, points: " to column 28, n at 29.
		{"infinite points", "      - {id: ratio, points: n / d}\n", "ratio", 7, 29},
		// Integer modulo by zero is a run-time error in expr: "id: modulo,
		// when: " ends at column 27, n at 28.
		{"modulo by zero", "      - {id: modulo, when: n % d == 0, points: 1}\n", "modulo", 7, 28},
	}
	for _, tt := range tests {
		for _, fast := range []bool{true, false} {
			var opts []Option
			if !fast {
				opts = append(opts, WithFastPath(false))
			}
			rs := mustRules(t, "version: \"1\"\nfields: {n: int, d: int}\nscores:\n  s:\n    rules:\n\n"+tt.rules, opts...)
			_, err := rs.Score(context.Background(), map[string]any{"n": 1.0, "d": 0.0}, at)
			var ee *Error
			if !errors.As(err, &ee) || !errors.Is(err, ErrEval) || ee.Kind != "rule" || ee.ID != tt.rule || ee.Line != tt.line || ee.Column != tt.col {
				t.Errorf("%s, fast=%v: err = %v, want EvalError for %s at %d:%d", tt.name, fast, err, tt.rule, tt.line, tt.col)
			}
		}
	}
}

type structLead struct {
	ID       string
	Email    string `json:"email"`
	Size     int    `revengine:"size"`
	Industry *string
	Tags     []string
	Events   []Event
	Ignored  chan int
}

func TestStructAndLeadInput(t *testing.T) {
	rs := mustRules(t, testRules)
	ind := "saas"
	sl := structLead{ID: "S1", Email: "e", Size: 1000, Industry: &ind, Tags: []string{"vip"},
		Events: []Event{{Type: "demo", Time: at.Add(-day)}}}
	fromMap, err := rs.Score(context.Background(), map[string]any{"id": "S1", "email": "e", "size": 1000.0, "industry": "saas",
		"tags": []any{"vip"}, "events": []any{ev("demo", day, "")}}, at)
	if err != nil {
		t.Fatal(err)
	}
	for name, lead := range map[string]any{
		"struct":  sl,
		"pointer": &sl,
		"Lead": &Lead{ID: "S1", Fields: map[string]any{"email": "e", "size": 1000, "industry": "saas", "tags": []string{"vip"}},
			Events: []Event{{Type: "demo", Time: at.Add(-day)}}},
	} {
		got, err := rs.Score(context.Background(), lead, at)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Compared as JSON: every exported field, the trace spelled out.
		if diff := cmp.Diff(string(fromMap.AppendJSON(nil)), string(got.AppendJSON(nil))); diff != "" {
			t.Errorf("%s: differs from the map lead (-map +%s):\n%s", name, name, diff)
		}
	}
}

func TestResultJSONStable(t *testing.T) {
	rs := mustRules(t, testRules)
	lead := map[string]any{"email": "e", "size": 2000.0, "events": []any{ev("demo", day, "")}}
	a, _ := rs.Score(context.Background(), lead, at)
	b, _ := rs.Score(context.Background(), lead, at)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("same input, different output:\n%s\n%s", ja, jb)
	}
	var back map[string]any
	if err := json.Unmarshal(ja, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "hash", "at", "scores", "grade", "stage", "stage_changed", "sla"} {
		if _, ok := back[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, ja)
		}
	}
}

func TestCanceled(t *testing.T) {
	rs := mustRules(t, testRules)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rs.Score(ctx, map[string]any{"email": "e"}, at); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
