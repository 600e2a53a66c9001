package backtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/revengine/revengine/scoring"
)

// ErrInput reports input that cannot be read as leads at all: a malformed
// JSON array, or an element far over the size bound. Per-lead problems are
// not errors of Run; they are Rejections in the Report.
var ErrInput = errors.New("backtest: unreadable input")

// InputError is a problem that stops reading the leads, with its position.
// It matches ErrInput.
type InputError struct {
	Line   int // 1-based
	Column int // 1-based, in bytes; 0 when unknown
	Msg    string
}

// Error formats e as "line:col: message".
func (e *InputError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("%d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
}

// Is reports whether target is ErrInput.
func (e *InputError) Is(target error) bool { return target == ErrInput }

// rawLead is one lead as read: its line and bytes, or why it cannot be read.
type rawLead struct {
	line    int
	data    []byte         // the JSON, when not decoded
	lead    map[string]any // the lead, when decoded
	decoded bool
	err     error
}

// readLeads reads JSON lines, or a JSON array when the first byte that is
// not white space (after an optional UTF-8 byte order mark) is '[', and
// calls yield with every lead in input order. Lines: blank lines are
// skipped and not counted as leads; a line longer than maxBytes is yielded
// with scoring.ErrLineTooLong. Array: each element is a lead whose line is
// the line its first byte is on; an element longer than maxBytes is yielded
// with scoring.ErrLineTooLong, and one longer than 3×maxBytes, a syntax
// error, or anything after the closing ']' stops the read with an
// *InputError. readLeads returns yield's error, a read error, or ctx's.
func readLeads(ctx context.Context, r io.Reader, maxBytes int, yield func(rawLead) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	// Skip leading white space, counting lines and bytes.
	line, off, lastNL := 1, int64(0), int64(-1)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
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
			return readArray(ctx, br, line, off, lastNL, maxBytes, yield)
		}
		return readLines(ctx, br, line, maxBytes, yield)
	}
}

func readLines(ctx context.Context, br *bufio.Reader, line, maxBytes int, yield func(rawLead) error) error {
	for line--; ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, tooLong, err := readLine(br, maxBytes)
		if err != nil && err != io.EOF {
			return err
		}
		if len(data) == 0 && !tooLong && err == io.EOF {
			return nil
		}
		line++
		switch {
		case tooLong:
			if yerr := yield(rawLead{line: line, err: fmt.Errorf("%w: more than %d bytes", scoring.ErrLineTooLong, maxBytes)}); yerr != nil {
				return yerr
			}
		case skipSpace(data, 0) < len(data): // not blank: JSON white space only
			if yerr := yield(rawLead{line: line, data: data}); yerr != nil {
				return yerr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine reads one line without its line ending (\n or \r\n). A line
// longer than max is consumed and reported as tooLong, so the next line
// keeps its number.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max+2 { // room for a \r\n line ending
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
		if len(line) > max {
			tooLong, line = true, nil
		}
		return line, tooLong, err
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

func readArray(ctx context.Context, br *bufio.Reader, line int, off, lastNL int64, maxBytes int, yield func(rawLead) error) error {
	lc := &lineCounter{r: br, off: off, line: line, lastNL: lastNL, limit: 3*int64(maxBytes) + 4096, keptFrom: off}
	dec := json.NewDecoder(lc)
	first := true
	fail := func(err error) error {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			l, c := lc.pos(lc.syntaxAt(first))
			return &InputError{Line: l, Column: c, Msg: "invalid JSON array: " + se.Error()}
		case errors.Is(err, errElementTooLarge):
			l, c := lc.pos(lc.lastEnd)
			return &InputError{Line: l, Column: c, Msg: fmt.Sprintf("array element after this point is longer than %d bytes", 3*maxBytes)}
		case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
			l, c := lc.pos(lc.off)
			return &InputError{Line: l, Column: c, Msg: "invalid JSON array: unexpected end of input"}
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
		rl := rawLead{line: l, data: raw}
		if len(raw) > maxBytes {
			rl.data, rl.err = nil, fmt.Errorf("%w: more than %d bytes", scoring.ErrLineTooLong, maxBytes)
		}
		if err := yield(rl); err != nil {
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
		return &InputError{Line: l, Column: c, Msg: "data after the closing ] of the array"}
	}
	return nil
}
