package survey

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strconv"
	"strings"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
)

// A Response is one respondent's answers in one wave, as Go values. Answers
// are the raw text a CSV cell would hold ("9", "Approvals", a comment); an
// absent or empty answer is a skipped answer. A segment that is absent is
// blank, which is a group of its own in breakdowns.
//
// Its JSON encoding has the stable names respondent, wave, segments and
// answers.
type Response struct {
	Respondent string            `json:"respondent"`         // respondent id; unique within a wave
	Wave       string            `json:"wave"`               // wave label, e.g. "2026-03"
	Segments   map[string]string `json:"segments,omitempty"` // segment name → value, e.g. "team" → "SDR"
	Answers    map[string]string `json:"answers,omitempty"`  // question id → answer
}

// answer is one validated answer.
type answer struct {
	set bool
	n   int    // enps, likert
	s   string // choice, text
}

// record is one accepted response, validated against its survey.
type record struct {
	respondent, wave string
	segments         []string // in Survey.segments order
	answers          []answer // in Survey.questions order
}

// A Rejection is a response that failed validation, with every problem
// found in it. It is also the error ReadResponsesSeq yields for a rejected
// row.
//
// Its JSON encoding has the stable names line, record, respondent and
// errors.
type Rejection struct {
	Line       int    `json:"line,omitempty"`       // CSV line where the row starts; 0 for Go values
	Record     int    `json:"record,omitempty"`     // 1-based index of a Go-value response; 0 for CSV
	Respondent string `json:"respondent,omitempty"` // the respondent id, as given
	Errors     Errors `json:"errors"`
}

// Error lists the problems of the response, one per line.
func (r *Rejection) Error() string { return r.Errors.Error() }

// Unwrap returns the problems, so errors.Is and errors.As look into each.
func (r *Rejection) Unwrap() []error { return r.Errors.Unwrap() }

// A Batch is a set of responses validated against one survey: the accepted
// ones and the rejected ones, so that Read = Accepted + len(Rejected)
// always. A Batch is immutable and safe for concurrent use.
type Batch struct {
	survey   *Survey
	read     int
	accepted []record
	rejected []Rejection
}

// Read returns the number of responses read (CSV data rows, or Go values).
func (b *Batch) Read() int { return b.read }

// Accepted returns the number of responses accepted.
func (b *Batch) Accepted() int { return len(b.accepted) }

// Rejected returns the rejected responses in input order.
func (b *Batch) Rejected() []Rejection { return append([]Rejection(nil), b.rejected...) }

// Err returns every problem of every rejected response as Errors, or nil
// when nothing was rejected.
func (b *Batch) Err() error {
	var all Errors
	for _, r := range b.rejected {
		all = append(all, r.Errors...)
	}
	return all.Err()
}

// Responses returns the accepted responses in input order, normalised:
// answers and segments trimmed, skipped answers absent.
func (b *Batch) Responses() []Response {
	out := make([]Response, len(b.accepted))
	for i := range b.accepted {
		out[i] = b.survey.response(&b.accepted[i])
	}
	return out
}

// response returns rec as a normalised Response.
func (s *Survey) response(rec *record) Response {
	r := Response{Respondent: rec.respondent, Wave: rec.wave,
		Segments: map[string]string{}, Answers: map[string]string{}}
	for j, seg := range s.segments {
		r.Segments[seg] = rec.segments[j]
	}
	for j, q := range s.questions {
		a := rec.answers[j]
		if !a.set {
			continue
		}
		if q.Kind == ENPS || q.Kind == Likert {
			r.Answers[q.ID] = strconv.Itoa(a.n)
		} else {
			r.Answers[q.ID] = a.s
		}
	}
	return r
}

// parseAnswer validates one raw answer to q; on failure it returns a
// message, the code and the sentinel.
func parseAnswer(q Question, raw string) (a answer, msg string, code diag.Code, sentinel error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		if q.Optional {
			return answer{}, "", "", nil
		}
		return answer{}, "answer required", diag.CodeMissing, ErrRequired
	}
	switch q.Kind {
	case ENPS, Likert:
		lo, hi := scaleOf(q.Kind)
		n, err := strconv.Atoi(v)
		if errors.Is(err, strconv.ErrRange) {
			// A whole number too large for an int is out of range, not of
			// the wrong type.
			return answer{}, fmt.Sprintf("value %s out of range %d–%d", clip(v), lo, hi), diag.CodeInvalid, ErrOutOfRange
		}
		if err != nil {
			return answer{}, fmt.Sprintf("value %q is not a whole number %d–%d", clip(v), lo, hi), diag.CodeInvalid, ErrType
		}
		if n < lo || n > hi {
			return answer{}, fmt.Sprintf("value %d out of range %d–%d", n, lo, hi), diag.CodeInvalid, ErrOutOfRange
		}
		return answer{set: true, n: n}, "", "", nil
	case Choice:
		for _, o := range q.Options {
			if v == o {
				return answer{set: true, s: o}, "", "", nil
			}
		}
		return answer{}, fmt.Sprintf("%q is not one of %s", clip(v), quoteList(q.Options)), diag.CodeInvalid, ErrOption
	}
	return answer{set: true, s: v}, "", "", nil
}

func scaleOf(k Kind) (lo, hi int) {
	if k == Likert {
		return likertMin, likertMax
	}
	return Standard.Min, Standard.Max
}

// parseField is parseAnswer for a CSV field, without allocating for the
// common valid answers: a one- or two-digit number in range, or an option.
func parseField(q Question, f []byte) (answer, string, diag.Code, error) {
	v := bytes.TrimSpace(f)
	switch {
	case len(v) == 0:
	case q.Kind == ENPS || q.Kind == Likert:
		if len(v) > 2 {
			break
		}
		n := 0
		for _, c := range v {
			if c < '0' || c > '9' {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
		}
		if lo, hi := scaleOf(q.Kind); n >= lo && n <= hi {
			return answer{set: true, n: n}, "", "", nil
		}
	case q.Kind == Choice:
		for _, o := range q.Options {
			if string(v) == o {
				return answer{set: true, s: o}, "", "", nil
			}
		}
	}
	return parseAnswer(q, string(v))
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// seenKey identifies a respondent in a wave.
type seenKey struct{ wave, respondent string }

// DefaultMaxRecordBytes is the bound on one CSV record (all its lines, for
// a quoted field over several) when no MaxRecordBytes option is given:
// 1 MiB.
const DefaultMaxRecordBytes = 1 << 20

// A ReadOption changes how ReadResponses and ReadResponsesSeq read CSV.
type ReadOption func(*readConfig)

type readConfig struct {
	maxRecord int
}

// MaxRecordBytes bounds the bytes of one CSV record (default
// DefaultMaxRecordBytes; n <= 0 means the default). A longer line is a
// rejected row matching ErrLineTooLong and the read goes on with the next
// line; a line with no end within 64 times the bound (such as /dev/zero)
// ends the read with that error, so no input can grow memory without
// limit or read forever.
func MaxRecordBytes(n int) ReadOption { return func(c *readConfig) { c.maxRecord = n } }

// ReadResponses reads and validates responses from CSV; name is the
// input's name in errors. The input is read the module's one way: a UTF-8
// byte order mark is dropped, "\r\n" and "\n" end lines, blank lines (and
// rows of only empty fields) are skipped, a quoted field may span lines,
// and every record is bounded (MaxRecordBytes).
//
// The first row is the header: "respondent" and "wave" are required, then
// the survey's segment columns (all required) and one column per question
// id (a column may be left out only for an optional question). Any other
// column is an ErrUnknownQuestion. Header problems are fatal and returned
// together as Errors.
//
// Every data row is then either accepted or rejected with all its
// problems, each as "name:line:col: subject: message", where line is the
// line the record starts on and col the 1-based field number, e.g.
//
//	responses.csv:12:7: question "tools": value 7 out of range 1–5
//	responses.csv:13:1: respondent: empty; a respondent id is required
//	responses.csv:14:10: 9 fields, the header has 10
//
// A respondent id may answer each wave once; a second row is rejected. I/O
// errors, cancellation of ctx and a line with no end (see MaxRecordBytes)
// end the read with an error and no Batch.
func (s *Survey) ReadResponses(ctx context.Context, r io.Reader, name string, opts ...ReadOption) (b *Batch, err error) {
	defer func() {
		if err != nil {
			b = nil // no partial result beside an error, a recovered panic included
		}
	}()
	defer diag.Recover(&err, "survey: read responses")
	rr, err := s.openCSV(ctx, r, name, opts)
	if err != nil {
		return nil, err
	}
	b = &Batch{survey: s}
	for {
		rec, rej, err := rr.next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if rej != nil {
			b.rejected = append(b.rejected, *rej)
			continue
		}
		b.accepted = append(b.accepted, rec)
	}
	b.read = rr.read
	return b, nil
}

// ReadResponsesSeq reads and validates responses from CSV as ReadResponses
// does, one at a time, without keeping them. It yields each accepted
// response, normalised as Batch.Responses returns them, with a nil error;
// each rejected row as a zero Response with a *Rejection error (test with
// errors.As); and a fatal problem (the header's Errors, an I/O error,
// ctx's error, a line with no end) as a zero Response with that error,
// after which the sequence ends.
func (s *Survey) ReadResponsesSeq(ctx context.Context, r io.Reader, name string, opts ...ReadOption) iter.Seq2[Response, error] {
	return func(yield func(Response, error) bool) {
		rr, err := s.safeOpen(ctx, r, name, opts)
		if err != nil {
			yield(Response{}, err)
			return
		}
		for {
			rec, rej, err := rr.safeNext(ctx)
			switch {
			case err == io.EOF:
				return
			case err != nil:
				yield(Response{}, err)
				return
			case rej != nil:
				if !yield(Response{}, rej) {
					return
				}
			default:
				if !yield(s.response(&rec), nil) {
					return
				}
			}
		}
	}
}

// rowReader reads and validates the data rows of one CSV input.
type rowReader struct {
	s      *Survey
	cr     *csvio.Reader
	h      csvio.Header
	seen   map[seenKey]int
	intern map[string]string
	read   int // data rows read
	n      int // records read, for the ctx check
}

// Header column keys: respondent, wave, the segments, then the questions.
const (
	keyRespondent = 0
	keyWave       = 1
	keySegments   = 2
)

func (rr *rowReader) questionKey(j int) int { return keySegments + len(rr.s.segments) + j }

func (s *Survey) safeOpen(ctx context.Context, r io.Reader, name string, opts []ReadOption) (rr *rowReader, err error) {
	defer diag.Recover(&err, "survey: read responses")
	return s.openCSV(ctx, r, name, opts)
}

// openCSV reads and maps the header.
func (s *Survey) openCSV(ctx context.Context, r io.Reader, name string, opts []ReadOption) (*rowReader, error) {
	var cfg readConfig
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxRecord <= 0 {
		cfg.maxRecord = DefaultMaxRecordBytes
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cr := csvio.NewReader(ctx, r, name, csvio.Options{MaxRecord: cfg.maxRecord})
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, Errors{{File: name, Line: 1, Code: CodeMissing, Err: ErrRequired, Msg: "empty input: want a header row"}}
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, Errors{e}
		}
		return nil, err
	}
	cols := make([]csvio.Column, 0, keySegments+len(s.segments)+len(s.questions))
	cols = append(cols, csvio.Column{Name: ColumnRespondent, Required: true}, csvio.Column{Name: ColumnWave, Required: true})
	for _, seg := range s.segments {
		cols = append(cols, csvio.Column{Name: seg, Required: true})
	}
	for _, q := range s.questions {
		cols = append(cols, csvio.Column{Name: q.ID, Required: !q.Optional})
	}
	h, err := cr.MapHeader(rec, cols, csvio.HeaderOptions{})
	if err != nil {
		var list Errors
		errors.As(err, &list)
		for _, e := range list {
			switch e.Code {
			case diag.CodeUnknownKey:
				e.Err = ErrUnknownQuestion
			case diag.CodeDuplicate:
				e.Err = ErrDuplicate
			case diag.CodeMissing:
				e.Err = ErrRequired
				if s.segmentIndex(e.ID) >= 0 {
					e.Msg = "missing column (a segment of the survey)"
				} else if _, ok := s.byID[e.ID]; ok {
					e.Msg = "missing column (a required question)"
				}
			}
		}
		list.Sort()
		return nil, list
	}
	return &rowReader{s: s, cr: cr, h: h, seen: map[seenKey]int{}, intern: map[string]string{}}, nil
}

func (rr *rowReader) safeNext(ctx context.Context) (rec record, rej *Rejection, err error) {
	defer diag.Recover(&err, "survey: read responses")
	return rr.next(ctx)
}

// next returns the next data row, accepted (rec) or rejected (rej), or
// io.EOF at the end, or a fatal error.
func (rr *rowReader) next(ctx context.Context) (record, *Rejection, error) {
	cr, h, s := rr.cr, rr.h, rr.s
	if rr.n%256 == 0 {
		if err := ctx.Err(); err != nil {
			return record{}, nil, err
		}
	}
	rr.n++
	rec, err := cr.Read()
	if err == io.EOF {
		return record{}, nil, io.EOF
	}
	if err != nil {
		e, ok := err.(*Error)
		if !ok || (cr.Stopped() && errors.Is(e, ErrLineTooLong)) {
			// A read error, ctx, or a line so long that no end of it was
			// found: the input cannot be read on.
			if ok {
				return record{}, nil, Errors{e}
			}
			return record{}, nil, err
		}
		// A malformed record (a bad quote, a line over the bound): the
		// reader goes on with the next one.
		rr.read++
		return record{}, &Rejection{Line: e.Line, Errors: Errors{e}}, nil
	}
	rr.read++
	line := rec.Line
	if err := cr.CheckWidth(rec, h); err != nil {
		return record{}, &Rejection{Line: line, Errors: Errors{err.(*Error)}}, nil
	}
	var errs Errors
	add := func(k int, kind, id string, code diag.Code, sentinel error, format string, a ...any) {
		e := cr.Errorf(line, h.Index[k]+1, id, code, sentinel, format, a...)
		e.Kind = kind
		errs = append(errs, e)
	}
	out := record{
		respondent: string(bytes.TrimSpace(h.Field(rec, keyRespondent))),
		wave:       rr.text(h.Field(rec, keyWave)),
		segments:   make([]string, len(s.segments)),
		answers:    make([]answer, len(s.questions)),
	}
	if out.respondent == "" {
		add(keyRespondent, "", ColumnRespondent, diag.CodeMissing, ErrRequired, "empty; a respondent id is required")
	}
	if out.wave == "" {
		add(keyWave, "", ColumnWave, diag.CodeMissing, ErrRequired, "empty; a wave label is required")
	}
	for j := range s.segments {
		out.segments[j] = rr.text(h.Field(rec, keySegments+j))
	}
	for j, q := range s.questions {
		k := rr.questionKey(j)
		if !h.Has(k) {
			continue // optional question without a column: skipped
		}
		a, msg, code, sentinel := parseField(q, h.Field(rec, k))
		if sentinel != nil {
			add(k, "question", q.ID, code, sentinel, "%s", msg)
		}
		out.answers[j] = a
	}
	if len(errs) == 0 {
		key := seenKey{out.wave, out.respondent}
		if first, dup := rr.seen[key]; dup {
			add(keyRespondent, "", ColumnRespondent, diag.CodeDuplicate, ErrDuplicate,
				"%q already answered wave %q at line %d", clip(out.respondent), clip(out.wave), first)
		} else {
			rr.seen[key] = line
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return record{}, &Rejection{Line: line, Respondent: out.respondent, Errors: errs}, nil
	}
	return out, nil, nil
}

// maxIntern bounds the distinct wave and segment values shared between
// rows; past it, values are copied per row.
const maxIntern = 4096

// text returns f trimmed as a string, shared between rows with the same
// value (waves and segments repeat).
func (rr *rowReader) text(f []byte) string {
	f = bytes.TrimSpace(f)
	if v, ok := rr.intern[string(f)]; ok {
		return v
	}
	v := string(f)
	if len(rr.intern) < maxIntern {
		rr.intern[v] = v
	}
	return v
}

func (s *Survey) segmentIndex(name string) int {
	for i, seg := range s.segments {
		if seg == name {
			return i
		}
	}
	return -1
}

// Check validates responses given as Go values, exactly as ReadResponses
// validates rows. Errors have no file or position: their subject is the
// response, Kind "response" and ID its 1-based index, as in
//
//	response "4": question "enps": answer required
func (s *Survey) Check(ctx context.Context, responses []Response) (b *Batch, err error) {
	defer func() {
		if err != nil {
			b = nil // no partial result beside an error, a recovered panic included
		}
	}()
	defer diag.Recover(&err, "survey: check")
	b = &Batch{survey: s}
	seen := map[seenKey]int{}
	for i, in := range responses {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b.read++
		num := i + 1
		var errs Errors
		add := func(code diag.Code, sentinel error, format string, a ...any) {
			errs = append(errs, &Error{Kind: "response", ID: strconv.Itoa(num), Code: code, Err: sentinel, Msg: fmt.Sprintf(format, a...)})
		}
		out := record{
			respondent: strings.TrimSpace(in.Respondent),
			wave:       strings.TrimSpace(in.Wave),
			segments:   make([]string, len(s.segments)),
			answers:    make([]answer, len(s.questions)),
		}
		if out.respondent == "" {
			add(diag.CodeMissing, ErrRequired, "respondent id is empty")
		}
		if out.wave == "" {
			add(diag.CodeMissing, ErrRequired, "wave is empty")
		}
		for _, k := range sortedKeys(in.Segments) {
			j := s.segmentIndex(k)
			if j < 0 {
				add(diag.CodeUnknownKey, ErrUnknownQuestion, "segment %q is not declared by the survey", clip(k))
				continue
			}
			out.segments[j] = strings.TrimSpace(in.Segments[k])
		}
		for _, k := range sortedKeys(in.Answers) {
			if _, ok := s.byID[k]; !ok {
				add(diag.CodeUnknownKey, ErrUnknownQuestion, "question %q: not a question of the survey", clip(k))
			}
		}
		for j, q := range s.questions {
			a, msg, code, sentinel := parseAnswer(q, in.Answers[q.ID])
			if sentinel != nil {
				add(code, sentinel, "question %q: %s", q.ID, msg)
			}
			out.answers[j] = a
		}
		if len(errs) == 0 {
			k := seenKey{out.wave, out.respondent}
			if first, dup := seen[k]; dup {
				add(diag.CodeDuplicate, ErrDuplicate, "respondent %q already answered wave %q in response %d", clip(out.respondent), clip(out.wave), first)
			} else {
				seen[k] = num
			}
		}
		if len(errs) > 0 {
			b.rejected = append(b.rejected, Rejection{Record: num, Respondent: out.respondent, Errors: errs})
			continue
		}
		b.accepted = append(b.accepted, out)
	}
	return b, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
