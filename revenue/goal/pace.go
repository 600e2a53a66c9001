package goal

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// Actual is one dated actual: revenue booked on a day (a won deal, an
// invoice). Amounts must be zero or positive and in the target's currency;
// refunds are not netted here (book them against the day they reverse, as
// a smaller actual, before pacing).
type Actual struct {
	Date   time.Time   `json:"date"`
	Amount money.Money `json:"amount"`
}

// Method names how the amount expected to date is computed.
type Method string

// The pacing methods.
const (
	// MethodLinear expects target × elapsed days / total days
	// (calendar days, linear pacing). The default.
	MethodLinear Method = "linear"
	// MethodPlan expects, for the whole goal, the targets of the
	// sub-periods already over plus the current sub-period's target × its
	// elapsed days / its days: the pace of the split, for instance the
	// seasonal weights. Each sub-period row is linear within itself.
	MethodPlan Method = "plan"
	// MethodWorkingDays expects target × elapsed working days / working
	// days in the period, with an explicit Calendar.
	MethodWorkingDays Method = "working_days"
)

// PaceOption is an optional setting of Target.Pace and Plan.Pace.
type PaceOption func(*paceConfig)

type paceConfig struct {
	method   Method
	cal      revenue.Calendar
	pipeline bool
	winRate  float64
	avgDeal  money.Money
	rounding money.Rounding
}

// WithLinearPace selects linear pacing by elapsed calendar days (the default).
func WithLinearPace() PaceOption { return func(c *paceConfig) { c.method = MethodLinear } }

// WithPlanPace selects pacing by the goal's split (seasonal weights, working
// days or any other Split): see MethodPlan. For a lone Target, which is
// its own one-part plan, it is the same as WithLinearPace.
func WithPlanPace() PaceOption { return func(c *paceConfig) { c.method = MethodPlan } }

// WithWorkingDayPace selects pacing by elapsed working days of cal.
func WithWorkingDayPace(cal revenue.Calendar) PaceOption {
	return func(c *paceConfig) { c.method = MethodWorkingDays; c.cal = cal }
}

// WithPipeline adds the pipeline still needed to close the remaining amount
// at a win rate in (0, 1] and an average deal size (positive, in the
// target's currency): see PipelineNeed.
func WithPipeline(winRate float64, averageDeal money.Money) PaceOption {
	return func(c *paceConfig) { c.pipeline = true; c.winRate = winRate; c.avgDeal = averageDeal }
}

// WithRounding sets how the money results (expected, projection, daily
// rate, pipeline) round to the minor unit. The default is HalfEven.
func WithRounding(r money.Rounding) PaceOption { return func(c *paceConfig) { c.rounding = r } }

func newPaceConfig(cur money.Currency, opts []PaceOption) (paceConfig, error) {
	c := paceConfig{method: MethodLinear, rounding: money.HalfEven}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.rounding < money.HalfEven || c.rounding > money.Ceil {
		return c, fmt.Errorf("goal: pace: %w: unknown rounding %v", errInvalid, c.rounding)
	}
	if err := c.cal.Validate(); err != nil {
		return c, fmt.Errorf("goal: pace: %w", err)
	}
	if c.pipeline {
		if c.winRate == 0 { // the pipeline needed is the remaining amount divided by it
			return c, fmt.Errorf("goal: pace: %w: win rate is zero", errDivZero)
		}
		if math.IsNaN(c.winRate) || c.winRate < 0 || c.winRate > 1 {
			return c, fmt.Errorf("goal: pace: %w: win rate %v not in (0, 1]", errRate, c.winRate)
		}
		if c.avgDeal.Currency != cur {
			return c, fmt.Errorf("goal: pace: average deal: %w", &money.CurrencyMismatchError{Op: "pipeline", A: cur, B: c.avgDeal.Currency})
		}
		if c.avgDeal.Amount <= 0 {
			return c, fmt.Errorf("goal: pace: %w: average deal %v must be positive", errInvalid, c.avgDeal)
		}
	}
	return c, nil
}

// Status says where an evaluation date falls in a pacing period.
type Status string

// The pacing statuses.
const (
	// StatusNotStarted: the evaluation date is before the period's first day.
	StatusNotStarted Status = "not_started"
	// StatusInProgress: the evaluation date is one of the period's days,
	// its first and last included.
	StatusInProgress Status = "in_progress"
	// StatusEnded: the evaluation date is after the period's last day.
	StatusEnded Status = "ended"
)

// paceStatus is the status of the end of day a in p.
func paceStatus(p revenue.Period, a time.Time) Status {
	switch {
	case a.Before(p.Start):
		return StatusNotStarted
	case !a.Before(p.End):
		return StatusEnded
	}
	return StatusInProgress
}

// Pace is where one target stands at an evaluation date. The evaluation is
// as of the END of the day At (its UTC calendar date): actuals dated on At
// count, and At itself is an elapsed day.
//
// Definitions (D = TotalDays, e = ElapsedDays, T = Target, A = Actual):
//
//	Status      = not_started before the first day, in_progress from the
//	              first day through the last, ended after the last day
//	e           = days of the period from its first day through At, both
//	              included: 0 before the period, D on or after its last day
//	Actual      = Σ actuals dated in the period on or before At
//	Attainment  = A / T
//	Expected    = T × e / D                    (linear; see Method)
//	Gap         = A − Expected                 (negative: behind pace)
//	Projection  = A × D / e                    (run rate; absent while e = 0)
//	Remaining   = max(T − A, 0)
//	RequiredDaily = Remaining / (D − e)        (absent once D − e = 0)
//
// Money results are rounded once to the minor unit with the WithRounding
// (HalfEven by default). Absent values are nil pointers, never 0, NaN or Inf:
// Attainment is nil only for a sub-period whose target is zero (a zero
// weight), Projection while no day has elapsed, RequiredDaily once no day
// remains. The run rate and the daily rate use calendar days whatever the
// pacing method.
type Pace struct {
	Period        revenue.Period `json:"period"`
	At            time.Time      `json:"at"`
	Method        Method         `json:"method"`
	Status        Status         `json:"status"`
	Target        money.Money    `json:"target"`
	Actual        money.Money    `json:"actual"`
	Actuals       int            `json:"actuals"` // how many actuals make up Actual
	Attainment    *float64       `json:"attainment"`
	TotalDays     int            `json:"total_days"`
	ElapsedDays   int            `json:"elapsed_days"`
	RemainingDays int            `json:"remaining_days"`
	// ExpectedShare is the fraction of the target expected by At (e/D for
	// linear pacing, the working-day or plan share otherwise).
	ExpectedShare float64       `json:"expected_share"`
	Expected      money.Money   `json:"expected"`
	Gap           money.Money   `json:"gap"`
	Projection    *money.Money  `json:"projection"`
	Remaining     money.Money   `json:"remaining"`
	RequiredDaily *money.Money  `json:"required_daily"`
	Pipeline      *PipelineNeed `json:"pipeline,omitempty"`
}

// PipelineNeed is the pipeline still needed to close the remaining
// amount R at win rate w and average deal size S (the coverage rule of
// thumb run backwards):
//
//	Needed           = R / w          (money, rounded like the other results)
//	Deals            = R / (w × S)    (opportunities, fractional)
//	RequiredCoverage = Needed / R = 1 / w
type PipelineNeed struct {
	WinRate          float64     `json:"win_rate"`
	AverageDeal      money.Money `json:"average_deal"`
	Needed           money.Money `json:"needed"`
	Deals            float64     `json:"deals"`
	RequiredCoverage float64     `json:"required_coverage"`
}

// Report is a goal's pacing: the whole period and each sub-period.
// Every actual is accounted for: Counted + Later + Outside is the number
// of actuals given.
//
// Its JSON encoding is what "revengine pace --json" prints; the names are
// stable: at ("2024-02-15"), period ("2024-Q1") and currency of the whole
// target, split (the Split's name), by (see By), method, counted, later,
// outside, total and parts (each a Pace). json.Unmarshal of that encoding
// gives the same Report back.
type Report struct {
	At      time.Time `json:"at"`
	Method  Method    `json:"method"`
	Split   string    `json:"split"`        // the plan's Split: "equal", "days", "working_days" or "weights"
	By      string    `json:"by,omitempty"` // how the parts were cut ("month", "quarter", "none"), set by Spec.Pace
	Total   Pace      `json:"total"`
	Parts   []Pace    `json:"parts"`
	Counted int       `json:"counted"` // dated in the period on or before At
	Later   int       `json:"later"`   // dated in the period after At, not counted yet
	Outside int       `json:"outside"` // dated outside the period, ignored
}

// Pace paces t at the end of the day at against the dated actuals. It is
// Plan.Pace for a one-part goal and returns the total; Pace.Actuals counts
// the actuals in Actual, and Plan.Pace's Report also counts those after
// at or outside the period. Zero or negative targets, negative actuals and
// actuals in another currency are errors.
func (t Target) Pace(ctx context.Context, actuals []Actual, at time.Time, opts ...PaceOption) (Pace, error) {
	g, err := t.Split(SplitByDays(), []revenue.Period{t.Period})
	if err != nil {
		return Pace{}, err
	}
	r, err := g.Pace(ctx, actuals, at, opts...)
	if err != nil {
		return Pace{}, err
	}
	return r.Total, nil
}

// Pace paces the goal at the end of the day at against the dated actuals:
// the total with the selected Method (WithLinearPace by default) and each
// sub-period against its own target (linear within it, or by its working
// days under WithWorkingDayPace). Actuals dated outside the period are
// counted in Report.Outside and ignored; those after at in Later.
//
// Errors: an invalid goal (zero or negative target, parts that do not tile
// the period or do not add up to the target), a negative actual
// (ErrInvalidInput), an actual in another currency (ErrCurrencyMismatch),
// a period without working days under WithWorkingDayPace
// (ErrDivisionByZero), and ctx's error if it is cancelled. Every invalid
// actual is reported at once (errors.Join, each naming its index and date;
// beyond 100 they are counted), so errors.Is finds each sentinel.
func (g Plan) Pace(ctx context.Context, actuals []Actual, at time.Time, opts ...PaceOption) (_ Report, err error) {
	defer diag.Recover(&err, "goal: pace")
	if err := g.validate(); err != nil {
		return Report{}, err
	}
	t := g.Target
	cur := t.Amount.Currency
	cfg, err := newPaceConfig(cur, opts)
	if err != nil {
		return Report{}, err
	}
	a := revenue.Day(at)
	rep := Report{At: a, Method: cfg.method, Split: g.Split.String(), Parts: make([]Pace, len(g.Parts))}
	partSum := make([]int64, len(g.Parts))
	partN := make([]int, len(g.Parts))
	// Days as integers since the Unix epoch: the loop below runs once per
	// actual and comparing integers is much cheaper than building times.
	first, end, atDay := paceUnixDay(t.Period.Start), paceUnixDay(t.Period.End), paceUnixDay(a)
	partEnd := make([]int64, len(g.Parts))
	for k, p := range g.Parts {
		partEnd[k] = paceUnixDay(p.Period.End)
	}
	var total int64
	var errs []error
	bad := 0
	for i, x := range actuals {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Report{}, err
			}
		}
		if err := paceCheckActual(x, cur); err != nil {
			if bad++; bad <= paceMaxErrors {
				errs = append(errs, fmt.Errorf("goal: pace: actual %d (%s): %w", i, x.Date.UTC().Format(time.DateOnly), err))
			}
			continue
		}
		d := paceUnixDay(x.Date)
		switch {
		case d < first || d >= end:
			rep.Outside++
			continue
		case d > atDay:
			rep.Later++
			continue
		}
		rep.Counted++
		if total+x.Amount.Amount < total {
			return Report{}, fmt.Errorf("goal: pace: actual %d: sum: %w", i, errOverflow)
		}
		total += x.Amount.Amount
		k, _ := slices.BinarySearch(partEnd, d+1) // first part ending after d
		partSum[k] += x.Amount.Amount
		partN[k]++
	}
	if bad > 0 {
		if bad > paceMaxErrors {
			errs = append(errs, fmt.Errorf("goal: pace: %d more invalid actuals", bad-paceMaxErrors))
		}
		return Report{}, errors.Join(errs...)
	}

	var wd revenue.Calendar
	if cfg.method == MethodWorkingDays {
		wd = cfg.cal
	}
	for k, p := range g.Parts {
		num, den := paceElapsedShare(p.Period, a, cfg.method, wd)
		rep.Parts[k], err = pacePart(p, a, money.Money{Amount: partSum[k], Currency: cur}, partN[k], num, den, cfg)
		if err != nil {
			return Report{}, err
		}
	}

	// The total's expected amount, by the selected method.
	var expected money.Money
	var share float64
	switch cfg.method {
	case MethodPlan:
		// Exact share Σ partᵢ × eᵢ/Dᵢ / T, rounded once. Only the part
		// containing At is partly elapsed (the others count 0 or in full),
		// so the rounded total equals the sum of the rounded part rows.
		exact := new(big.Rat)
		for _, p := range g.Parts {
			num, den := paceElapsedShare(p.Period, a, cfg.method, wd)
			q := new(big.Rat).SetFrac64(num, den)
			exact.Add(exact, q.Mul(q, new(big.Rat).SetInt64(p.Amount.Amount)))
		}
		v, err := cfg.rounding.Round(exact)
		if err != nil {
			return Report{}, err
		}
		expected = money.Money{Amount: v, Currency: cur}
		share, _ = new(big.Rat).Quo(exact, new(big.Rat).SetInt64(t.Amount.Amount)).Float64()
	default:
		num, den := paceElapsedShare(t.Period, a, cfg.method, wd)
		if den == 0 {
			return Report{}, fmt.Errorf("goal: pace %s: %w: no working day in the period", t.Period, errDivZero)
		}
		if expected, err = t.Amount.MulFrac(num, den, cfg.rounding); err != nil {
			return Report{}, err
		}
		share = float64(num) / float64(den)
	}
	rep.Total, err = paceWith(t, a, money.Money{Amount: total, Currency: cur}, rep.Counted, expected, share, cfg)
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

// paceMaxErrors is how many invalid actuals Plan.Pace describes; the rest
// are counted.
const paceMaxErrors = 100

// paceUnixDay returns the days from 1970-01-01 to t's UTC calendar date
// (floor division, so dates before 1970 are negative).
func paceUnixDay(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// validate checks a Plan built by hand as strictly as Target.Split builds one.
func (g Plan) validate() error {
	t := g.Target
	if err := t.validate(); err != nil {
		return err
	}
	if len(g.Parts) == 0 {
		return fmt.Errorf("goal: plan %s: %w: no sub-periods", t.Period, errEmpty)
	}
	next := t.Period.Start
	var sum int64
	for i, p := range g.Parts {
		if err := goalCheckPeriod(p.Period); err != nil {
			return fmt.Errorf("goal: plan %s: part %d: %w", t.Period, i, err)
		}
		if !p.Period.Start.Equal(next) {
			return fmt.Errorf("goal: plan %s: %w: part %d (%s) does not start where the previous part ends", t.Period, errInvalid, i, p.Period)
		}
		next = p.Period.End
		if p.Amount.Currency != t.Amount.Currency {
			return fmt.Errorf("goal: plan %s: part %d: %w", t.Period, i, &money.CurrencyMismatchError{Op: "goal", A: t.Amount.Currency, B: p.Amount.Currency})
		}
		if p.Amount.Amount < 0 {
			return fmt.Errorf("goal: plan %s: part %d: %w: negative target %v", t.Period, i, errNegative, p.Amount)
		}
		if sum+p.Amount.Amount < sum {
			return fmt.Errorf("goal: plan %s: parts: %w", t.Period, errOverflow)
		}
		sum += p.Amount.Amount
	}
	if !next.Equal(t.Period.End) {
		return fmt.Errorf("goal: plan %s: %w: parts end %s, not at the period's end", t.Period, errInvalid, next.Format(time.DateOnly))
	}
	if sum != t.Amount.Amount {
		return fmt.Errorf("goal: plan %s: %w: parts add up to %v, target is %v", t.Period, errInvalid, money.Money{Amount: sum, Currency: t.Amount.Currency}, t.Amount)
	}
	return nil
}

func paceCheckActual(x Actual, cur money.Currency) error {
	if err := x.Amount.Currency.Validate(); err != nil {
		return err
	}
	if x.Amount.Currency != cur {
		return &money.CurrencyMismatchError{Op: "pace", A: cur, B: x.Amount.Currency}
	}
	if x.Amount.Amount < 0 {
		return fmt.Errorf("%w: negative amount %v", errNegative, x.Amount)
	}
	return nil
}

// paceElapsedDays returns the days of p from its start through a, both included,
// clamped to [0, p.Days()].
func paceElapsedDays(p revenue.Period, a time.Time) int {
	switch {
	case a.Before(p.Start):
		return 0
	case !a.Before(p.End):
		return p.Days()
	}
	return int(a.Sub(p.Start).Hours()/24) + 1
}

// paceElapsedShare returns the fraction num/den of p expected by the end of day
// a: elapsed calendar days over days, or elapsed working days over working
// days (den 0 when p has none).
func paceElapsedShare(p revenue.Period, a time.Time, m Method, wd revenue.Calendar) (num, den int64) {
	e := paceElapsedDays(p, a)
	if m != MethodWorkingDays {
		return int64(e), int64(p.Days())
	}
	return int64(wd.WorkingDays(revenue.Period{Start: p.Start, End: p.Start.AddDate(0, 0, e)})), int64(wd.WorkingDays(revenue.Period{Start: p.Start, End: p.End}))
}

// pacePart paces one part: num/den is its expected share. A part without
// working days expects nothing until it is over, then all of its target.
func pacePart(t Target, a time.Time, actual money.Money, n int, num, den int64, cfg paceConfig) (Pace, error) {
	if den == 0 {
		num, den = 0, 1
		if paceElapsedDays(t.Period, a) == t.Period.Days() {
			num = 1
		}
	}
	expected, err := t.Amount.MulFrac(num, den, cfg.rounding)
	if err != nil {
		return Pace{}, err
	}
	m := cfg.method
	if m == MethodPlan {
		m = MethodLinear
	}
	cfg.method = m
	return paceWith(t, a, actual, n, expected, float64(num)/float64(den), cfg)
}

// paceWith fills in a Pace from its actual and expected amounts.
func paceWith(t Target, a time.Time, actual money.Money, n int, expected money.Money, share float64, cfg paceConfig) (Pace, error) {
	cur := t.Amount.Currency
	D := t.Period.Days()
	e := paceElapsedDays(t.Period, a)
	p := Pace{
		Period: t.Period, At: a, Method: cfg.method, Status: paceStatus(t.Period, a),
		Target: t.Amount, Actual: actual, Actuals: n,
		TotalDays: D, ElapsedDays: e, RemainingDays: D - e,
		ExpectedShare: share, Expected: expected,
	}
	var err error
	if t.Amount.Amount != 0 {
		att := float64(actual.Amount) / float64(t.Amount.Amount)
		p.Attainment = &att
	}
	if p.Gap, err = actual.Sub(expected); err != nil {
		return Pace{}, err
	}
	if e > 0 {
		proj, err := actual.MulFrac(int64(D), int64(e), cfg.rounding)
		if err != nil {
			return Pace{}, fmt.Errorf("goal: pace %s: projection: %w", t.Period, err)
		}
		p.Projection = &proj
	}
	p.Remaining = money.Money{Amount: 0, Currency: cur}
	if actual.Amount < t.Amount.Amount {
		p.Remaining.Amount = t.Amount.Amount - actual.Amount // both ≥ 0: no overflow
	}
	if D-e > 0 {
		rd, err := p.Remaining.MulFrac(1, int64(D-e), cfg.rounding)
		if err != nil {
			return Pace{}, err
		}
		p.RequiredDaily = &rd
	}
	if cfg.pipeline {
		need, err := paceDivFloat(p.Remaining, cfg.winRate, cfg.rounding)
		if err != nil {
			return Pace{}, fmt.Errorf("goal: pace %s: pipeline: %w", t.Period, err)
		}
		deals := new(big.Rat).SetInt64(p.Remaining.Amount)
		deals.Quo(deals, new(big.Rat).Mul(money.Decimal(cfg.winRate), new(big.Rat).SetInt64(cfg.avgDeal.Amount)))
		df, _ := deals.Float64()
		cov := 1 / cfg.winRate
		if math.IsInf(df, 0) || math.IsInf(cov, 0) {
			// a win rate so small that the deals or the coverage leave float64
			return Pace{}, fmt.Errorf("goal: pace %s: pipeline: %w: win rate %v", t.Period, errOverflow, cfg.winRate)
		}
		p.Pipeline = &PipelineNeed{
			WinRate:          cfg.winRate,
			AverageDeal:      cfg.avgDeal,
			Needed:           need,
			Deals:            df,
			RequiredCoverage: cov,
		}
	}
	return p, nil
}

// paceDivFloat returns m / f for a finite positive f, computed exactly from f's
// shortest decimal (0.3 is 3/10) and rounded once with r.
func paceDivFloat(m money.Money, f float64, r money.Rounding) (money.Money, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
		return money.Money{}, fmt.Errorf("%w: divisor %v", errInvalid, f)
	}
	q := new(big.Rat).SetInt64(m.Amount)
	q.Quo(q, money.Decimal(f))
	v, err := r.Round(q)
	if err != nil {
		return money.Money{}, err
	}
	return money.Money{Amount: v, Currency: m.Currency}, nil
}
