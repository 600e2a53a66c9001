package revenue

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func approx(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestLTVLifetime: LTV = ARPA / churn with its expected lifetime 1/churn
// (Skok, "SaaS Metrics 2.0"): ARPA 100.00 at 2% monthly churn is 50 months
// and 5,000.00; with a 75% margin 3,750.00, still 50 months. Discounted CLV
// (Gupta & Lehmann 2003): r/(1 + i − r) = 0.8 / 0.3 = 2.6667 margins, so
// 100.00 × 2.6667 = 266.67.
func TestLTVLifetime(t *testing.T) {
	l, err := LTV(usd(10000), 0.02)
	if err != nil || l.Value != usd(500000) {
		t.Fatalf("LTV = %v, %v", l.Value, err)
	}
	approx(t, "lifetime", l.LifetimePeriods, 50)
	g, err := LTV(usd(10000), 0.02, WithGrossMargin(0.75))
	if err != nil || g.Value != usd(375000) {
		t.Fatalf("LTV margin = %v, %v", g.Value, err)
	}
	approx(t, "lifetime", g.LifetimePeriods, 50)
	c, err := DiscountedCLV(usd(10000), 0.8, 0.1)
	if err != nil || c.Value != usd(26667) {
		t.Fatalf("CLV = %v, %v", c.Value, err)
	}
	approx(t, "margin multiple", c.MarginMultiple, 0.8/0.3)
	// the JSON keeps the MoneyMetric's names and adds the new field
	b, _ := json.Marshal(l)
	if !strings.Contains(string(b), `"lifetime_periods":50`) || !strings.Contains(string(b), `"kpi":"ltv"`) {
		t.Errorf("json %s", b)
	}
	// 1 / 5e-324 leaves float64: an error, never +Inf
	if _, err := LTV(usd(0), 5e-324); !errors.Is(err, ErrOverflow) {
		t.Errorf("subnormal churn: %v", err)
	}
}

// TestContributionIDsAndCycleDays: the deals behind each total. Won: A
// 1,000.00 (first touch marketing), B 500.00 (first touch sales, a marketing
// touch before close), C 300.00 (sales only); D is lost. Sourced = A =
// 1,000.00; influenced = A + B = 1,500.00; won = 1,800.00. Cycles: A
// 2024-01-01→01-31 = 30 days, B 01-10→01-20 = 10, C 01-15→01-15 = 0: mean
// 40/3, median 10.
func TestContributionIDsAndCycleDays(t *testing.T) {
	mk := func(day int) Touch { return Touch{At: Date(2024, 1, day), Kind: TouchMarketing} }
	sl := func(day int) Touch { return Touch{At: Date(2024, 1, day), Kind: TouchSales} }
	deals := []Deal{
		{ID: "A", Status: DealWon, Amount: usd(100000), Created: Date(2024, 1, 1), Closed: Date(2024, 1, 31), Touches: []Touch{mk(1), sl(5)}},
		{ID: "B", Status: DealWon, Amount: usd(50000), Created: Date(2024, 1, 10), Closed: Date(2024, 1, 20), Touches: []Touch{sl(2), mk(12)}},
		{ID: "C", Status: DealWon, Amount: usd(30000), Created: Date(2024, 1, 15), Closed: Date(2024, 1, 15), Touches: []Touch{sl(15)}},
		{ID: "D", Status: DealLost, Amount: usd(90000), Created: Date(2024, 1, 1), Closed: Date(2024, 1, 9), Touches: []Touch{mk(1)}},
	}
	mc, err := MarketingRevenue(deals, "USD")
	if err != nil {
		t.Fatal(err)
	}
	if mc.Won != usd(180000) || mc.Sourced != usd(100000) || mc.Influenced != usd(150000) {
		t.Errorf("totals %v %v %v", mc.Won, mc.Sourced, mc.Influenced)
	}
	if strings.Join(mc.WonIDs, ",") != "A,B,C" || strings.Join(mc.SourcedIDs, ",") != "A" || strings.Join(mc.InfluencedIDs, ",") != "A,B" {
		t.Errorf("ids %v %v %v", mc.WonIDs, mc.SourcedIDs, mc.InfluencedIDs)
	}
	c, err := SalesCycleLength(deals)
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "mean", c.MeanDays, 40.0/3)
	approx(t, "median", c.MedianDays, 10)
	want := []DealDays{{"A", 30}, {"B", 10}, {"C", 0}}
	if len(c.DealDays) != 3 {
		t.Fatalf("deal days %v", c.DealDays)
	}
	for i, w := range want {
		if c.DealDays[i] != w {
			t.Errorf("deal days[%d] = %v, want %v", i, c.DealDays[i], w)
		}
	}
}
