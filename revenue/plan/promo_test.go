package plan

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

func TestPromotionMRR(t *testing.T) {
	// 20% off 50.00 = 40.00 for January–March 2024 to the 1000 existing
	// subscribers and 300 won ones; list again April–June.
	p := Promotion{Name: "spring", Discount: 0.20, Start: revenue.Date(2024, 1, 15), Months: 3}
	got, err := p.MRR(usd(5000), 1000, 300, 6)
	if err != nil {
		t.Fatal(err)
	}
	if got.DiscountedPrice != usd(4000) || len(got.Months) != 6 {
		t.Fatalf("discounted %v, %d months", got.DiscountedPrice, len(got.Months))
	}
	for i, m := range got.Months {
		// Baseline 1000 × 50.00 = 50,000.00. Discounted: 1300 × 40.00 =
		// 52,000.00 (+2,000.00); after: 1300 × 50.00 = 65,000.00 (+15,000.00).
		wantMRR, wantImpact := int64(5200000), int64(200000)
		if i >= 3 {
			wantMRR, wantImpact = 6500000, 1500000
		}
		if m.Month != revenue.Month(2024, promoMonth(i+1)) || m.Discounted != (i < 3) || m.BaselineMRR != usd(5000000) ||
			m.MRR != usd(wantMRR) || m.Impact != usd(wantImpact) || m.Subscribers != 1300 {
			t.Errorf("month %d = %+v; want MRR %d impact %d", i, m, wantMRR, wantImpact)
		}
	}
	// Totals: baseline 6 × 50,000 = 300,000.00; MRR 3 × 52,000 + 3 × 65,000
	// = 351,000.00; impact 3 × 2,000 + 3 × 15,000 = 51,000.00.
	if got.TotalBaseline != usd(30000000) || got.Total != usd(35100000) || got.TotalImpact != usd(5100000) {
		t.Errorf("totals = %v, %v, %v", got.TotalBaseline, got.Total, got.TotalImpact)
	}

	// Awkward price: 49.99 × 0.85 = 42.4915 → 42.49 on the invoice. Three
	// existing subscribers, two months off, three reported, from December:
	// 3 × 42.49 = 127.47 vs 149.97 (−22.50) twice, then 0: total −45.00.
	p = Promotion{Discount: 0.15, Start: revenue.Date(2023, 12, 31), Months: 2}
	got, err = p.MRR(usd(4999), 3, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got.DiscountedPrice != usd(4249) || got.Months[0].Impact != usd(-2250) || got.Months[1].Month != revenue.Month(2024, 1) ||
		got.Months[2].Impact != usd(0) || got.TotalImpact != usd(-4500) {
		t.Errorf("awkward = %+v", got)
	}
}

func TestPromotionDecimalDiscount(t *testing.T) {
	// 10% off 10.05 = 9.045 exactly → 9.04 half-even (the binary 1 − 0.1 =
	// 0.900000000000000022… gave 9.05). Two subscribers, one month: MRR
	// 18.08 against 20.10, impact −2.02.
	p := Promotion{Discount: 0.1, Start: revenue.Date(2024, 1, 1), Months: 1}
	got, err := p.MRR(usd(1005), 2, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.DiscountedPrice != usd(904) || got.Months[0].MRR != usd(1808) || got.TotalImpact != usd(-202) {
		t.Errorf("got discounted %v, MRR %v, impact %v; want 9.04, 18.08, −2.02", got.DiscountedPrice, got.Months[0].MRR, got.TotalImpact)
	}
}

func promoMonth(m int) time.Month { return time.Month(m) }

func TestPromotionErrors(t *testing.T) {
	ok := Promotion{Discount: 0.2, Start: revenue.Date(2024, 1, 1), Months: 3}
	tests := []struct {
		name          string
		p             Promotion
		list          money.Money
		existing, won int64
		horizon       int
		want          error
	}{
		{"discount above 1", Promotion{Discount: 1.5, Months: 1}, usd(100), 1, 0, 1, money.ErrInvalidInput},
		{"NaN discount", Promotion{Discount: math.NaN(), Months: 1}, usd(100), 1, 0, 1, money.ErrInvalidInput},
		{"no months", Promotion{Discount: 0.1}, usd(100), 1, 0, 1, money.ErrInvalidInput},
		{"horizon short", ok, usd(100), 1, 0, 2, money.ErrInvalidInput},
		{"zero list", ok, usd(0), 1, 0, 3, money.ErrInvalidInput},
		{"no currency", ok, money.Money{Amount: 100}, 1, 0, 3, money.ErrInvalidCurrency},
		{"negative subscribers", ok, usd(100), -1, 0, 3, money.ErrInvalidInput},
		{"overflow", ok, usd(math.MaxInt64 / 2), 3, 0, 3, money.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.p.MRR(tt.list, tt.existing, tt.won, tt.horizon); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
