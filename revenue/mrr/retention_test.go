package mrr

import (
	"github.com/revengine/revengine/revenue"

	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
)

// month: start 10,000.00, new 1,500, expansion 800, contraction 200,
// churn 500, reactivation 100 (end 11,700).
var rateMonth = Month{StartingMRR: usd(1_000_000), New: usd(150_000), Expansion: usd(80_000),
	Contraction: usd(20_000), Churn: usd(50_000), Reactivation: usd(10_000), EndingMRR: usd(1_170_000)}

func TestMRRRates(t *testing.T) {
	tests := []struct {
		name    string
		f       func(Month) (revenue.Metric, error)
		want    float64
		variant revenue.Variant
	}{
		// ChartMogul gross MRR churn: (500 + 200) / 10,000 = 0.07
		{"gross churn", func(m Month) (revenue.Metric, error) { return Churn(m) }, 0.07, revenue.Variant(ChurnGross)},
		// net MRR churn: (500 + 200 − 800) / 10,000 = −0.01 (net negative churn)
		{"net churn", func(m Month) (revenue.Metric, error) { return Churn(m, ChurnNet) }, -0.01, revenue.Variant(ChurnNet)},
		// ChartMogul net MRR churn: (500 + 200 − 800 − 100) / 10,000 = −0.02
		{"net churn with reactivation", func(m Month) (revenue.Metric, error) {
			return Churn(m, ChurnNetReactivation)
		}, -0.02, revenue.Variant(ChurnNetReactivation)},
		// NRR: (10,000 + 800 − 200 − 500) / 10,000 = 1.01
		{"nrr", NRR, 1.01, CohortStart},
		// GRR: (10,000 − 200 − 500) / 10,000 = 0.93
		{"grr", GRR, 0.93, CohortStart},
		// expansion rate: 800 / 10,000 = 0.08
		{"expansion", ExpansionRate, 0.08, CohortStart},
		// Mamoon Hamid's quick ratio ("The Quick Ratio", Social Capital
		// 2015): (new + expansion) / (churn + contraction)
		// = (1,500 + 800) / (500 + 200) = 23/7, reactivation left out
		{"quick ratio", func(m Month) (revenue.Metric, error) { return QuickRatio(m) }, 23.0 / 7, revenue.Variant(QuickRatioHamid)},
		// the ChartMogul/Baremetrics variant adds reactivation to growth:
		// (1,500 + 800 + 100) / (500 + 200) = 24/7
		{"quick ratio with reactivation", func(m Month) (revenue.Metric, error) {
			return QuickRatio(m, QuickRatioWithReactivation)
		}, 24.0 / 7, revenue.Variant(QuickRatioWithReactivation)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.f(rateMonth)
			if err != nil {
				t.Fatal(err)
			}
			kpiApprox(t, tt.name, m.Value, tt.want)
			if m.Variant != tt.variant {
				t.Errorf("variant %q", m.Variant)
			}
			zero := rateMonth
			zero.StartingMRR = usd(0)
			if !strings.HasPrefix(tt.name, "quick ratio") {
				if _, err := tt.f(zero); !errors.Is(err, money.ErrDivisionByZero) {
					t.Errorf("zero start: %v", err)
				}
			}
		})
	}
	if _, err := QuickRatio(Month{StartingMRR: usd(1), New: usd(1), Expansion: usd(0), Contraction: usd(0), Churn: usd(0), Reactivation: usd(0)}); !errors.Is(err, money.ErrDivisionByZero) {
		t.Errorf("quick ratio without losses: %v", err)
	}
	bad := rateMonth
	bad.Churn = money.New(1, "EUR")
	if _, err := NRR(bad); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Errorf("mixed currencies: %v", err)
	}
	bad = rateMonth
	bad.Expansion = usd(-1)
	if _, err := GRR(bad); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("negative movement: %v", err)
	}
}

// TestCohortRetention follows the starting cohort of allMovements (see
// mrr_test.go).
func TestCohortRetention(t *testing.T) {
	feb := revenue.Month(2024, time.February)
	springQ, _ := revenue.Range(revenue.Date(2024, 2, 1), revenue.Date(2024, 4, 30))
	tests := []struct {
		name                        string
		p                           revenue.Period
		start, end, exp, con, churn int64
		customers, retained         int
		nrr, grr                    float64
	}{
		// Before Feb 1: a 1000, b 500 (c churned in January, not in the cohort).
		// End of Feb: a 1500 (+500), b 0 (churn 500): NRR 1500/1500 = 1, GRR (1500 − 500)/1500 = 2/3.
		{"february", feb, 1500, 1500, 500, 0, 500, 2, 1, 1, 2.0 / 3},
		// End of April: a 1200 (+200), b 700 (+200, back after churning); c and d
		// joined after the start and are left out: NRR 1900/1500, GRR 1.
		{"feb to apr", springQ, 1500, 1900, 400, 0, 0, 2, 2, 1900.0 / 1500, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Retention(context.Background(), allMovements, tt.p, "USD")
			if err != nil {
				t.Fatal(err)
			}
			if c.StartingMRR.Amount != tt.start || c.EndingMRR.Amount != tt.end || c.Expansion.Amount != tt.exp ||
				c.Contraction.Amount != tt.con || c.Churn.Amount != tt.churn || c.Customers != tt.customers || c.Retained != tt.retained {
				t.Errorf("got %+v", c)
			}
			kpiApprox(t, "nrr", c.NRR.Value, tt.nrr)
			kpiApprox(t, "grr", c.GRR.Value, tt.grr)
			// logo retention = retained / customers at the start: 1/2 in
			// February (b churned), 2/2 over February to April
			kpiApprox(t, "logo retention", c.LogoRetention.Value, float64(tt.retained)/float64(tt.customers))
		})
	}
	if _, err := Retention(context.Background(), allMovements, revenue.Month(2024, time.January), "USD"); !errors.Is(err, money.ErrDivisionByZero) {
		t.Errorf("empty cohort: %v", err)
	}
}

// TestRetentionWhateverBridge: NRR and GRR classify net per customer on an
// event-level bridge too. Log: A pays 100.00 and B 50.00 from January; in
// February A cancels on the 5th and comes back at 110.00 on the 20th.
// The event bridge of February shows churn 100.00 and reactivation 110.00;
// by the cohort definition (KeyBanc, ChartMogul: starting customers,
// start versus end) A expanded by 10.00 and nobody churned:
//
//	NRR = (150 + 10 − 0 − 0) / 150 = 16/15 ≈ 1.0667   (totals would give (150 − 100) / 150 = 0.33)
//	GRR = (150 − 0 − 0) / 150 = 1
func TestRetentionWhateverBridge(t *testing.T) {
	events := []Event{
		{CustomerID: "A", Date: revenue.Date(2024, 1, 1), MRR: usd(10000)},
		{CustomerID: "B", Date: revenue.Date(2024, 1, 1), MRR: usd(5000)},
		{CustomerID: "A", Date: revenue.Date(2024, 2, 5), MRR: usd(0)},
		{CustomerID: "A", Date: revenue.Date(2024, 2, 20), MRR: usd(11000)},
	}
	for _, method := range []Method{MethodEvent, MethodNet} {
		b, err := NewBridge(context.Background(), events, method, "USD")
		if err != nil {
			t.Fatal(err)
		}
		feb := b.Months[1]
		if method == MethodEvent && (feb.Churn != usd(10000) || feb.Reactivation != usd(11000)) {
			t.Fatalf("event bridge: churn %v reactivation %v", feb.Churn, feb.Reactivation)
		}
		nrr, err := NRR(feb)
		if err != nil {
			t.Fatal(err)
		}
		kpiApprox(t, string(method)+" nrr", nrr.Value, 16.0/15)
		grr, err := GRR(feb)
		if err != nil {
			t.Fatal(err)
		}
		kpiApprox(t, string(method)+" grr", grr.Value, 1)
		// movements that do not add up to the month's figures are refused
		bad := feb
		bad.Churn = usd(1)
		if _, err := NRR(bad); !errors.Is(err, ErrInconsistentInput) {
			t.Errorf("%s: tampered month: %v", method, err)
		}
	}
}

// TestExpansionGrowth: period-over-period growth of expansion MRR,
// (expansion(t) − expansion(t−1)) / expansion(t−1): 800.00 after 640.00 is
// (800 − 640) / 640 = 0.25; the other way round (640 − 800) / 800 = −0.2.
func TestExpansionGrowth(t *testing.T) {
	jan := Month{Period: revenue.Month(2024, time.January), StartingMRR: usd(1_000_000), Expansion: usd(64_000),
		New: usd(0), Contraction: usd(0), Churn: usd(0), Reactivation: usd(0)}
	feb := jan
	feb.Period, feb.Expansion = revenue.Month(2024, time.February), usd(80_000)
	g, err := ExpansionGrowth(jan, feb)
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "growth", g.Value, 0.25)
	if g.Variant != PeriodOverPeriod {
		t.Errorf("variant %q", g.Variant)
	}
	mar := jan
	mar.Period = revenue.Month(2024, time.March)
	g, err = ExpansionGrowth(feb, mar)
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "shrink", g.Value, -0.2)
	if _, err := ExpansionGrowth(jan, mar); !errors.Is(err, ErrInconsistentInput) {
		t.Errorf("not consecutive: %v", err)
	}
	none := jan
	none.Expansion = usd(0)
	if _, err := ExpansionGrowth(none, feb); !errors.Is(err, ErrZeroDenominator) {
		t.Errorf("no expansion before: %v", err)
	}
}
