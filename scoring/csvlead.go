package scoring

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/pool"
)

// ListSeparator separates the items of a list field in a CSV cell:
// "salesforce|snowflake". A pipe, not a comma (the CSV delimiter) nor a
// semicolon (the delimiter of CSV exported in many locales, and common in
// text).
const ListSeparator = "|"

// The reserved columns of a CSV of leads, besides the declared fields.
var csvReserved = []string{"id", "stage", "stage_entered_at"}

// ScoreCSV scores a CSV of leads, one lead per record, read the module's
// one CSV way (RFC 4180: a UTF-8 byte order mark is dropped, "\r\n" ends a
// line like "\n", blank lines are skipped and not counted, a quoted field
// may hold commas, doubled quotes and line breaks; MaxLineBytes bounds a
// record).
//
// The first record is the header. Its names are declared fields of the
// rules and the reserved columns id, stage and stage_entered_at; every
// required field must have a column; a column may appear once. A header
// with problems ends the batch before any lead with all of them (Errors,
// each at name:1:col, an unknown column with the declared name closest to
// it). Events cannot be given in CSV: use ScoreLines.
//
// Each cell is read by the declared kind of its column:
//
//   - string: the cell as it is;
//   - int: a decimal integer ("30", "-2", "+7"); like a JSON number, a
//     whole number written as a decimal ("30.0", "3e1") is accepted;
//   - float: a decimal number ("1.5", "-2e3"); NaN, infinities and hex
//     floats are errors;
//   - bool: true or false in any case, or 1 and 0 (strconv.ParseBool:
//     also t, f);
//   - time: RFC 3339 ("2026-11-23T09:00:00Z") or a date YYYY-MM-DD
//     (midnight UTC);
//   - list: items separated by ListSeparator "|", each trimmed of
//     surrounding white space; an empty item ("a||b") is an error.
//
// A cell that is empty or only white space is missing: the field's
// default applies, and a required field is an error. Other cells are
// trimmed of surrounding white space except for string fields, read as
// they are.
//
// Every record after the header is a Record in input order, with Line the
// line it starts on. A record whose width differs from the header's, or
// that is not valid CSV (a bad quote), is rejected with an *Error matching
// ErrSyntax; a cell that does not read as its kind, and any lead problem
// found when scoring (a required field missing, a limit), is rejected with
// an *Error matching ErrLead at name:line:col, col the cell's field number,
// naming the field. The batch goes on: Read == Scored + Rejected. Workers,
// order, WithProgress, early stops and ctx are as in ScoreLines.
func (rs *RuleSet) ScoreCSV(ctx context.Context, r io.Reader, name string, at time.Time, emit func(Record) error, opts ...BatchOption) (st BatchStats, err error) {
	defer diag.Recover(&err, "scoring: score csv")
	cfg := batchConfig{workers: runtime.GOMAXPROCS(0), maxLine: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.workers < 1 {
		cfg.workers = 1
	}
	cr := csvio.NewReader(ctx, r, name, csvio.Options{MaxRecord: cfg.maxLine})
	rec, err := cr.Read()
	if err == io.EOF {
		cfg.done(st)
		return st, nil // no header, no leads
	}
	if err != nil {
		cfg.done(st)
		return st, err
	}
	cols, err := rs.csvHeader(cr, rec)
	if err != nil {
		cfg.done(st)
		return st, err
	}

	type job struct {
		line int
		lead map[string]any
		err  error
	}
	err = pool.Ordered(ctx, cfg.workers, cfg.workers*4,
		func(yield func(job) bool) error {
			for {
				rec, err := cr.Read()
				if err == io.EOF {
					return nil
				}
				var j job
				switch {
				case err != nil && cr.Stopped():
					return err
				case err != nil:
					j.err = err
					var de *Error
					if errors.As(err, &de) {
						j.line = de.Line
					}
				default:
					j.line = rec.Line
					if err := cr.CheckWidth(rec, cols.header); err != nil {
						j.err = err
					} else {
						j.lead, j.err = rs.csvLead(name, rec, cols)
					}
				}
				if !yield(j) {
					return nil
				}
			}
		},
		func(ctx context.Context, j job) Record {
			rec := Record{Line: j.line, Err: j.err}
			if rec.Err == nil {
				rec.Result, rec.Err = rs.Score(ctx, j.lead, at, cfg.evalOpts...)
				if rec.Err == nil && len(cols.ignored) > 0 {
					rec.Result.Ignored = append(cols.ignored[:len(cols.ignored):len(cols.ignored)], rec.Result.Ignored...)
				}
				rec.encode(&cfg)
				if le, ok := isLeadErr(rec.Err); ok && le.File == "" {
					le.File, le.Line = name, j.line
					le.Column = cols.column(le.ID)
				}
			}
			return rec
		},
		func(rec Record) error {
			cfg.count(&st, rec)
			if err := emit(rec); err != nil {
				return err
			}
			cfg.tick(st)
			return nil
		})
	cfg.done(st)
	return st, err
}

// csvColumns maps a CSV header to the rule set's fields.
type csvColumns struct {
	header  csvio.Header
	kinds   []Kind   // by field number: the kind to read, KindString for reserved columns
	names   []string // by field number: the column's name
	ignore  []bool   // relaxed mode: the undeclared columns, skipped
	ignored []string // their names, added to every result's Ignored
}

// column returns the 1-based field number of the named column, 0 when
// there is none.
func (c *csvColumns) column(name string) int {
	for i, n := range c.names {
		if n == name {
			return i + 1
		}
	}
	return 0
}

// csvHeader checks the header record: every column a declared field or a
// reserved column, each once, every required field present.
func (rs *RuleSet) csvHeader(cr *csvio.Reader, rec *csvio.Record) (csvColumns, error) {
	known := make([]csvio.Column, 0, len(rs.fields)+len(csvReserved))
	kinds := make(map[string]Kind, cap(known))
	for _, f := range rs.fields {
		known = append(known, csvio.Column{Name: f.name, Required: f.required})
		kinds[f.name] = f.kind
	}
	for _, name := range csvReserved {
		if _, dup := kinds[name]; !dup {
			known = append(known, csvio.Column{Name: name})
			kinds[name] = KindString
		}
	}
	h, err := cr.MapHeader(rec, known, csvio.HeaderOptions{AllowUnknown: true})
	var errs Errors
	if err != nil {
		var l Errors
		if !errors.As(err, &l) {
			return csvColumns{}, err
		}
		errs = append(errs, l...)
	}
	cols := csvColumns{header: h, names: h.Names, kinds: make([]Kind, len(h.Names))}
	byName := make(map[string]int, len(known))
	for i, c := range known {
		byName[c.Name] = i
	}
	const maxSuggest = 16
	unknown := 0
	for i, n := range h.Names {
		k, ok := kinds[n]
		if ok {
			cols.kinds[i] = k
			continue
		}
		if !rs.opts.strict && n != "" && n != "events" {
			// Relaxed: the column is ignored, and counted by ScoreCSV.
			if cols.ignore == nil {
				cols.ignore = make([]bool, len(h.Names))
			}
			cols.ignore[i] = true
			cols.ignored = append(cols.ignored, clip(n, 64))
			continue
		}
		msg := "unknown column"
		switch {
		case n == "":
			msg = "column without a name"
		case n == "events":
			msg = "events cannot be given in CSV (use JSON lines)"
		case unknown < maxSuggest:
			// Suggestions cost an edit distance per declared name; a
			// header of thousands of unknown columns gets them for the
			// first few only.
			if s := suggest(n, byName); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
		}
		unknown++
		errs = append(errs, &Error{File: cr.Name(), Line: rec.Line, Column: i + 1, Kind: "column", ID: n,
			Code: CodeUnknownKey, Err: ErrSyntax, Msg: msg})
	}
	for _, e := range errs {
		if e.Kind == "" && e.ID != "" {
			e.Kind = "column"
		}
	}
	errs.Sort()
	return cols, errs.Err()
}

// csvLead builds the lead map of one record, each cell read by its
// column's kind; an empty cell is left out (missing).
func (rs *RuleSet) csvLead(name string, rec *csvio.Record, cols csvColumns) (map[string]any, error) {
	m := make(map[string]any, len(rec.Fields))
	for i, cell := range rec.Fields {
		s := string(cell)
		t := strings.TrimSpace(s)
		if t == "" {
			continue
		}
		k := cols.kinds[i]
		if k != KindString {
			s = t
		}
		if cols.ignore != nil && cols.ignore[i] {
			continue
		}
		v, err := csvCell(k, s)
		if err != nil {
			msg := err.Error()
			if rs.IsPII(cols.names[i]) {
				// The message quotes the cell: not a personal value.
				msg = fmt.Sprintf("want %s (the value is withheld: the field is pii)", k)
			}
			e := leadErr(cols.names[i], "%s", msg)
			e.File, e.Line, e.Column = name, rec.Line, i+1
			return nil, e
		}
		m[cols.names[i]] = v
	}
	return m, nil
}

// csvCell reads a non-empty cell as a value of kind k, in the form
// convert accepts.
func csvCell(k Kind, s string) (any, error) {
	switch k {
	case KindInt:
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return int(i), nil
		}
		if decimal(s) {
			if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 {
				return int(f), nil
			}
		}
		return nil, fmt.Errorf("want int, got %s", quoteCell(s))
	case KindFloat:
		if decimal(s) {
			if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		}
		return nil, fmt.Errorf("want a finite float, got %s", quoteCell(s))
	case KindBool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			switch strings.ToLower(s) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
			return nil, fmt.Errorf("want bool (true or false), got %s", quoteCell(s))
		}
		return b, nil
	case KindTime:
		tm, err := parseTime(s)
		if err != nil {
			return nil, fmt.Errorf("want time (RFC 3339 or YYYY-MM-DD), got %s", quoteCell(s))
		}
		return tm, nil
	case KindList:
		items := strings.Split(s, ListSeparator)
		for i := range items {
			items[i] = strings.TrimSpace(items[i])
			if items[i] == "" {
				return nil, fmt.Errorf("list item %d is empty (items are separated by %q)", i+1, ListSeparator)
			}
		}
		return items, nil
	}
	return s, nil
}

// decimal reports whether s is written as a decimal number: digits with an
// optional sign, point and exponent — not "NaN", "Inf", hex or
// underscores, which strconv would accept.
func decimal(s string) bool {
	digits := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = true
		case c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E':
		default:
			return false
		}
	}
	return digits
}

// quoteCell quotes a cell for a message, shortened when long.
func quoteCell(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}
