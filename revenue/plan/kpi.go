package plan

import (
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/kpi"
)

// Package-local forms of the shared checks, with the "plan: " prefix.
var (
	errInvalid  = kpi.ErrInvalid
	errDivZero  = kpi.ErrDivZero
	errOverflow = kpi.ErrOverflow
	ratInt      = kpi.RatInt
	ratFloat    = kpi.RatFloat
	add64       = kpi.Add64
)

func checkFraction(k, name string, f float64, zeroOK bool) error {
	return kpi.CheckFraction("plan: "+k, name, f, zeroOK)
}
func checkFinite(k, name string, f float64) error { return kpi.CheckFinite("plan: "+k, name, f) }
func checkMoney(k, name string, m money.Money, negOK bool) error {
	return kpi.CheckMoney("plan: "+k, name, m, negOK)
}
func sameCurrency(k string, cur money.Currency, ms ...money.Money) error {
	return kpi.SameCurrency(k, cur, ms...)
}

// newMetric builds a Metric, refusing a zero denominator or a non-finite value.
func newMetric(name string, v revenue.Variant, formula string, num, den float64) (revenue.Metric, error) {
	val, err := kpi.Quotient("plan: "+name, formula, num, den)
	if err != nil {
		return revenue.Metric{}, err
	}
	return revenue.Metric{KPI: name, Variant: v, Formula: formula, Value: val, Numerator: num, Denominator: den}, nil
}

// Options of the reverse plans. ReverseFunnel reads only the count
// rounding; Profit reads both.
type (
	// FunnelOption is an optional setting of ReverseFunnel: WithCountRounding.
	FunnelOption interface{ applyFunnel(*config) }
	// ProfitOption is an optional setting of Profit and Profits:
	// WithCountRounding or WithRounding.
	ProfitOption interface{ applyProfit(*config) }
)

type config struct {
	count    *money.Rounding // nil: counts kept fractional
	rounding money.Rounding
}

// CountRoundingOption is the option WithCountRounding returns.
type CountRoundingOption struct{ r money.Rounding }

// WithCountRounding rounds customers, leads and visits to whole numbers
// with r, from the bottom of the funnel upwards: money.Up gives
// ceil(customers), then ceil(that ÷ rate) leads, and so on. Values within
// 1e-9 (relative) of a whole number count as that number. Without it the
// counts keep their fractions (0.5 customers): the expected-value plan.
func WithCountRounding(r money.Rounding) CountRoundingOption { return CountRoundingOption{r} }

func (o CountRoundingOption) applyFunnel(c *config) { c.count = &o.r }
func (o CountRoundingOption) applyProfit(c *config) { c.count = &o.r }

// RoundingOption is the option WithRounding returns.
type RoundingOption struct{ r money.Rounding }

// WithRounding sets how the money of a profit plan is rounded to minor
// units (default money.HalfEven).
func WithRounding(r money.Rounding) RoundingOption { return RoundingOption{r} }

func (o RoundingOption) applyProfit(c *config) { c.rounding = o.r }

func newConfig(name string, apply func(*config)) (*config, error) {
	c := &config{rounding: money.HalfEven}
	apply(c)
	if !kpi.ValidRounding(c.rounding) {
		return nil, kpi.Invalidf("plan: %s: invalid input: unknown rounding %v", name, c.rounding)
	}
	if c.count != nil && !kpi.ValidRounding(*c.count) {
		return nil, kpi.Invalidf("plan: %s: invalid input: unknown count rounding %v", name, *c.count)
	}
	return c, nil
}
