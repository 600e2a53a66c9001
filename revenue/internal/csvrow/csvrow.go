// Package csvrow reads CSV files row by row with the line number of each row
// and an optional header that maps column names to positions. It is the
// machinery behind the revenue package's CSV readers.
package csvrow

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Row is one data row: its fields by column name and the line it starts on.
type Row struct {
	Line   int
	fields []string
	cols   map[string]int
}

// Get returns the trimmed field of the named column ("" if absent).
func (r Row) Get(name string) string {
	i, ok := r.cols[name]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Column returns the 1-based column number of the named column.
func (r Row) Column(name string) int { return r.cols[name] + 1 }

// Error is a problem at a line (and column when known).
type Error struct {
	Line, Column int
	Field        string
	Msg          string
	Fatal        bool // the rest of the input cannot be read (bad header)
}

// Error formats e as "line L:C: message".
func (e *Error) Error() string { return fmt.Sprintf("line %d:%d: %s", e.Line, e.Column, e.Msg) }

// Reader reads rows with a required set of columns.
type Reader struct {
	cr      *csv.Reader
	cols    map[string]int
	names   []string
	started bool
	noHead  bool // columns are positional: the count must match exactly
	n       int
	ctx     context.Context
}

// New returns a Reader for columns names. If the first record is a header
// naming every column (any order, case-insensitive, extra columns ignored),
// columns are taken from it; otherwise the first record is data, the
// columns are positional in the order given and a row with more fields is
// an error (nothing is ignored silently).
func New(ctx context.Context, r io.Reader, names ...string) *Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	return &Reader{cr: cr, names: names, ctx: ctx}
}

// ErrBadHeader marks a header that lacks a required column.
var ErrBadHeader = errors.New("header lacks a required column")

// Next returns the next row, io.EOF at the end, *Error for a malformed
// record (the reader can go on after it), or ctx's error.
func (r *Reader) Next() (Row, error) {
	for {
		r.n++
		if r.n%1024 == 0 {
			if err := r.ctx.Err(); err != nil {
				return Row{}, err
			}
		}
		rec, err := r.cr.Read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if pe.Err == csv.ErrFieldCount {
					continue // cannot happen with FieldsPerRecord = -1
				}
				return Row{}, &Error{Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
			}
			return Row{}, err
		}
		line, _ := r.cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line with spaces
		}
		if !r.started {
			r.started = true
			if cols, ok, missing := header(rec, r.names); ok {
				r.cols = cols
				continue
			} else if missing != "" {
				return Row{}, &Error{Line: line, Column: 1, Field: missing, Msg: "header lacks column " + missing, Fatal: true}
			}
			r.noHead = true
			r.cols = map[string]int{}
			for i, n := range r.names {
				r.cols[n] = i
			}
		}
		if r.noHead && len(rec) > len(r.names) {
			return Row{}, &Error{Line: line, Column: len(r.names) + 1, Msg: fmt.Sprintf("%d fields, want %d (no header)", len(rec), len(r.names))}
		}
		row := Row{Line: line, fields: rec, cols: r.cols}
		for _, n := range r.names {
			if r.cols[n] >= len(rec) {
				return Row{}, &Error{Line: line, Column: len(rec), Field: n, Msg: fmt.Sprintf("%d fields, no %s", len(rec), n)}
			}
		}
		return row, nil
	}
}

// header reports whether rec is a header. A record is a header when one of
// its fields names a required column; it must then name all of them
// (missing is the first absent one).
func header(rec, names []string) (cols map[string]int, ok bool, missing string) {
	cols = map[string]int{}
	for i, f := range rec {
		f = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(f, "\ufeff")))
		for _, n := range names {
			if f == n {
				if _, dup := cols[n]; !dup {
					cols[n] = i
				}
			}
		}
	}
	if len(cols) == 0 {
		return nil, false, ""
	}
	for _, n := range names {
		if _, ok := cols[n]; !ok {
			return nil, false, n
		}
	}
	return cols, true, ""
}
