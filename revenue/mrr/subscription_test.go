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
		customers int
	}{
		// March: annual month 1 (8,334) + monthly 5,000 + quarterly 10,000 = 23,334
		{time.March, 2024, 23_334, 3},
		// June: annual month 4 (8,334) + quarterly 10,000; monthly ended June 1
		{time.June, 2024, 18_334, 2},
		// July: annual month 5 (8,333) + 10,000
		{time.July, 2024, 18_333, 2},
		// February: annual not started; monthly + quarterly
		{time.February, 2024, 15_000, 2},
		// March 2025: the annual plan's second year starts again at 8,334
		{time.March, 2025, 18_334, 2},
	}
	for _, tt := range tests {
		s, err := Measure(subs, revenue.Month(tt.year, tt.month), "USD")
		if err != nil {
			t.Fatal(err)
		}
		if s.MRR.Amount != tt.mrr || s.Customers != tt.customers {
			t.Errorf("%d-%02d: mrr %d customers %d, want %d %d", tt.year, tt.month, s.MRR.Amount, s.Customers, tt.mrr, tt.customers)
		}
	}
	// March's ARR: 100,000 + 12 × 5,000 + 4 × 30,000 = 280,000.
	s, _ := Measure(subs, revenue.Month(2024, time.March), "USD")
	if s.ARR.Amount != 280_000 || s.Variant != Allocated {
		t.Errorf("arr %v variant %q", s.ARR, s.Variant)
	}
	// Twelve months of the annual plan's MRR give its price back exactly.
	var year int64
	for _, p := range (revenue.Period{Start: revenue.Date(2024, 3, 1), End: revenue.Date(2025, 3, 1)}).Months() {
		s, err := Measure(subs[:1], p, "USD")
		if err != nil {
			t.Fatal(err)
		}
		year += s.MRR.Amount
	}
	if year != 100_000 {
		t.Errorf("twelve months of MRR = %d, want 100000", year)
	}
	for _, bad := range []struct {
		name string
		s    Subscription
		want error
	}{
		{"currency", Subscription{Amount: money.New(1, "EUR"), Interval: IntervalMonth}, money.ErrCurrencyMismatch},
		{"negative", Subscription{Amount: usd(-1), Interval: IntervalMonth}, money.ErrInvalidInput},
		{"interval", Subscription{Amount: usd(1), Interval: "week"}, money.ErrInvalidInput},
		{"backwards", Subscription{Amount: usd(1), Interval: IntervalMonth, Start: revenue.Date(2024, 2, 1), End: revenue.Date(2024, 1, 1)}, money.ErrInvalidInput},
	} {
		if _, err := Measure([]Subscription{bad.s}, revenue.Month(2024, 1), "USD"); !errors.Is(err, bad.want) {
			t.Errorf("%s: err = %v, want %v", bad.name, err, bad.want)
		}
	}
}
