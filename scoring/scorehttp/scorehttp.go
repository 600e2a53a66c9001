// Package scorehttp serves lead scoring over HTTP: an http.Handler that
// scores the JSON leads POSTed to it with the rule set an Engine is
// serving, and answers with the library's Result JSON and its explanation.
//
//	rs, err := scoring.LoadFile("rules.yaml")
//	e := scoring.NewEngine(rs)
//	go e.Watch(ctx, "rules.yaml", 5*time.Second, logEvent) // hot reload
//	http.Handle("/score", scorehttp.Handler(e))
//
// # Requests
//
// POST a JSON lead object, or a JSON array of them, with Content-Type
// application/json (a charset parameter, when given, must be utf-8). The
// body is bounded (MaxBodyBytes, 1 MiB by default); a UTF-8 byte order
// mark is dropped. Leads have the shape scoring.ScoreLines reads: the
// declared fields and the reserved keys id, events, stage and
// stage_entered_at.
//
// The evaluation time is the query parameter at, in RFC 3339
// (?at=2026-11-23T09:00:00Z), or else the time the request is handled,
// from the clock of WithClock (time.Now by default). This handler is the
// one place where revengine reads a clock: it is the edge of the service,
// the library below it takes the time as an argument, and WithClock or at
// make a response reproducible.
//
// # Responses
//
// Every response is JSON (Content-Type application/json; charset=utf-8).
//
//	200  one lead: {"result": <scoring.Result>, "explanation": "why …"};
//	     an array: an array of those, in input order
//	400  a body that is not JSON, or more than one JSON value, or a bad at
//	405  a method other than POST (with an Allow header)
//	413  a body over MaxBodyBytes, an array over MaxLeads
//	415  a Content-Type other than JSON
//	422  a lead that is not valid for the rules (scoring.ErrLead) or on
//	     which a rule failed (scoring.ErrEval)
//	500  a bug (scoring.ErrInternal); the details go to the error log
//	     (WithErrorLog), not to the client
//	503  the request's context ended before the leads were scored
//
// Errors have the body ErrorBody: {"status": 422, "errors": [{"message":
// …, "code": …, "field": …, "index": …}]}, one Problem per invalid lead of
// an array (the first 100, then a note that the rest was not checked),
// each with the library's message. A request is all or nothing: when any
// lead of an array is invalid, no result is returned.
package scorehttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/revengine/revengine/scoring"
)

// Default bounds of a request.
const (
	DefaultMaxBodyBytes = 1 << 20 // bytes of a request body: 1 MiB
	DefaultMaxLeads     = 1000    // leads in one request's array
)

// maxProblems bounds the problems of one answer: an array of many
// invalid leads is not answered with a larger body still.
const maxProblems = 100

// Option configures Handler.
type Option func(*config)

type config struct {
	maxBody  int64
	maxLeads int
	now      func() time.Time
	evalOpts []scoring.EvalOption
	errorLog func(*http.Request, error)
}

// MaxBodyBytes bounds the request body (default DefaultMaxBodyBytes); a
// longer body is answered 413. n <= 0 means the default.
func MaxBodyBytes(n int64) Option { return func(c *config) { c.maxBody = n } }

// MaxLeads bounds the leads of one request's array (default
// DefaultMaxLeads); a longer array is answered 413, since each lead's
// answer is larger than the lead. n <= 0 means the default.
func MaxLeads(n int) Option { return func(c *config) { c.maxLeads = n } }

// WithClock sets the clock read for the evaluation time of a request
// without the at parameter (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithEvalOptions applies evaluation options (a routing rotation,
// availability) to every lead scored.
func WithEvalOptions(opts ...scoring.EvalOption) Option {
	return func(c *config) { c.evalOpts = append(c.evalOpts, opts...) }
}

// WithErrorLog sets where internal errors (500) are reported, with their
// full message; the client only learns that one happened. The default
// writes them to the standard logger.
func WithErrorLog(fn func(r *http.Request, err error)) Option {
	return func(c *config) { c.errorLog = fn }
}

// Response is the body of a 200 answer for one lead; an array of leads is
// answered with an array of them.
type Response struct {
	Result      *scoring.Result `json:"result"`
	Explanation string          `json:"explanation"` // Result.Explain
}

// ErrorBody is the body of every answer that is not 200.
type ErrorBody struct {
	Status int       `json:"status"` // the HTTP status code
	Errors []Problem `json:"errors"` // at least one
}

// Problem is one reason a request failed.
type Problem struct {
	Message string `json:"message"`          // the library's message: "lead field \"email\": required field is missing"
	Code    string `json:"code,omitempty"`   // the library's stable code: lead, eval, syntax, limit, ...
	Field   string `json:"field,omitempty"`  // the lead field, for a lead problem
	Rule    string `json:"rule,omitempty"`   // the rule, for a rule that failed
	Index   *int   `json:"index,omitempty"`  // the lead's 0-based index in a JSON array
	Line    int    `json:"line,omitempty"`   // for a body that does not parse: 1-based line
	Column  int    `json:"column,omitempty"` // and 1-based byte column
}

// Handler returns an http.Handler that scores the leads POSTed to it with
// the rule set e serves at the time of the request; see the package
// documentation for the protocol. Each request is scored on one rule set
// even when e reloads meanwhile. The handler is safe for concurrent use.
func Handler(e *scoring.Engine, opts ...Option) http.Handler {
	if e == nil {
		panic("scorehttp: Handler(nil)")
	}
	c := &config{maxBody: DefaultMaxBodyBytes, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	if c.maxLeads <= 0 {
		c.maxLeads = DefaultMaxLeads
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.errorLog == nil {
		c.errorLog = func(r *http.Request, err error) { log.Printf("scorehttp: %s %s: %v", r.Method, r.URL.Path, err) }
	}
	return &handler{e: e, c: c}
}

type handler struct {
	e *scoring.Engine
	c *config
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		fail(w, http.StatusMethodNotAllowed, Problem{Message: "method " + r.Method + " not allowed: POST a JSON lead or array of leads"})
		return
	}
	if msg := checkContentType(r.Header.Get("Content-Type")); msg != "" {
		fail(w, http.StatusUnsupportedMediaType, Problem{Message: msg})
		return
	}
	at, err := h.evalTime(r)
	if err != nil {
		fail(w, http.StatusBadRequest, Problem{Message: err.Error(), Code: string(scoring.CodeInvalid)})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.c.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, Problem{Code: string(scoring.CodeLimit),
				Message: "request body longer than " + strconv.FormatInt(h.c.maxBody, 10) + " bytes (MaxBodyBytes)"})
			return
		}
		fail(w, http.StatusBadRequest, Problem{Message: "reading the request body: " + err.Error()})
		return
	}
	leads, array, p := decodeBody(body)
	if p != nil {
		fail(w, http.StatusBadRequest, *p)
		return
	}
	if len(leads) > h.c.maxLeads {
		fail(w, http.StatusRequestEntityTooLarge, Problem{Code: string(scoring.CodeLimit),
			Message: "request body: " + strconv.Itoa(len(leads)) + " leads, more than the limit of " + strconv.Itoa(h.c.maxLeads) + " (MaxLeads)"})
		return
	}

	// One rule set for the whole request, even if the engine reloads.
	rs := h.e.RuleSet()
	out := make([]Response, len(leads))
	var problems []Problem
	status := 0 // the worst status of the problems
	for i, lead := range leads {
		var res *scoring.Result
		m, err := scoring.DecodeLead(lead)
		if err == nil {
			res, err = rs.Score(r.Context(), m, at, h.c.evalOpts...)
		}
		if err != nil {
			st, pr := h.problem(r, err)
			if array {
				pr.Index = &i
			}
			status = max(status, st)
			problems = append(problems, pr)
			if st >= http.StatusInternalServerError {
				break // a bug or a gone client: the rest would not be answered
			}
			if len(problems) == maxProblems && i < len(leads)-1 {
				problems = append(problems, Problem{Code: string(scoring.CodeLimit),
					Message: "more than " + strconv.Itoa(maxProblems) + " invalid leads: the rest of the array was not checked"})
				break
			}
			continue
		}
		out[i] = Response{Result: res, Explanation: res.Explain()}
	}
	if len(problems) > 0 {
		fail(w, status, problems...)
		return
	}
	if array {
		write(w, http.StatusOK, out)
		return
	}
	write(w, http.StatusOK, out[0])
}

// evalTime is the at parameter, or the clock's time.
func (h *handler) evalTime(r *http.Request) (time.Time, error) {
	q, err := urlQuery(r)
	if err != nil {
		return time.Time{}, err
	}
	vals, ok := q["at"]
	if !ok {
		return h.c.now().UTC(), nil
	}
	if len(vals) != 1 {
		return time.Time{}, errors.New("query parameter at: given more than once")
	}
	t, err := time.Parse(time.RFC3339Nano, vals[0])
	if err != nil {
		return time.Time{}, errors.New("query parameter at: want an RFC 3339 time such as 2026-11-23T09:00:00Z, got " + strconv.Quote(vals[0]))
	}
	return t.UTC(), nil
}

func urlQuery(r *http.Request) (map[string][]string, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errors.New("query: " + err.Error())
	}
	return q, nil
}

// problem classifies a scoring error: its status and its Problem.
func (h *handler) problem(r *http.Request, err error) (int, Problem) {
	var e *scoring.Error
	pr := Problem{Message: err.Error()}
	if errors.As(err, &e) {
		pr.Code = string(e.Code)
		switch e.Kind {
		case "lead field":
			pr.Field = e.ID
		case "rule":
			pr.Rule = e.ID
		}
	}
	switch {
	case errors.Is(err, scoring.ErrInternal):
		h.c.errorLog(r, err)
		return http.StatusInternalServerError, Problem{Message: "internal error", Code: string(scoring.CodeInternal)}
	case errors.Is(err, scoring.ErrLead), errors.Is(err, scoring.ErrEval):
		return http.StatusUnprocessableEntity, pr
	case r.Context().Err() != nil:
		return http.StatusServiceUnavailable, Problem{Message: "request ended before its leads were scored: " + r.Context().Err().Error()}
	}
	h.c.errorLog(r, err)
	return http.StatusInternalServerError, Problem{Message: "internal error", Code: string(scoring.CodeInternal)}
}

// checkContentType returns why a Content-Type is not JSON, "" when it is.
func checkContentType(ct string) string {
	if ct == "" {
		return "missing Content-Type: send application/json"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "Content-Type " + strconv.Quote(ct) + " does not parse: send application/json"
	}
	if mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return "Content-Type " + mt + " is not JSON: send application/json"
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return "charset " + cs + " not supported: send UTF-8"
	}
	return ""
}

// decodeBody splits the body into lead objects: one, or the elements of
// an array. A body that is not exactly one JSON value is a Problem with
// its position.
func decodeBody(body []byte) (leads []json.RawMessage, array bool, p *Problem) {
	bom := 0
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		body, bom = body[3:], 3
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, false, &Problem{Message: "request body: empty: POST a JSON lead or array of leads", Code: string(scoring.CodeSyntax)}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, false, syntaxProblem(body, bom, err, dec.InputOffset())
	}
	if off := dec.InputOffset(); len(bytes.TrimLeft(body[off:], " \t\r\n")) > 0 {
		at := int(off) + (len(body[off:]) - len(bytes.TrimLeft(body[off:], " \t\r\n")))
		pr := positioned(body, bom, at, "request body: data after the JSON value (send one lead object or one array)")
		return nil, false, &pr
	}
	if trimmed[0] != '[' {
		return []json.RawMessage{raw}, false, nil
	}
	if err := json.Unmarshal(raw, &leads); err != nil { // cannot fail: raw is a valid array
		pr := Problem{Message: "request body: " + err.Error(), Code: string(scoring.CodeSyntax)}
		return nil, true, &pr
	}
	if len(leads) == 0 {
		return nil, true, &Problem{Message: "request body: an empty array: send at least one lead", Code: string(scoring.CodeInvalid)}
	}
	return leads, true, nil
}

func syntaxProblem(body []byte, bom int, err error, inputOffset int64) *Problem {
	var se *json.SyntaxError
	off := int(inputOffset)
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = int(se.Offset) - 1 // Offset counts the bytes read, the bad one included
	case errors.Is(err, io.ErrUnexpectedEOF):
		off, msg = len(body), "unexpected end of JSON input"
	}
	pr := positioned(body, bom, off, "request body: invalid JSON: "+msg)
	return &pr
}

// positioned is a syntax Problem at byte offset off of body (after a BOM
// of bom bytes), with a 1-based line and byte column.
func positioned(body []byte, bom, off int, msg string) Problem {
	off = max(0, min(off, len(body)))
	line := 1 + bytes.Count(body[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(body[:off], '\n')
	if line == 1 {
		col += bom
	}
	return Problem{Message: msg, Code: string(scoring.CodeSyntax), Line: line, Column: col}
}

func fail(w http.ResponseWriter, status int, problems ...Problem) {
	write(w, status, ErrorBody{Status: status, Errors: problems})
}

func write(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // cannot happen for these types
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString(`{"status":500,"errors":[{"message":"internal error: encoding the response","code":"internal"}]}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
