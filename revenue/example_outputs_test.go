package revenue_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

func ExampleMarketingShare() {
	// 7,176.00 of 10,152.00 won revenue was marketing-sourced: 70.7%.
	m, _ := revenue.MarketingShare(money.New(717600, "USD"), money.New(1015200, "USD"))
	fmt.Printf("%s %.3f\n", m.Variant, m.Value)
	_, err := revenue.MarketingShare(money.New(2, "USD"), money.New(1, "USD"))
	fmt.Println(errors.Is(err, revenue.ErrInconsistentInput))
	// Output:
	// sourced_over_total 0.707
	// true
}

func ExampleFunnelFromCounts() {
	f, _ := revenue.FunnelFromCounts(revenue.FunnelCohort, []revenue.StageCount{
		{Stage: revenue.StageLead, Count: 1000}, {Stage: revenue.StageMQL, Count: 200}, {Stage: revenue.StageSQL, Count: 50}})
	for _, c := range f.Conversions {
		fmt.Printf("%s→%s %.2f (cumulative %.2f)\n", c.From, c.To, c.Rate.Value, c.Cumulative.Value)
	}
	_, err := revenue.FunnelFromCounts(revenue.FunnelCohort, []revenue.StageCount{
		{Stage: revenue.StageLead, Count: 10}, {Stage: revenue.StageMQL, Count: 20}})
	fmt.Println(errors.Is(err, revenue.ErrInconsistentInput))
	// Output:
	// lead→mql 0.20 (cumulative 0.20)
	// mql→sql 0.25 (cumulative 0.05)
	// true
}

func ExamplePipelineVelocity() {
	// 20 opportunities × 25% × 5,000.00 / 50 days = 500.00 a day; 15,000.00 in 30 days.
	v, _ := revenue.PipelineVelocity(20, 0.25, money.New(500000, "USD"), 50*24*time.Hour, revenue.WithPeriod(30*24*time.Hour))
	fmt.Println(v.Value, v.ExpectedRevenue, v.PeriodDays)
	// Output:
	// USD 500.00 USD 15000.00 30
}

func ExamplePipelineCoverage() {
	c, _ := revenue.PipelineCoverage(money.New(30_000_000, "USD"), money.New(20_000_000, "USD"), money.New(5_000_000, "USD"),
		revenue.WithExpectedWinRate(0.25))
	fmt.Printf("%.1fx of %v; expected bookings %v, %.0f%% of the remaining quota\n", c.Value, c.Remaining, *c.ExpectedBookings, 100*c.ExpectedAttainment.Value)
	// Output:
	// 2.0x of USD 150000.00; expected bookings USD 75000.00, 50% of the remaining quota
}
