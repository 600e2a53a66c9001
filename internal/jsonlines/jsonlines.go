// Package jsonlines reads a stream of JSON objects, the one way the module
// does it: JSON lines (one value per line, blank lines skipped) or, when the
// first byte that is not white space is '[', one JSON array whose elements
// are the values. A UTF-8 byte order mark at the start is dropped. Each
// value carries the 1-based line it starts on.
//
// Bounds: a line (or array element) longer than the bound is yielded as an
// Item with an error and the read goes on; an array element more than three
// times the bound, a syntax error inside an array, or anything after the
// array's closing ']' stops the read with a positioned *diag.Error, since
// nothing after it can be read reliably.
package jsonlines

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/lineio"
)

// Item is one value as read: its line and bytes, or why it cannot be read.
// Data aliases the reader's buffers and is valid only during the yield call.
type Item struct {
	Line int
	Data []byte
	Err  error // a *diag.Error matching diag.ErrLineTooLong; Data is nil
}

// Read reads r (called name in errors) and calls yield with every value in
// input order. maxBytes bounds one line or element (<= 0: 1 MiB). It
// returns yield's error, a read error, ctx's error, or a *diag.Error that
// stopped the read.
func Read(ctx context.Context, r io.Reader, name string, maxBytes int, yield func(Item) error) error {
	if maxBytes <= 0 {
		maxBytes = lineio.DefaultMaxLine
	}
	br := bufio.NewReaderSize(r, 64<<10)
	line, off, lastNL := 1, int64(0), int64(-1)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte(lineio.BOM)) {
		br.Discard(3)
		off, lastNL = 3, 2 // columns count from after the mark
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			if c == '\n' {
				line, lastNL = line+1, off
			}
			off++
			continue
		}
		br.UnreadByte()
		if c == '[' {
			return readArray(ctx, br, name, line, off, lastNL, maxBytes, yield)
		}
		return readLines(ctx, br, name, line, maxBytes, yield)
	}
}

func syntaxErr(name string, line, col int, msg string) error {
	return &diag.Error{File: name, Line: line, Column: col, Code: diag.CodeSyntax, Err: diag.ErrSyntax, Msg: msg}
}

func readLines(ctx context.Context, br *bufio.Reader, name string, line, maxBytes int, yield func(Item) error) error {
	lr := lineio.NewReader(ctx, br, name, maxBytes)
	lr.Resume(line - 1) // the mark and the blank lines before the first value are read
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		data, err := lr.Next()
		if err == io.EOF {
			return nil
		}
		var it Item
		switch {
		case err != nil:
			var de *diag.Error
			if !errors.As(err, &de) {
				return err
			}
			if lr.Stopped() { // a line too long to skip: the rest is unreadable
				return de
			}
			it = Item{Line: de.Line, Err: de}
		case skipSpace(data, 0) < len(data): // not blank: JSON white space only
			it = Item{Line: lr.Line(), Data: data}
		default:
			continue
		}
		if yerr := yield(it); yerr != nil {
			return yerr
		}
	}
}

// lineCounter passes bytes through to a json.Decoder and remembers where
// the newlines are, so that decoder offsets can be turned into lines, and
// the bytes since the end of the last element, so that a syntax error can
// be placed exactly (the Decoder's SyntaxError offsets are not absolute).
// It also bounds how far the decoder may read past the end of the last
// element, which bounds the memory one huge element can take.
type lineCounter struct {
	r        io.Reader
	off      int64   // absolute offset of the next byte read
	nls      []int64 // offsets of newlines not yet passed by a position query
	line     int     // the line of offset lastNL+1
	lastNL   int64   // offset of the last newline passed, or -1
	lastEnd  int64   // absolute end offset of the last element (or of the '[')
	limit    int64   // bytes that may be read past lastEnd
	kept     []byte  // the bytes read from keptFrom on
	keptFrom int64
}

func (c *lineCounter) Read(p []byte) (int, error) {
	if c.off-c.lastEnd > c.limit {
		return 0, errElementTooLarge
	}
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.nls = append(c.nls, c.off+int64(i))
		}
	}
	c.kept = append(c.kept, p[:n]...)
	c.off += int64(n)
	return n, err
}

// ended records the end of an element and forgets the bytes before it.
func (c *lineCounter) ended(end int64) {
	c.lastEnd = end
	if drop := int(end - c.keptFrom); drop > len(c.kept)/2 { // amortised: copy only when half is dead
		c.kept = append(c.kept[:0], c.kept[drop:]...)
		c.keptFrom = end
	}
}

var errElementTooLarge = errors.New("element too large")

// pos returns the line and column of the absolute offset off. Offsets
// queried must not decrease.
func (c *lineCounter) pos(off int64) (line, col int) {
	i := 0
	for i < len(c.nls) && c.nls[i] < off {
		c.lastNL = c.nls[i]
		c.line++
		i++
	}
	c.nls = c.nls[i:]
	return c.line, int(off - c.lastNL)
}

// syntaxAt finds the offset of the first syntax error after the last
// element: a missing comma (unless first), else the first error of the next
// value as json.Unmarshal reports it, else the end of the input read.
func (c *lineCounter) syntaxAt(first bool) int64 {
	rest := c.kept[c.lastEnd-c.keptFrom:]
	i := skipSpace(rest, 0)
	if !first {
		if i < len(rest) && rest[i] != ',' {
			return c.lastEnd + int64(i)
		}
		i = skipSpace(rest, i+1)
	}
	var raw json.RawMessage
	var se *json.SyntaxError
	if err := json.Unmarshal(rest[i:], &raw); errors.As(err, &se) && se.Offset >= 1 && i+int(se.Offset)-1 < len(rest) {
		return c.lastEnd + int64(i) + se.Offset - 1
	}
	return c.off
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

func readArray(ctx context.Context, br *bufio.Reader, name string, line int, off, lastNL int64, maxBytes int, yield func(Item) error) error {
	lc := &lineCounter{r: br, off: off, line: line, lastNL: lastNL, limit: 3*int64(maxBytes) + 4096, keptFrom: off}
	dec := json.NewDecoder(lc)
	first := true
	fail := func(err error) error {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			l, c := lc.pos(lc.syntaxAt(first))
			return syntaxErr(name, l, c, "invalid JSON array: "+se.Error())
		case errors.Is(err, errElementTooLarge):
			l, c := lc.pos(lc.lastEnd)
			return &diag.Error{File: name, Line: l, Column: c, Code: diag.CodeLimit, Err: diag.ErrLineTooLong, Msg: fmt.Sprintf("array element after this point is longer than %d bytes", 3*maxBytes)}
		case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
			l, c := lc.pos(lc.off)
			return syntaxErr(name, l, c, "invalid JSON array: unexpected end of input")
		}
		return err
	}
	if _, err := dec.Token(); err != nil { // the '['
		return fail(err)
	}
	lc.ended(off + dec.InputOffset())
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		first = false
		end := off + dec.InputOffset()
		start := end - int64(len(raw))
		l, _ := lc.pos(start)
		lc.ended(end)
		it := Item{Line: l, Data: raw}
		if len(raw) > maxBytes {
			it.Data, it.Err = nil, &diag.Error{File: name, Line: l, Code: diag.CodeLimit, Err: diag.ErrLineTooLong, Msg: fmt.Sprintf("array element longer than %d bytes", maxBytes)}
		}
		if err := yield(it); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the ']'
		return fail(err)
	}
	lc.ended(off + dec.InputOffset())
	if _, err := dec.Token(); err != io.EOF {
		var se *json.SyntaxError
		if err != nil && !errors.As(err, &se) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, errElementTooLarge) {
			return err // reading failed
		}
		rest := lc.kept[lc.lastEnd-lc.keptFrom:]
		l, c := lc.pos(lc.lastEnd + int64(skipSpace(rest, 0)))
		return syntaxErr(name, l, c, "data after the closing ] of the array")
	}
	return nil
}
