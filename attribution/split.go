package attribution

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"runtime"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
)

// Reading a touch file in two parts at once.
//
// ReadTouches on a regular file (an *os.File, or any io.ReaderAt that is
// also an io.Seeker, such as *bytes.Reader) of at least splitMinBytes
// reads it as two byte ranges on two goroutines when GOMAXPROCS allows,
// each into an aggregate of its own, and merges the two (Aggregate.Merge
// is exact). The result — aggregate, errors, their order and positions —
// is the one the single reader returns, byte for byte, because the split
// is speculative and checked:
//
//   - The split point is the start of a line after the middle of the
//     file. The first part is read to it as if it were the end of the
//     input; if the input would have been inside a quoted field there
//     (a field that spans lines), the point was not a record boundary and
//     the file is read by one reader instead.
//   - The second part numbers its lines from the count of line feeds
//     before the split point, so every error names its real line; its
//     errors follow the first part's.
//   - Grouped: the split point moves on to the first line whose journey
//     id differs from the id on the line before it, so no journey
//     straddles it; that the second part's first journey is not the
//     first part's last (or a rejected journey's further rows) is
//     checked once both are read. Regroups are found within a window of
//     the latest journeys that depends only on the distance between two
//     rows (see recentIDs): each part finds its own exactly, and the
//     second part's first journeys are looked up in the first part's
//     latest ones; a regroup across the split point sends the file to
//     the single reader.
//   - AnyOrder: both parts parse rows for two sorters, split by a hash of
//     the journey id, so each sorter holds all the rows of its journeys;
//     their aggregates are merged.
//   - Anything that could make the two-part result differ — a problem
//     adding a journey (an overflow, too many channels) in the second
//     part or in Merge, the sort memory running out, a line with no end —
//     sends the file to the single reader, which reads it again from its
//     start (through io.ReaderAt, so the caller's reader need not seek
//     back).
//
// Memory: each part holds an aggregate of its own until they are merged,
// so a Grouped split read holds up to two path aggregates (each as large
// as the distinct paths its half of the file has) plus two regroup
// windows; none of it grows with the journeys beyond the paths.
//
// Standard input and other streams that cannot be read at an offset are
// read by the single, streaming reader.

// splitMinBytes is the smallest input read in two parts: below it the
// second goroutine, and the read buffers of the parts (1 MiB each), cost
// more than they save. Tests lower it.
var splitMinBytes int64 = 16 << 20

// splitPoint, when set (by tests), picks the offset the split point is
// searched from, given the input's start and end; by default the middle.
var splitPoint func(start, end int64) int64

// splitTrace, when set (by tests), is told whether each split read went
// ahead ("split") or why the one reader read the input instead.
var splitTrace func(outcome string)

func trace(outcome string) {
	if splitTrace != nil {
		splitTrace(outcome)
	}
}

// maxSplitScan bounds how far past the chosen offset the split point is
// looked for (the end of a line, the end of a journey).
const maxSplitScan = 1 << 20

// readerEnd is what a TouchReader held when its input ended: the journey
// in progress and the rejected journey whose rows it was skipping.
type readerEnd struct {
	has      bool
	id       string
	skipping bool
	badID    []byte
}

// source is an input that can be read at offsets: bytes [start, end) of ra.
type source struct {
	ra         io.ReaderAt
	start, end int64
}

// section returns bytes [from, to) of the source as a reader.
func (s source) section(from, to int64) io.Reader {
	return bufio.NewReaderSize(io.NewSectionReader(s.ra, from, to-from), readBuffer)
}

// splittable returns r as a source when it can be split: a regular file
// or another io.ReaderAt with a Seek, of at least splitMinBytes from its
// current offset, on a machine with two cores for it. It leaves r at its
// end, as reading it through would.
func splittable(r io.Reader) (source, bool) {
	type readerAtSeeker interface {
		io.ReaderAt
		io.Seeker
	}
	rs, ok := r.(readerAtSeeker)
	if !ok || runtime.GOMAXPROCS(0) < 2 {
		return source{}, false
	}
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			return source{}, false
		}
	}
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return source{}, false
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return source{}, false
	}
	if end-start < splitMinBytes {
		rs.Seek(start, io.SeekStart)
		return source{}, false
	}
	return source{ra: rs, start: start, end: end}, true
}

// findSplit returns the split point of src, whose header is h (with the
// first data line at or after dataStart): the start of a line after the
// middle, and for Grouped input the start of the first line after it
// whose journey id differs from the line before's. It returns -1 when
// there is none within maxSplitScan, when the lines it looks at have
// quotes (their ids could not be told from the bytes alone), or when the
// line there starts with a byte order mark (which the second part's
// reader would drop).
func findSplit(src source, h csvio.Header, dataStart int64, grouped bool) int64 {
	from := src.start + (src.end-src.start)/2
	if splitPoint != nil {
		from = splitPoint(src.start, src.end)
	}
	from = max(from, dataStart)
	n := min(int64(maxSplitScan), src.end-from)
	if n <= 0 {
		return -1
	}
	buf := make([]byte, n)
	if _, err := src.ra.ReadAt(buf, from); err != nil && err != io.EOF {
		return -1
	}
	// The first line start at or after from.
	p := 0
	if from > src.start {
		var prev [1]byte
		if _, err := src.ra.ReadAt(prev[:], from-1); err != nil {
			return -1
		}
		if prev[0] != '\n' {
			i := bytes.IndexByte(buf, '\n')
			if i < 0 {
				return -1
			}
			p = i + 1
		}
	}
	if grouped {
		// Move on to the first line with another journey id than the
		// line before it.
		idCol := h.Index[colID]
		var firstID []byte
		for {
			i := bytes.IndexByte(buf[p:], '\n')
			if i < 0 {
				return -1 // no complete line left in the window
			}
			line := bytes.TrimSuffix(buf[p:p+i], []byte("\r"))
			if len(line) > 0 {
				id, ok := fieldAt(line, idCol)
				switch {
				case !ok || len(id) == 0:
					firstID = nil // no id to compare: start again on the next line
				case firstID == nil:
					firstID = id
				case !bytes.Equal(id, firstID):
					goto found
				}
			}
			p += i + 1
		}
	found:
	}
	if p >= len(buf) || bytes.HasPrefix(buf[p:], []byte("\xEF\xBB\xBF")) {
		return -1
	}
	return from + int64(p)
}

// fieldAt returns field k of a CSV line, or false when a quote comes
// before its end (the field could not be told from the bytes alone). The
// line may be the continuation of a quoted field: the split point found
// with it is only a guess, which the split read checks.
func fieldAt(line []byte, k int) ([]byte, bool) {
	for ; k > 0; k-- {
		i := bytes.IndexByte(line, ',')
		if i < 0 || bytes.IndexByte(line[:i], '"') >= 0 {
			return nil, false
		}
		line = line[i+1:]
	}
	if i := bytes.IndexByte(line, ','); i >= 0 {
		line = line[:i]
	}
	if bytes.IndexByte(line, '"') >= 0 {
		return nil, false
	}
	return line, true
}

// countLines returns the number of line feeds in bytes [from, to) of src.
func countLines(ctx context.Context, src source, from, to int64) (int, error) {
	buf := make([]byte, 256<<10)
	n := 0
	for off := from; off < to; {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		k := min(int64(len(buf)), to-off)
		m, err := src.ra.ReadAt(buf[:k], off)
		n += bytes.Count(buf[:m], []byte{'\n'})
		off += int64(m)
		if err != nil && !(err == io.EOF && off == to) {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
	}
	return n, nil
}

// headerEnd returns the offset of the first byte after the header line of
// src (blank lines before it are skipped, as the CSV reader does); ok is
// false when the header has quotes (it could span lines) or is longer
// than 64 KiB: such input is read by one reader.
func headerEnd(src source) (int64, bool) {
	buf := make([]byte, min(64<<10, src.end-src.start))
	m, err := src.ra.ReadAt(buf, src.start)
	if err != nil && err != io.EOF {
		return 0, false
	}
	buf = buf[:m]
	// Blank lines before the header are skipped by the reader.
	p := 0
	for {
		i := bytes.IndexByte(buf[p:], '\n')
		if i < 0 {
			return 0, false
		}
		line := buf[p : p+i]
		if bytes.IndexByte(line, '"') >= 0 {
			return 0, false
		}
		if len(bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF")))) > 0 {
			return src.start + int64(p+i+1), true
		}
		p += i + 1
	}
}

// part is one goroutine's share of a split read.
type part struct {
	t       *table
	agg     *Aggregate
	errs    errorList
	fatal   error // ctx, I/O, or a panic: returned as it is
	addErr  bool  // adding a journey failed (not a problem of a row)
	stopped bool  // a problem ended the reading (a line with no end)
}

// newPartTable returns a table reading bytes [from, to) of src with the
// header h of the whole input, numbering lines after lineOff.
func newPartTable(ctx context.Context, src source, from, to int64, name string, c config, h csvio.Header, lineOff int) *table {
	return &table{cr: csvio.NewReader(ctx, src.section(from, to), name, csvio.Options{MaxRecord: c.maxLine}),
		name: name, cols: touchColumns, h: h, cur: c.currency, lineOff: lineOff}
}

// guard turns a panic on a part's goroutine into its fatal error.
func (p *part) guard() {
	if r := recover(); r != nil {
		p.fatal = diag.Internal("attribution: ReadTouches", r)
	}
}
