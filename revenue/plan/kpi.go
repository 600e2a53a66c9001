package plan

import (
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/kpi"
)

// op prefixes the messages of the shared checks.
const op kpi.Op = "plan: "

// Short forms of the shared sentinels and helpers.
var (
	errInvalid      = kpi.ErrInvalid
	errDivZero      = kpi.ErrDivZero
	errOverflow     = kpi.ErrOverflow
	ratInt          = kpi.RatInt
	ratFloat        = kpi.RatFloat
	add64           = kpi.Add64
	errNegative     = kpi.ErrNegative
	errRate         = kpi.ErrRate
	errEmpty        = kpi.ErrEmpty
	errInconsistent = kpi.ErrInconsistent
)

// Options of the reverse plans. ReverseFunnel reads only the count
// rounding; Profit reads both.
type (
	// FunnelOption is an optional setting of ReverseFunnel: WithCountRounding.
	FunnelOption interface{ applyFunnel(*config) }
	// ProfitOption is an optional setting of Profit and Profits:
	// WithCountRounding, WithRounding or WithProfitOnRoundedCustomers.
	ProfitOption interface{ applyProfit(*config) }
)

type config struct {
	count     *money.Rounding // nil: counts kept fractional
	rounding  money.Rounding
	onRounded bool // gross profit on the rounded customers' revenue
}

// RoundedProfitOption is the option WithProfitOnRoundedCustomers returns.
type RoundedProfitOption struct{}

// WithProfitOnRoundedCustomers computes a profit plan's gross profit (and
// so profit, profit margin and ROI) on the revenue of the rounded
// customers, customers × revenue per customer, instead of on the goal.
// Without WithCountRounding the two are the same.
func WithProfitOnRoundedCustomers() RoundedProfitOption { return RoundedProfitOption{} }

func (RoundedProfitOption) applyProfit(c *config) { c.onRounded = true }

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

// The module's error kinds, as in package revenue (see revenue.ErrZeroDenominator):
// one sentinel per kind for the whole module, re-exported under the same names.
var (
	ErrZeroDenominator   = revenue.ErrZeroDenominator   // a zero denominator
	ErrCurrencyMismatch  = revenue.ErrCurrencyMismatch  // money of two currencies
	ErrNegativeAmount    = revenue.ErrNegativeAmount    // a negative amount or count
	ErrInvalidRate       = revenue.ErrInvalidRate       // a rate or share outside its domain
	ErrEmptyInput        = revenue.ErrEmptyInput        // no data
	ErrInconsistentInput = revenue.ErrInconsistentInput // inputs that contradict each other
	ErrOverflow          = revenue.ErrOverflow          // a result that does not fit
	ErrInvalidInput      = revenue.ErrInvalidInput      // any other invalid argument
)
