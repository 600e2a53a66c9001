package revbeam

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/revengine/revengine/scoring"
)

// Metric namespace and counter names of the Score transform. Read = Scored +
// Rejected once the pipeline is done.
const (
	ScoreNamespace = "revengine.score"
	CounterRead    = "read"
	CounterScored  = "scored"
	// CounterScoreRejected counts the rejected leads (its name is "rejected").
	CounterScoreRejected = "rejected"
)

// Rules is a rules file shipped to the workers: its name (for positions in
// errors), its bytes and their hash, "sha256:" + hex as scoring.RuleSet.Hash
// reports it. Workers compile it once and check the hash.
type Rules struct {
	Name string
	Src  []byte
	Hash string
	// Relaxed scores leads holding keys, event types or event properties
	// the rules do not declare, listing them in Result.Ignored, as
	// scoring.Strict(false) and `revengine score --strict=false` do. The
	// default rejects such leads.
	Relaxed bool
}

// NewRules compiles src once to check it (so a bad rules file fails before
// a pipeline runs, with every problem and its position) and returns it with
// its hash, ready to ship.
func NewRules(name string, src []byte) (Rules, error) {
	r := Rules{Name: name, Src: src, Hash: hashOf(src)}
	if _, err := scoring.Parse(name, src, r.options()...); err != nil {
		return Rules{}, err
	}
	return r, nil
}

func (r Rules) options() []scoring.Option { return []scoring.Option{scoring.Strict(!r.Relaxed)} }

func (r Rules) cacheKey() string {
	if r.Relaxed {
		return r.Hash + " relaxed"
	}
	return r.Hash
}

func hashOf(src []byte) string {
	h := sha256.Sum256(src)
	return "sha256:" + hex.EncodeToString(h[:])
}

// ruleSets holds the compiled rule sets of this worker process by hash: every
// DoFn instance of a worker shares one compilation.
var ruleSets sync.Map // hash (and mode) → *scoring.RuleSet

func (r Rules) compile() (*scoring.RuleSet, error) {
	if got := hashOf(r.Src); got != r.Hash {
		return nil, fmt.Errorf("%w: rules %s: hash %s, shipped as %s", ErrInvalidInput, r.Name, got, r.Hash)
	}
	if rs, ok := ruleSets.Load(r.cacheKey()); ok {
		return rs.(*scoring.RuleSet), nil
	}
	rs, err := scoring.Parse(r.Name, r.Src, r.options()...)
	if err != nil {
		return nil, err
	}
	v, _ := ruleSets.LoadOrStore(r.cacheKey(), rs)
	return v.(*scoring.RuleSet), nil
}

// ScoredLead is one scored lead: where it was read, the fields the funnel
// needs, and the result's JSON (the line `revengine score` prints for it).
type ScoredLead struct {
	File          string
	Line          int64
	LeadID        string
	Stage         string
	PreviousStage string
	StageChanged  bool
	At            int64 // evaluation time, Unix nanoseconds
	JSON          string
}

// Reject is one lead that was not scored: where, and why, written as
// "file:line: reason" like `revengine score` writes it to standard error.
type Reject struct {
	File string
	Line int64
	Msg  string
}

// String formats the reject as `revengine score` does.
func (r Reject) String() string { return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Msg) }

// scoreFileFn scores one leads file with scoring.RuleSet.ScoreLines.
type scoreFileFn struct {
	Rules Rules
	At    int64

	rs                     *scoring.RuleSet
	read, scored, rejected beam.Counter
}

func (f *scoreFileFn) Setup() error {
	rs, err := f.Rules.compile()
	if err != nil {
		return err
	}
	f.rs = rs
	f.read = beam.NewCounter(ScoreNamespace, CounterRead)
	f.scored = beam.NewCounter(ScoreNamespace, CounterScored)
	f.rejected = beam.NewCounter(ScoreNamespace, CounterScoreRejected)
	return nil
}

func (f *scoreFileFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(ScoredLead), reject func(Reject)) error {
	name := file.Metadata.Path
	rc, err := file.Open(ctx)
	if err != nil {
		return fmt.Errorf("revbeam: %s: %w", name, err)
	}
	defer rc.Close()
	at := time.Unix(0, f.At).UTC()
	var last int
	st, err := f.rs.ScoreLines(ctx, rc, name, at, func(r scoring.Record) error {
		last = r.Line
		if r.Err != nil {
			reject(Reject{File: name, Line: int64(r.Line), Msg: recordMessage(r.Err, name, r.Line)})
			return nil
		}
		b, err := json.Marshal(r.Result)
		if err != nil {
			return err
		}
		emit(ScoredLead{File: name, Line: int64(r.Line), LeadID: r.Result.LeadID, Stage: r.Result.Stage,
			PreviousStage: r.Result.PreviousStage, StageChanged: r.Result.StageChanged,
			At: r.Result.At.UnixNano(), JSON: string(b)})
		return nil
	})
	f.read.Inc(ctx, int64(st.Read))
	f.scored.Inc(ctx, int64(st.Scored))
	f.rejected.Inc(ctx, int64(st.Rejected))
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		// The rest of the file cannot be read (a broken JSON array, a read
		// error): that is one more record, rejected, so nothing vanishes.
		var e *scoring.Error
		msg := err.Error()
		line := int64(last + 1)
		if errors.As(err, &e) && e.File == name {
			line = int64(e.Line)
			msg = recordMessage(err, name, e.Line)
		}
		reject(Reject{File: name, Line: line, Msg: msg + " (rest of file not read)"})
		f.read.Inc(ctx, 1)
		f.rejected.Inc(ctx, 1)
	}
	return nil
}

// recordMessage drops the "file:line: " of an error placed exactly at the
// lead's line, as `revengine score` does, since the reject line starts with it.
func recordMessage(err error, name string, line int) string {
	var e *scoring.Error
	if errors.As(err, &e) && e.File == name && e.Line == line && e.Column == 0 {
		c := *e
		c.File, c.Line = "", 0
		return c.Error()
	}
	return err.Error()
}

// ScoreOutputs are the PCollections a Score transform produces.
type ScoreOutputs struct {
	Scored  beam.PCollection // ScoredLead
	Rejects beam.PCollection // Reject
}

// Score scores the leads files of files (fileio.ReadableFile) at the
// evaluation time at with rules, compiled once per worker.
func Score(s beam.Scope, rules Rules, at time.Time, files beam.PCollection) ScoreOutputs {
	s = s.Scope("revengine.Score")
	scored, rejects := beam.ParDo2(s, &scoreFileFn{Rules: rules, At: at.UnixNano()}, files)
	return ScoreOutputs{Scored: scored, Rejects: rejects}
}

func scoredJSON(l ScoredLead) string { return l.JSON }
func rejectLine(r Reject) string     { return r.String() }

// ScoredLines maps scored leads to their result JSON lines.
func ScoredLines(s beam.Scope, scored beam.PCollection) beam.PCollection {
	return beam.ParDo(s, scoredJSON, scored)
}

// RejectLines maps rejects to "file:line: reason" lines.
func RejectLines(s beam.Scope, rejects beam.PCollection) beam.PCollection {
	return beam.ParDo(s, rejectLine, rejects)
}

func init() {
	register.DoFn4x1[context.Context, fileio.ReadableFile, func(ScoredLead), func(Reject), error](&scoreFileFn{})
	register.Function1x1[ScoredLead, string](scoredJSON)
	register.Function1x1[Reject, string](rejectLine)
	register.Emitter1[ScoredLead]()
	register.Emitter1[Reject]()
	beam.RegisterType(reflect.TypeOf((*ScoredLead)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*Reject)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*Rules)(nil)).Elem())
}
