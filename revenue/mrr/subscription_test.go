package mrr

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

func TestMonthlySchedule(t *testing.T) {
	// USD 1,000.00 a year: 100,000 cents / 12 = 8,333.33…; largest remainder
	// gives 4 months of 8,334 and 8 of 8,333: 4 × 8,334 + 8 × 8,333 = 100,000.
	s, err := MonthlySchedule(usd(100_000), IntervalYear)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for i, m := range s {
		want := int64(8333)
		if i < 4 {
			want = 8334
		}
		if m.Amount != want {
			t.Errorf("month %d = %d, want %d", i, m.Amount, want)
		}
		sum += m.Amount
	}
	if sum != 100_000 {
		t.Errorf("year sums to %d", sum)
	}
	q, _ := MonthlySchedule(usd(100), IntervalQuarter) // 34 + 33 + 33
	if diff := cmp.Diff([]money.Money{usd(34), usd(33), usd(33)}, q); diff != "" {
		t.Errorf("quarter (-want +got):\n%s", diff)
	}
	if _, err := MonthlySchedule(usd(1), "week"); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("unknown interval: %v", err)
	}
}

func TestMRRSubscriptions(t *testing.T) {
	subs := []Subscription{
		{CustomerID: "annual", Amount: usd(100_000), Interval: IntervalYear, Start: revenue.Date(2024, 3, 15)},
		{CustomerID: "monthly", Amount: usd(5_000), Interval: IntervalMonth, Start: revenue.Date(2024, 1, 1), End: revenue.Date(2024, 6, 1)},
		{CustomerID: "quarterly", Amount: usd(30_000), Interval: IntervalQuarter, Start: revenue.Date(2024, 2, 1)},
	}
	tests := []struct {
		month     time.Month
		year      int
		mrr       int64
		arr       int64
		customers int
	}{
		// March: annual 100,000 / 12 = 8,333.33… + monthly 5,000 + quarterly
		// 30,000 / 3 = 10,000 → 23,333.33… → 23,333 cents; ARR = 12 × the
		// exact MRR = 100,000 + 60,000 + 120,000 = 280,000 exactly.
		{time.March, 2024, 23_333, 280_000, 3},
		// June: 8,333.33… + 10,000 = 18,333.33…; monthly ended June 1.
		// ARR 100,000 + 120,000.
		{time.June, 2024, 18_333, 220_000, 2},
		// February: annual not started; monthly + quarterly = 15,000.
		{time.February, 2024, 15_000, 180_000, 2},
		// March 2025: the same 18,333.33… every month of every year.
		{time.March, 2025, 18_333, 220_000, 2},
	}
	for _, tt := range tests {
		s, err := Measure(subs, revenue.Month(tt.year, tt.month), "USD")
		if err != nil {
			t.Fatal(err)
		}
		if s.MRR.Amount != tt.mrr || s.ARR.Amount != tt.arr || s.Customers != tt.customers || s.Variant != Normalized {
			t.Errorf("%d-%02d: mrr %d arr %d customers %d, want %d %d %d", tt.year, tt.month, s.MRR.Amount, s.ARR.Amount, s.Customers, tt.mrr, tt.arr, tt.customers)
		}
	}
	s, _ := Measure(subs[:1], revenue.Month(2024, time.April), "USD")
	kpiApprox(t, "exact mrr", s.MRRExact, 100_000.0/12)
	for _, bad := range []struct {
		name string
		s    Subscription
		want error
	}{
		{"currency", Subscription{Amount: money.New(1, "EUR"), Interval: IntervalMonth}, money.ErrCurrencyMismatch},
		{"tax currency", Subscription{Amount: usd(1), Tax: money.New(1, "EUR"), Interval: IntervalMonth}, ErrCurrencyMismatch},
		{"coupon currency", Subscription{Amount: usd(1), Interval: IntervalMonth, Discount: &Coupon{AmountOff: money.New(1, "EUR"), Duration: CouponForever}}, ErrCurrencyMismatch},
		{"negative", Subscription{Amount: usd(-1), Interval: IntervalMonth}, ErrNegativeAmount},
		{"negative quantity", Subscription{Items: []Item{{UnitPrice: usd(1), Quantity: -1}}, Interval: IntervalMonth}, ErrNegativeAmount},
		{"interval", Subscription{Amount: usd(1), Interval: "fortnight"}, money.ErrInvalidInput},
		{"status", Subscription{Amount: usd(1), Interval: IntervalMonth, Status: "gone"}, money.ErrInvalidInput},
		{"fraction", Subscription{Amount: usd(1), Interval: IntervalMonth, Discount: &Coupon{FractionOff: 1.5, Duration: CouponForever}}, ErrInvalidRate},
		{"duration", Subscription{Amount: usd(1), Interval: IntervalMonth, Discount: &Coupon{FractionOff: 0.5}}, money.ErrInvalidInput},
		{"backwards", Subscription{Amount: usd(1), Interval: IntervalMonth, Start: revenue.Date(2024, 2, 1), End: revenue.Date(2024, 1, 1)}, money.ErrInvalidInput},
	} {
		if _, err := Measure([]Subscription{bad.s}, revenue.Month(2024, 1), "USD"); !errors.Is(err, bad.want) {
			t.Errorf("%s: err = %v, want %v", bad.name, err, bad.want)
		}
	}
}

// TestMRRAsBilled: MRR as a billing system defines it (Stripe, ChartMogul):
// quantity × unit price of licensed recurring items, normalised to a month,
// forever coupons applied; metered usage, one-time charges and tax left
// out; active and past_due count, trialing and canceled do not.
//
//	A  3 seats × 20.00 monthly (+ metered 5.00, one-time 100.00, tax 12.00
//	   excluded) = 60.00, forever 25% off → 45.00
//	B  2 × 1,200.00 a year = 2,400 / 12 = 200.00; a repeating 50% coupon
//	   does not change the run rate (100.00 WithTemporaryDiscounts)
//	C  trialing 99.00 → not counted
//	D  past_due 10.00 monthly, forever 15.00 off → 0.00 (never negative), counted
//	E  canceled 500.00 → not counted
//	F  600.00 every 6 months → 100.00
//	G  12.00 a week → 12 × 52 / 12 = 52.00
//
// MRR = 45 + 200 + 0 + 100 + 52 = 397.00, ARR = 12 × 397 = 4,764.00,
// customers A B D F G = 5; with temporary discounts 297.00.
func TestMRRAsBilled(t *testing.T) {
	subs := []Subscription{
		{ID: "A", CustomerID: "a", Interval: IntervalMonth, Tax: usd(1200), Discount: &Coupon{FractionOff: 0.25, Duration: CouponForever},
			Items: []Item{{UnitPrice: usd(2000), Quantity: 3}, {UnitPrice: usd(500), Quantity: 1, Metered: true}, {UnitPrice: usd(10000), Quantity: 1, OneTime: true}}},
		{ID: "B", CustomerID: "b", Interval: IntervalYear, Items: []Item{{UnitPrice: usd(120000), Quantity: 2}},
			Discount: &Coupon{FractionOff: 0.5, Duration: CouponRepeating}},
		{ID: "C", CustomerID: "c", Status: StatusTrialing, Interval: IntervalMonth, Amount: usd(9900)},
		{ID: "D", CustomerID: "d", Status: StatusPastDue, Interval: IntervalMonth, Amount: usd(1000),
			Discount: &Coupon{AmountOff: usd(1500), Duration: CouponForever}},
		{ID: "E", CustomerID: "e", Status: StatusCanceled, Interval: IntervalMonth, Amount: usd(50000)},
		{ID: "F", CustomerID: "f", Interval: IntervalMonth, IntervalCount: 6, Amount: usd(60000)},
		{ID: "G", CustomerID: "g", Interval: IntervalWeek, Amount: usd(1200)},
	}
	for i := range subs {
		subs[i].Start = revenue.Date(2024, 1, 1)
	}
	s, err := Measure(subs, revenue.Month(2024, time.March), "USD")
	if err != nil {
		t.Fatal(err)
	}
	if s.MRR != usd(39700) || s.ARR != usd(476400) || s.Customers != 5 || s.Subscriptions != 5 || len(s.Lines) != 7 {
		t.Errorf("mrr %v arr %v customers %d subscriptions %d lines %d", s.MRR, s.ARR, s.Customers, s.Subscriptions, len(s.Lines))
	}
	want := []float64{4500, 20000, 0, 0, 0, 10000, 5200}
	for i, w := range want {
		kpiApprox(t, "line "+s.Lines[i].ID, s.Lines[i].MRRExact, w)
	}
	if s.Lines[2].Counted || !s.Lines[3].Counted || s.Lines[4].Counted {
		t.Errorf("counted: %+v", s.Lines)
	}
	tmp, err := Measure(subs, revenue.Month(2024, time.March), "USD", WithTemporaryDiscounts())
	if err != nil || tmp.MRR != usd(29700) {
		t.Errorf("with temporary discounts: %v, %v", tmp.MRR, err)
	}
}
