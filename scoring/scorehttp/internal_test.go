package scorehttp

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/revengine/revengine/scoring"
)

// TestInternalError: a bug in the library (ErrInternal, which no input can
// trigger on purpose) is a 500 whose details go to the error log, never
// to the client.
func TestInternalError(t *testing.T) {
	var logged error
	h := Handler(scoring.NewEngine(scoring.MustParse("r.yaml", []byte("version: x\n"))),
		WithErrorLog(func(_ *http.Request, err error) { logged = err })).(*handler)
	bug := &scoring.Error{Code: scoring.CodeInternal, Err: scoring.ErrInternal, Msg: "panic: secret stack"}
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	status, p := h.problem(req, bug)
	if status != http.StatusInternalServerError || p.Message != "internal error" || p.Code != "internal" {
		t.Errorf("status %d problem %+v, want 500 internal error", status, p)
	}
	if !errors.Is(logged, scoring.ErrInternal) {
		t.Errorf("logged %v, want the internal error", logged)
	}
	rec := httptest.NewRecorder()
	fail(rec, status, p)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// FuzzHandler: any body gets a JSON answer with a status of the protocol,
// never a 500, and a 400 for a body that does not parse has a position
// within the body.
func FuzzHandler(f *testing.F) {
	for _, s := range []string{`{"email": "a@b.c"}`, `[{"email": "a@b.c"}, {}]`, "\ufeff[\n{\"email\": }", `{} {}`, `[`, `"x"`, `null`, `[]`, ` `} {
		f.Add([]byte(s))
	}
	rs := scoring.MustParse("r.yaml", []byte("version: x\nfields: {email: {type: string, required: true}, n: int, t: time, l: list}\nscores: {s: {rules: [{id: r, points: n}]}}\n"))
	h := Handler(scoring.NewEngine(rs), MaxBodyBytes(1<<12))
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/?at=2026-01-01T00:00:00Z", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 413, 422:
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("answer is not JSON: %q", rec.Body)
		}
		if rec.Code == 400 {
			var e ErrorBody
			json.Unmarshal(rec.Body.Bytes(), &e)
			p := e.Errors[0]
			lines := 1 + strings.Count(string(body), "\n")
			if p.Line > lines || p.Line < 0 || (p.Line > 0 && p.Column < 1) {
				t.Fatalf("position %d:%d outside a body of %d lines", p.Line, p.Column, lines)
			}
		}
	})
}
