// Package lineio reads text input line by line, the one way the module
// does it: a UTF-8 byte order mark at the start is dropped, "\r\n" and "\n"
// both end a line, and a line longer than the bound is reported with its
// number instead of growing memory without limit.
package lineio

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/revengine/revengine/internal/diag"
)

// DefaultMaxLine is the line bound when none is given: 1 MiB.
const DefaultMaxLine = 1 << 20

// skipFactor bounds how much of a too-long line is skipped to find the next
// line: a line longer than skipFactor × the bound (or input with no newline
// at all, such as /dev/zero) ends the read, so that no input can make a
// reader run forever.
const skipFactor = 64

// BOM is the UTF-8 byte order mark that spreadsheet exports put first.
const BOM = "\xEF\xBB\xBF"

// Reader yields the lines of an input. It is not safe for concurrent use.
type Reader struct {
	ctx   context.Context
	br    *bufio.Reader
	name  string
	max   int
	line  int
	buf   []byte
	fatal error
	first bool
	n     int
}

// NewReader returns a Reader of r that calls its input name in errors and
// allows lines of at most maxLine bytes (without the line ending);
// maxLine <= 0 means DefaultMaxLine. ctx is checked every few thousand
// lines and while skipping a long line.
func NewReader(ctx context.Context, r io.Reader, name string, maxLine int) *Reader {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 4096 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &Reader{ctx: ctx, br: br, name: name, max: maxLine, first: true}
}

// Resume tells r that its input starts after line n of a larger input
// whose start (and byte order mark) a caller has already read: the next
// line is numbered n+1 and no mark is stripped from it. Call it before the
// first Next.
func (r *Reader) Resume(n int) {
	r.line = n
	r.first = false
}

// Line is the 1-based number of the line Next returned last.
func (r *Reader) Line() int { return r.line }

// Name is the input's name.
func (r *Reader) Name() string { return r.name }

// Max is the line bound.
func (r *Reader) Max() int { return r.max }

// Next returns the next line without its line ending; the slice is valid
// until the following call. At the end it returns io.EOF. A line longer
// than the bound is a *diag.Error matching diag.ErrLineTooLong with the
// line's number; the line is skipped and the next call goes on with the
// following line, unless the line was longer than 64 × the bound, in which
// case that error is final. A read error or ctx's error is final too.
func (r *Reader) Next() ([]byte, error) {
	if r.fatal != nil {
		return nil, r.fatal
	}
	r.n++
	if r.n&4095 == 0 {
		if err := r.ctx.Err(); err != nil {
			r.fatal = err
			return nil, err
		}
	}
	r.buf = r.buf[:0]
	tooLong := false
	var skipped int64
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(r.buf)+len(chunk) > r.max+2 { // room for "\r\n"
				tooLong = true
				skipped = int64(len(r.buf) + len(chunk))
				r.buf = r.buf[:0]
			} else if err == bufio.ErrBufferFull || len(r.buf) > 0 {
				r.buf = append(r.buf, chunk...)
				chunk = r.buf
			}
		} else {
			skipped += int64(len(chunk))
			if skipped > skipFactor*int64(r.max) {
				r.line++
				r.fatal = r.errTooLong(true)
				return nil, r.fatal
			}
			if cerr := r.ctx.Err(); cerr != nil && err == bufio.ErrBufferFull {
				r.fatal = cerr
				return nil, cerr
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			r.fatal = err
			return nil, err
		}
		if err == io.EOF && len(chunk) == 0 && !tooLong && len(r.buf) == 0 {
			return nil, io.EOF
		}
		r.line++
		first := r.first
		r.first = false
		if tooLong {
			return nil, r.errTooLong(false)
		}
		line := bytes.TrimSuffix(chunk, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if first {
			line = bytes.TrimPrefix(line, []byte(BOM))
		}
		if len(line) > r.max {
			return nil, r.errTooLong(false)
		}
		if err == io.EOF {
			r.fatal = io.EOF
		}
		return line, nil
	}
}

func (r *Reader) errTooLong(final bool) error {
	msg := fmt.Sprintf("line longer than %d bytes", r.max)
	if final {
		msg = fmt.Sprintf("line longer than %d bytes, and no end of line within %d bytes: giving up", r.max, skipFactor*int64(r.max))
	}
	return &diag.Error{File: r.name, Line: r.line, Code: diag.CodeLimit, Err: diag.ErrLineTooLong, Msg: msg}
}

// Stopped reports whether the reader has reached the end of its input or
// stopped for good (a read error, ctx, a line too long to skip): every
// later Next returns the same error.
func (r *Reader) Stopped() bool { return r.fatal != nil }
