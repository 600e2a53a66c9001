package scoring

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// scoreBenchLead scores the benchmark's lead with its rules.
func scoreBenchLead(t testing.TB) *Result {
	t.Helper()
	var lead map[string]any
	if err := json.Unmarshal([]byte(benchLeadJSON), &lead); err != nil {
		t.Fatal(err)
	}
	res, err := mustRules(t, benchFitRules).Score(context.Background(), lead, at)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// resultJSON spells out every exported field of Result, in order, under
// the same JSON tag, plus the stage inputs: a field added to Result and
// forgotten here would vanish from decoded results.
func TestResultJSONMirrorsResult(t *testing.T) {
	rt, jt := reflect.TypeFor[Result](), reflect.TypeFor[resultJSON]()
	var want []string
	for f := range rt.Fields() {
		if f.IsExported() {
			want = append(want, f.Name+" "+f.Tag.Get("json"))
		}
		if f.Name == "StageRule" {
			want = append(want, `StageInputs stage_inputs,omitempty`)
		}
	}
	var got []string
	for f := range jt.Fields() {
		got = append(got, f.Name+" "+f.Tag.Get("json"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("resultJSON fields:\n%s\nwant (Result's):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The trace of a scored lead, read back: the contributions and inputs are
// those of the rules (bench rules, lead ana@bank.com worked by hand: r01
// company_size 2500 ≥ 1000 → 25; r04 banking in industries → 20; r05 DE in
// countries → 10; r06 vp → 15; r08 marketing → 10; r11 450000000/1e7 = 45
// capped at 10; r12 salesforce → 4; r15 banking → 5; r16 "VP Marketing"
// startsWith VP → 4: 103, clamped to 100).
func TestTraceReadBack(t *testing.T) {
	res := scoreBenchLead(t)
	s := res.Scores[0]
	if s.Value != 100 || s.Raw != 103 {
		t.Fatalf("fit %v raw %v, want 100 and 103", s.Value, s.Raw)
	}
	cs := s.Contributions()
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.Rule)
	}
	if got := strings.Join(ids, " "); got != "r01 r04 r05 r06 r08 r11 r12 r15 r16" {
		t.Fatalf("rules fired: %s", got)
	}
	if c := cs[5]; c.Points != 10 || !c.Capped || len(c.Inputs) != 1 || c.Inputs[0].Field != "annual_revenue" || c.Inputs[0].Value.Interface() != 450000000.0 {
		t.Errorf("r11: %+v", c)
	}
	if c := cs[0]; len(c.Inputs) != 1 || c.Inputs[0].Field != "company_size" || c.Inputs[0].Value.Interface() != 2500 {
		t.Errorf("r01: %+v", c)
	}
	// Each call builds a new slice: the caller may modify it.
	cs[0].Rule, cs[0].Inputs[0].Field = "changed", "changed"
	if again := s.Contributions(); again[0].Rule != "r01" || again[0].Inputs[0].Field != "company_size" {
		t.Errorf("Contributions shares memory between calls: %+v", again[0])
	}
	if !res.Fired("r16") || res.Fired("r02") || res.Fired("nope") {
		t.Error("Fired disagrees with the contributions")
	}
	// The stage rule's inputs: mql (scores.fit ≥ 50) read scores.fit, 100.
	if in := res.StageInputs(); res.Stage != "mql" || len(in) != 1 || in[0].Field != "scores.fit" || in[0].Value.Interface() != 100.0 {
		t.Errorf("stage %s inputs %+v", res.Stage, in)
	}
}

// A result decoded from JSON keeps its trace as decoded: the accessors,
// Fired and the encoding read it.
func TestDecodedResult(t *testing.T) {
	res := scoreBenchLead(t)
	b := res.AppendJSON(nil)
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.AppendJSON(nil), b) {
		t.Fatalf("decoded result encodes differently:\n%s\n%s", back.AppendJSON(nil), b)
	}
	if !back.Fired("r16") || back.Fired("r02") || len(back.Scores[0].Contributions()) != 9 || len(back.StageInputs()) != 1 {
		t.Error("decoded trace not read")
	}
	// (The explanation may print a number differently: JSON does not
	// say a whole float was a float.)
	if ex := back.Explain(); !strings.Contains(ex, `r16                  +4.0  job_title="VP Marketing"`) || !strings.Contains(ex, "set by mql: scores.fit=100") {
		t.Errorf("explanation of the decoded result:\n%s", ex)
	}
	// A score alone encodes as its part of the result.
	sb, err := json.Marshal(res.Scores[0])
	if err != nil || !bytes.Contains(b, sb) {
		t.Fatalf("score JSON %s (%v) not in %s", sb, err, b)
	}
	var s Score
	if err := json.Unmarshal(sb, &s); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(s); !bytes.Equal(again, sb) {
		t.Errorf("score round trip: %s, want %s", again, sb)
	}
}

// Scores built by hand, and moved between results.
func TestHandMadeScores(t *testing.T) {
	r := &Result{Version: "v", At: at, Scores: []Score{{Name: "bare", Value: 1, Raw: 1},
		NewScore("made", 2, 2, []Contribution{{Rule: "x", Points: 2}})}}
	if r.Scores[0].Contributions() != nil {
		t.Error("a bare Score has contributions")
	}
	if !r.Fired("x") || r.Fired("y") {
		t.Error("Fired does not read a NewScore")
	}
	want := `{"version":"v","hash":"","at":"2026-11-23T12:00:00Z","scores":[{"name":"bare","value":1,"raw":1,"contributions":null},{"name":"made","value":2,"raw":2,"contributions":[{"rule":"x","points":2}]}],"stage_changed":false}`
	if got := string(r.AppendJSON(nil)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got, err := json.Marshal(r); err != nil || string(got) != want {
		t.Errorf("json.Marshal: %s (%v)", got, err)
	}
}

// FuzzResultJSON: any bytes that decode as a Result encode to JSON that
// decodes to the same result.
func FuzzResultJSON(f *testing.F) {
	res := scoreBenchLead(f)
	f.Add(res.AppendJSON(nil))
	f.Add([]byte(`{"scores":[{"name":"a","contributions":[{"rule":"r","points":1e308,"inputs":[{"field":"f","value":[1,"x"]}]}]}],"stage_inputs":[]}`))
	f.Add([]byte(`{"at":"0001-01-01T00:00:00Z","scores":null,"left":{"stage":"x","left_at":"2026-01-01T00:00:00Z"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r Result
		if json.Unmarshal(b, &r) != nil {
			return
		}
		out, err := json.Marshal(&r)
		if err != nil {
			return // a value encoding/json refuses too (a time past year 9999)
		}
		var back Result
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if again, err := json.Marshal(&back); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not stable:\n%s\n%s (%v)", out, again, err)
		}
	})
}
