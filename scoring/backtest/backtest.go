package backtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/pool"
	"github.com/revengine/revengine/scoring"
)

// ErrOption reports an invalid option or argument of Run: a band width that
// is not a positive finite number (or is too small for the scores to band),
// an outcome model that is not in both rule sets, a nil rule set.
var ErrOption = errors.New("backtest: invalid option")

// ErrOutcome reports a lead whose outcome field holds a value that is not
// an outcome. Such a lead is rejected by both sides with an *OutcomeError.
var ErrOutcome = errors.New("backtest: invalid outcome")

// OutcomeError is a lead's outcome field holding something that is not an
// outcome. It matches ErrOutcome.
type OutcomeError struct {
	Field string
	Msg   string
}

// Error formats e as "outcome field FIELD: message".
func (e *OutcomeError) Error() string { return "outcome field " + e.Field + ": " + e.Msg }

// Is reports whether target is ErrOutcome.
func (e *OutcomeError) Is(target error) bool { return target == ErrOutcome }

// Option configures Run.
type Option func(*config)

type config struct {
	bandWidth float64
	outcomes  string
	model     string
	workers   int
	maxBytes  int
}

// WithBandWidth sets the width of the score bands of the histograms and of the
// outcomes per band (default 10). It must be a positive finite number.
func WithBandWidth(w float64) Option { return func(c *config) { c.bandWidth = w } }

// WithOutcomes reads each lead's outcome from the JSON key field and adds
// Outcomes to the report. The field need not be declared in the rules; see
// OutcomeStats for the values it may hold.
func WithOutcomes(field string) Option { return func(c *config) { c.outcomes = field } }

// WithOutcomeModel names the score model whose bands the outcomes are reported
// by. The default is the first model of the old rules that the new rules
// have too. It has no effect without WithOutcomes.
func WithOutcomeModel(name string) Option { return func(c *config) { c.model = name } }

// WithWorkers sets the number of goroutines scoring in parallel (default
// GOMAXPROCS). The report does not depend on it.
func WithWorkers(n int) Option { return func(c *config) { c.workers = n } }

// MaxLineBytes bounds one lead's JSON (default 1 MiB): a longer line or
// array element is rejected with scoring.ErrLineTooLong and the run goes on.
func MaxLineBytes(n int) Option { return func(c *config) { c.maxBytes = n } }

// Run scores every lead read from r with the old and the new rules, at the
// evaluation time at, and reports the differences. r holds JSON lines, one
// lead object per line, or a JSON array of lead objects (when its first
// byte that is not white space is '['), whose leads are numbered by the
// line their first byte is on.
//
// A lead that either side rejects is in Report.Rejected with each side's
// reason, and counted; the figures of the report are over the leads both
// sides scored. Run returns an error only when the options are invalid
// (ErrOption), the input cannot be read as leads at all (a *scoring.Error
// matching ErrInput, placed at name:line:col, or a read error), or ctx is
// canceled.
func Run(ctx context.Context, oldRules, newRules *scoring.RuleSet, r io.Reader, name string, at time.Time, opts ...Option) (*Report, error) {
	return run(ctx, oldRules, newRules, at, opts, func(ctx context.Context, cfg *config, yield func(rawLead) error) error {
		return readLeads(ctx, r, name, cfg.maxBytes, yield)
	})
}

// RunLeads is Run over leads already decoded from JSON: leads[i] is
// numbered i+1 in Rejected. Each lead is read, never modified, and may be
// read by several goroutines at once.
func RunLeads(ctx context.Context, oldRules, newRules *scoring.RuleSet, leads []map[string]any, at time.Time, opts ...Option) (*Report, error) {
	return run(ctx, oldRules, newRules, at, opts, func(ctx context.Context, _ *config, yield func(rawLead) error) error {
		for i, m := range leads {
			if err := yield(rawLead{line: i + 1, lead: m, decoded: true}); err != nil {
				return err
			}
		}
		return nil
	})
}

// pair is one lead scored by both sides.
type pair struct {
	line           int
	old, new       *scoring.Result
	oldErr, newErr error
	out            outcome
	decision       *scoring.Decision // Replay: the logged decision (without its input)
}

type outcome struct {
	known, won bool
	revenue    float64
}

func run(ctx context.Context, oldRules, newRules *scoring.RuleSet, at time.Time, opts []Option,
	source func(context.Context, *config, func(rawLead) error) error) (rep *Report, err error) {
	defer diag.Recover(&err, "backtest: run")
	cfg, err := newConfig(opts, oldRules, newRules)
	if err != nil {
		return nil, err
	}
	a, err := newAccumulator(oldRules, newRules, &cfg)
	if err != nil {
		return nil, err
	}

	err = pool.Ordered(ctx, cfg.workers, cfg.workers*4,
		func(yield func(rawLead) bool) error {
			err := source(ctx, &cfg, func(rl rawLead) error {
				if !yield(rl) {
					return errStopped
				}
				return nil
			})
			if err == errStopped {
				return nil
			}
			return err
		},
		func(ctx context.Context, rl rawLead) pair {
			return score(ctx, oldRules, newRules, rl, at, cfg.outcomes)
		},
		func(p pair) error { a.add(&p); return nil })
	if err != nil {
		return nil, err
	}
	return a.report(at)
}

var errStopped = errors.New("backtest: stopped")

// newConfig applies the options and checks them and the rule sets, for
// every entry point (Run, RunLeads, RunAccounts, Replay).
func newConfig(opts []Option, rules ...*scoring.RuleSet) (config, error) {
	cfg := config{bandWidth: 10, workers: runtime.GOMAXPROCS(0), maxBytes: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	for _, rs := range rules {
		if rs == nil {
			return cfg, fmt.Errorf("%w: nil rule set", ErrOption)
		}
	}
	if !(cfg.bandWidth > 0) || math.IsInf(cfg.bandWidth, 0) {
		return cfg, fmt.Errorf("%w: band width %v is not a positive finite number", ErrOption, cfg.bandWidth)
	}
	if cfg.maxBytes < 1 {
		return cfg, fmt.Errorf("%w: MaxLineBytes %d is not positive", ErrOption, cfg.maxBytes)
	}
	if cfg.workers < 1 {
		cfg.workers = 1
	}
	return cfg, nil
}

// score decodes one lead and scores it with both rule sets.
func score(ctx context.Context, oldRules, newRules *scoring.RuleSet, rl rawLead, at time.Time, field string) pair {
	p := pair{line: rl.line}
	fail := func(err error) pair {
		p.oldErr, p.newErr = err, err
		return p
	}
	if rl.err != nil {
		return fail(rl.err)
	}
	m := rl.lead
	if !rl.decoded {
		var err error
		if m, err = scoring.DecodeLead(rl.data); err != nil {
			place(err, rl)
			return fail(err)
		}
	} else if m == nil {
		_, err := scoring.DecodeLead([]byte("null"))
		return fail(err)
	}
	if field != "" {
		out, err := readOutcome(m, field)
		if err != nil {
			return fail(err)
		}
		p.out = out
		// The outcome is the backtest's input, not the rules': a rules
		// file that does not declare it must not see it (in strict mode it
		// would reject every lead as having an unknown field).
		if _, has := m[field]; has && !declares(oldRules, field) && !declares(newRules, field) {
			if rl.decoded {
				m = maps.Clone(m) // the caller's map stays as it was
			}
			delete(m, field)
		}
	}
	// A field one rules file declares and the other does not is known to
	// the comparison: each side scores the lead without the other side's
	// fields, so a new field is not an unknown key to the old rules.
	// Keys neither declares stay, and a strict rule set rejects them.
	mOld, mNew := m, m
	for k := range m {
		switch {
		case declares(newRules, k) && !declares(oldRules, k):
			if sameMap(mOld, m) {
				mOld = maps.Clone(m)
			}
			delete(mOld, k)
		case declares(oldRules, k) && !declares(newRules, k):
			if sameMap(mNew, m) {
				mNew = maps.Clone(m)
			}
			delete(mNew, k)
		}
	}
	p.old, p.oldErr = oldRules.Score(ctx, mOld, at)
	p.new, p.newErr = newRules.Score(ctx, mNew, at)
	place(p.oldErr, rl)
	place(p.newErr, rl)
	return p
}

// declares reports whether rs declares a lead field name.
func declares(rs *scoring.RuleSet, name string) bool {
	_, ok := rs.Field(name)
	return ok
}

// sameMap reports whether a and b are the same map (not a copy).
func sameMap(a, b map[string]any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// place gives a lead-data error the lead's position, name:line, as
// scoring.RuleSet.ScoreLines does; rule errors keep the rule's position.
func place(err error, rl rawLead) {
	var e *scoring.Error
	if rl.name != "" && errors.As(err, &e) && errors.Is(err, scoring.ErrLead) && e.File == "" {
		e.File, e.Line = rl.name, rl.line
	}
}

// maxRevenue bounds a revenue value so that sums of any realistic number of
// leads stay finite and integers stay exact.
const maxRevenue = 1 << 53

// Outcome is what a lead's outcome field says: Known (won or lost, else
// open) and Won, with Revenue when the field is a number.
type Outcome struct {
	Known, Won bool
	Revenue    float64
}

// ReadOutcome reads the outcome field of lead data as WithOutcomes does —
// "won" or "lost" (any case, surrounding space ignored), "open", "" or a
// missing or null field (open), a boolean (true = won), or revenue, a number
// within ±2^53 (won when > 0) — and is the one reader of outcomes for every
// package that takes them (scoring/calibrate too). Anything else is an
// *OutcomeError matching ErrOutcome.
func ReadOutcome(m map[string]any, field string) (Outcome, error) {
	o, err := readOutcome(m, field)
	return Outcome{Known: o.known, Won: o.won, Revenue: o.revenue}, err
}

// readOutcome reads a lead's outcome; see OutcomeStats for the forms.
func readOutcome(m map[string]any, field string) (outcome, error) {
	x, ok := m[field]
	if !ok || x == nil {
		return outcome{}, nil
	}
	num := func(f float64) (outcome, error) {
		if math.IsNaN(f) || math.Abs(f) > maxRevenue {
			return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf("revenue %v is beyond ±2^53", f)}
		}
		return outcome{known: true, won: f > 0, revenue: f}, nil
	}
	switch v := x.(type) {
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "won":
			return outcome{known: true, won: true}, nil
		case "lost":
			return outcome{known: true}, nil
		case "open", "":
			return outcome{}, nil
		}
		return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf(`want "won", "lost", "open", a boolean or a number, got %q`, v)}
	case bool:
		return outcome{known: true, won: v}, nil
	case float64:
		return num(v)
	case float32:
		return num(float64(v))
	case int:
		return num(float64(v))
	case int64:
		return num(float64(v))
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf("number %s: %v", v, err)}
		}
		return num(f)
	}
	return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf(`want "won", "lost", "open", a boolean or a number, got %T`, x)}
}

// mergeOrder returns the labels of a followed by those of b not in a, each
// inserted right after the label that precedes it in b (at the front when
// it is b's first), so that both files' orders are kept where they agree.
func mergeOrder(a, b []string) []string {
	out := slices.Clone(a)
	prev := -1 // index in out of b's previous label
	for _, s := range b {
		if i := slices.Index(out, s); i >= 0 {
			prev = i
			continue
		}
		prev++
		out = slices.Insert(out, prev, s)
	}
	return out
}
