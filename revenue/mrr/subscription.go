package mrr

import (
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// Interval is a subscription's billing interval.
type Interval string

// Billing intervals.
const (
	IntervalDay     Interval = "day"
	IntervalWeek    Interval = "week"
	IntervalMonth   Interval = "month"
	IntervalQuarter Interval = "quarter"
	IntervalYear    Interval = "year"
)

// intervalsPerMonth are the exact factors of perMonth, read only.
var intervalsPerMonth = map[Interval]*big.Rat{
	IntervalDay: big.NewRat(365, 12), IntervalWeek: big.NewRat(52, 12), IntervalMonth: big.NewRat(1, 1),
	IntervalQuarter: big.NewRat(1, 3), IntervalYear: big.NewRat(1, 12),
}

// perMonth is the number of billing intervals in a month, exactly: 365/12
// days, 52/12 weeks, 1 month, 1/3 quarter, 1/12 year.
// The result is shared and must not be modified.
func (i Interval) perMonth() (*big.Rat, error) {
	if r, ok := intervalsPerMonth[i]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("%w: unknown billing interval %q", errInvalid, i)
}

// months returns the number of calendar months in the interval.
func (i Interval) months() (int, error) {
	switch i {
	case IntervalMonth:
		return 1, nil
	case IntervalQuarter:
		return 3, nil
	case IntervalYear:
		return 12, nil
	}
	return 0, fmt.Errorf("mrr: %w: billing interval %q has no whole months", errInvalid, i)
}

// Status is a subscription's status as a billing system reports it
// (Stripe's names). Only StatusActive and StatusPastDue count in MRR.
type Status string

// The subscription statuses.
const (
	StatusActive            Status = "active"   // paying: counts
	StatusPastDue           Status = "past_due" // a payment failed, still a customer: counts
	StatusTrialing          Status = "trialing" // not paying yet: does not count
	StatusCanceled          Status = "canceled"
	StatusIncomplete        Status = "incomplete" // first payment not made
	StatusIncompleteExpired Status = "incomplete_expired"
	StatusUnpaid            Status = "unpaid" // dunning gave up
	StatusPaused            Status = "paused"
)

// counts reports whether the status contributes MRR; ok is false for an
// unknown status.
func (s Status) counts() (counts, ok bool) {
	switch s {
	case "", StatusActive, StatusPastDue:
		return true, true
	case StatusTrialing, StatusCanceled, StatusIncomplete, StatusIncompleteExpired, StatusUnpaid, StatusPaused:
		return false, true
	}
	return false, false
}

// Item is one line of a subscription: a quantity of a price billed every
// billing interval of the subscription.
type Item struct {
	UnitPrice money.Money `json:"unit_price"` // per unit and billing interval, tax excluded
	Quantity  int64       `json:"quantity"`   // units (seats); 0 contributes nothing
	// Metered marks usage-based billing (billed in arrears on use): not
	// recurring revenue, excluded from MRR.
	Metered bool `json:"metered,omitempty"`
	// OneTime marks a one-time charge (setup fee, invoice item): excluded
	// from MRR.
	OneTime bool `json:"one_time,omitempty"`
}

// CouponDuration is how long a coupon applies, as billing systems name it.
type CouponDuration string

// The coupon durations.
const (
	CouponForever   CouponDuration = "forever"   // applies to every invoice: reduces MRR
	CouponOnce      CouponDuration = "once"      // the first invoice only
	CouponRepeating CouponDuration = "repeating" // a limited number of months
)

// Coupon is a discount on a subscription: a fraction off its recurring
// subtotal or an amount off each invoice (one of the two).
type Coupon struct {
	FractionOff float64        `json:"fraction_off,omitempty"` // in [0, 1]: 0.2 is 20% off
	AmountOff   money.Money    `json:"amount_off,omitzero"`    // off each billing interval's invoice
	Duration    CouponDuration `json:"duration"`
}

// Subscription is a paid plan: its Items are billed every IntervalCount
// Intervals from Start until End (the first day without service; zero while
// it runs). A Subscription without Items and with an Amount is one licensed
// item of quantity 1 at that amount.
type Subscription struct {
	ID         string      `json:"id,omitempty"`
	CustomerID string      `json:"customer_id"`
	Status     Status      `json:"status,omitempty"` // "" is active
	Amount     money.Money `json:"amount,omitzero"`  // shorthand for one item of quantity 1
	Items      []Item      `json:"items,omitempty"`
	Interval   Interval    `json:"interval"`
	// IntervalCount bills every IntervalCount intervals (Stripe's
	// interval_count: 6 months is month × 6); 0 means 1.
	IntervalCount int `json:"interval_count,omitempty"`
	// Discount is the subscription's coupon; nil for none.
	Discount *Coupon `json:"discount,omitempty"`
	// Tax is the tax billed each interval on top of the items: excluded
	// from MRR, it is checked for its currency only.
	Tax   money.Money `json:"tax,omitzero"`
	Start time.Time   `json:"start"`
	End   time.Time   `json:"end,omitzero"`
}

// MonthlySchedule returns the MRR of each month of one billing term: the
// amount split over the term's months (1, 3 or 12) by Money.Allocate, so
// the parts add back up to the amount exactly. An annual plan of USD
// 1,000.00 gives 83.34 for the first four months and 83.33 for the other
// eight: ARR comes back to the cent, which amount ÷ 12 rounded each month
// (83.33 × 12 = 999.96) would not.
func MonthlySchedule(amount money.Money, interval Interval) ([]money.Money, error) {
	n, err := interval.months()
	if err != nil {
		return nil, err
	}
	if err := op.Money("monthly schedule", "amount", amount, false); err != nil {
		return nil, err
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return amount.Allocate(w...)
}

// Snapshot is the recurring revenue of the subscriptions active in a month.
type Snapshot struct {
	Variant revenue.Variant `json:"variant"` // "normalized_monthly"
	Month   string          `json:"month"`   // "2024-01"
	// MRR is Σ each counted subscription's monthly-normalised amount,
	// computed exactly and rounded half-even once; MRRExact is the exact
	// value in minor units (float64 approximation).
	MRR      money.Money `json:"mrr"`
	MRRExact float64     `json:"mrr_exact_minor"`
	// ARR is 12 × the exact MRR, rounded half-even once: an annual plan of
	// 1,000.00 has MRR 83.33 (83.333… exactly) and ARR 1,000.00.
	ARR           money.Money `json:"arr"`
	Customers     int         `json:"customers"`     // distinct customers with a counted subscription
	Subscriptions int         `json:"subscriptions"` // subscriptions counted
	// Lines are the subscriptions in service in the month, in input order,
	// each with its normalised MRR or why it does not count.
	Lines []SubscriptionMRR `json:"lines"`
}

// SubscriptionMRR is one subscription's part of a Snapshot.
type SubscriptionMRR struct {
	Index      int     `json:"index"` // 1-based position in the input
	ID         string  `json:"id,omitempty"`
	CustomerID string  `json:"customer_id"`
	Status     Status  `json:"status"`
	Counted    bool    `json:"counted"`
	MRRExact   float64 `json:"mrr_exact_minor"` // 0 when not counted
}

// Normalized names MRR as a billing system computes it (Measure).
const Normalized revenue.Variant = "normalized_monthly"

// MeasureOption is an optional setting of Measure.
type MeasureOption func(*measureConfig)

type measureConfig struct {
	temporary bool
	keep      map[float64]*big.Rat // 1 − fraction off, by fraction: parsed once per Measure
}

// WithTemporaryDiscounts applies coupons of every duration, once and
// repeating too, to the month measured; by default only forever coupons
// reduce MRR, since a temporary discount does not change the recurring run
// rate.
func WithTemporaryDiscounts() MeasureOption { return func(c *measureConfig) { c.temporary = true } }

// Measure returns the monthly recurring revenue of subscriptions in month
// m, as a billing system defines it (Stripe's and ChartMogul's MRR):
//
//	subscription MRR = (Σ quantity × unit price of its licensed recurring
//	                    items − amount off) × (1 − fraction off)
//	                   × intervals per month ÷ interval count
//	MRR = Σ subscription MRR of the counted subscriptions
//	ARR = 12 × MRR
//
// with intervals per month exactly 1 (month), 1/3 (quarter), 1/12 (year),
// 52/12 (week) and 365/12 (day): an annual plan is its price ÷ 12 exactly,
// and nothing is rounded before ARR. Only active and past_due subscriptions
// count; trialing, canceled, incomplete, incomplete_expired, unpaid and
// paused ones are listed in Lines but add nothing. Forever coupons apply
// (once and repeating ones only WithTemporaryDiscounts); an amount off
// larger than the subtotal brings it to zero, never below. Metered usage,
// one-time charges and tax are excluded.
//
// A subscription is in service in the calendar months from the month of
// its Start through the month before the month of its End (all months when
// End is zero).
//
// Errors: a currency other than cur in any money field, tax and coupons
// included (ErrCurrencyMismatch); a negative price, quantity, tax or
// amount off (ErrNegativeAmount); a fraction off outside [0, 1] or a
// coupon with both a fraction and an amount (ErrInvalidRate,
// ErrInvalidInput); an unknown status, interval or coupon duration, End
// before Start, a negative interval count, Amount together with Items
// (ErrInvalidInput); a result beyond int64 minor units (ErrOverflow).
func Measure(subs []Subscription, m revenue.Period, cur money.Currency, opts ...MeasureOption) (Snapshot, error) {
	cfg := measureConfig{keep: map[float64]*big.Rat{}}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if err := cur.Validate(); err != nil {
		return Snapshot{}, fmt.Errorf("mrr: measure: %w", err)
	}
	month := revenue.Month(m.Start.Year(), m.Start.Month())
	snap := Snapshot{Variant: Normalized, Month: month.String(), Lines: []SubscriptionMRR{}}
	sums := map[uint64]*big.Int{} // Σ numerators by denominator (denominators are small)
	customers := map[string]bool{}
	for i, s := range subs {
		where := fmt.Sprintf("subscription %d", i+1)
		if s.ID != "" {
			where = fmt.Sprintf("subscription %q", s.ID)
		}
		num, den, err := subscriptionMRR(s, cur, cfg)
		if err == nil && !den.IsUint64() {
			err = fmt.Errorf("%w: discount fraction with too many digits", errInvalid)
		}
		if err != nil {
			return Snapshot{}, fmt.Errorf("mrr: measure: %s: %w", where, err)
		}
		counts, _ := s.Status.counts()
		first := revenue.Date(s.Start.Year(), s.Start.Month(), 1)
		if month.Start.Before(first) || (!s.End.IsZero() && !month.Start.Before(revenue.Date(s.End.Year(), s.End.Month(), 1))) {
			continue // not in service this month
		}
		st := s.Status
		if st == "" {
			st = StatusActive
		}
		line := SubscriptionMRR{Index: i + 1, ID: s.ID, CustomerID: s.CustomerID, Status: st, Counted: counts}
		if counts {
			d := den.Uint64()
			if sums[d] == nil {
				sums[d] = new(big.Int)
			}
			sums[d].Add(sums[d], num)
			nf, _ := new(big.Float).SetInt(num).Float64()
			df, _ := new(big.Float).SetInt(den).Float64()
			line.MRRExact = nf / df // an approximation, as documented; no GCD per line
			customers[s.CustomerID] = true
			snap.Subscriptions++
		}
		snap.Lines = append(snap.Lines, line)
	}
	total := new(big.Rat)
	for _, d := range slices.Sorted(maps.Keys(sums)) { // sorted: the same work on every run
		total.Add(total, new(big.Rat).SetFrac(sums[d], new(big.Int).SetUint64(d)))
	}
	var err error
	if snap.MRR, err = roundMoney(total, cur); err != nil {
		return Snapshot{}, fmt.Errorf("mrr: measure: total MRR: %w", err)
	}
	if snap.ARR, err = roundMoney(new(big.Rat).Mul(total, big.NewRat(12, 1)), cur); err != nil {
		return Snapshot{}, fmt.Errorf("mrr: measure: total ARR: %w", err)
	}
	snap.MRRExact, _ = total.Float64()
	snap.Customers = len(customers)
	return snap, nil
}

// roundMoney rounds an exact amount of minor units half-even.
func roundMoney(q *big.Rat, cur money.Currency) (money.Money, error) {
	v, err := money.HalfEven.Round(q)
	if err != nil {
		return money.Money{}, err
	}
	return money.Money{Amount: v, Currency: cur}, nil
}

// subscriptionMRR validates s and returns its exact monthly-normalised MRR
// in minor units (whatever its status).
// The result is an unnormalised fraction num/den (no GCD per subscription:
// Measure sums the numerators of equal denominators, which are few).
func subscriptionMRR(s Subscription, cur money.Currency, cfg measureConfig) (num, den *big.Int, err error) {
	if _, ok := s.Status.counts(); !ok {
		return nil, nil, fmt.Errorf("%w: unknown status %q", errInvalid, s.Status)
	}
	if !s.End.IsZero() && s.End.Before(s.Start) {
		return nil, nil, fmt.Errorf("%w: ends before it starts", errInconsistent)
	}
	per, err := s.Interval.perMonth()
	if err != nil {
		return nil, nil, err
	}
	n := s.IntervalCount
	if n < 0 {
		return nil, nil, fmt.Errorf("%w: interval count %d is negative", errNegative, n)
	}
	if n == 0 {
		n = 1
	}
	money1 := func(name string, a money.Money) error {
		if a == (money.Money{}) {
			return nil
		}
		if a.Currency != cur {
			return fmt.Errorf("%s: %w", name, &money.CurrencyMismatchError{Op: "mrr", A: cur, B: a.Currency})
		}
		if a.Amount < 0 {
			return fmt.Errorf("%w: %s %v", errNegative, name, a)
		}
		return nil
	}
	if err := money1("tax", s.Tax); err != nil {
		return nil, nil, err
	}
	items := s.Items
	if s.Amount != (money.Money{}) {
		if len(items) > 0 {
			return nil, nil, fmt.Errorf("%w: both an amount and items", errInvalid)
		}
		items = []Item{{UnitPrice: s.Amount, Quantity: 1}}
	}
	sub := new(big.Int)
	var term big.Int
	for k, it := range items {
		if it.UnitPrice.Currency != cur {
			return nil, nil, fmt.Errorf("item %d: %w", k+1, &money.CurrencyMismatchError{Op: "mrr", A: cur, B: it.UnitPrice.Currency})
		}
		if it.UnitPrice.Amount < 0 || it.Quantity < 0 {
			return nil, nil, fmt.Errorf("item %d: %w: unit price %v, quantity %d", k+1, errNegative, it.UnitPrice, it.Quantity)
		}
		if it.Metered || it.OneTime {
			continue
		}
		sub.Add(sub, term.Mul(term.SetInt64(it.UnitPrice.Amount), big.NewInt(it.Quantity)))
	}
	if c := s.Discount; c != nil {
		if err := money1("amount off", c.AmountOff); err != nil {
			return nil, nil, err
		}
		if math.IsNaN(c.FractionOff) || c.FractionOff < 0 || c.FractionOff > 1 {
			return nil, nil, fmt.Errorf("%w: fraction off %v outside [0, 1]", errRate, c.FractionOff)
		}
		if c.FractionOff != 0 && c.AmountOff.Amount != 0 {
			return nil, nil, fmt.Errorf("%w: a coupon is a fraction off or an amount off, not both", errInvalid)
		}
		switch c.Duration {
		case CouponForever, CouponOnce, CouponRepeating:
		default:
			return nil, nil, fmt.Errorf("%w: unknown coupon duration %q", errInvalid, c.Duration)
		}
		if c.Duration == CouponForever || cfg.temporary {
			sub.Sub(sub, big.NewInt(c.AmountOff.Amount))
			if sub.Sign() < 0 {
				sub.SetInt64(0)
			}
			if c.FractionOff != 0 {
				keep := cfg.keep[c.FractionOff]
				if keep == nil {
					keep = money.OnePlus(-c.FractionOff) // 1 − fraction, exactly as written
					if cfg.keep != nil {
						cfg.keep[c.FractionOff] = keep
					}
				}
				sub.Mul(sub, keep.Num())
				den = new(big.Int).Set(keep.Denom())
			}
		}
	}
	if den == nil {
		den = big.NewInt(1)
	}
	sub.Mul(sub, per.Num())
	den.Mul(den, per.Denom())
	den.Mul(den, big.NewInt(int64(n)))
	return sub, den, nil
}
