package revenue_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

func ExampleCAC() {
	marketing := money.New(3_000_000, "USD") // USD 30,000.00
	sales := money.New(2_000_000, "USD")     // USD 20,000.00

	full, _ := revenue.CAC(marketing, sales, 40)
	mkt, _ := revenue.CAC(marketing, sales, 40, revenue.CACMarketingOnly)
	fmt.Println(full.Variant, full.Value)
	fmt.Println(mkt.Variant, mkt.Value)

	_, err := revenue.CAC(marketing, sales, 0)
	fmt.Println(errors.Is(err, money.ErrDivisionByZero))
	// Output:
	// fully_loaded USD 1250.00
	// marketing_only USD 750.00
	// true
}

func ExampleLTV() {
	arpa := money.New(10_000, "USD") // USD 100.00 a month
	ltv, _ := revenue.LTV(arpa, 0.02)
	gm, _ := revenue.LTV(arpa, 0.02, revenue.WithGrossMargin(0.75))
	clv, _ := revenue.DiscountedCLV(arpa, 0.8, 0.1)
	fmt.Println(ltv.Variant, ltv.Value)
	fmt.Println(gm.Variant, gm.Value)
	fmt.Println(clv.Variant, clv.Value)

	_, err := revenue.LTV(arpa, 0)
	fmt.Println(errors.Is(err, revenue.ErrZeroDenominator))
	// Output:
	// arpa_over_churn USD 5000.00
	// gross_margin USD 3750.00
	// gupta_lehmann USD 266.67
	// true
}

func ExampleROI() {
	roi, _ := revenue.ROI(money.New(5_000_000, "USD"), money.New(1_000_000, "USD"),
		revenue.WithBaseline(money.New(2_000_000, "USD")))
	fmt.Printf("%s %.2f = %s\n", roi.Variant, roi.Value, roi.Formula)
	// Output:
	// incremental 2.00 = (revenue − baseline − cost) / cost
}

func ExampleConversions() {
	d := func(day int) time.Time { return revenue.Date(2024, time.January, day) }
	leads := []revenue.Prospect{
		{ID: "1", Channel: "web", History: []revenue.StageChange{{Stage: revenue.StageLead, At: d(2)}, {Stage: revenue.StageMQL, At: d(5)}}},
		{ID: "2", Channel: "web", History: []revenue.StageChange{{Stage: revenue.StageLead, At: d(3)}}},
		{ID: "3", Channel: "events", History: []revenue.StageChange{{Stage: revenue.StageLead, At: d(4)}, {Stage: revenue.StageMQL, At: d(9)}}},
	}
	rep, err := revenue.Conversions(context.Background(), leads, revenue.Month(2024, time.January), revenue.FunnelCohort,
		[]revenue.Stage{revenue.StageLead, revenue.StageMQL})
	if err != nil {
		panic(err)
	}
	for _, f := range append([]revenue.Funnel{rep.Total}, rep.ByChannel...) {
		c := f.Conversions[0]
		fmt.Printf("%-7q %s→%s %.3f\n", f.Channel, c.From, c.To, c.Rate.Value)
	}
	// Output:
	// ""      lead→mql 0.667
	// "events" lead→mql 1.000
	// "web"   lead→mql 0.500
}

func ExampleEmailEngagement() {
	r, err := revenue.EmailEngagement(revenue.EmailStats{Sent: 10000, Delivered: 9800, Bounced: 200, Opens: 2450, Clicks: 490, Unsubscribes: 49})
	if err != nil {
		panic(err)
	}
	fmt.Printf("open %.3f (%s), CTR %.3f, CTOR %.3f, bounce %.3f (%s)\n",
		r.Open.Value, r.Open.Formula, r.ClickThrough.Value, r.ClickToOpen.Value, r.Bounce.Value, r.Bounce.Formula)
	// Output:
	// open 0.250 (opens / delivered), CTR 0.050, CTOR 0.200, bounce 0.020 (bounced / sent)
}

func ExampleWinRate() {
	deals := []revenue.Deal{{Status: revenue.DealWon}, {Status: revenue.DealWon}, {Status: revenue.DealLost}, {Status: revenue.DealOpen}}
	closed, _ := revenue.WinRate(deals)
	all, _ := revenue.WinRate(deals, revenue.WinRateAll)
	fmt.Printf("%s %.3f, %s %.3f\n", closed.Variant, closed.Value, all.Variant, all.Value)
	// Output:
	// closed_only 0.667, all 0.500
}

func ExampleCalendar_WorkingDays() {
	cal := revenue.MondayToFriday(revenue.Date(2024, 1, 1)) // New Year's Day off
	fmt.Println(cal.WorkingDays(revenue.Month(2024, time.January)))
	fmt.Println(cal.IsWorkingDay(revenue.Date(2024, 1, 6))) // a Saturday
	// Output:
	// 22
	// false
}

func ExampleParsePeriod() {
	for _, s := range []string{"2024", "2024-Q1", "2024-02", "2024-01-15..2024-06-30", "2024-Q5"} {
		p, err := revenue.ParsePeriod(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(p, p.Days(), "days")
	}
	// Output:
	// 2024 366 days
	// 2024-Q1 91 days
	// 2024-02 29 days
	// 2024-01-15..2024-06-30 168 days
	// invalid input: quarter 5 not in 1..4
}
