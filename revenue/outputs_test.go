package revenue

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
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

// TestVelocityAndCoverageExpectations: sales velocity (HubSpot) 20
// opportunities × 25% × 5,000.00 / 50 days = 500.00 a day; over one cycle
// 50 × 500 = 25,000.00 (= 20 × 0.25 × 5,000); over 30 days 15,000.00.
// Coverage (Salesforce): open 300,000.00 over quota 200,000.00 − won
// 50,000.00 = 2×; at a 25% win rate the pipeline is expected to book
// 300,000 × 0.25 = 75,000.00, 75,000 / 150,000 = 0.5 of the remaining quota.
func TestVelocityAndCoverageExpectations(t *testing.T) {
	const day = 24 * time.Hour
	v, err := PipelineVelocity(20, 0.25, usd(500000), 50*day)
	if err != nil || v.Value != usd(50000) || v.ExpectedRevenue != usd(2500000) || v.PeriodDays != 50 {
		t.Errorf("velocity %v, expected %v over %v days, %v", v.Value, v.ExpectedRevenue, v.PeriodDays, err)
	}
	v, err = PipelineVelocity(20, 0.25, usd(500000), 50*day, WithPeriod(30*day))
	if err != nil || v.ExpectedRevenue != usd(1500000) || v.PeriodDays != 30 {
		t.Errorf("30 days: %v over %v, %v", v.ExpectedRevenue, v.PeriodDays, err)
	}
	if _, err := PipelineVelocity(20, 0.25, usd(500000), 50*day, WithPeriod(-day)); !errors.Is(err, ErrNegativeAmount) {
		t.Errorf("negative period: %v", err)
	}
	c, err := PipelineCoverage(usd(30_000_000), usd(20_000_000), usd(5_000_000), WithExpectedWinRate(0.25))
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "coverage", c.Value, 2)
	if c.Remaining != usd(15_000_000) || c.ExpectedBookings == nil || *c.ExpectedBookings != usd(7_500_000) {
		t.Errorf("remaining %v, bookings %v", c.Remaining, c.ExpectedBookings)
	}
	if c.ExpectedAttainment == nil {
		t.Fatal("no attainment")
	}
	approx(t, "attainment", c.ExpectedAttainment.Value, 0.5)
	plain, _ := PipelineCoverage(usd(30_000_000), usd(20_000_000), usd(5_000_000))
	if plain.ExpectedBookings != nil || plain.WinRate != nil {
		t.Error("expectations without a win rate")
	}
	if _, err := PipelineCoverage(usd(1), usd(5), usd(6)); !errors.Is(err, ErrInconsistentInput) {
		t.Errorf("quota exceeded: %v", err)
	}
}

// TestEmailDeliveryRate: delivery rate = delivered / sent (Mailchimp,
// HubSpot): 12,000 sent, 230 bounced, 11,770 delivered → 11,770 / 12,000 =
// 0.980833…; bounce 230 / 12,000 = 0.0191666…
func TestEmailDeliveryRate(t *testing.T) {
	r, err := EmailEngagement(EmailStats{Sent: 12000, Delivered: 11770, Bounced: 230, Opens: 3385, Clicks: 400})
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "delivery", r.Delivery.Value, 11770.0/12000)
	approx(t, "bounce", r.Bounce.Value, 230.0/12000)
	if r.Delivery.Variant != DeliveredOverSent || r.Delivery.Numerator != 11770 || r.Delivery.Denominator != 12000 {
		t.Errorf("delivery %+v", r.Delivery)
	}
	if _, err := EmailEngagement(EmailStats{Sent: 10, Delivered: 11}); !errors.Is(err, ErrInconsistentInput) {
		t.Errorf("delivered above sent: %v", err)
	}
}

// TestMarketingShareAndCountFunnel: % revenue from marketing = sourced /
// total (HubSpot): 7,176.00 of 10,152.00 = 0.70685…; sourced above total
// is inconsistent. A cohort funnel 1,000 leads → 200 MQL → 50 SQL has
// stage rates 0.2 and 0.25 and cumulative 0.05 (= 0.2 × 0.25); 1,000 → 200
// → 250 is refused in the cohort view (a later stage cannot hold more of
// the cohort) and gives 1.25 in the period view.
func TestMarketingShareAndCountFunnel(t *testing.T) {
	m, err := MarketingShare(usd(717600), usd(1015200))
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "share", m.Value, 7176.0/10152)
	if _, err := MarketingShare(usd(2), usd(1)); !errors.Is(err, ErrInconsistentInput) {
		t.Errorf("sourced above total: %v", err)
	}
	if _, err := MarketingShare(usd(0), usd(0)); !errors.Is(err, ErrZeroDenominator) {
		t.Errorf("zero total: %v", err)
	}
	f, err := FunnelFromCounts(FunnelCohort, []StageCount{{StageLead, 1000}, {StageMQL, 200}, {StageSQL, 50}})
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "lead→mql", f.Conversions[0].Rate.Value, 0.2)
	approx(t, "mql→sql", f.Conversions[1].Rate.Value, 0.25)
	approx(t, "lead→sql", f.Conversions[1].Cumulative.Value, 0.05)
	bad := []StageCount{{StageLead, 1000}, {StageMQL, 200}, {StageSQL, 250}}
	if _, err := FunnelFromCounts(FunnelCohort, bad); !errors.Is(err, ErrInconsistentInput) {
		t.Errorf("growing cohort: %v", err)
	}
	p, err := FunnelFromCounts(FunnelPeriod, bad)
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "period mql→sql", p.Conversions[1].Rate.Value, 1.25)
}
