package scoring

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"
)

// Record is one line of a batch: the lead's result, or the reason it was
// rejected. Exactly one of Result and Err is set.
type Record struct {
	Line   int     // 1-based line number in the input
	Result *Result // the result, when the lead was scored
	Err    error   // why the line was rejected: bad JSON, a *LeadError, an *EvalError, ErrLimit
}

// BatchStats counts a batch. Read == Scored + Rejected always holds: no line
// is dropped silently. Blank lines are not records and are not counted.
type BatchStats struct {
	Read     int `json:"read"`
	Scored   int `json:"scored"`
	Rejected int `json:"rejected"`
}

// BatchOption configures ScoreLines.
type BatchOption func(*batchConfig)

type batchConfig struct {
	workers  int
	maxLine  int
	evalOpts []EvalOption
}

// Workers sets the number of goroutines scoring in parallel (default
// GOMAXPROCS). Output order does not depend on it.
func Workers(n int) BatchOption { return func(c *batchConfig) { c.workers = n } }

// MaxLineBytes bounds one input line (default 1 MiB); a longer line is
// rejected with its line number and the batch goes on.
func MaxLineBytes(n int) BatchOption { return func(c *batchConfig) { c.maxLine = n } }

// WithEvalOptions applies evaluation options (routing state, availability)
// to every lead of the batch.
func WithEvalOptions(opts ...EvalOption) BatchOption {
	return func(c *batchConfig) { c.evalOpts = append(c.evalOpts, opts...) }
}

// ErrLineTooLong rejects an input line longer than MaxLineBytes.
var ErrLineTooLong = errors.New("scoring: line too long")

type seqRecord struct {
	seq int
	rec Record
}

type job struct {
	seq  int
	line int
	data []byte
	err  error // a read problem for this line (too long)
}

// ScoreLines scores a stream of JSON lines, one lead object per line, with a
// bounded pool of workers, and calls emit with every record in input order
// from the calling goroutine. A bad line becomes a Record with Err and the
// batch goes on. ScoreLines stops early, returning the error, if emit
// returns an error, reading fails, or ctx is canceled; the stats then count
// what was emitted.
//
// The input may also be a JSON array of lead objects (its first non-blank
// byte is '['); each element's line number is the line it starts on. A
// syntax error inside an array ends the batch with an error naming its
// line, since nothing after it can be read reliably.
func (rs *RuleSet) ScoreLines(ctx context.Context, r io.Reader, at time.Time, emit func(Record) error, opts ...BatchOption) (BatchStats, error) {
	cfg := batchConfig{workers: runtime.GOMAXPROCS(0), maxLine: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.workers < 1 {
		cfg.workers = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	window := cfg.workers * 4 // lines in flight: bounds memory and the reorder buffer
	jobs := make(chan job, window)
	results := make(chan seqRecord, window)
	slots := make(chan struct{}, window)
	var readErr error

	go func() { // reader
		defer close(jobs)
		send := func(j job) bool {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				return false
			}
		}
		br := bufio.NewReaderSize(r, 64<<10)
		if isArray(br) {
			readErr = readArray(br, cfg.maxLine, send)
			return
		}
		seq, line := 0, 0
		for {
			data, tooLong, err := readLine(br, cfg.maxLine)
			if err != nil && err != io.EOF {
				readErr = err
				return
			}
			if len(data) == 0 && err == io.EOF && !tooLong {
				return
			}
			line++
			if !tooLong && len(bytes.TrimSpace(data)) == 0 {
				if err == io.EOF {
					return
				}
				continue
			}
			j := job{seq: seq, line: line, data: data}
			if tooLong {
				j.data = nil
				j.err = fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, cfg.maxLine)
			}
			if !send(j) {
				return
			}
			seq++
			if err == io.EOF {
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < cfg.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				rec := Record{Line: j.line, Err: j.err}
				if rec.Err == nil {
					rec.Result, rec.Err = rs.scoreJSON(ctx, j.data, at, cfg.evalOpts)
				}
				select {
				case results <- seqRecord{j.seq, rec}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var st BatchStats
	pending := map[int]Record{}
	next := 0
	var emitErr error
	for sr := range results {
		pending[sr.seq] = sr.rec
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			if emitErr != nil {
				continue
			}
			st.Read++
			if p.Err != nil {
				st.Rejected++
			} else {
				st.Scored++
			}
			if err := emit(p); err != nil {
				emitErr = err
				cancel()
			}
		}
	}
	if emitErr != nil {
		return st, emitErr
	}
	if readErr != nil {
		return st, fmt.Errorf("scoring: reading input: %w", readErr)
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	return st, nil
}

// readLine reads one line without its newline. A line longer than max is
// consumed and reported as tooLong, so the next line still has its number.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max+1 {
				tooLong = true
				buf = nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return bytes.TrimRight(buf, "\r\n"), tooLong, err
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, nil
	}
}

// scoreJSON decodes one JSON lead object and scores it.
func (rs *RuleSet) scoreJSON(ctx context.Context, data []byte, at time.Time, opts []EvalOption) (*Result, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &LeadError{Msg: "invalid JSON: " + err.Error()}
	}
	if m == nil {
		return nil, &LeadError{Msg: "want a JSON object, got null"}
	}
	return rs.Score(ctx, m, at, opts...)
}

// isArray reports whether the input's first non-blank byte is '['.
func isArray(br *bufio.Reader) bool {
	for i := 1; ; i++ {
		b, err := br.Peek(i)
		if err != nil || len(b) < i {
			return false
		}
		switch b[i-1] {
		case ' ', '\t', '\r', '\n':
			continue
		case '[':
			return true
		}
		return false
	}
}

// lineCounter records the offsets of the newlines it passes on.
type lineCounter struct {
	r        io.Reader
	off      int64
	newlines []int64
}

func (lc *lineCounter) Read(p []byte) (int, error) {
	n, err := lc.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			lc.newlines = append(lc.newlines, lc.off+int64(i))
		}
	}
	lc.off += int64(n)
	return n, err
}

// lineAt is the 1-based line of byte offset off.
func (lc *lineCounter) lineAt(off int64) int {
	lo, hi := 0, len(lc.newlines)
	for lo < hi {
		m := (lo + hi) / 2
		if lc.newlines[m] < off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo + 1
}

// readArray streams the elements of a JSON array as jobs.
func readArray(r io.Reader, maxElem int, send func(job) bool) error {
	lc := &lineCounter{r: r}
	dec := json.NewDecoder(lc)
	if _, err := dec.Token(); err != nil { // '['
		return err
	}
	seq := 0
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// The bad element starts at the first byte after the
			// separators the decoder has not consumed.
			off := dec.InputOffset()
			rest, _ := io.ReadAll(dec.Buffered())
			for _, b := range rest {
				if b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != ',' {
					break
				}
				off++
			}
			return fmt.Errorf("line %d: %w", lc.lineAt(off), err)
		}
		start := dec.InputOffset() - int64(len(raw))
		j := job{seq: seq, line: lc.lineAt(start), data: raw}
		if len(raw) > maxElem {
			j.data, j.err = nil, fmt.Errorf("%w: element of more than %d bytes", ErrLineTooLong, maxElem)
		}
		if !send(j) {
			return nil
		}
		seq++
	}
	if _, err := dec.Token(); err != nil { // ']'
		return fmt.Errorf("line %d: %w", lc.lineAt(dec.InputOffset()), err)
	}
	return nil
}
