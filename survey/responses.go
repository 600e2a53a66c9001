package survey

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// A Response is one respondent's answers in one wave, as Go values. Answers
// are the raw text a CSV cell would hold ("9", "Approvals", a comment); an
// absent or empty answer is a skipped answer. A segment that is absent is
// blank, which is a group of its own in breakdowns.
type Response struct {
	Respondent string            // respondent id; unique within a wave
	Wave       string            // wave label, e.g. "2026-03"
	Segments   map[string]string // segment name → value, e.g. "team" → "SDR"
	Answers    map[string]string // question id → answer
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
// found in it.
type Rejection struct {
	Line       int    // CSV line where the row starts; 0 for Go values
	Record     int    // 1-based index of a Go-value response; 0 for CSV
	Respondent string // the respondent id, as given
	Errors     Errors
}

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
	for i, rec := range b.accepted {
		r := Response{Respondent: rec.respondent, Wave: rec.wave,
			Segments: map[string]string{}, Answers: map[string]string{}}
		for j, seg := range b.survey.segments {
			r.Segments[seg] = rec.segments[j]
		}
		for j, q := range b.survey.questions {
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
		out[i] = r
	}
	return out
}

// parseAnswer validates one raw answer to q; on failure it returns a
// message and the sentinel.
func parseAnswer(q Question, raw string) (a answer, msg string, sentinel error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		if q.Optional {
			return answer{}, "", nil
		}
		return answer{}, "answer required", ErrRequired
	}
	switch q.Kind {
	case ENPS, Likert:
		lo, hi := Standard.Min, Standard.Max
		if q.Kind == Likert {
			lo, hi = likertMin, likertMax
		}
		n, err := strconv.Atoi(v)
		if errors.Is(err, strconv.ErrRange) {
			// A whole number too large for an int is out of range, not of
			// the wrong type.
			return answer{}, fmt.Sprintf("value %s out of range %d–%d", clip(v), lo, hi), ErrOutOfRange
		}
		if err != nil {
			return answer{}, fmt.Sprintf("value %q is not a whole number %d–%d", clip(v), lo, hi), ErrType
		}
		if n < lo || n > hi {
			return answer{}, fmt.Sprintf("value %d out of range %d–%d", n, lo, hi), ErrOutOfRange
		}
		return answer{set: true, n: n}, "", nil
	case Choice:
		for _, o := range q.Options {
			if v == o {
				return answer{set: true, s: v}, "", nil
			}
		}
		return answer{}, fmt.Sprintf("%q is not one of %s", clip(v), quoteList(q.Options)), ErrOption
	}
	return answer{set: true, s: v}, "", nil
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

// ReadCSV reads and validates responses from CSV. The first row is the
// header: "respondent" and "wave" are required, then the survey's segment
// columns (all required) and one column per question id (a column may be
// left out only for an optional question). Any other column is an
// ErrUnknownQuestion. Header problems are fatal and returned as Errors.
//
// Every data row is then either accepted or rejected with all its
// problems, each named "name:line:column: message" where line is the file
// line the field starts on and column the 1-based field number (for CSV
// syntax errors, the byte column encoding/csv reports), e.g.
//
//	responses.csv:12:4: question "tools": value 7 out of range 1–5
//
// A respondent id may answer each wave once; a second row is rejected. I/O
// errors and cancellation of ctx end the read with an error.
func (s *Survey) ReadCSV(ctx context.Context, name string, r io.Reader) (*Batch, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Errors{{File: name, Line: 1, Err: ErrRequired, Msg: "empty input: want a header row"}}
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, Errors{{File: name, Line: pe.Line, Column: pe.Column, Err: ErrSyntax, Msg: pe.Err.Error()}}
		}
		return nil, err
	}
	cols, herrs := s.mapHeader(name, header)
	if herrs != nil {
		return nil, herrs
	}
	b := &Batch{survey: s}
	seen := map[seenKey]int{}
	for {
		if b.read%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, err
			}
			b.read++
			b.rejected = append(b.rejected, Rejection{Line: pe.StartLine, Errors: Errors{{
				File: name, Line: pe.Line, Column: pe.Column, Err: ErrSyntax, Msg: pe.Err.Error()}}})
			continue
		}
		b.read++
		line, _ := cr.FieldPos(0)
		fieldAt := func(i int) (int, int) {
			l, _ := cr.FieldPos(i)
			return l, i + 1
		}
		if len(rec) != len(header) {
			b.rejected = append(b.rejected, Rejection{Line: line, Errors: Errors{{
				File: name, Line: line, Column: min(len(rec), len(header)) + 1, Err: ErrSyntax,
				Msg: fmt.Sprintf("row has %d fields, header has %d", len(rec), len(header))}}})
			continue
		}
		var errs Errors
		add := func(i int, q string, sentinel error, msg string) {
			l, c := fieldAt(i)
			errs = append(errs, &Error{File: name, Line: l, Column: c, Question: q, Err: sentinel, Msg: msg})
		}
		out := record{
			respondent: strings.TrimSpace(rec[cols.respondent]),
			wave:       strings.TrimSpace(rec[cols.wave]),
			segments:   make([]string, len(s.segments)),
			answers:    make([]answer, len(s.questions)),
		}
		if out.respondent == "" {
			add(cols.respondent, "", ErrRequired, "respondent id is empty")
		}
		if out.wave == "" {
			add(cols.wave, "", ErrRequired, "wave is empty")
		}
		for j, c := range cols.segments {
			out.segments[j] = strings.TrimSpace(rec[c])
		}
		for j, q := range s.questions {
			c := cols.questions[j]
			if c < 0 {
				continue // optional question without a column: skipped
			}
			a, msg, sentinel := parseAnswer(q, rec[c])
			if sentinel != nil {
				add(c, q.ID, sentinel, msg)
			}
			out.answers[j] = a
		}
		if len(errs) == 0 && out.respondent != "" && out.wave != "" {
			k := seenKey{out.wave, out.respondent}
			if first, dup := seen[k]; dup {
				add(cols.respondent, "", ErrDuplicate, fmt.Sprintf("respondent %q already answered wave %q at line %d", clip(out.respondent), clip(out.wave), first))
			} else {
				seen[k] = line
			}
		}
		if len(errs) > 0 {
			errs.sort()
			b.rejected = append(b.rejected, Rejection{Line: line, Respondent: out.respondent, Errors: errs})
			continue
		}
		b.accepted = append(b.accepted, out)
	}
	return b, nil
}

// columns maps the survey's fields to CSV field indexes; -1 is absent.
type columns struct {
	respondent, wave int
	segments         []int
	questions        []int
}

func (s *Survey) mapHeader(name string, header []string) (columns, Errors) {
	cols := columns{respondent: -1, wave: -1, segments: make([]int, len(s.segments)), questions: make([]int, len(s.questions))}
	for i := range cols.segments {
		cols.segments[i] = -1
	}
	for i := range cols.questions {
		cols.questions[i] = -1
	}
	var errs Errors
	seen := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // a BOM from spreadsheet exports
		}
		h = strings.TrimSpace(h)
		at := &Error{File: name, Line: 1, Column: i + 1}
		if first, dup := seen[h]; dup {
			at.Err, at.Msg = ErrDuplicate, fmt.Sprintf("duplicate column %q (first is column %d)", clip(h), first)
			errs = append(errs, at)
			continue
		}
		seen[h] = i + 1
		switch {
		case h == ColumnRespondent:
			cols.respondent = i
		case h == ColumnWave:
			cols.wave = i
		case s.segmentIndex(h) >= 0:
			cols.segments[s.segmentIndex(h)] = i
		default:
			q, ok := s.byID[h]
			if !ok {
				at.Err, at.Msg = ErrUnknownQuestion, fmt.Sprintf("column %q is not a question, a segment, %q or %q", clip(h), ColumnRespondent, ColumnWave)
				errs = append(errs, at)
				continue
			}
			cols.questions[q] = i
		}
	}
	missing := func(what string) {
		errs = append(errs, &Error{File: name, Line: 1, Err: ErrRequired, Msg: "missing column " + what})
	}
	if cols.respondent < 0 {
		missing(strconv.Quote(ColumnRespondent))
	}
	if cols.wave < 0 {
		missing(strconv.Quote(ColumnWave))
	}
	for j, c := range cols.segments {
		if c < 0 {
			missing(fmt.Sprintf("%q (a segment of the survey)", s.segments[j]))
		}
	}
	for j, c := range cols.questions {
		if c < 0 && !s.questions[j].Optional {
			missing(fmt.Sprintf("%q (a required question)", s.questions[j].ID))
		}
	}
	if len(errs) > 0 {
		errs.sort()
		return cols, errs
	}
	return cols, nil
}

func (s *Survey) segmentIndex(name string) int {
	for i, seg := range s.segments {
		if seg == name {
			return i
		}
	}
	return -1
}

// Check validates responses given as Go values, exactly as ReadCSV
// validates rows; errors name the 1-based response number and question.
func (s *Survey) Check(ctx context.Context, responses []Response) (*Batch, error) {
	b := &Batch{survey: s}
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
		add := func(q string, sentinel error, msg string) {
			errs = append(errs, &Error{Record: num, Question: q, Err: sentinel, Msg: msg})
		}
		out := record{
			respondent: strings.TrimSpace(in.Respondent),
			wave:       strings.TrimSpace(in.Wave),
			segments:   make([]string, len(s.segments)),
			answers:    make([]answer, len(s.questions)),
		}
		if out.respondent == "" {
			add("", ErrRequired, "respondent id is empty")
		}
		if out.wave == "" {
			add("", ErrRequired, "wave is empty")
		}
		for _, k := range sortedKeys(in.Segments) {
			j := s.segmentIndex(k)
			if j < 0 {
				add("", ErrUnknownQuestion, fmt.Sprintf("segment %q is not declared by the survey", clip(k)))
				continue
			}
			out.segments[j] = strings.TrimSpace(in.Segments[k])
		}
		for _, k := range sortedKeys(in.Answers) {
			if _, ok := s.byID[k]; !ok {
				add(k, ErrUnknownQuestion, "not a question of the survey")
			}
		}
		for j, q := range s.questions {
			a, msg, sentinel := parseAnswer(q, in.Answers[q.ID])
			if sentinel != nil {
				add(q.ID, sentinel, msg)
			}
			out.answers[j] = a
		}
		if len(errs) == 0 {
			k := seenKey{out.wave, out.respondent}
			if first, dup := seen[k]; dup {
				add("", ErrDuplicate, fmt.Sprintf("respondent %q already answered wave %q in response %d", clip(out.respondent), clip(out.wave), first))
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
