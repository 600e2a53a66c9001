package goal

import (
	"github.com/revengine/revengine/revenue"

	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue/internal/kpi"
)

// Stage is one stage of the demand funnel above a won deal, in order
// from the top (for instance lead, MQL, SQL, opportunity), with its
// conversion rate to the next stage; the last stage converts to won deals,
// so its rate is the win rate.
type Stage struct {
	Name string  `json:"name"` // unique, not "won"
	Rate float64 `json:"rate"` // conversion to the next stage, in (0, 1]
}

// FunnelOption is an optional setting of NewFunnel.
type FunnelOption func(*goalFunnelConfig)

type goalFunnelConfig struct {
	share    float64
	rounding *money.Rounding // nil: fractions kept
}

// WithMarketingShare sets the share of the revenue target that marketing
// must source, in (0, 1]; the funnel is then sized for that share. The
// default is 1 (the whole target).
func WithMarketingShare(share float64) FunnelOption {
	return func(c *goalFunnelConfig) { c.share = share }
}

// WithCountRounding rounds the implied counts to whole items with r,
// stage by stage from the bottom: the number of deals is rounded first, and
// each stage above is the rounded count below it divided by the rate,
// rounded again; with money.Up (or money.Ceil) every stage is enough to
// produce the one below. A quotient within 1e-9 (relative) of an integer
// counts as that integer, so 72 / 0.6 is 120, not 121, despite binary
// floating point. Without this option counts are kept fractional (0.5
// deals is kept).
func WithCountRounding(r money.Rounding) FunnelOption {
	return func(c *goalFunnelConfig) { c.rounding = &r }
}

// Funnel is the reverse funnel a revenue target implies: the won deals
// and the stage counts needed to reach it, each a count target for the same
// period with its own pacing (Funnel.Pace).
//
//	Sourced = Target × MarketingShare            (rounded half-even to the minor unit)
//	Deals   = Sourced / AverageDeal
//	count(stage) = count(next stage) / stage.Rate (the next of the last stage is Deals)
//
// Example: 600,000.00 sourced at 25,000.00 a deal is 24 deals; at a 25% win
// rate 96 opportunities; 60% SQL→opportunity, 160 SQLs; 40% MQL→SQL, 400 MQLs.
//
// A Funnel is a plain value, safe for concurrent use once built.
type Funnel struct {
	Target         Target        `json:"target"`
	MarketingShare float64       `json:"marketing_share"`
	Sourced        money.Money   `json:"sourced"`
	AverageDeal    money.Money   `json:"average_deal"`
	Rounding       string        `json:"rounding"` // of the counts: "none" (kept fractional) or a money.Rounding name such as "up"
	Deals          float64       `json:"deals"`
	Stages         []StageTarget `json:"stages"` // in the order given, top first
}

// StageTarget is the count a stage must reach in the target's period.
type StageTarget struct {
	Name  string  `json:"name"`
	Rate  float64 `json:"rate"`
	Count float64 `json:"count"`
}

// SourcedTarget is the marketing-sourced revenue target: Sourced over the
// target's period, to pace with Target.Pace against marketing-sourced wins.
func (f Funnel) SourcedTarget() Target { return Target{f.Target.Period, f.Sourced} }

// NewFunnel returns the reverse funnel of the revenue target t at the
// average deal size averageDeal (positive, same currency) through stages
// (at least one; names unique and not "won"; rates in (0, 1]).
func NewFunnel(t Target, averageDeal money.Money, stages []Stage, opts ...FunnelOption) (Funnel, error) {
	cfg := goalFunnelConfig{share: 1}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if err := t.validate(); err != nil {
		return Funnel{}, err
	}
	if math.IsNaN(cfg.share) || cfg.share <= 0 || cfg.share > 1 {
		return Funnel{}, fmt.Errorf("goal: funnel: %w: marketing share %v not in (0, 1]", errRate, cfg.share)
	}
	if cfg.rounding != nil && !kpi.ValidRounding(*cfg.rounding) {
		return Funnel{}, fmt.Errorf("goal: funnel: %w: unknown rounding %d", errInvalid, int(*cfg.rounding))
	}
	if averageDeal.Currency != t.Amount.Currency {
		return Funnel{}, fmt.Errorf("goal: funnel: average deal: %w", &money.CurrencyMismatchError{Op: "goal funnel", A: t.Amount.Currency, B: averageDeal.Currency})
	}
	if averageDeal.Amount <= 0 {
		return Funnel{}, fmt.Errorf("goal: funnel: %w: average deal %v must be positive", errInvalid, averageDeal)
	}
	if len(stages) == 0 {
		return Funnel{}, fmt.Errorf("goal: funnel: %w: no stages", errEmpty)
	}
	seen := map[string]bool{"won": true}
	for i, s := range stages {
		if s.Name == "" || seen[s.Name] {
			return Funnel{}, fmt.Errorf("goal: funnel: stage %d: %w: name %q empty, repeated or reserved", i, errInvalid, s.Name)
		}
		seen[s.Name] = true
		if s.Rate == 0 { // the count above is the one below divided by it
			return Funnel{}, fmt.Errorf("goal: funnel: stage %q: %w: rate is zero", s.Name, errDivZero)
		}
		if math.IsNaN(s.Rate) || s.Rate < 0 || s.Rate > 1 {
			return Funnel{}, fmt.Errorf("goal: funnel: stage %q: %w: rate %v not in (0, 1]", s.Name, errRate, s.Rate)
		}
	}
	sourced, err := t.Amount.Mul(cfg.share, money.HalfEven)
	if err != nil {
		return Funnel{}, err
	}
	f := Funnel{
		Target: t, MarketingShare: cfg.share, Sourced: sourced, AverageDeal: averageDeal,
		Rounding: kpi.RoundingName(cfg.rounding), Stages: make([]StageTarget, len(stages)),
	}
	if f.Deals, err = kpi.RoundCount(float64(sourced.Amount)/float64(averageDeal.Amount), cfg.rounding); err != nil {
		return Funnel{}, fmt.Errorf("goal: funnel: %w", err)
	}
	next := f.Deals
	for i := len(stages) - 1; i >= 0; i-- {
		q := next / stages[i].Rate
		if math.IsInf(q, 0) || math.IsNaN(q) {
			// A tiny rate implies a count beyond float64: an error, never +Inf
			// (which json.Marshal refuses and pacing cannot use).
			return Funnel{}, fmt.Errorf("goal: funnel: stage %q: %w: %v ÷ rate %v does not fit a float64", stages[i].Name, errOverflow, next, stages[i].Rate)
		}
		if next, err = kpi.RoundCount(q, cfg.rounding); err != nil {
			return Funnel{}, fmt.Errorf("goal: funnel: stage %q: %w", stages[i].Name, err)
		}
		f.Stages[i] = StageTarget{Name: stages[i].Name, Rate: stages[i].Rate, Count: next}
	}
	return f, nil
}

// CountPace is where one count target stands at an evaluation date,
// with the definitions of Pace applied to counts (e elapsed days of D,
// as of the end of At; T target, A actual):
//
//	Attainment = A / T;  Expected = T × share (e/D, or working days);
//	Gap = A − Expected;  Projection = A × D / e (nil while e = 0);
//	Remaining = max(T − A, 0);  RequiredDaily = Remaining / (D − e) (nil once D − e = 0)
//
// Counts stay fractional; nothing is rounded.
type CountPace struct {
	Stage         string   `json:"stage"`
	Method        Method   `json:"method"`
	Status        Status   `json:"status"` // as Pace.Status
	Target        float64  `json:"target"`
	Actual        float64  `json:"actual"`
	Attainment    float64  `json:"attainment"`
	TotalDays     int      `json:"total_days"`
	ElapsedDays   int      `json:"elapsed_days"`
	RemainingDays int      `json:"remaining_days"`
	Expected      float64  `json:"expected"`
	Gap           float64  `json:"gap"`
	Projection    *float64 `json:"projection"`
	Remaining     float64  `json:"remaining"`
	RequiredDaily *float64 `json:"required_daily"`
}

// Pace paces the funnel's count targets at the end of the day at, against
// actual counts to date keyed by stage name ("won" for deals), counted
// from the period's start through at. Stages absent from actual are left
// out of the result; an unknown key, a negative, NaN or infinite count is an
// error. Results come in funnel order (stages top first, then "won").
// Options: WithLinearPace (default) or WithWorkingDayPace; WithPlanPace is linear
// here, and the money options do not apply.
func (f Funnel) Pace(at time.Time, actual map[string]float64, opts ...PaceOption) ([]CountPace, error) {
	cfg, err := newPaceConfig(f.Target.Amount.Currency, opts)
	if err != nil {
		return nil, err
	}
	if err := goalCheckPeriod(f.Target.Period); err != nil {
		return nil, fmt.Errorf("goal: funnel pace: %w", err)
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
			return nil, fmt.Errorf("goal: funnel pace: %w: unknown stage %q", errInvalid, name)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("goal: funnel pace: stage %q: %w: actual count %v", name, errInvalid, v)
		}
	}
	var wd revenue.Calendar
	if cfg.method == MethodWorkingDays {
		wd = cfg.cal
	}
	method := cfg.method
	if method == MethodPlan {
		method = MethodLinear
	}
	p := f.Target.Period
	a := revenue.Day(at)
	num, den := paceElapsedShare(p, a, method, wd)
	if den == 0 {
		return nil, fmt.Errorf("goal: funnel pace %s: %w: no working day in the period", p, errDivZero)
	}
	D := p.Days()
	e := paceElapsedDays(p, a)
	var out []CountPace
	fin := func(xs ...float64) bool {
		for _, x := range xs {
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return false
			}
		}
		return true
	}
	for _, name := range order {
		A, ok := actual[name]
		if !ok {
			continue
		}
		T := targets[name]
		if T <= 0 {
			return nil, fmt.Errorf("goal: funnel pace: stage %q: %w: target count %v", name, errDivZero, T)
		}
		c := CountPace{
			Stage: name, Method: method, Status: paceStatus(p, a), Target: T, Actual: A, Attainment: A / T,
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
		fits := fin(c.Attainment, c.Expected, c.Gap, c.Remaining)
		if c.Projection != nil {
			fits = fits && fin(*c.Projection)
		}
		if !fits {
			return nil, fmt.Errorf("goal: funnel pace: stage %q: %w: actual %v against target %v does not fit a float64", name, errOverflow, A, T)
		}
		out = append(out, c)
	}
	return out, nil
}
