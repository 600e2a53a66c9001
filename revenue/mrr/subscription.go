package mrr

import (
	"fmt"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// Interval is a subscription's billing interval.
type Interval string

// Billing intervals.
const (
	IntervalMonth   Interval = "month"
	IntervalQuarter Interval = "quarter"
	IntervalYear    Interval = "year"
)

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
	return 0, fmt.Errorf("mrr: %w: unknown billing interval %q", errInvalid, i)
}

// Subscription is a paid plan: Amount is charged every Interval from Start
// until End (the first day without service; zero while it runs).
type Subscription struct {
	CustomerID string      `json:"customer_id"`
	Amount     money.Money `json:"amount"` // per billing interval
	Interval   Interval    `json:"interval"`
	Start      time.Time   `json:"start"`
	End        time.Time   `json:"end,omitzero"`
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
	Variant   revenue.Variant `json:"variant"`   // "allocated_monthly"
	Month     string          `json:"month"`     // "2024-01"
	MRR       money.Money     `json:"mrr"`       // Σ this month's part of each active plan
	ARR       money.Money     `json:"arr"`       // Σ annualised contract values: 12 × monthly, 4 × quarterly, 1 × annual
	Customers int             `json:"customers"` // distinct customers with an active plan
}

// Allocated names MRR computed from MonthlySchedule.
const Allocated revenue.Variant = "allocated_monthly"

// Measure returns the monthly recurring revenue of subscriptions in month m
// (monthly-normalised as ChartMogul and Baremetrics do). A subscription is
// active in the calendar months from the month of its Start through the
// month before the month of its End (all months when End is zero). Its
// MRR in an active month is the part of MonthlySchedule for that month of
// its billing term, counted from the Start month. Over any billing term the
// monthly parts sum to the amount billed, so twelve months of an annual
// plan's MRR equal its price exactly.
//
// Errors: a currency other than cur (ErrCurrencyMismatch), a negative
// amount, an unknown interval, End before Start (ErrInvalidInput), overflow.
func Measure(subs []Subscription, m revenue.Period, cur money.Currency) (Snapshot, error) {
	if err := cur.Validate(); err != nil {
		return Snapshot{}, fmt.Errorf("mrr: %w", err)
	}
	month := revenue.Month(m.Start.Year(), m.Start.Month())
	snap := Snapshot{Variant: Allocated, Month: month.String()}
	var mrr, arr int64
	customers := map[string]bool{}
	for i, s := range subs {
		where := fmt.Sprintf("subscription %d (%s)", i+1, s.CustomerID)
		if s.Amount.Currency != cur {
			return Snapshot{}, fmt.Errorf("mrr: %s: %w", where, &money.CurrencyMismatchError{Op: "mrr", A: cur, B: s.Amount.Currency})
		}
		if !s.End.IsZero() && s.End.Before(s.Start) {
			return Snapshot{}, fmt.Errorf("mrr: %s: %w: ends before it starts", where, errInvalid)
		}
		sched, err := MonthlySchedule(s.Amount, s.Interval)
		if err != nil {
			return Snapshot{}, fmt.Errorf("mrr: %s: %w", where, err)
		}
		first := revenue.Date(s.Start.Year(), s.Start.Month(), 1)
		if month.Start.Before(first) {
			continue
		}
		if !s.End.IsZero() && !month.Start.Before(revenue.Date(s.End.Year(), s.End.Month(), 1)) {
			continue
		}
		k := (month.Start.Year()-first.Year())*12 + int(month.Start.Month()-first.Month())
		if mrr, err = add64(mrr, sched[k%len(sched)].Amount); err != nil {
			return Snapshot{}, fmt.Errorf("mrr: %w", err)
		}
		annual, err := s.Amount.MulFrac(int64(12/len(sched)), 1, money.HalfEven) // exact: integer factor
		if err != nil {
			return Snapshot{}, fmt.Errorf("mrr: %s: %w", where, err)
		}
		if arr, err = add64(arr, annual.Amount); err != nil {
			return Snapshot{}, fmt.Errorf("mrr: arr: %w", err)
		}
		customers[s.CustomerID] = true
	}
	snap.MRR, snap.ARR, snap.Customers = money.Money{Amount: mrr, Currency: cur}, money.Money{Amount: arr, Currency: cur}, len(customers)
	return snap, nil
}
