// Package csvio reads CSV records, the one way the module does it (RFC 4180
// with the habits of spreadsheet exports): a UTF-8 byte order mark is
// dropped, "\r\n" and "\n" end a line, blank lines are skipped, a quoted
// field may hold commas, doubled quotes and line breaks, and every record
// and field is bounded in size so that no input can exhaust memory.
//
// Errors are *diag.Error values whose Line is the record's first line and
// whose Column is the 1-based field number.
package csvio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/lineio"
)

// Default bounds.
const (
	DefaultMaxRecord = 1 << 20 // bytes of one record, all its lines included
	DefaultMaxFields = 4096    // fields of one record
)

// Options bound and tune a Reader. The zero value is the defaults.
type Options struct {
	MaxRecord int  // bytes of one record (a quoted field may span lines); <= 0: DefaultMaxRecord
	MaxFields int  // fields of one record; <= 0: DefaultMaxFields
	Comment   byte // a line starting with this byte is skipped; 0: none
}

// Record is one CSV record. Fields alias the reader's buffers and are valid
// until the next Read.
type Record struct {
	Line   int      // 1-based line the record starts on
	Fields [][]byte // the fields, unquoted
}

// Len is the number of fields.
func (r *Record) Len() int { return len(r.Fields) }

// Text returns field i (0-based) as a string, "" when the record has fewer
// fields.
func (r *Record) Text(i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return string(r.Fields[i])
}

// Trimmed returns field i with surrounding white space removed.
func (r *Record) Trimmed(i int) string { return strings.TrimSpace(r.Text(i)) }

// Blank reports whether every field is empty or white space.
func (r *Record) Blank() bool {
	for _, f := range r.Fields {
		if len(bytes.TrimSpace(f)) > 0 {
			return false
		}
	}
	return true
}

// Reader reads records. It is not safe for concurrent use.
type Reader struct {
	lr     *lineio.Reader
	opt    Options
	rec    Record
	buf    []byte // the joined lines of a multi-line record
	out    []byte // unquoted field storage for records with quotes
	bounds [][2]int
}

// NewReader returns a Reader of r, calling the input name in errors.
func NewReader(ctx context.Context, r io.Reader, name string, opt Options) *Reader {
	if opt.MaxRecord <= 0 {
		opt.MaxRecord = DefaultMaxRecord
	}
	if opt.MaxFields <= 0 {
		opt.MaxFields = DefaultMaxFields
	}
	return &Reader{lr: lineio.NewReader(ctx, r, name, opt.MaxRecord), opt: opt}
}

// Name is the input's name.
func (r *Reader) Name() string { return r.lr.Name() }

// Read returns the next record, skipping blank and comment lines, or io.EOF
// at the end. A malformed record (a bad quote, too many fields, a line or
// record over the bound) is a *diag.Error; the reader then goes on with the
// next record, unless Stopped reports true (a read error, ctx, or a line so
// long that no end of it was found).
func (r *Reader) Read() (*Record, error) {
	for {
		line, err := r.lr.Next()
		if err != nil {
			return nil, err
		}
		if len(line) == 0 || (r.opt.Comment != 0 && line[0] == r.opt.Comment) {
			continue
		}
		start := r.lr.Line()
		if bytes.IndexByte(line, '"') < 0 {
			if err := r.splitPlain(line, start); err != nil {
				return nil, err
			}
		} else if err := r.splitQuoted(line, start); err != nil {
			return nil, err
		}
		if r.rec.Blank() {
			continue
		}
		return &r.rec, nil
	}
}

// Stopped reports whether the reader has stopped for good.
func (r *Reader) Stopped() bool { return r.lr.Stopped() }

func (r *Reader) splitPlain(b []byte, line int) error {
	r.rec.Line = line
	f := r.rec.Fields[:0]
	for {
		i := bytes.IndexByte(b, ',')
		if i < 0 {
			f = append(f, b)
			break
		}
		f = append(f, b[:i])
		b = b[i+1:]
		if len(f) >= r.opt.MaxFields {
			r.rec.Fields = f[:0]
			return r.Errorf(line, len(f)+1, "", diag.CodeLimit, diag.ErrLineTooLong, "more than %d fields", r.opt.MaxFields)
		}
	}
	r.rec.Fields = f
	return nil
}

// splitQuoted parses a line with quotes; a quoted field left open at the end
// of the line continues on the next line.
func (r *Reader) splitQuoted(b []byte, line int) error {
	r.rec.Line = line
	r.out = r.out[:0]
	r.bounds = r.bounds[:0]
	total := len(b)
	for col := 1; ; col++ {
		if col > r.opt.MaxFields {
			return r.Errorf(line, col, "", diag.CodeLimit, diag.ErrLineTooLong, "more than %d fields", r.opt.MaxFields)
		}
		start := len(r.out)
		if len(b) > 0 && b[0] == '"' {
			b = b[1:]
			for {
				i := bytes.IndexByte(b, '"')
				if i < 0 {
					// The field goes on on the next line.
					r.out = append(r.out, b...)
					r.out = append(r.out, '\n')
					next, err := r.lr.Next()
					if err == io.EOF {
						return r.Errorf(line, col, "", diag.CodeSyntax, diag.ErrSyntax, "quoted field not closed before the end of the input")
					}
					if err != nil {
						return err
					}
					total += len(next) + 1
					if total > r.opt.MaxRecord {
						return r.Errorf(line, col, "", diag.CodeLimit, diag.ErrLineTooLong, "record longer than %d bytes (a quoted field not closed?)", r.opt.MaxRecord)
					}
					b = next
					continue
				}
				r.out = append(r.out, b[:i]...)
				b = b[i+1:]
				if len(b) > 0 && b[0] == '"' {
					r.out = append(r.out, '"')
					b = b[1:]
					continue
				}
				break
			}
			if len(b) > 0 && b[0] != ',' {
				return r.Errorf(line, col, "", diag.CodeSyntax, diag.ErrSyntax, "unexpected text after the closing quote of field %d", col)
			}
		} else {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				i = len(b)
			}
			if bytes.IndexByte(b[:i], '"') >= 0 {
				return r.Errorf(line, col, "", diag.CodeSyntax, diag.ErrSyntax, "bare quote in unquoted field %d (quote the whole field and double the quote)", col)
			}
			r.out = append(r.out, b[:i]...)
			b = b[i:]
		}
		r.bounds = append(r.bounds, [2]int{start, len(r.out)})
		if len(b) == 0 {
			break
		}
		b = b[1:] // the comma
	}
	f := r.rec.Fields[:0]
	for _, bd := range r.bounds {
		f = append(f, r.out[bd[0]:bd[1]:bd[1]])
	}
	r.rec.Fields = f
	return nil
}

// Errorf returns a problem at field number field (1-based; 0 for the whole
// record) of the record starting on line, about the subject id (a column
// name, or ""), matching sentinel.
func (r *Reader) Errorf(line, field int, id string, code diag.Code, sentinel error, format string, a ...any) *diag.Error {
	return &diag.Error{File: r.Name(), Line: line, Column: field, ID: id, Code: code, Err: sentinel, Msg: fmt.Sprintf(format, a...)}
}

// Column is one column a format knows.
type Column struct {
	Name     string
	Required bool
}

// HeaderOptions tune MapHeader.
type HeaderOptions struct {
	FoldCase     bool // match names case-insensitively
	AllowUnknown bool // ignore columns the format does not know instead of rejecting them
}

// Header maps a format's columns to their positions in a file.
type Header struct {
	Index []int    // Index[k] is the field of cols[k], or -1 when absent
	Names []string // the header's names, trimmed, in file order
	Width int      // the number of fields in the header
}

// Has reports whether column k is present.
func (h Header) Has(k int) bool { return k < len(h.Index) && h.Index[k] >= 0 }

// MapHeader reads rec as the header of a format with columns cols: every
// required column must be present, none twice, and (unless AllowUnknown)
// no other. All problems are returned together as a diag.List.
func (r *Reader) MapHeader(rec *Record, cols []Column, opt HeaderOptions) (Header, error) {
	h := Header{Index: make([]int, len(cols)), Width: rec.Len()}
	for k := range h.Index {
		h.Index[k] = -1
	}
	var errs diag.List
	names := make([]string, 0, len(cols))
	for _, c := range cols {
		names = append(names, c.Name)
	}
	for i := range rec.Fields {
		name := strings.TrimSpace(rec.Text(i))
		h.Names = append(h.Names, name)
		k := -1
		for j, c := range cols {
			if c.Name == name || (opt.FoldCase && strings.EqualFold(c.Name, name)) {
				k = j
				break
			}
		}
		switch {
		case k < 0 && !opt.AllowUnknown:
			errs = append(errs, r.Errorf(rec.Line, i+1, name, diag.CodeUnknownKey, diag.ErrSyntax, "unknown column (known: %s)", strings.Join(names, ", ")))
		case k < 0:
		case h.Index[k] >= 0:
			errs = append(errs, r.Errorf(rec.Line, i+1, name, diag.CodeDuplicate, diag.ErrSyntax, "duplicate column (also field %d)", h.Index[k]+1))
		default:
			h.Index[k] = i
		}
	}
	for k, c := range cols {
		if c.Required && h.Index[k] < 0 {
			errs = append(errs, r.Errorf(rec.Line, 0, c.Name, diag.CodeMissing, diag.ErrSyntax, "missing column"))
		}
	}
	return h, errs.Err()
}

// Field returns the field of column k in rec, "" when the column is absent
// or the record is short.
func (h Header) Field(rec *Record, k int) []byte {
	if k >= len(h.Index) || h.Index[k] < 0 || h.Index[k] >= len(rec.Fields) {
		return nil
	}
	return rec.Fields[h.Index[k]]
}

// CheckWidth reports a record with a different number of fields than the
// header, as a positioned error.
func (r *Reader) CheckWidth(rec *Record, h Header) error {
	if rec.Len() == h.Width {
		return nil
	}
	return r.Errorf(rec.Line, min(rec.Len(), h.Width)+1, "", diag.CodeSyntax, diag.ErrSyntax, "%d fields, the header has %d", rec.Len(), h.Width)
}
