package record

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"
	"time"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/internal/rows"
	"github.com/revengine/revengine/money"
)

// The module's error kinds, re-exported under the same names.
var (
	ErrSyntax       = diag.ErrSyntax
	ErrInvalidInput = diag.ErrInvalidInput
	ErrLineTooLong  = diag.ErrLineTooLong
)

// Error is a positioned problem with a file (diag.Error); Errors is a list
// of them (diag.List).
type (
	Error  = diag.Error
	Errors = diag.List
)

// Format is a file format of the readers.
type Format int

// Formats. FormatAuto picks JSON lines for names ending in ".jsonl",
// ".ndjson" or ".json" and CSV otherwise.
const (
	FormatAuto Format = iota
	FormatCSV
	FormatJSONLines
)

// DefaultCurrency is the currency of amounts when neither the row nor
// WithCurrency names one.
const DefaultCurrency money.Currency = rows.DefaultCurrency

// DefaultMaxErrors is how many problems Read functions collect before they
// stop.
const DefaultMaxErrors = rows.DefaultMaxErrors

// Option tunes a read.
type Option func(*config)

type config struct {
	cur       money.Currency
	format    Format
	maxRecord int
	maxErrors int
}

// WithCurrency sets the currency of amounts in rows without a currency
// column (default USD).
func WithCurrency(cur money.Currency) Option { return func(c *config) { c.cur = cur } }

// WithFormat sets the file format instead of deriving it from the name.
func WithFormat(f Format) Option { return func(c *config) { c.format = f } }

// MaxRecordBytes bounds one CSV record or JSON line (default 1 MiB).
func MaxRecordBytes(n int) Option { return func(c *config) { c.maxRecord = n } }

// MaxErrors bounds the problems a Read function collects (default 1000).
func MaxErrors(n int) Option { return func(c *config) { c.maxErrors = n } }

// rows is the shared table layer's view of the settings.
func (c config) rows() rows.Config {
	return rows.Config{Currency: c.cur, MaxRecord: c.maxRecord, MaxErrors: c.maxErrors}
}

func configure(name string, opts []Option) (config, error) {
	c := config{cur: DefaultCurrency}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.format == FormatAuto {
		c.format = FormatCSV
		l := strings.ToLower(name)
		for _, ext := range []string{".jsonl", ".ndjson", ".json"} {
			if strings.HasSuffix(l, ext) {
				c.format = FormatJSONLines
			}
		}
	}
	if c.format != FormatCSV && c.format != FormatJSONLines {
		return c, fmt.Errorf("record: read %s: %w: unknown format %d", name, diag.ErrInvalidInput, c.format)
	}
	if err := c.cur.Validate(); err != nil {
		return c, fmt.Errorf("record: read %s: %w", name, err)
	}
	return c, nil
}

// row is one data row of either format, with its fields by column.
type row struct {
	file   string
	line   int
	prefix string // key prefix of a nested object, "touches[2]."
	cols   []csvio.Column
	vals   []string
	has    []bool
	field  []int // 1-based CSV field number; 0 in JSON
	nested map[string]json.RawMessage
	errs   []*diag.Error
}

func (r *row) get(k int) string { return strings.TrimSpace(r.vals[k]) }

func (r *row) errorf(k int, format string, a ...any) {
	e := &diag.Error{File: r.file, Line: r.line, Code: diag.CodeInvalid, Err: diag.ErrInvalidInput, Msg: fmt.Sprintf(format, a...)}
	if k >= 0 {
		e.Column, e.ID = r.field[k], r.prefix+r.cols[k].Name
	}
	r.errs = append(r.errs, e)
}

func (r *row) text(k int) string {
	s := r.get(k)
	if s == "" {
		r.errorf(k, "empty %s", r.cols[k].Name)
	}
	return s
}

// ParseTime reads a time as the readers do: RFC 3339, or a date
// YYYY-MM-DD meaning midnight UTC. The zero time is rejected (it would read
// as "no time").
func ParseTime(s string) (time.Time, error) {
	var t time.Time
	var err error
	if len(s) == 10 {
		t, err = time.Parse(time.DateOnly, s)
	} else {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time or a YYYY-MM-DD date", s)
	}
	if t.IsZero() {
		return time.Time{}, fmt.Errorf("%q is the zero time", s)
	}
	return t.UTC(), nil
}

func (r *row) time(k int, required bool) time.Time {
	s := r.get(k)
	if s == "" {
		if required {
			r.errorf(k, "empty %s", r.cols[k].Name)
		}
		return time.Time{}
	}
	t, err := ParseTime(s)
	if err != nil {
		r.errorf(k, "%v", err)
	}
	return t
}

// money reads amount column k with the currency of column cur (-1: none)
// or the read's currency.
func (r *row) money(k, cur int, def money.Currency) money.Money {
	c := def
	if cur >= 0 && r.get(cur) != "" {
		c = money.Currency(strings.ToUpper(r.get(cur)))
		if err := c.Validate(); err != nil {
			r.errorf(cur, "%v", err)
			c = def
		}
	}
	s := r.get(k)
	if s == "" {
		r.errorf(k, "empty %s", r.cols[k].Name)
		return money.Money{Currency: c}
	}
	v, err := rows.ParseMinor(s)
	if err != nil {
		r.errorf(k, "%v", err)
	}
	return money.Money{Amount: v, Currency: c}
}

func (r *row) bool(k int) bool {
	switch strings.ToLower(r.get(k)) {
	case "", "false", "no", "0":
		return false
	case "true", "yes", "1":
		return true
	}
	r.errorf(k, "%q is not true or false", r.get(k))
	return false
}

// oneOf reads column k lower-cased and checks it is one of the values.
func (r *row) oneOf(k int, values ...string) string {
	s := strings.ToLower(r.get(k))
	for _, v := range values {
		if s == v {
			return s
		}
	}
	r.errorf(k, "%s %q is not %s", r.cols[k].Name, r.get(k), strings.Join(values, " or "))
	return s
}

// scan reads the table of src: every data row goes to parse, which reads
// its fields through the row; the sequence yields each value or each
// problem and goes on. A header problem, I/O or ctx error or an unreadable
// rest of input ends it after yielding that error.
func scan[T any](ctx context.Context, src io.Reader, name string, cfg config, cols []csvio.Column, parse func(*row) T) iter.Seq2[T, error] {
	if cfg.format == FormatJSONLines {
		return scanJSON(ctx, src, name, cfg, cols, parse)
	}
	return func(yield func(T, error) bool) {
		r := &row{file: name, cols: cols, vals: make([]string, len(cols)), has: make([]bool, len(cols)), field: make([]int, len(cols))}
		for w, err := range rows.Rows(ctx, src, name, cfg.rows(), rows.Spec{Columns: cols, HeaderRequired: true}) {
			if err != nil {
				var zero T
				if !yield(zero, err) {
					return
				}
				continue
			}
			r.line, r.errs = w.Line(), r.errs[:0]
			for k := range cols {
				r.vals[k], r.has[k], r.field[k] = w.Get(k), w.Has(k), w.Col(k)
			}
			if !emit(yield, r, parse(r)) {
				return
			}
		}
	}
}

func emit[T any](yield func(T, error) bool, r *row, v T) bool {
	var zero T
	for _, e := range r.errs {
		if !yield(zero, e) {
			return false
		}
	}
	if len(r.errs) > 0 {
		return true
	}
	return yield(v, nil)
}

var errStop = errors.New("stop")

func scanJSON[T any](ctx context.Context, src io.Reader, name string, cfg config, cols []csvio.Column, parse func(*row) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		err := jsonlines.Read(ctx, src, name, cfg.maxRecord, func(it jsonlines.Item) error {
			if it.Err != nil {
				if !yield(zero, it.Err) {
					return errStop
				}
				return nil
			}
			obj, err := decodeObject(it.Data)
			if err != nil {
				e := &diag.Error{File: name, Line: it.Line, Code: diag.CodeSyntax, Err: diag.ErrSyntax, Msg: err.Error()}
				if !yield(zero, e) {
					return errStop
				}
				return nil
			}
			r := objectRow(name, it.Line, "", cols, obj)
			var v T
			if len(r.errs) == 0 {
				v = parse(r)
			}
			if !emit(yield, r, v) {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			yield(zero, err)
		}
	}
}

// decodeObject reads one JSON object into its keys' raw values; a
// repeated key is an error (encoding/json would keep the last silently).
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	obj := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not a JSON object: %v", err)
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("not a JSON object: %v", err)
		}
		if _, dup := obj[key]; dup {
			return nil, fmt.Errorf("key %q given twice", key)
		}
		obj[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if dec.More() {
		return nil, errors.New("text after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON object")
	}
	return obj, nil
}

// objectRow maps a JSON object's keys to the columns: strings, numbers,
// booleans and null are field values; objects and arrays are kept in
// nested for the parser (a deal's touches) and an error elsewhere.
func objectRow(name string, line int, prefix string, cols []csvio.Column, obj map[string]json.RawMessage) *row {
	r := &row{file: name, line: line, prefix: prefix, cols: cols, vals: make([]string, len(cols)), has: make([]bool, len(cols)), field: make([]int, len(cols))}
	bad := func(key string, code diag.Code, format string, a ...any) {
		r.errs = append(r.errs, &diag.Error{File: name, Line: line, ID: prefix + key, Code: code, Err: diag.ErrSyntax, Msg: fmt.Sprintf(format, a...)})
	}
	keys := make([]string, 0, len(obj))
	for key := range obj {
		keys = append(keys, key)
	}
	sort.Strings(keys) // problems in a stable order
	for _, key := range keys {
		raw := bytes.TrimSpace(obj[key])
		k := -1
		for j, c := range cols {
			if strings.EqualFold(c.Name, key) {
				k = j
				break
			}
		}
		if k < 0 {
			bad(key, diag.CodeUnknownKey, "unknown key (known: %s)", colNames(cols))
			continue
		}
		r.has[k] = true
		switch {
		case len(raw) == 0:
		case raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				bad(key, diag.CodeSyntax, "%v", err)
			}
			r.vals[k] = s
		case raw[0] == '{' || raw[0] == '[':
			if r.nested == nil {
				r.nested = map[string]json.RawMessage{}
			}
			r.nested[cols[k].Name] = raw
		case string(raw) == "null":
		default: // a number or a boolean, as written
			r.vals[k] = string(raw)
		}
	}
	for k, c := range cols {
		if c.Required && !r.has[k] {
			r.errs = append(r.errs, &diag.Error{File: name, Line: line, ID: prefix + c.Name, Code: diag.CodeMissing, Err: diag.ErrSyntax, Msg: "missing key"})
		}
	}
	for k, c := range cols {
		if _, ok := r.nested[c.Name]; ok && c.Name != "touches" {
			r.errorf(k, "%s is an object or array, want a value", c.Name)
		}
	}
	return r
}

func colNames(cols []csvio.Column) string {
	s := make([]string, len(cols))
	for i, c := range cols {
		s[i] = c.Name
	}
	return strings.Join(s, ", ")
}

// collect reads every value of seq; problems come back together as a
// sorted diag.List, another error alone (rows.Collect).
func collect[T any](name string, cfg config, seq iter.Seq2[T, error]) ([]T, error) {
	return rows.Collect(name, cfg.rows(), seq)
}

func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
