package goal

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// GoalStage is one stage of the demand funnel above a won deal, in order
// from the top (for instance lead, MQL, SQL, opportunity), with its
// conversion rate to the next stage; the last stage converts to won deals,
// so its rate is the win rate.
type GoalStage struct {
	Name string  `json:"name"` // unique, not "won"
	Rate float64 `json:"rate"` // conversion to the next stage, in (0, 1]
}

// GoalRounding says whether implied funnel counts are kept fractional or
// rounded up to whole items.
type GoalRounding int

const (
	// GoalRoundNone keeps every count fractional (0.5 deals is kept). The default.
	GoalRoundNone GoalRounding = iota
	// GoalRoundUp rounds each count up to a whole number, stage by stage
	// from the bottom: the whole number of deals is rounded up first, and
	// each stage above is the rounded count below it divided by the rate,
	// rounded up, so every stage is enough to produce the one below. A
	// quotient within 1e-9 (relative) of an integer counts as that integer,
	// so 72 / 0.6 is 120, not 121, despite binary floating point.
	GoalRoundUp
)

// String returns "none" or "up".
func (r GoalRounding) String() string {
	if r == GoalRoundUp {
		return "up"
	}
	return "none"
}

// MarshalText encodes the rounding as its name.
func (r GoalRounding) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// GoalFunnelOption is an optional setting of GoalFunnelFor.
type GoalFunnelOption func(*goalFunnelConfig)

type goalFunnelConfig struct {
	share    float64
	rounding GoalRounding
}

// GoalMarketingShare sets the share of the revenue target that marketing
// must source, in (0, 1]; the funnel is then sized for that share. The
// default is 1 (the whole target).
func GoalMarketingShare(share float64) GoalFunnelOption {
	return func(c *goalFunnelConfig) { c.share = share }
}

// GoalRoundCounts sets the rounding of the implied counts (GoalRoundNone by default).
func GoalRoundCounts(r GoalRounding) GoalFunnelOption {
	return func(c *goalFunnelConfig) { c.rounding = r }
}

// GoalFunnel is the reverse funnel a revenue target implies: the won deals
// and the stage counts needed to reach it, each a count target for the same
// period with its own pacing (GoalFunnel.Pace).
//
//	Sourced = Target × MarketingShare            (rounded half-even to the minor unit)
//	Deals   = Sourced / AverageDeal
//	count(stage) = count(next stage) / stage.Rate (the next of the last stage is Deals)
//
// Example: 600,000.00 sourced at 25,000.00 a deal is 24 deals; at a 25% win
// rate 96 opportunities; 60% SQL→opportunity, 160 SQLs; 40% MQL→SQL, 400 MQLs.
//
// A GoalFunnel is a plain value, safe for concurrent use once built.
type GoalFunnel struct {
	Target         Target            `json:"target"`
	MarketingShare float64           `json:"marketing_share"`
	Sourced        Money             `json:"sourced"`
	AverageDeal    Money             `json:"average_deal"`
	Rounding       GoalRounding      `json:"rounding"`
	Deals          float64           `json:"deals"`
	Stages         []GoalStageTarget `json:"stages"` // in the order given, top first
}

// GoalStageTarget is the count a stage must reach in the target's period.
type GoalStageTarget struct {
	Name  string  `json:"name"`
	Rate  float64 `json:"rate"`
	Count float64 `json:"count"`
}

// SourcedTarget is the marketing-sourced revenue target: Sourced over the
// target's period, to pace with Target.Pace against marketing-sourced wins.
func (f GoalFunnel) SourcedTarget() Target { return Target{f.Target.Period, f.Sourced} }

// GoalFunnelFor returns the reverse funnel of the revenue target t at the
// average deal size averageDeal (positive, same currency) through stages
// (at least one; names unique and not "won"; rates in (0, 1]).
func GoalFunnelFor(t Target, averageDeal Money, stages []GoalStage, opts ...GoalFunnelOption) (GoalFunnel, error) {
	cfg := goalFunnelConfig{share: 1}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if err := t.validate(); err != nil {
		return GoalFunnel{}, err
	}
	if math.IsNaN(cfg.share) || cfg.share <= 0 || cfg.share > 1 {
		return GoalFunnel{}, fmt.Errorf("revenue: goal funnel: %w: marketing share %v not in (0, 1]", ErrInvalidInput, cfg.share)
	}
	if cfg.rounding != GoalRoundNone && cfg.rounding != GoalRoundUp {
		return GoalFunnel{}, fmt.Errorf("revenue: goal funnel: %w: unknown rounding %d", ErrInvalidInput, int(cfg.rounding))
	}
	if averageDeal.Currency != t.Amount.Currency {
		return GoalFunnel{}, fmt.Errorf("revenue: goal funnel: average deal: %w", &CurrencyMismatchError{Op: "goal funnel", A: t.Amount.Currency, B: averageDeal.Currency})
	}
	if averageDeal.Amount <= 0 {
		return GoalFunnel{}, fmt.Errorf("revenue: goal funnel: %w: average deal %v must be positive", ErrInvalidInput, averageDeal)
	}
	if len(stages) == 0 {
		return GoalFunnel{}, fmt.Errorf("revenue: goal funnel: %w: no stages", ErrInvalidInput)
	}
	seen := map[string]bool{"won": true}
	for i, s := range stages {
		if s.Name == "" || seen[s.Name] {
			return GoalFunnel{}, fmt.Errorf("revenue: goal funnel: stage %d: %w: name %q empty, repeated or reserved", i, ErrInvalidInput, s.Name)
		}
		seen[s.Name] = true
		if math.IsNaN(s.Rate) || s.Rate <= 0 || s.Rate > 1 {
			return GoalFunnel{}, fmt.Errorf("revenue: goal funnel: stage %q: %w: rate %v not in (0, 1]", s.Name, ErrInvalidInput, s.Rate)
		}
	}
	sourced, err := t.Amount.Mul(cfg.share, HalfEven)
	if err != nil {
		return GoalFunnel{}, err
	}
	f := GoalFunnel{
		Target: t, MarketingShare: cfg.share, Sourced: sourced, AverageDeal: averageDeal,
		Rounding: cfg.rounding, Stages: make([]GoalStageTarget, len(stages)),
	}
	f.Deals = goalRound(float64(sourced.Amount)/float64(averageDeal.Amount), cfg.rounding)
	next := f.Deals
	for i := len(stages) - 1; i >= 0; i-- {
		next = goalRound(next/stages[i].Rate, cfg.rounding)
		f.Stages[i] = GoalStageTarget{Name: stages[i].Name, Rate: stages[i].Rate, Count: next}
	}
	return f, nil
}

// goalRound rounds x up when r is GoalRoundUp, after snapping a value within
// 1e-9 (relative) of an integer to it.
func goalRound(x float64, r GoalRounding) float64 {
	if r != GoalRoundUp {
		return x
	}
	if n := math.Round(x); math.Abs(x-n) <= 1e-9*math.Max(1, math.Abs(x)) {
		return n
	}
	return math.Ceil(x)
}

// GoalCountPace is where one count target stands at an evaluation date,
// with the definitions of Pace applied to counts (e elapsed days of D,
// as of the end of At; T target, A actual):
//
//	Attainment = A / T;  Expected = T × share (e/D, or working days);
//	Gap = A − Expected;  Projection = A × D / e (nil while e = 0);
//	Remaining = max(T − A, 0);  RequiredDaily = Remaining / (D − e) (nil once D − e = 0)
//
// Counts stay fractional; nothing is rounded.
type GoalCountPace struct {
	Stage         string     `json:"stage"`
	Method        PaceMethod `json:"method"`
	Target        float64    `json:"target"`
	Actual        float64    `json:"actual"`
	Attainment    float64    `json:"attainment"`
	TotalDays     int        `json:"total_days"`
	ElapsedDays   int        `json:"elapsed_days"`
	RemainingDays int        `json:"remaining_days"`
	Expected      float64    `json:"expected"`
	Gap           float64    `json:"gap"`
	Projection    *float64   `json:"projection"`
	Remaining     float64    `json:"remaining"`
	RequiredDaily *float64   `json:"required_daily"`
}

// Pace paces the funnel's count targets at the end of the day at, against
// actual counts to date keyed by stage name ("won" for deals), counted
// from the period's start through at. Stages absent from actual are left
// out of the result; an unknown key, a negative, NaN or infinite count is an
// error. Results come in funnel order (stages top first, then "won").
// Options: PaceLinear (default) or PaceByWorkingDays; PaceByPlan is linear
// here, and the money options do not apply.
func (f GoalFunnel) Pace(at time.Time, actual map[string]float64, opts ...PaceOption) ([]GoalCountPace, error) {
	cfg, err := newPaceConfig(f.Target.Amount.Currency, opts)
	if err != nil {
		return nil, err
	}
	if err := goalCheckPeriod(f.Target.Period); err != nil {
		return nil, fmt.Errorf("revenue: goal funnel pace: %w", err)
	}
	targets := map[string]float64{"won": f.Deals}
	order := make([]string, 0, len(f.Stages)+1)
	for _, s := range f.Stages {
		targets[s.Name] = s.Count
		order = append(order, s.Name)
	}
	order = append(order, "won")
	for _, name := range slices.Sorted(maps.Keys(actual)) { // sorted: deterministic errors
		v := actual[name]
		if _, ok := targets[name]; !ok {
			return nil, fmt.Errorf("revenue: goal funnel pace: %w: unknown stage %q", ErrInvalidInput, name)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("revenue: goal funnel pace: stage %q: %w: actual count %v", name, ErrInvalidInput, v)
		}
	}
	var wd calWorkdays
	if cfg.method == PaceMethodWorkingDays {
		wd = cfg.cal.prepare()
	}
	method := cfg.method
	if method == PaceMethodPlan {
		method = PaceMethodLinear
	}
	p := f.Target.Period
	a := day(at)
	num, den := paceElapsedShare(p, a, method, wd)
	if den == 0 {
		return nil, fmt.Errorf("revenue: goal funnel pace %s: %w: no working day in the period", p, ErrDivisionByZero)
	}
	D := p.Days()
	e := paceElapsedDays(p, a)
	var out []GoalCountPace
	for _, name := range order {
		A, ok := actual[name]
		if !ok {
			continue
		}
		T := targets[name]
		if T <= 0 {
			return nil, fmt.Errorf("revenue: goal funnel pace: stage %q: %w: target count %v", name, ErrDivisionByZero, T)
		}
		c := GoalCountPace{
			Stage: name, Method: method, Target: T, Actual: A, Attainment: A / T,
			TotalDays: D, ElapsedDays: e, RemainingDays: D - e,
			Expected: T * float64(num) / float64(den),
		}
		c.Gap = A - c.Expected
		if e > 0 {
			proj := A * float64(D) / float64(e)
			c.Projection = &proj
		}
		c.Remaining = math.Max(T-A, 0)
		if D-e > 0 {
			rd := c.Remaining / float64(D-e)
			c.RequiredDaily = &rd
		}
		out = append(out, c)
	}
	return out, nil
}
