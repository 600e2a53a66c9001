package calibrate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/internal/pool"
	"github.com/revengine/revengine/scoring"
)

// Module-wide error kinds, re-exported.
var (
	// ErrEmptyInput: no lead with an outcome to calibrate on.
	ErrEmptyInput = diag.ErrEmptyInput
	// ErrInvalidInput: an option outside its domain.
	ErrInvalidInput = diag.ErrInvalidInput
	// ErrSyntax: a rules file or leads input that does not parse.
	ErrSyntax = diag.ErrSyntax
	// ErrLineTooLong: a lead longer than MaxLineBytes.
	ErrLineTooLong = diag.ErrLineTooLong
)

// ErrOption reports an invalid option or argument of Run; it matches
// ErrInvalidInput too.
var ErrOption error = &kindError{msg: "calibrate: invalid option", kind: diag.ErrInvalidInput}

// kindError is a package sentinel that also matches a module-wide kind.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// Objective is what the best threshold maximises; see F1 and Capacity.
type Objective struct {
	kind    string
	maxMQLs int
	perWeek int    // CapacityPerWeek
	field   string // CapacityPerWeek's time field
}

// F1 is the objective of the F1 score, the harmonic mean of precision and
// recall, 2·TP / (2·TP + FP + FN) (van Rijsbergen 1979). Ties go to the
// higher threshold.
func F1() Objective { return Objective{kind: "f1"} }

// Capacity is the objective of sales capacity: the threshold that wins the
// most leads with at most maxMQLs MQLs among the leads calibrated on (for
// N MQLs a week over W weeks of leads, maxMQLs = N·W). Ties go to the
// higher threshold.
func Capacity(maxMQLs int) Objective { return Objective{kind: "capacity", maxMQLs: maxMQLs} }

// CapacityPerWeek is Capacity at n MQLs a week over the weeks the leads
// span: the lead time field (an RFC 3339 string or a time.Time, e.g.
// created_at) gives each lead's time, and over the leads with an outcome
// maxMQLs = ⌊n · max(1, (latest − earliest) / 7 days)⌋
// (Report.CapacityWeeks, Report.CapacityMQLs). A lead without a time in
// the field is rejected.
func CapacityPerWeek(n int, field string) Objective {
	return Objective{kind: "capacity", perWeek: n, field: field, maxMQLs: 1}
}

// String returns "f1" or "capacity(N)".
func (o Objective) String() string {
	if o.kind == "capacity" && o.field != "" {
		return fmt.Sprintf("capacity(%d a week by %s)", o.perWeek, o.field)
	}
	if o.kind == "capacity" {
		return fmt.Sprintf("capacity(%d)", o.maxMQLs)
	}
	return "f1"
}

// Option configures Run.
type Option func(*config)

type config struct {
	field       string
	stage       string
	stageSet    bool
	width       float64
	groups      int
	objective   Objective
	lambda      float64
	pdo         float64
	confidence  float64
	minOutcomes int
	rules       *Rules
	workers     int
	maxBytes    int
}

// WithOutcomes names the lead JSON key holding the outcome (default
// "outcome"): "won"/"lost"/"open", a boolean, or revenue (won when > 0),
// as for revengine diff --outcomes. The rules need not declare it.
func WithOutcomes(field string) Option { return func(c *config) { c.field = field } }

// WithStage names the MQL stage whose current threshold is reported
// (default: the second stage of the rules, when there are two or more;
// "" for none).
func WithStage(id string) Option { return func(c *config) { c.stage, c.stageSet = id, true } }

// WithBandWidth sets the width of the score bands (default 10).
func WithBandWidth(w float64) Option { return func(c *config) { c.width = w } }

// WithGroups sets the number of rank groups of the calibration table
// (default 10, deciles).
func WithGroups(n int) Option { return func(c *config) { c.groups = n } }

// WithObjective sets the objective of the best threshold (default F1()).
func WithObjective(o Objective) Option { return func(c *config) { c.objective = o } }

// WithLambda sets the L2 penalty λ of the regression (default 1): the
// penalised log-likelihood is ℓ(β) − λ/2·Σβ_j², the intercept unpenalised.
// λ = 1 is a weak prior N(0, 1) on each log-odds coefficient; it keeps a
// rule that always or never fires at a finite coefficient.
func WithLambda(l float64) Option { return func(c *config) { c.lambda = l } }

// WithPointsPerDoubling maps coefficients to points at pdo points per
// doubling of the odds (Scale = pdo / ln 2), the scorecard convention.
// By default the scale is fitted to the current points (see Regression).
func WithPointsPerDoubling(pdo float64) Option { return func(c *config) { c.pdo = pdo } }

// WithConfidence sets the level of every interval (default 0.95).
func WithConfidence(level float64) Option { return func(c *config) { c.confidence = level } }

// WithMinOutcomes sets how many won and how many lost leads a band, group,
// stage or rule needs before its figures are trusted (default 10, the
// events-per-variable rule of Peduzzi et al., J Clin Epidemiol 49(12), 1996).
func WithMinOutcomes(n int) Option { return func(c *config) { c.minOutcomes = n } }

// WithRules gives the rules file as parsed by ParseRules: every scoring
// rule is then reported in file order (even one that never fired), with
// its literal points as the current points. It must be the file the rule
// set was loaded from (same SHA-256), or Run fails with ErrOption.
func WithRules(r *Rules) Option { return func(c *config) { c.rules = r } }

// WithWorkers sets the number of scoring goroutines (default GOMAXPROCS).
// The report does not depend on it.
func WithWorkers(n int) Option { return func(c *config) { c.workers = n } }

// MaxLineBytes bounds one lead's JSON (default 1 MiB); a longer lead is
// rejected and the run goes on.
func MaxLineBytes(n int) Option { return func(c *config) { c.maxBytes = n } }

// rawLead is one lead as read.
type rawLead struct {
	name    string
	line    int
	data    []byte
	lead    map[string]any
	decoded bool
	err     error
}

// scored is one lead after scoring: only what the statistics keep.
type scored struct {
	line   int
	err    error
	out    outcome
	scores []float64 // per model, in rs.Models() order
	stage  string
	fired  []firing
	t      time.Time // the capacity time field, with CapacityPerWeek
}

type firing struct {
	rule, model string
	points      float64
}

// Run scores every lead read from r (JSON lines, or one JSON array of
// objects) with rs at the evaluation time at and calibrates the rules
// against each lead's outcome (see WithOutcomes). Leads are streamed: per
// lead only its scores, its pattern of fired rules and its outcome are
// kept.
//
// A lead that cannot be scored, or whose outcome is not one, is in
// Report.Rejected and in no statistic; a lead with no outcome yet is
// counted as open. Run returns an error when an option is invalid
// (ErrOption), the input cannot be read as leads at all (a *scoring.Error
// with its place), no lead has an outcome (ErrEmptyInput), or ctx is
// canceled.
func Run(ctx context.Context, rs *scoring.RuleSet, r io.Reader, name string, at time.Time, opts ...Option) (*Report, error) {
	return run(ctx, rs, at, opts, func(ctx context.Context, cfg *config, yield func(rawLead) error) error {
		return jsonlines.Read(ctx, r, name, cfg.maxBytes, func(it jsonlines.Item) error {
			rl := rawLead{name: name, line: it.Line, err: it.Err}
			if it.Err == nil {
				rl.data = bytes.Clone(it.Data)
			}
			return yield(rl)
		})
	})
}

// RunLeads is Run over leads already decoded; leads[i] is line i+1 in
// Rejected. The maps are read, never modified.
func RunLeads(ctx context.Context, rs *scoring.RuleSet, leads []map[string]any, at time.Time, opts ...Option) (*Report, error) {
	return run(ctx, rs, at, opts, func(ctx context.Context, _ *config, yield func(rawLead) error) error {
		for i, m := range leads {
			if err := yield(rawLead{line: i + 1, lead: m, decoded: true}); err != nil {
				return err
			}
		}
		return nil
	})
}

var errStopped = errors.New("calibrate: stopped")

func run(ctx context.Context, rs *scoring.RuleSet, at time.Time, opts []Option,
	source func(context.Context, *config, func(rawLead) error) error) (rep *Report, err error) {
	defer diag.Recover(&err, "calibrate: run")
	cfg := config{field: "outcome", width: 10, groups: 10, objective: F1(), lambda: 1,
		confidence: 0.95, minOutcomes: 10, workers: runtime.GOMAXPROCS(0), maxBytes: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.check(rs); err != nil {
		return nil, err
	}
	a := newAccumulator(rs, &cfg)
	models := rs.Models()
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
		func(ctx context.Context, rl rawLead) scored {
			return score(ctx, rs, models, rl, at, cfg.field, cfg.objective.field)
		},
		func(s scored) error { a.add(&s); return nil })
	if err != nil {
		return nil, err
	}
	return a.report(ctx, at)
}

func (c *config) check(rs *scoring.RuleSet) error {
	switch {
	case rs == nil:
		return fmt.Errorf("%w: nil rule set", ErrOption)
	case c.field == "":
		return fmt.Errorf("%w: empty outcome field", ErrOption)
	case !(c.width > 0) || math.IsInf(c.width, 0):
		return fmt.Errorf("%w: band width %v is not a positive finite number", ErrOption, c.width)
	case c.groups < 1 || c.groups > 1000:
		return fmt.Errorf("%w: groups %d is not in 1…1000", ErrOption, c.groups)
	case c.objective.field != "" && c.objective.perWeek < 1:
		return fmt.Errorf("%w: capacity %d a week is not positive", ErrOption, c.objective.perWeek)
	case c.objective.kind == "capacity" && c.objective.maxMQLs < 1:
		return fmt.Errorf("%w: capacity %d is not positive", ErrOption, c.objective.maxMQLs)
	case c.objective.kind != "f1" && c.objective.kind != "capacity":
		return fmt.Errorf("%w: zero Objective: use F1() or Capacity(n)", ErrOption)
	case !(c.lambda > 0) || math.IsInf(c.lambda, 0):
		return fmt.Errorf("%w: lambda %v is not a positive finite number", ErrOption, c.lambda)
	case c.pdo < 0 || math.IsNaN(c.pdo) || math.IsInf(c.pdo, 0):
		return fmt.Errorf("%w: points per doubling %v is not a positive finite number", ErrOption, c.pdo)
	case !(c.confidence > 0 && c.confidence < 1):
		return fmt.Errorf("%w: confidence %v is not in (0, 1)", ErrOption, c.confidence)
	case c.minOutcomes < 0:
		return fmt.Errorf("%w: minimum outcomes %d is negative", ErrOption, c.minOutcomes)
	case c.maxBytes < 1:
		return fmt.Errorf("%w: MaxLineBytes %d is not positive", ErrOption, c.maxBytes)
	}
	if c.rules != nil {
		if h := sha256.Sum256(c.rules.src); "sha256:"+hex.EncodeToString(h[:]) != rs.Hash() {
			return fmt.Errorf("%w: WithRules: %s is not the file the rule set was loaded from (hash %s)", ErrOption, c.rules.name, rs.Hash())
		}
	}
	if c.workers < 1 {
		c.workers = 1
	}
	stages := rs.Stages()
	if !c.stageSet && len(stages) > 1 {
		c.stage = stages[1]
	}
	if c.stage != "" {
		found := false
		for _, s := range stages {
			found = found || s == c.stage
		}
		if !found {
			return fmt.Errorf("%w: stage %q is not a stage of the rules (%v)", ErrOption, c.stage, stages)
		}
	}
	return nil
}

// score decodes one lead, reads its outcome and scores it.
func score(ctx context.Context, rs *scoring.RuleSet, models []string, rl rawLead, at time.Time, field, timeField string) scored {
	s := scored{line: rl.line}
	if rl.err != nil {
		s.err = rl.err
		return s
	}
	m := rl.lead
	if !rl.decoded {
		var err error
		if m, err = scoring.DecodeLead(rl.data); err != nil {
			s.err = place(err, rl)
			return s
		}
	} else if m == nil {
		_, s.err = scoring.DecodeLead([]byte("null"))
		return s
	}
	out, err := readOutcome(m, field)
	if err != nil {
		s.err = err
		return s
	}
	s.out = out
	if timeField != "" && out.known {
		if s.t, err = readTime(m, timeField); err != nil {
			s.err = err
			return s
		}
		if _, declared := rs.Field(timeField); !declared {
			if rl.decoded {
				m = maps.Clone(m)
				rl.decoded = false // cloned: ours to change
			}
			delete(m, timeField)
		}
	}
	if _, has := m[field]; has {
		if _, declared := rs.Field(field); !declared {
			// The outcome is calibration's input, not the rules': a
			// strict rule set must not see an undeclared key.
			if rl.decoded {
				m = maps.Clone(m)
			}
			delete(m, field)
		}
	}
	res, err := rs.Score(ctx, m, at)
	if err != nil {
		s.err = place(err, rl)
		return s
	}
	s.scores = make([]float64, len(models))
	for i, name := range models {
		s.scores[i], _ = res.Score(name)
	}
	s.stage = res.Stage
	for _, sc := range res.Scores {
		for _, c := range sc.Contributions() {
			if c.Rule != "" {
				s.fired = append(s.fired, firing{rule: c.Rule, model: sc.Name, points: c.Points})
			}
		}
	}
	return s
}

// place gives a lead-data error the lead's position, name:line, as
// scoring.RuleSet.ScoreLines does.
func place(err error, rl rawLead) error {
	var e *scoring.Error
	if rl.name != "" && errors.As(err, &e) && errors.Is(err, scoring.ErrLead) && e.File == "" {
		e.File, e.Line = rl.name, rl.line
	}
	return err
}

// readTime reads the capacity time field of a lead.
func readTime(m map[string]any, field string) (time.Time, error) {
	switch v := m[field].(type) {
	case time.Time:
		return v, nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
		if err != nil {
			return time.Time{}, &OutcomeError{Field: field, Msg: fmt.Sprintf("want an RFC 3339 time, got %q", v)}
		}
		return t, nil
	case nil:
		return time.Time{}, &OutcomeError{Field: field, Msg: "missing: the capacity objective needs each lead's time"}
	default:
		return time.Time{}, &OutcomeError{Field: field, Msg: fmt.Sprintf("want an RFC 3339 time, got %T", v)}
	}
}
