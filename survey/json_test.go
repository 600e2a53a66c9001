package survey

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The Report's JSON decodes back into an equal Report: every field has a
// name, and Method reads its own text.
func TestReportJSONRoundTrip(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	b := tenResponses(t, s)
	for _, opts := range [][]ReportOption{
		{WithInvited(40)},
		{WithBreakdown("wave"), WithThreshold(3)},
		{WithWave("W2"), WithBreakdown("team"), WithLevel(0.9), WithThreshold(MinThreshold)},
		{WithThreshold(50)}, // suppressed
	} {
		rep, err := s.Report(context.Background(), b, opts...)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(rep, &back); diff != "" {
			t.Errorf("round trip (-library +decoded):\n%s", diff)
		}
	}
}

func keys(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

// The JSON names are the ones the type docs promise, snake_case.
func TestReportJSONNames(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	b := tenResponses(t, s)
	rep, err := s.Report(context.Background(), b, WithWave("W2"), WithInvited(40), WithBreakdown("wave"), WithThreshold(5))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var top struct {
		Questions []json.RawMessage
		Trends    []struct {
			Waves []json.RawMessage
		}
		Breakdown json.RawMessage
	}
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	var q0 struct {
		Distribution []json.RawMessage
		ENPS         json.RawMessage `json:"enps"`
		Wald         json.RawMessage
	}
	if err := json.Unmarshal(top.Questions[0], &q0); err != nil {
		t.Fatal(err)
	}
	var bd struct{ Groups []json.RawMessage }
	if err := json.Unmarshal(top.Breakdown, &bd); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		raw  json.RawMessage
		want string
	}{
		{"Report", data, "accepted breakdown cadence invited level questions read rejected repeat_respondents respondents response_rate responses survey threshold trends wave waves"},
		{"QuestionStats (enps)", top.Questions[0], "adjusted_wald answered distribution enps id mean skipped type wald"},
		{"QuestionStats (likert)", top.Questions[1], "answered distribution favourable id mean neutral skipped type unfavourable"},
		{"QuestionStats (text)", top.Questions[4], "answered comments id skipped type"},
		{"Bucket", q0.Distribution[0], "answer count"},
		{"NPS", q0.ENPS, "detractor_share detractors n passive_share passives promoter_share promoters score std_err variance"},
		{"Interval", q0.Wald, "centre level lower method n std_err upper variance"},
		{"WaveScore", top.Trends[0].Waves[1], "adjusted_wald change enps respondents wald wave"},
		{"Breakdown", top.Breakdown, "by groups"},
		{"Group", bd.Groups[0], "questions respondents responses value"},
	} {
		if got := keys(t, c.raw); got != c.want {
			t.Errorf("%s keys = %s, want %s", c.what, got, c.want)
		}
	}
	// Trend and Difference, from the W2 wave's change.
	var all struct {
		Trends []json.RawMessage
	}
	var tr struct {
		Waves []struct{ Change json.RawMessage }
	}
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(all.Trends[0], &tr); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, all.Trends[0]); got != "question waves" {
		t.Errorf("Trend keys = %s", got)
	}
	if got := keys(t, tr.Waves[1].Change); got != "delta level lower p significant std_err upper z" {
		t.Errorf("Difference keys = %s", got)
	}
}

func TestMethodText(t *testing.T) {
	for _, m := range []Method{Wald, AdjustedWald} {
		text, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Method
		if err := back.UnmarshalText(text); err != nil || back != m {
			t.Errorf("%s: back %v, %v", text, back, err)
		}
	}
	var m Method
	if err := m.UnmarshalText([]byte("bayes")); err == nil {
		t.Error("bayes: no error")
	}
}

// Rejections, Responses, Questions and Scales have JSON names too.
func TestValueJSON(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	b, err := s.Check(context.Background(), []Response{{Respondent: "a", Wave: "W1", Answers: map[string]string{"enps": "11", "tools": "3"}}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(b.Rejected()[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"record":1,"respondent":"a","errors":[{"code":"invalid","kind":"response","id":"1","message":"question \"enps\": value 11 out of range 0–10"}]}`
	if string(data) != want {
		t.Errorf("rejection JSON\n got %s\nwant %s", data, want)
	}
	q, _ := s.Question("blocker")
	data, _ = json.Marshal(q)
	if want := `{"id":"blocker","type":"choice","text":"What slows you down most?","options":["CRM hygiene","Lead quality","Approvals","Nothing"],"optional":true}`; string(data) != want {
		t.Errorf("question JSON\n got %s\nwant %s", data, want)
	}
	data, _ = json.Marshal(Standard)
	if want := `{"min":0,"max":10,"detractor_max":6,"promoter_min":9}`; string(data) != want {
		t.Errorf("scale JSON %s", data)
	}
}
