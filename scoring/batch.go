package scoring

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"maps"
	"runtime"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/internal/pool"
)

// Record is one line of a batch: the lead's result, or the reason it was
// rejected. Exactly one of Result and Err is set.
type Record struct {
	Line   int     // 1-based line number in the input
	Result *Result // the result, when the lead was scored
	Err    error   // why the line was rejected: an *Error matching ErrLead, ErrEval or ErrLineTooLong, or ErrLimit
	// JSON is the result's JSON encoding and a newline, made by the worker
	// that scored it, when the batch has WithJSON; nil otherwise.
	JSON []byte
}

// BatchStats counts a batch. Read == Scored + Rejected always holds: no line
// is dropped silently. Blank lines are not records and are not counted.
type BatchStats struct {
	Read     int `json:"read"`
	Scored   int `json:"scored"`
	Rejected int `json:"rejected"`
	// Ignored counts, in relaxed mode (Strict(false)), the scored leads
	// that held each undeclared key, event property or event type (the
	// names of Result.Ignored). Nil when nothing was ignored.
	Ignored map[string]int `json:"ignored,omitempty"`
}

// BatchOption configures ScoreLines.
type BatchOption func(*batchConfig)

type batchConfig struct {
	workers  int
	maxLine  int
	evalOpts []EvalOption
	encode   bool // WithJSON

	progress      func(BatchStats) // WithProgress
	progressEvery int
}

// WithProgress calls fn with the running counts after every `every`
// records emitted (every <= 0: never on the way) and once more when the
// batch ends, early or not, with the totals the batch returns — so the last
// call always equals the returned BatchStats, and the counts of successive
// calls never decrease. fn is called from the goroutine that calls emit,
// after emit, never concurrently with it or with itself; a slow fn slows
// the batch.
func WithProgress(every int, fn func(BatchStats)) BatchOption {
	return func(c *batchConfig) { c.progress, c.progressEvery = fn, every }
}

// count counts rec in st.
func (c *batchConfig) count(st *BatchStats, rec Record) {
	st.Read++
	if rec.Err != nil {
		st.Rejected++
		return
	}
	st.Scored++
	for _, k := range rec.Result.Ignored {
		if st.Ignored == nil {
			st.Ignored = map[string]int{}
		}
		st.Ignored[k]++
	}
}

// tick calls the progress callback after an emitted record, when due.
func (c *batchConfig) tick(st BatchStats) {
	if c.progress != nil && c.progressEvery > 0 && st.Read%c.progressEvery == 0 {
		st.Ignored = maps.Clone(st.Ignored) // the callback's copy: the batch goes on counting
		c.progress(st)
	}
}

// done makes the progress callback's final call.
func (c *batchConfig) done(st BatchStats) {
	if c.progress != nil {
		st.Ignored = maps.Clone(st.Ignored)
		c.progress(st)
	}
}

// WithJSON makes every scored Record carry its result's JSON encoding
// (Record.JSON, with a newline), made by the worker that scored it: a
// writer of JSON lines then only copies bytes, and encoding runs on every
// core instead of on the goroutine that calls emit.
func WithJSON() BatchOption { return func(c *batchConfig) { c.encode = true } }

// encode fills rec.JSON when the batch asks for it.
func (rec *Record) encode(cfg *batchConfig) {
	if !cfg.encode || rec.Result == nil {
		return
	}
	b := rec.Result.AppendJSON(make([]byte, 0, 1024))
	rec.JSON = append(b, '\n')
}

// WithWorkers sets the number of goroutines scoring in parallel (default
// GOMAXPROCS). Output order does not depend on it.
func WithWorkers(n int) BatchOption { return func(c *batchConfig) { c.workers = n } }

// MaxLineBytes bounds one input line (default 1 MiB); a longer line is
// rejected with its line number and the batch goes on.
func MaxLineBytes(n int) BatchOption { return func(c *batchConfig) { c.maxLine = n } }

// WithEvalOptions applies evaluation options (routing state, availability)
// to every lead of the batch.
func WithEvalOptions(opts ...EvalOption) BatchOption {
	return func(c *batchConfig) { c.evalOpts = append(c.evalOpts, opts...) }
}

// ErrLineTooLong rejects an input line longer than MaxLineBytes.

// ScoreLines scores a stream of leads, JSON lines (one lead object per
// line) or one JSON array of lead objects (when the first byte that is not
// white space is '['), read through the module's one JSON-lines reader: a
// UTF-8 byte order mark is dropped, "\r\n" ends a line like "\n", blank
// lines are skipped and not counted, a line longer than MaxLineBytes is a
// rejected Record and the batch goes on. In an array each element's line is
// the line it starts on; a syntax error inside the array, or anything after
// its closing ']', ends the batch with a positioned error, since nothing
// after it can be read reliably.
//
// Leads are scored by a bounded pool of workers and emit is called with
// every record in input order from the calling goroutine. A rejected lead's
// Err is an *Error: lead problems (bad JSON, a field of the wrong type) are
// placed at name:line; a rule that failed is placed at its expression in
// the rules file (Record.Line still gives the lead's line). ScoreLines stops
// early, returning the error, if emit returns an error, reading fails, or
// ctx is canceled; the stats then count what was emitted.
func (rs *RuleSet) ScoreLines(ctx context.Context, r io.Reader, name string, at time.Time, emit func(Record) error, opts ...BatchOption) (st BatchStats, err error) {
	defer diag.Recover(&err, "scoring: score lines")
	cfg := batchConfig{workers: runtime.GOMAXPROCS(0), maxLine: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.workers < 1 {
		cfg.workers = 1
	}
	err = readOrdered(ctx, r, name, &cfg,
		func(ctx context.Context, j lineJob) Record {
			rec := Record{Line: j.line, Err: j.err}
			if rec.Err == nil {
				rec.Result, rec.Err = rs.scoreJSON(ctx, j.data, at, cfg.evalOpts)
				if le, ok := isLeadErr(rec.Err); ok && le.File == "" {
					le.File, le.Line = name, j.line
				}
				rec.encode(&cfg)
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

// lineJob is one item of a JSON-lines input, for the workers.
type lineJob struct {
	line int
	data []byte
	err  error
}

// readOrdered reads JSON lines (or one array) from r through the module's
// reader and runs work on each item on cfg.workers goroutines, calling emit
// with the results in input order: the one pipeline of ScoreLines,
// ScoreSeq and ScoreAccountLines.
func readOrdered[T any](ctx context.Context, r io.Reader, name string, cfg *batchConfig, work func(context.Context, lineJob) T, emit func(T) error) error {
	return pool.Ordered(ctx, cfg.workers, cfg.workers*4,
		func(yield func(lineJob) bool) error {
			err := jsonlines.Read(ctx, r, name, cfg.maxLine, func(it jsonlines.Item) error {
				j := lineJob{line: it.Line, err: it.Err}
				if it.Err == nil {
					j.data = bytes.Clone(it.Data) // Data aliases the reader's buffer
				}
				if !yield(j) {
					return errStopped
				}
				return nil
			})
			if err == errStopped {
				return nil
			}
			return err
		}, work, emit)
}

// errStopped ends a read whose consumer has stopped.
var errStopped = errors.New("scoring: stopped")

// ScoreSeq is ScoreLines as an iterator: it yields every record in input
// order, and a final (Record{}, err) when the batch ends early (a read
// error, ctx). Breaking out of the loop stops the batch.
func (rs *RuleSet) ScoreSeq(ctx context.Context, r io.Reader, name string, at time.Time, opts ...BatchOption) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		stop := errors.New("stop")
		_, err := rs.ScoreLines(ctx, r, name, at, func(rec Record) error {
			if !yield(rec, nil) {
				return stop
			}
			return nil
		}, opts...)
		if err != nil && err != stop {
			yield(Record{}, err)
		}
	}
}

// scoreJSON decodes one JSON lead object and scores it.
func (rs *RuleSet) scoreJSON(ctx context.Context, data []byte, at time.Time, opts []EvalOption) (*Result, error) {
	m, err := DecodeLead(data)
	if err != nil {
		return nil, err
	}
	return rs.Score(ctx, m, at, opts...)
}

// DecodeLead decodes one JSON lead object the way ScoreLines does, for
// callers that read leads themselves. Invalid JSON, or JSON that is not an
// object, is an *Error matching ErrLead.
func DecodeLead(data []byte) (map[string]any, error) {
	if m, ok := decodeFast(data); ok {
		return m, nil
	}
	// What the fast decoder does not take — and every invalid input — is
	// encoding/json's, for the reference result and error message.
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, leadErr("", "invalid JSON: %v", err)
	}
	if m == nil {
		return nil, leadErr("", "want a JSON object, got null")
	}
	return m, nil
}
