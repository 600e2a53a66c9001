package revenue_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/revengine/revengine/revenue"
)

func ExampleCAC() {
	marketing := revenue.New(3_000_000, "USD") // USD 30,000.00
	sales := revenue.New(2_000_000, "USD")     // USD 20,000.00

	full, _ := revenue.CAC(marketing, sales, 40)
	mkt, _ := revenue.CAC(marketing, sales, 40, revenue.WithVariant(revenue.CACMarketingOnly))
	fmt.Println(full.Variant, full.Value)
	fmt.Println(mkt.Variant, mkt.Value)

	_, err := revenue.CAC(marketing, sales, 0)
	fmt.Println(errors.Is(err, revenue.ErrDivisionByZero))
	// Output:
	// fully_loaded USD 1250.00
	// marketing_only USD 750.00
	// true
}

func ExampleLTV() {
	arpa := revenue.New(10_000, "USD") // USD 100.00 a month
	ltv, _ := revenue.LTV(arpa, 0.02)
	gm, _ := revenue.LTV(arpa, 0.02, revenue.WithGrossMargin(0.75))
	clv, _ := revenue.DiscountedCLV(arpa, 0.8, 0.1)
	fmt.Println(ltv.Variant, ltv.Value)
	fmt.Println(gm.Variant, gm.Value)
	fmt.Println(clv.Variant, clv.Value)

	_, err := revenue.LTV(arpa, 0)
	fmt.Println(errors.Is(err, revenue.ErrInvalidInput))
	// Output:
	// arpa_over_churn USD 5000.00
	// gross_margin USD 3750.00
	// gupta_lehmann USD 266.67
	// true
}

func ExampleROI() {
	roi, _ := revenue.ROI(revenue.New(5_000_000, "USD"), revenue.New(1_000_000, "USD"),
		revenue.WithBaseline(revenue.New(2_000_000, "USD")))
	fmt.Printf("%s %.2f = %s\n", roi.Variant, roi.Value, roi.Formula)
	// Output:
	// incremental 2.00 = (revenue − baseline − cost) / cost
}

func ExampleMRRBridge() {
	log := `customer_id,date,mrr
acme,2024-01-05,10000
gamma,2024-01-12,3000
gamma,2024-01-25,0
acme,2024-02-01,15000
gamma,2024-03-03,2000
`
	events, err := revenue.ReadEvents(context.Background(), strings.NewReader(log), "events.csv", "USD")
	if err != nil {
		panic(err)
	}
	for _, method := range []revenue.Method{revenue.MethodEvent, revenue.MethodNet} {
		b, err := revenue.MRRBridge(context.Background(), events, method, "USD")
		if err != nil {
			panic(err)
		}
		for _, m := range b.Months {
			fmt.Printf("%s %s start %d new %d exp %d react %d churn %d end %d\n", method, m.Month,
				m.StartingMRR.Amount, m.New.Amount, m.Expansion.Amount, m.Reactivation.Amount, m.Churn.Amount, m.EndingMRR.Amount)
		}
	}
	// Output:
	// event 2024-01 start 0 new 13000 exp 0 react 0 churn 3000 end 10000
	// event 2024-02 start 10000 new 0 exp 5000 react 0 churn 0 end 15000
	// event 2024-03 start 15000 new 0 exp 0 react 2000 churn 0 end 17000
	// net 2024-01 start 0 new 10000 exp 0 react 0 churn 0 end 10000
	// net 2024-02 start 10000 new 0 exp 5000 react 0 churn 0 end 15000
	// net 2024-03 start 15000 new 0 exp 0 react 2000 churn 0 end 17000
}

func ExampleReadEvents() {
	_, err := revenue.ReadEvents(context.Background(),
		strings.NewReader("customer_id,date,mrr\nacme,2024-01-05,100\nbeta,2024-02-30,5\n"), "events.csv", "USD")
	fmt.Println(err)
	// Output:
	// events.csv:3:2: date: date "2024-02-30" is not a valid YYYY-MM-DD date
}

func ExampleForecastFunnel() {
	f, _ := revenue.ForecastFunnel("visits", 1000, revenue.Step{Stage: "leads", Rate: 0.01}, revenue.Step{Stage: "customers", Rate: 0.05})
	for _, s := range f.Stages {
		fmt.Printf("%s %g\n", s.Stage, s.Count)
	}
	// Output:
	// visits 1000
	// leads 10
	// customers 0.5
}

func ExampleProfitPlans() {
	plans, err := revenue.ProfitPlans([]revenue.PlanInput{
		{Name: "smb", RevenueGoal: revenue.New(1_000_000, "USD"), RevenuePerCustomer: revenue.New(40_000, "USD"),
			VisitToLead: 0.02, LeadToCustomer: 0.05, CostPerLead: revenue.New(500, "USD"), GrossMargin: 0.8},
		{Name: "enterprise", RevenueGoal: revenue.New(1_000_000, "USD"), RevenuePerCustomer: revenue.New(300_000, "USD"),
			VisitToLead: 0.02, LeadToCustomer: 0.05, CostPerLead: revenue.New(500, "USD"), GrossMargin: 0.8},
	}, revenue.WithCountRounding(revenue.CountUp))
	if err != nil {
		panic(err)
	}
	for _, p := range plans {
		fmt.Printf("%-10s customers %g leads %g visits %g budget %v profit %v\n", p.Name, p.Customers, p.Leads, p.Visits, p.Budget, p.Profit)
	}
	// Output:
	// smb        customers 25 leads 500 visits 25000 budget USD 2500.00 profit USD 5500.00
	// enterprise customers 4 leads 80 visits 4000 budget USD 400.00 profit USD 9200.00
}

func ExampleConversions() {
	d := func(day int) time.Time { return revenue.Date(2024, time.January, day) }
	leads := []revenue.Lead{
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

func ExampleHoltWinters() {
	sales := []float64{10, 20, 10, 20, 10, 20} // a two-month season
	s, err := revenue.HoltWinters(context.Background(), sales, 2, 0.3, 0.1, 0.2, 4)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Forecast)

	_, err = revenue.HoltWinters(context.Background(), sales[:3], 2, 0.3, 0.1, 0.2, 4)
	fmt.Println(errors.Is(err, revenue.ErrInvalidInput))
	// Output:
	// [10 20 10 20]
	// true
}

func ExampleDiversify() {
	d, _ := revenue.Diversify([]revenue.SourceRevenue{
		{Source: "subscriptions", Amount: revenue.New(5000, "USD"), Recurring: true},
		{Source: "services", Amount: revenue.New(3000, "USD")},
		{Source: "partners", Amount: revenue.New(2000, "USD")},
	})
	fmt.Printf("HHI %.2f, %.2f effective sources, %.0f%% recurring\n", d.HHI, d.Effective, 100*d.RecurringShare)
	// Output:
	// HHI 0.38, 2.63 effective sources, 50% recurring
}

func ExampleCohortRetention() {
	events := []revenue.Event{
		{CustomerID: "a", Date: revenue.Date(2024, 1, 10), MRR: revenue.New(10_000, "USD")},
		{CustomerID: "b", Date: revenue.Date(2024, 1, 20), MRR: revenue.New(5_000, "USD")},
		{CustomerID: "a", Date: revenue.Date(2024, 2, 3), MRR: revenue.New(12_000, "USD")}, // expansion
		{CustomerID: "b", Date: revenue.Date(2024, 2, 9), MRR: revenue.New(0, "USD")},      // churn
		{CustomerID: "c", Date: revenue.Date(2024, 2, 9), MRR: revenue.New(9_000, "USD")},  // new: not in the cohort
	}
	c, err := revenue.CohortRetention(context.Background(), events, revenue.Month(2024, time.February), "USD")
	if err != nil {
		panic(err)
	}
	// NRR = 12,000 / 15,000; GRR = (15,000 − 5,000) / 15,000.
	fmt.Printf("cohort of %d: NRR %.3f, GRR %.3f\n", c.Customers, c.NRR.Value, c.GRR.Value)
	// Output:
	// cohort of 2: NRR 0.800, GRR 0.667
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
	all, _ := revenue.WinRate(deals, revenue.WithVariant(revenue.WinRateAll))
	fmt.Printf("%s %.3f, %s %.3f\n", closed.Variant, closed.Value, all.Variant, all.Value)
	// Output:
	// closed_only 0.667, all 0.500
}

func ExampleMRR() {
	subs := []revenue.Subscription{
		{CustomerID: "annual", Amount: revenue.New(100_000, "USD"), Interval: revenue.IntervalYear, Start: revenue.Date(2024, 1, 1)},
	}
	var year []string
	for m := time.January; m <= time.December; m++ {
		s, _ := revenue.MRR(subs, revenue.Month(2024, m), "USD")
		year = append(year, fmt.Sprint(s.MRR.Amount))
	}
	fmt.Println(strings.Join(year, " "))
	// Output:
	// 8334 8334 8334 8334 8333 8333 8333 8333 8333 8333 8333 8333
}
