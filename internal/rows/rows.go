// Package rows is the table layer under the module's CSV readers of
// records (package record, and revenue and its sub-packages): the header
// (case-insensitive, unknown and duplicate columns rejected; optional
// unless the Spec requires it), positional columns without one, the width
// of every row, field parsers shared by all readers (dates, minor units,
// required text), positioned problems, and Collect, which gathers a read's
// problems into one sorted diag.List. Records come from the module's csvio
// reader, so a byte order mark, CRLF line ends and the record bound behave
// the same as everywhere else.
package rows

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

// Config holds the settings of one read; the public option types of the
// revenue packages set it.
type Config struct {
	Currency  money.Currency // of amounts without their own currency
	MaxRecord int            // bytes of one record; <= 0: csvio's default
	MaxErrors int            // problems reported before giving up; <= 0: DefaultMaxErrors
}

// DefaultMaxErrors is how many problems a reader reports before it stops.
const DefaultMaxErrors = 1000

// DefaultCurrency is the currency of amounts when no option names one.
const DefaultCurrency money.Currency = "USD"

// Spec describes a table: its columns in positional order and, for a file
// without a header, how many of the trailing ones may be left out.
type Spec struct {
	Columns      []csvio.Column
	Comment      byte // a line starting with it is skipped; 0: none
	OptionalTail int  // without a header, rows may omit this many last columns
	// HeaderRequired: the first record is the header, always (a file
	// without one is reported as a header naming unknown columns).
	HeaderRequired bool
}

// Row is one data record with its header mapping.
type Row struct {
	rec  *csvio.Record
	idx  []int // idx[k]: field of column k, -1 when absent
	r    *csvio.Reader
	cols []csvio.Column
	errs []*diag.Error
}

// Line is the 1-based line the row starts on.
func (r *Row) Line() int { return r.rec.Line }

// Has reports whether column k is present in the file.
func (r *Row) Has(k int) bool { return r.idx[k] >= 0 && r.idx[k] < r.rec.Len() }

// Get returns the trimmed field of column k, "" when absent.
func (r *Row) Get(k int) string {
	if !r.Has(k) {
		return ""
	}
	return r.rec.Trimmed(r.idx[k])
}

// Col returns the 1-based field number of column k, 0 when absent.
func (r *Row) Col(k int) int {
	if !r.Has(k) {
		return 0
	}
	return r.idx[k] + 1
}

// Errors returns the problems recorded for the row so far (reused with
// the Row).
func (r *Row) Errors() []*diag.Error { return r.errs }

// Errorf records a problem with column k (-1: the whole row). Problems with
// data wrap diag.ErrInvalidInput.
func (r *Row) Errorf(k int, format string, a ...any) {
	col, id := 0, ""
	if k >= 0 {
		col, id = r.Col(k), r.cols[k].Name
	}
	r.errs = append(r.errs, r.r.Errorf(r.rec.Line, col, id, diag.CodeInvalid, diag.ErrInvalidInput, format, a...))
}

// OK reports whether no problem was recorded for the row.
func (r *Row) OK() bool { return len(r.errs) == 0 }

// Text returns the field of column k, recording a problem when it is empty.
func (r *Row) Text(k int) (string, bool) {
	s := r.Get(k)
	if s == "" {
		r.Errorf(k, "empty %s", r.cols[k].Name)
		return "", false
	}
	return s, true
}

// Date parses column k as a date, recording a problem when it is not one.
func (r *Row) Date(k int) (time.Time, bool) {
	t, err := ParseDate(r.Get(k))
	if err != nil {
		r.Errorf(k, "%v", err)
		return time.Time{}, false
	}
	return t, true
}

// Minor parses column k as minor units (zero or positive), recording a
// problem when it is not.
func (r *Row) Minor(k int) (int64, bool) {
	v, err := ParseMinor(r.Get(k))
	if err != nil {
		r.Errorf(k, "%v", err)
		return 0, false
	}
	return v, true
}

// ParseDate accepts exactly YYYY-MM-DD, a valid calendar date after
// 0001-01-01 (the zero time.Time, which would read as "no date").
func ParseDate(s string) (time.Time, error) {
	if len(s) != 10 {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not a valid YYYY-MM-DD date", s)
	}
	if t.IsZero() {
		return time.Time{}, fmt.Errorf("date %q is the zero date", s)
	}
	return t, nil
}

// ParseSigned reads an amount in minor units: an integer with an optional
// leading "+" or "-", white space around it trimmed. Every reader of the
// revenue packages reads amounts this way.
func ParseSigned(s string) (int64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer number of minor units", s)
	}
	return v, nil
}

// ParseMinor is ParseSigned for an amount that must be zero or positive.
func ParseMinor(s string) (int64, error) {
	v, err := ParseSigned(s)
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, fmt.Errorf("negative amount %d", v)
	}
	return v, nil
}

// All reads the table of src and calls parse for every data row; parse
// reads fields through the Row and returns the value and whether to yield
// it. The sequence yields each value, or each problem as a *diag.Error
// (then it goes on with the next row). A header problem, a read error,
// ctx's error or a line too long to skip ends it after yielding that error.
func All[T any](ctx context.Context, src io.Reader, name string, cfg Config, spec Spec, parse func(*Row) (T, bool)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for row, err := range Rows(ctx, src, name, cfg, spec) {
			if err != nil {
				if !yield(zero, err) {
					return
				}
				continue
			}
			v, ok := parse(row)
			for _, e := range row.errs {
				if !yield(zero, e) {
					return
				}
			}
			if ok && row.OK() && !yield(v, nil) {
				return
			}
		}
	}
}

// Rows reads the table of src and yields every data row of the right
// width with its header mapping, or each problem (a row of the wrong width,
// a bad record) as a *diag.Error, going on with the next row. A header
// problem, a read error, ctx's error or a line too long to skip ends it
// after yielding that error. The Row is reused: it is valid until the next
// iteration, and the problems its Errorf records are the caller's to
// report (All does).
func Rows(ctx context.Context, src io.Reader, name string, cfg Config, spec Spec) iter.Seq2[*Row, error] {
	return func(yield func(*Row, error) bool) {
		cr := csvio.NewReader(ctx, src, name, csvio.Options{MaxRecord: cfg.MaxRecord, Comment: spec.Comment})
		ncol := len(spec.Columns)
		idx := make([]int, ncol)
		width := -1 // fields of every row when a header was read
		row := &Row{idx: idx, r: cr, cols: spec.Columns}
		first := true
		for n := 0; ; n++ {
			if n&1023 == 0 {
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return
				}
			}
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !yield(nil, err) || cr.Stopped() {
					return
				}
				continue
			}
			if first {
				first = false
				if spec.HeaderRequired || isHeader(rec, spec.Columns) {
					h, err := cr.MapHeader(rec, spec.Columns, csvio.HeaderOptions{FoldCase: true})
					if err != nil {
						var l diag.List
						if errors.As(err, &l) {
							for _, e := range l {
								if !yield(nil, e) {
									return
								}
							}
							return
						}
						yield(nil, err)
						return
					}
					copy(idx, h.Index)
					width = h.Width
					continue
				}
				for k := range idx {
					idx[k] = k
				}
			}
			if width >= 0 {
				if err := cr.CheckWidth(rec, csvio.Header{Width: width}); err != nil {
					if !yield(nil, err) {
						return
					}
					continue
				}
			} else if rec.Len() > ncol || rec.Len() < ncol-spec.OptionalTail {
				want := strconv.Itoa(ncol)
				if spec.OptionalTail > 0 {
					want = fmt.Sprintf("%d to %d", ncol-spec.OptionalTail, ncol)
				}
				e := cr.Errorf(rec.Line, min(rec.Len(), ncol)+1, "", diag.CodeSyntax, diag.ErrSyntax, "%d fields, want %s (%s; no header)", rec.Len(), want, names(spec.Columns))
				if !yield(nil, e) {
					return
				}
				continue
			}
			row.rec, row.errs = rec, row.errs[:0]
			if !yield(row, nil) {
				return
			}
		}
	}
}

// Collect reads every value of seq. Problems (*diag.Error) are returned
// together as a diag.List sorted by position, beside the values read;
// another error (ctx, I/O) is returned alone. After cfg.MaxErrors problems
// the read stops with a last problem saying so. It is the Read of every
// reader built on a Scan sequence, whatever its format.
func Collect[T any](name string, cfg Config, seq iter.Seq2[T, error]) ([]T, error) {
	max := cfg.MaxErrors
	if max <= 0 {
		max = DefaultMaxErrors
	}
	var out []T
	var errs diag.List
	for v, err := range seq {
		if err == nil {
			out = append(out, v)
			continue
		}
		var e *diag.Error
		if !errors.As(err, &e) {
			return nil, err
		}
		if len(errs) == max {
			errs = append(errs, &diag.Error{File: name, Code: diag.CodeLimit, Err: diag.ErrInvalidInput,
				Msg: fmt.Sprintf("more than %d problems; giving up", max)})
			break
		}
		errs = append(errs, e)
	}
	errs.Sort()
	return out, errs.Err()
}

// isHeader reports whether rec names one of the columns: then it is the
// header and must name the required ones.
func isHeader(rec *csvio.Record, cols []csvio.Column) bool {
	for i := range rec.Fields {
		f := rec.Trimmed(i)
		for _, c := range cols {
			if strings.EqualFold(f, c.Name) {
				return true
			}
		}
	}
	return false
}

func names(cols []csvio.Column) string {
	s := make([]string, len(cols))
	for i, c := range cols {
		s[i] = c.Name
	}
	return strings.Join(s, ",")
}

// Configure applies the options of a read and validates the currency.
func Configure[O ~func(*Config)](opts []O) (Config, error) {
	c := Config{Currency: DefaultCurrency}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c, c.Currency.Validate()
}
