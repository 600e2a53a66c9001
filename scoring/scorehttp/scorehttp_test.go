package scorehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/scorehttp"
)

const rules = `version: "h1"
name: http
fields:
  email: {type: string, required: true}
  company_size: {type: int, default: 0}
  created_at: time
scores:
  fit:
    rules:
      - {id: enterprise, when: company_size >= 1000, points: 25}
      - {id: fresh, when: 'at - created_at < duration("24h")', points: 5}
`

// clock is the handler's clock in these tests: 2026-11-23T09:00:00Z.
var clock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newHandler(t testing.TB, opts ...scorehttp.Option) http.Handler {
	t.Helper()
	rs, err := scoring.Parse("rules.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]scorehttp.Option{scorehttp.WithClock(func() time.Time { return clock })}, opts...)
	return scorehttp.Handler(scoring.NewEngine(rs), opts...)
}

type call struct {
	method, target, ctype, body string
}

func do(h http.Handler, c call) *httptest.ResponseRecorder {
	if c.method == "" {
		c.method = http.MethodPost
	}
	if c.target == "" {
		c.target = "/score"
	}
	req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
	if c.ctype != "-" {
		if c.ctype == "" {
			c.ctype = "application/json"
		}
		req.Header.Set("Content-Type", c.ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorBody(t *testing.T, rec *httptest.ResponseRecorder) scorehttp.ErrorBody {
	t.Helper()
	var b scorehttp.ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	if b.Status != rec.Code || len(b.Errors) == 0 {
		t.Fatalf("error body %+v for status %d", b, rec.Code)
	}
	return b
}

func TestScoreOne(t *testing.T) {
	h := newHandler(t)
	// company_size 4200 ≥ 1000: 25; created 2026-11-23T08:00, one hour
	// before the clock's 09:00 (< 24h): 5. fit = 30.
	rec := do(h, call{body: `{"id": "L-1", "email": "a@bank.com", "company_size": 4200, "created_at": "2026-11-23T08:00:00Z"}`})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("%d %s: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var got scorehttp.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if fit, _ := got.Result.Score("fit"); fit != 30 || got.Result.LeadID != "L-1" || got.Result.Version != "h1" || !got.Result.At.Equal(clock) {
		t.Errorf("result %+v, want fit 30 for L-1 on h1 at the clock's time", got.Result)
	}
	if !strings.HasPrefix(got.Explanation, "why L-1 scored") || !strings.Contains(got.Explanation, "    enterprise          +25.0  company_size=4200\n") {
		t.Errorf("explanation:\n%s", got.Explanation)
	}
	// The JSON of the result is the library's own.
	var raw map[string]json.RawMessage
	json.Unmarshal(rec.Body.Bytes(), &raw)
	res, _ := json.Marshal(got.Result)
	if string(raw["result"]) != string(res) {
		t.Errorf("result JSON %s, want the library's %s", raw["result"], res)
	}
}

func TestScoreArrayAndAt(t *testing.T) {
	h := newHandler(t)
	// at=2026-11-25T09:00Z. L-1: size 4200: 25; created 2026-11-23T08:00,
	// 49h before at (≥ 24h): no fresh points; 25. L-2: size 10: 0;
	// created 2026-11-24T10:00, 23h before at (< 24h): fresh 5; 5.
	rec := do(h, call{target: "/score?at=2026-11-25T09:00:00Z", ctype: "application/json; charset=UTF-8", body: "\ufeff[\n" +
		`{"id": "L-1", "email": "a@bank.com", "company_size": 4200, "created_at": "2026-11-23T08:00:00Z"},` + "\n" +
		`{"id": "L-2", "email": "b@shop.com", "company_size": 10, "created_at": "2026-11-24T10:00:00Z"}` + "\n]"})
	if rec.Code != http.StatusOK {
		t.Fatalf("%d: %s", rec.Code, rec.Body)
	}
	var got []scorehttp.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id  string
		fit float64
	}{{"L-1", 25}, {"L-2", 5}}
	if len(got) != len(want) {
		t.Fatalf("%d results, want 2", len(got))
	}
	for i, w := range want {
		fit, _ := got[i].Result.Score("fit")
		if got[i].Result.LeadID != w.id || fit != w.fit || got[i].Result.At.Format(time.RFC3339) != "2026-11-25T09:00:00Z" {
			t.Errorf("result %d: %s fit %v at %v, want %s %v at the at parameter", i, got[i].Result.LeadID, fit, got[i].Result.At, w.id, w.fit)
		}
	}
}

func TestStatusCodes(t *testing.T) {
	tests := []struct {
		name   string
		opts   []scorehttp.Option
		call   call
		status int
		want   scorehttp.Problem // the first problem; Index -1 for none
		index  int
	}{
		{name: "GET", call: call{method: http.MethodGet}, status: 405,
			want: scorehttp.Problem{Message: "method GET not allowed: POST a JSON lead or array of leads"}, index: -1},
		{name: "form", call: call{ctype: "application/x-www-form-urlencoded", body: "a=1"}, status: 415,
			want: scorehttp.Problem{Message: "Content-Type application/x-www-form-urlencoded is not JSON: send application/json"}, index: -1},
		{name: "no content type", call: call{ctype: "-", body: "{}"}, status: 415,
			want: scorehttp.Problem{Message: "missing Content-Type: send application/json"}, index: -1},
		{name: "latin1", call: call{ctype: "application/json; charset=latin1", body: "{}"}, status: 415,
			want: scorehttp.Problem{Message: "charset latin1 not supported: send UTF-8"}, index: -1},
		// `{"email": }`: the '}' is the 11th byte of line 2.
		{name: "malformed", call: call{body: "\n{\"email\": }"}, status: 400,
			want: scorehttp.Problem{Message: "request body: invalid JSON: invalid character '}' looking for beginning of value", Code: "syntax", Line: 2, Column: 11}, index: -1},
		{name: "truncated", call: call{body: `{"email": "a@b.c"`}, status: 400,
			want: scorehttp.Problem{Message: "request body: invalid JSON: unexpected end of JSON input", Code: "syntax", Line: 1, Column: 18}, index: -1},
		// the second value starts at byte 20 (1-based) of line 1.
		{name: "two values", call: call{body: `{"email": "a@b.c"} {}`}, status: 400,
			want: scorehttp.Problem{Message: "request body: data after the JSON value (send one lead object or one array)", Code: "syntax", Line: 1, Column: 20}, index: -1},
		{name: "empty", call: call{body: " \n"}, status: 400,
			want: scorehttp.Problem{Message: "request body: empty: POST a JSON lead or array of leads", Code: "syntax"}, index: -1},
		{name: "bad at", call: call{target: "/score?at=yesterday", body: `{}`}, status: 400,
			want: scorehttp.Problem{Message: `query parameter at: want an RFC 3339 time such as 2026-11-23T09:00:00Z, got "yesterday"`, Code: "invalid"}, index: -1},
		// 64 bytes allowed; the body is 65.
		{name: "too big", opts: []scorehttp.Option{scorehttp.MaxBodyBytes(64)}, call: call{body: `{"email": "` + strings.Repeat("x", 52) + `"}`}, status: 413,
			want: scorehttp.Problem{Message: "request body longer than 64 bytes (MaxBodyBytes)", Code: "limit"}, index: -1},
		{name: "missing field", call: call{body: `{"company_size": 3}`}, status: 422,
			want: scorehttp.Problem{Message: `lead field "email": required field is missing`, Code: "lead", Field: "email"}, index: -1},
		{name: "wrong type", call: call{body: `{"email": "a@b.c", "company_size": 1.5}`}, status: 422,
			want: scorehttp.Problem{Message: `lead field "company_size": want int, got 1.5`, Code: "lead", Field: "company_size"}, index: -1},
		{name: "array, second invalid", call: call{body: `[{"email": "a@b.c"}, {"email": 7}]`}, status: 422,
			want: scorehttp.Problem{Message: `lead field "email": want string, got number 7`, Code: "lead", Field: "email"}, index: 1},
		{name: "not an object", call: call{body: `[42]`}, status: 422,
			want: scorehttp.Problem{Code: "lead"}, index: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(newHandler(t, tc.opts...), tc.call)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			b := errorBody(t, rec)
			got := b.Errors[0]
			if tc.index >= 0 && (got.Index == nil || *got.Index != tc.index) || tc.index < 0 && got.Index != nil {
				t.Errorf("index %v, want %d", got.Index, tc.index)
			}
			got.Index = nil
			if tc.want.Message == "" {
				tc.want.Message = got.Message
			}
			if got != tc.want {
				t.Errorf("problem\n%+v\nwant\n%+v", got, tc.want)
			}
			if tc.status == 405 && rec.Header().Get("Allow") != "POST" {
				t.Errorf("Allow = %q", rec.Header().Get("Allow"))
			}
		})
	}
}

// TestEveryInvalidLead: every invalid lead of an array is reported, in
// order, and no result is returned.
func TestEveryInvalidLead(t *testing.T) {
	rec := do(newHandler(t), call{body: `[{}, {"email": "ok@x.io"}, {"email": "x", "created_at": "soon"}]`})
	b := errorBody(t, rec)
	if rec.Code != 422 || len(b.Errors) != 2 || *b.Errors[0].Index != 0 || *b.Errors[1].Index != 2 || b.Errors[1].Field != "created_at" {
		t.Errorf("%d %+v, want 422 for leads 0 and 2", rec.Code, b)
	}
}

func TestGoneClient(t *testing.T) {
	h := newHandler(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodPost, "/score", strings.NewReader(`{"email": "a@b.c"}`)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503: %s", rec.Code, rec.Body)
	}
}

// TestReload: a request is scored on the rule set serving when it arrives.
func TestReload(t *testing.T) {
	rs := scoring.MustParse("rules.yaml", []byte(rules))
	e := scoring.NewEngine(rs)
	h := scorehttp.Handler(e, scorehttp.WithClock(func() time.Time { return clock }))
	if err := e.Reload("v2.yaml", []byte(strings.Replace(rules, `"h1"`, `"h2"`, 1))); err != nil {
		t.Fatal(err)
	}
	rec := do(h, call{body: `{"email": "a@b.c"}`})
	var got scorehttp.Response
	json.Unmarshal(rec.Body.Bytes(), &got)
	if rec.Code != 200 || got.Result.Version != "h2" {
		t.Errorf("%d version %v, want 200 on h2", rec.Code, got.Result)
	}
}

func ExampleHandler() {
	rules, err := scoring.Parse("rules.yaml", []byte(`version: "1"
fields:
  email: {type: string, required: true}
  company_size: {type: int, default: 0}
scores:
  fit:
    rules:
      - {id: enterprise, when: company_size >= 1000, points: 25}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(scorehttp.Handler(scoring.NewEngine(rules)))
	defer srv.Close()

	post := func(body string) {
		resp, err := http.Post(srv.URL+"?at=2026-11-23T09:00:00Z", "application/json", strings.NewReader(body))
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			var e scorehttp.ErrorBody
			json.NewDecoder(resp.Body).Decode(&e)
			fmt.Println(resp.StatusCode, e.Errors[0].Field, e.Errors[0].Message)
			return
		}
		var r scorehttp.Response
		json.NewDecoder(resp.Body).Decode(&r)
		fit, _ := r.Result.Score("fit")
		fmt.Println(resp.StatusCode, r.Result.LeadID, fit, r.Result.At.Format(time.RFC3339))
		fmt.Print(strings.SplitAfterN(r.Explanation, "\n", 4)[2]) // the contribution line
	}
	post(`{"id": "L-1", "email": "ana@bank.com", "company_size": 4200}`)
	post(`{"id": "L-2", "company_size": 12}`)
	// Output:
	// 200 L-1 25 2026-11-23T09:00:00Z
	//     enterprise          +25.0  company_size=4200
	// 422 email lead field "email": required field is missing
}

// TestBounds: an array over MaxLeads is refused before scoring; an array
// of many invalid leads is answered with the first 100 and a note.
func TestBounds(t *testing.T) {
	three := `[{"email": "a"}, {"email": "b"}, {"email": "c"}]`
	rec := do(newHandler(t, scorehttp.MaxLeads(2)), call{body: three})
	if b := errorBody(t, rec); rec.Code != 413 || b.Errors[0].Message != "request body: 3 leads, more than the limit of 2 (MaxLeads)" {
		t.Errorf("%d %+v", rec.Code, b)
	}
	if rec := do(newHandler(t, scorehttp.MaxLeads(3)), call{body: three}); rec.Code != 200 {
		t.Errorf("3 leads with MaxLeads(3): %d %s", rec.Code, rec.Body)
	}
	// 150 leads without the required email: problems for leads 0..99,
	// then the note (101 problems in all).
	rec = do(newHandler(t), call{body: "[" + strings.TrimSuffix(strings.Repeat("{},", 150), ",") + "]"})
	b := errorBody(t, rec)
	if rec.Code != 422 || len(b.Errors) != 101 || *b.Errors[99].Index != 99 || b.Errors[100].Index != nil ||
		b.Errors[100].Message != "more than 100 invalid leads: the rest of the array was not checked" {
		t.Errorf("%d, %d problems, last %+v", rec.Code, len(b.Errors), b.Errors[len(b.Errors)-1])
	}
}

// TestRuleFailure: a rule that fails on a lead (int overflow: 4 × 2^62 =
// 2^64 does not fit in 64 bits) is a 422 naming the rule.
func TestRuleFailure(t *testing.T) {
	rs := scoring.MustParse("r.yaml", []byte("version: e\nfields: {n: int}\nscores:\n  s:\n    rules:\n      - {id: big, when: n * 4611686018427387904 > 0, points: 1}\n"))
	h := scorehttp.Handler(scoring.NewEngine(rs), scorehttp.WithClock(func() time.Time { return clock }))
	rec := do(h, call{body: `{"n": 4}`})
	b := errorBody(t, rec)
	if rec.Code != 422 || b.Errors[0].Rule != "big" || b.Errors[0].Code != "eval" || !strings.HasPrefix(b.Errors[0].Message, "r.yaml:6:") {
		t.Errorf("%d %+v, want 422 for rule big at its position", rec.Code, b)
	}
	if rec := do(h, call{body: `{"n": 1}`}); rec.Code != 200 { // 2^62 fits
		t.Errorf("n=1: %d %s", rec.Code, rec.Body)
	}
}
