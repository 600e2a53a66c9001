package revenue

import (
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/revengine/revengine/money"
)

// WinRateVariant selects a definition of the win rate; it is an option of
// WinRate only.
type WinRateVariant string

// The win-rate variants.
const (
	// WinRateClosed is won / (won + lost), open deals ignored: the default.
	WinRateClosed WinRateVariant = "closed_only"
	// WinRateAll is won / all deals, open ones included.
	WinRateAll WinRateVariant = "all"
)

// Names of the other pipeline definitions.
const (
	// AverageDealWon names Σ won amount / won deals.
	AverageDealWon Variant = "won_deals"
	// CycleWon names the created-to-closed days of won deals.
	CycleWon Variant = "won_deals"
	// VelocityVariant names opportunities × win rate × average deal / cycle days.
	VelocityVariant Variant = "per_day"
	// CoverageRemaining names open pipeline / (quota − closed won).
	CoverageRemaining Variant = "remaining_quota"
	// CoverageRequiredVariant names 1 / win rate.
	CoverageRequiredVariant Variant = "inverse_win_rate"
	// SourcedFirstTouch names revenue of won deals whose first touch is marketing.
	SourcedFirstTouch Variant = "first_touch_marketing"
	// InfluencedAnyTouch names revenue of won deals with a marketing touch on or before close.
	InfluencedAnyTouch Variant = "any_marketing_touch"
)

// ClosedIn returns the deals closed (won or lost) on a day of p, in order.
func ClosedIn(deals []Deal, p Period) []Deal {
	var out []Deal
	for _, d := range deals {
		if d.Status != DealOpen && !d.Closed.IsZero() && p.Contains(d.Closed) {
			out = append(out, d)
		}
	}
	return out
}

// CreatedIn returns the deals created on a day of p, in order.
func CreatedIn(deals []Deal, p Period) []Deal {
	var out []Deal
	for _, d := range deals {
		if p.Contains(d.Created) {
			out = append(out, d)
		}
	}
	return out
}

// dealRef is the deal's ID, or "deal N" (1-based) without one.
func dealRef(i int, d Deal) string {
	if d.ID != "" {
		return d.ID
	}
	return fmt.Sprintf("deal %d", i+1)
}

func dealName(i int, d Deal) string {
	if d.ID != "" {
		return fmt.Sprintf("deal %q", d.ID)
	}
	return fmt.Sprintf("deal %d", i+1)
}

// checkDeal validates a deal's status, amount and currency.
func checkDeal(kpi string, i int, d Deal, cur money.Currency) error {
	switch d.Status {
	case DealOpen, DealWon, DealLost:
	default:
		return fmt.Errorf("revenue: %s: %s: %w: unknown status %q", kpi, dealName(i, d), errInvalid, d.Status)
	}
	if d.Amount.Currency != cur {
		return fmt.Errorf("revenue: %s: %s: %w", kpi, dealName(i, d), &money.CurrencyMismatchError{Op: kpi, A: cur, B: d.Amount.Currency})
	}
	if d.Amount.Amount < 0 {
		return fmt.Errorf("revenue: %s: %s: %w: negative amount %v", kpi, dealName(i, d), errNegative, d.Amount)
	}
	return nil
}

// uniqueDeals refuses two deals with the same non-empty ID: summing both
// would count one deal's revenue twice (ErrInconsistentInput).
func uniqueDeals(kpi string, deals []Deal) error {
	seen := make(map[string]int, len(deals))
	for i, d := range deals {
		if d.ID == "" {
			continue
		}
		if j, dup := seen[d.ID]; dup {
			return fmt.Errorf("revenue: %s: %w: deals %d and %d share the id %q", kpi, errInconsistent, j+1, i+1, d.ID)
		}
		seen[d.ID] = i
	}
	return nil
}

// MarketingShareVariant names marketing-sourced revenue / total revenue.
const MarketingShareVariant Variant = "sourced_over_total"

// MarketingShare returns the percentage of revenue from marketing, as a
// fraction:
//
//	% revenue from marketing = marketing-sourced revenue / total revenue
//
// over the same period (HubSpot's and Salesforce's "marketing-sourced
// revenue" share; the engine package computes both totals from deals and touches).
// Numerator and Denominator are minor units.
// Errors: total zero (ErrZeroDenominator); marketing-sourced above total
// (ErrInconsistentInput); negative amounts; currencies that differ.
func MarketingShare(sourced, total money.Money) (Metric, error) {
	const kpi = "marketing share"
	if err := op.Money(kpi, "marketing-sourced revenue", sourced, false); err != nil {
		return Metric{}, err
	}
	if err := op.Money(kpi, "total revenue", total, false); err != nil {
		return Metric{}, err
	}
	if err := op.Same(kpi, total.Currency, sourced); err != nil {
		return Metric{}, err
	}
	if sourced.Amount > total.Amount {
		return Metric{}, fmt.Errorf("revenue: %s: %w: marketing-sourced %v exceeds total %v", kpi, errInconsistent, sourced, total)
	}
	return newMetric("marketing_share", MarketingShareVariant, "marketing-sourced revenue / total revenue", float64(sourced.Amount), float64(total.Amount))
}

// AverageDealSize returns Σ amount of the won deals / number of won deals
// among the deals given (HubSpot, Salesforce), rounded with WithRounding
// (default HalfEven). Errors: no won deals (ErrDivisionByZero); currency,
// amount or status problems.
func AverageDealSize(deals []Deal, cur money.Currency, opts ...MoneyOption) (MoneyMetric, error) {
	const kpi = "average deal size"
	c, err := newConfig(kpi, func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyMoney(c)
			}
		}
	}, AverageDealWon)
	if err != nil {
		return MoneyMetric{}, err
	}
	if err := cur.Validate(); err != nil {
		return MoneyMetric{}, fmt.Errorf("revenue: %s: %w", kpi, err)
	}
	if err := uniqueDeals(kpi, deals); err != nil {
		return MoneyMetric{}, err
	}
	// The sum is exact (big.Int): won deals of MaxInt64 each average to
	// MaxInt64; only a mean that does not fit is ErrOverflow.
	sum, n := new(big.Int), int64(0)
	for i, d := range deals {
		if err := checkDeal(kpi, i, d, cur); err != nil {
			return MoneyMetric{}, err
		}
		if d.Status == DealWon {
			n++
			sum.Add(sum, big.NewInt(d.Amount.Amount))
		}
	}
	return moneyQuotient("average_deal_size", AverageDealWon, "won amount / won deals", new(big.Rat).SetInt(sum), ratInt(n), cur, c.rounding)
}

// WinRate returns the share of deals won among the deals given (select
// them with ClosedIn or CreatedIn):
//
//	win rate = won / (won + lost)            (closed_only, default)
//	win rate = won / (won + lost + open)     (WinRateAll)
//
// HubSpot and Salesforce report the closed-only rate; the "all" variant
// counts open deals as not won. Numerator and Denominator are deal counts.
// Errors: no deals in the denominator (ErrDivisionByZero); unknown status.
func WinRate(deals []Deal, opts ...WinRateOption) (Metric, error) {
	c, err := newConfig("win rate", func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyWinRate(c)
			}
		}
	}, Variant(WinRateClosed), Variant(WinRateClosed), Variant(WinRateAll))
	if err != nil {
		return Metric{}, err
	}
	if err := uniqueDeals("win rate", deals); err != nil {
		return Metric{}, err
	}
	var won, lost, open int
	for i, d := range deals {
		switch d.Status {
		case DealWon:
			won++
		case DealLost:
			lost++
		case DealOpen:
			open++
		default:
			return Metric{}, fmt.Errorf("revenue: win rate: %s: %w: unknown status %q", dealName(i, d), errInvalid, d.Status)
		}
	}
	if c.variant == Variant(WinRateAll) {
		return newMetric("win_rate", Variant(WinRateAll), "won / (won + lost + open)", float64(won), float64(won+lost+open))
	}
	return newMetric("win_rate", Variant(WinRateClosed), "won / (won + lost)", float64(won), float64(won+lost))
}

// SalesCycle is the length of the sales cycle of won deals in days.
type SalesCycle struct {
	Variant    Variant `json:"variant"`
	Deals      int     `json:"deals"`
	MeanDays   float64 `json:"mean_days"`   // Σ DealDays[i].Days / Deals
	MedianDays float64 `json:"median_days"` // mean of the two middle values for an even count
	// DealDays are the won deals behind the mean and median, each with
	// its created-to-closed days, in the order given.
	DealDays []DealDays `json:"deal_days"`
}

// DealDays is one won deal's sales cycle in calendar days.
type DealDays struct {
	ID   string `json:"id"` // the deal's ID, or "deal N" (1-based) without one
	Days int    `json:"days"`
}

// SalesCycleLength returns the mean and median number of calendar days from
// creation to close of the won deals given (HubSpot's "average sales cycle
// length"; the median is robust to a few very long deals). A deal created
// and won the same day has 0 days.
// Errors: no won deals (ErrDivisionByZero); a won deal without a close
// date or closed before it was created (ErrInvalidInput).
func SalesCycleLength(deals []Deal) (SalesCycle, error) {
	if err := uniqueDeals("sales cycle", deals); err != nil {
		return SalesCycle{}, err
	}
	var days []int
	var each []DealDays
	for i, d := range deals {
		if d.Status != DealWon {
			continue
		}
		if d.Closed.IsZero() || d.Created.IsZero() {
			return SalesCycle{}, fmt.Errorf("revenue: sales cycle: %s: %w: won deal without created and closed dates", dealName(i, d), errInvalid)
		}
		// Unix seconds, not Time.Sub, which saturates beyond 292 years.
		n := int((Day(d.Closed).Unix() - Day(d.Created).Unix()) / 86400)
		if n < 0 {
			return SalesCycle{}, fmt.Errorf("revenue: sales cycle: %s: %w: closed before created", dealName(i, d), errInvalid)
		}
		days = append(days, n)
		each = append(each, DealDays{ID: dealRef(i, d), Days: n})
	}
	if len(days) == 0 {
		return SalesCycle{}, fmt.Errorf("revenue: sales cycle: %w: no won deals", errDivZero)
	}
	sort.Ints(days)
	var sum float64
	for _, d := range days {
		sum += float64(d)
	}
	k := len(days)
	med := float64(days[k/2])
	if k%2 == 0 {
		med = float64(days[k/2-1]+days[k/2]) / 2
	}
	return SalesCycle{Variant: CycleWon, Deals: k, MeanDays: sum / float64(k), MedianDays: med, DealDays: each}, nil
}

// Velocity is the result of PipelineVelocity: revenue per day (the
// MoneyMetric, its fields promoted, in JSON too) and what it produces in a
// period of a given length.
type Velocity struct {
	MoneyMetric
	// PeriodDays is the length of the period ExpectedRevenue covers, in
	// days of 24 hours: WithPeriod, or the sales cycle by default.
	PeriodDays float64 `json:"period_days"`
	// ExpectedRevenue is velocity × PeriodDays, rounded once from the exact
	// product (over one sales cycle it is opportunities × win rate ×
	// average deal size).
	ExpectedRevenue money.Money `json:"expected_revenue"`
}

// PipelineVelocity returns the revenue the pipeline produces per day:
//
//	velocity = opportunities × win rate × average deal size / sales cycle days
//	expected revenue = velocity × period days
//
// (the sales velocity equation as HubSpot and Salesforce give it), with
// the sales cycle a time.Duration counted in days of 24 hours (the
// SalesCycle of won deals is in days: pass
// time.Duration(c.MeanDays*24*float64(time.Hour))). The result is money
// per day rounded with WithRounding (default HalfEven); Denominator is the
// cycle in days. ExpectedRevenue is the revenue of a period of
// WithPeriod's length (the sales cycle by default): 30 days of a 1,000.00
// a day pipeline is 30,000.00.
// Errors: negative opportunities (ErrNegativeAmount), win rate outside
// [0, 1] (ErrInvalidRate), negative deal size, a zero cycle
// (ErrZeroDenominator), a negative cycle or period.
func PipelineVelocity(opportunities int64, winRate float64, averageDeal money.Money, cycle time.Duration, opts ...VelocityOption) (Velocity, error) {
	const kpi = "pipeline velocity"
	c, err := newConfig(kpi, func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyVelocity(c)
			}
		}
	}, VelocityVariant)
	if err != nil {
		return Velocity{}, err
	}
	if err := op.Count(kpi, "opportunities", opportunities); err != nil {
		return Velocity{}, err
	}
	if err := op.Fraction(kpi, "win rate", winRate, true); err != nil {
		return Velocity{}, err
	}
	if err := op.Money(kpi, "average deal size", averageDeal, false); err != nil {
		return Velocity{}, err
	}
	if cycle < 0 {
		return Velocity{}, fmt.Errorf("revenue: %s: %w: sales cycle %v is negative", kpi, errNegative, cycle)
	}
	period := cycle
	if c.hasPeriod {
		if c.period < 0 {
			return Velocity{}, fmt.Errorf("revenue: %s: %w: period %v is negative", kpi, errNegative, c.period)
		}
		period = c.period
	}
	// Days exactly: nanoseconds over the nanoseconds of a day.
	dayNs := big.NewInt(int64(24 * time.Hour))
	days := new(big.Rat).SetFrac(big.NewInt(int64(cycle)), dayNs)
	num := new(big.Rat).Mul(ratInt(opportunities), ratFloat(winRate))
	num.Mul(num, ratInt(averageDeal.Amount))
	m, err := moneyQuotient("pipeline_velocity", VelocityVariant, "opportunities × win rate × average deal size / cycle days",
		num, days, averageDeal.Currency, c.rounding)
	if err != nil {
		return Velocity{}, err
	}
	pdays := new(big.Rat).SetFrac(big.NewInt(int64(period)), dayNs)
	exp := new(big.Rat).Quo(num, days)
	exp.Mul(exp, pdays)
	amt, err := c.rounding.Round(exp)
	if err != nil {
		return Velocity{}, fmt.Errorf("revenue: %s: expected revenue: %w", kpi, err)
	}
	pd, _ := pdays.Float64()
	return Velocity{MoneyMetric: m, PeriodDays: pd, ExpectedRevenue: money.Money{Amount: amt, Currency: averageDeal.Currency}}, nil
}

// Coverage is the result of PipelineCoverage: open pipeline over the
// remaining quota (the Metric, its fields promoted, in JSON too) and, given
// a win rate (WithExpectedWinRate), what the pipeline is expected to book.
type Coverage struct {
	Metric
	Remaining money.Money `json:"remaining_quota"` // quota − closed won
	// WinRate is the rate of WithExpectedWinRate; nil (JSON null) without it,
	// and so are the two expectations.
	WinRate *float64 `json:"win_rate"`
	// ExpectedBookings is open pipeline × win rate, rounded once.
	ExpectedBookings *money.Money `json:"expected_bookings"`
	// ExpectedAttainment is the expected share of the remaining quota the
	// pipeline closes: open pipeline × win rate / (quota − closed won), that
	// is coverage × win rate (1 or more: on track).
	ExpectedAttainment *Metric `json:"expected_attainment"`
}

// PipelineCoverage returns open pipeline / remaining quota, with remaining
// quota = quota − revenue already closed won in the period (Salesforce's
// pipeline coverage ratio; 3× is the usual rule of thumb). Numerator and
// Denominator are in minor units. With WithExpectedWinRate(w) it also
// returns the expected bookings, open pipeline × w, and the expected
// attainment of the remaining quota, open pipeline × w / remaining quota.
// Errors: quota already met (remaining zero: ErrZeroDenominator; negative:
// ErrInconsistentInput); negative amounts; a win rate outside [0, 1]
// (ErrInvalidRate); currencies that differ.
func PipelineCoverage(openPipeline, quota, closedWon money.Money, opts ...CoverageOption) (Coverage, error) {
	const kpi = "pipeline coverage"
	c, err := newConfig(kpi, func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyCoverage(c)
			}
		}
	}, CoverageRemaining)
	if err != nil {
		return Coverage{}, err
	}
	for _, a := range []struct {
		n string
		m money.Money
	}{{"open pipeline", openPipeline}, {"quota", quota}, {"closed won", closedWon}} {
		if err := op.Money(kpi, a.n, a.m, false); err != nil {
			return Coverage{}, err
		}
	}
	if err := op.Same(kpi, quota.Currency, openPipeline, closedWon); err != nil {
		return Coverage{}, err
	}
	remaining := quota.Amount - closedWon.Amount // both ≥ 0: no overflow
	if remaining < 0 {
		return Coverage{}, fmt.Errorf("revenue: %s: %w: quota %v already exceeded by %v", kpi, errInconsistent, quota, closedWon)
	}
	m, err := newMetric("pipeline_coverage", CoverageRemaining, "open pipeline / (quota − closed won)", float64(openPipeline.Amount), float64(remaining))
	if err != nil {
		return Coverage{}, err
	}
	out := Coverage{Metric: m, Remaining: money.Money{Amount: remaining, Currency: quota.Currency}}
	if c.hasWinRate {
		if err := op.Fraction(kpi, "win rate", c.winRate, true); err != nil {
			return Coverage{}, err
		}
		w := c.winRate
		exp := new(big.Rat).Mul(ratInt(openPipeline.Amount), ratFloat(w))
		amt, err := c.rounding.Round(exp)
		if err != nil {
			return Coverage{}, fmt.Errorf("revenue: %s: expected bookings: %w", kpi, err)
		}
		eb := money.Money{Amount: amt, Currency: quota.Currency}
		ef, _ := exp.Float64()
		att, err := newMetric("expected_attainment", CoverageRemaining, "open pipeline × win rate / (quota − closed won)", ef, float64(remaining))
		if err != nil {
			return Coverage{}, err
		}
		out.WinRate, out.ExpectedBookings, out.ExpectedAttainment = &w, &eb, &att
	}
	return out, nil
}

// RequiredCoverage returns the pipeline coverage a win rate requires to
// make quota: 1 / win rate (a 25% win rate needs 4× coverage).
// Errors: win rate outside (0, 1] (zero: ErrDivisionByZero).
func RequiredCoverage(winRate float64) (Metric, error) {
	if winRate == 0 {
		return Metric{}, fmt.Errorf("revenue: required coverage: %w: win rate is zero", errDivZero)
	}
	if err := op.Fraction("required coverage", "win rate", winRate, false); err != nil {
		return Metric{}, err
	}
	return newMetric("required_coverage", CoverageRequiredVariant, "1 / win rate", 1, winRate)
}
