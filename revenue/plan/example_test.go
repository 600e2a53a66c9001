package plan_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/revengine/revengine/revenue/plan"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

func ExampleForecastFunnel() {
	f, _ := plan.ForecastFunnel("visits", 1000, plan.Step{Stage: "leads", Rate: 0.01}, plan.Step{Stage: "customers", Rate: 0.05})
	for _, s := range f.Stages {
		fmt.Printf("%s %g\n", s.Stage, s.Count)
	}
	// Output:
	// visits 1000
	// leads 10
	// customers 0.5
}

func ExampleProfits() {
	plans, err := plan.Profits([]plan.ProfitInput{
		{Name: "smb", RevenueGoal: money.New(1_000_000, "USD"), RevenuePerCustomer: money.New(40_000, "USD"),
			VisitToLead: 0.02, LeadToCustomer: 0.05, CostPerLead: money.New(500, "USD"), GrossMargin: 0.8},
		{Name: "enterprise", RevenueGoal: money.New(1_000_000, "USD"), RevenuePerCustomer: money.New(300_000, "USD"),
			VisitToLead: 0.02, LeadToCustomer: 0.05, CostPerLead: money.New(500, "USD"), GrossMargin: 0.8},
	}, plan.WithCountRounding(money.Up))
	if err != nil {
		panic(err)
	}
	for _, p := range plans {
		fmt.Printf("%-10s customers %g leads %g visits %g budget %v profit %v\n", p.Name, p.Customers, p.Leads, p.Visits, p.Budget, p.Profit)
	}
	// Output:
	// smb        customers 25 leads 500 visits 25000 budget USD 2500.00 profit USD 5500.00
	// enterprise customers 4 leads 80 visits 4000 budget USD 400.00 profit USD 7600.00
}

func ExampleHoltWinters() {
	sales := []float64{10, 20, 10, 20, 10, 20} // a two-month season
	s, err := plan.HoltWinters(context.Background(), sales, 2, 0.3, 0.1, 0.2, 4)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Forecast)

	_, err = plan.HoltWinters(context.Background(), sales[:3], 2, 0.3, 0.1, 0.2, 4)
	fmt.Println(errors.Is(err, money.ErrInvalidInput))
	// Output:
	// [10 20 10 20]
	// true
}

func ExampleDiversify() {
	d, _ := plan.Diversify([]plan.SourceRevenue{
		{Source: "subscriptions", Amount: money.New(5000, "USD"), Recurring: true},
		{Source: "services", Amount: money.New(3000, "USD")},
		{Source: "partners", Amount: money.New(2000, "USD")},
	})
	fmt.Printf("HHI %.2f, %.2f effective sources, %.0f%% recurring\n", d.HHI, d.Effective, 100*d.RecurringShare)
	// Output:
	// HHI 0.38, 2.63 effective sources, 50% recurring
}

func ExampleBaseline_Compare() {
	base := plan.Baseline{
		Price: money.New(10000, "USD"), Volume: 1000, // 1000 units at 100.00
		UnitCost: money.New(6000, "USD"), MarketingCost: money.New(1000000, "USD"),
	}
	rows, err := base.Compare(plan.Scenario{Name: "10% off", PriceChange: -0.10, VolumeChange: 0.25})
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Printf("%-8s revenue %v  gross profit %v  ROI %.2f  Δprofit %v\n",
			r.Name, r.Revenue, r.GrossProfit, r.MarketingROI, r.DeltaGrossProfit)
	}
	// Output:
	// baseline revenue USD 100000.00  gross profit USD 40000.00  ROI 3.00  Δprofit USD 0.00
	// 10% off  revenue USD 112500.00  gross profit USD 37500.00  ROI 2.75  Δprofit USD -2500.00
}

func ExampleBreakEvenVolumeChange() {
	// A 10% discount at a 40% gross margin: −(−0.10)/(0.40 − 0.10).
	dv, _ := plan.BreakEvenVolumeChange(-0.10, 0.40)
	fmt.Printf("%+.1f%%\n", 100*dv)

	// A 50% discount at a 40% margin sells below cost: no volume helps.
	_, err := plan.BreakEvenVolumeChange(-0.50, 0.40)
	var ue *plan.BreakEvenUnreachableError
	fmt.Println(errors.As(err, &ue))
	// Output:
	// +33.3%
	// true
}

func ExampleBaseline_BreakEven() {
	base := plan.Baseline{Price: money.New(10000, "USD"), Volume: 1000, UnitCost: money.New(6000, "USD")}
	be, _ := base.BreakEven(-0.10)
	fmt.Printf("%+.1f%% = %+.2f units; revenue %v (%v more)\n", 100*be.VolumeChange, be.Units, be.Revenue, be.RevenueChange)
	// Output:
	// +33.3% = +333.33 units; revenue USD 120000.00 (USD 20000.00 more)
}

func ExamplePromotion_MRR() {
	p := plan.Promotion{Name: "spring", Discount: 0.20, Start: revenue.Date(2024, 1, 1), Months: 2}
	r, err := p.MRR(money.New(5000, "USD"), 1000, 300, 3)
	if err != nil {
		panic(err)
	}
	for _, m := range r.Months {
		fmt.Println(m.Month, m.Price, m.MRR, m.Impact)
	}
	fmt.Println("total impact:", r.TotalImpact)
	// Output:
	// 2024-01 USD 40.00 USD 52000.00 USD 2000.00
	// 2024-02 USD 40.00 USD 52000.00 USD 2000.00
	// 2024-03 USD 50.00 USD 65000.00 USD 15000.00
	// total impact: USD 19000.00
}

func ExampleReverseFunnel() {
	steps := []plan.Step{{Stage: "leads", Rate: 0.01}, {Stage: "customers", Rate: 0.05}}
	exact, _ := plan.ReverseFunnel("visits", 2.2, steps)
	up, _ := plan.ReverseFunnel("visits", 2.2, steps, plan.WithCountRounding(money.Up))
	for i := range exact {
		fmt.Printf("%s %g %g\n", exact[i].Stage, exact[i].Count, up[i].Count)
	}
	_, err := plan.ReverseFunnel("visits", 1, []plan.Step{{Stage: "leads", Rate: 0}})
	fmt.Println(errors.Is(err, money.ErrDivisionByZero))
	// Output:
	// visits 4400 6000
	// leads 44 60
	// customers 2.2 3
	// true
}

func ExampleCMGR() {
	// 100.00 to 121.00 in two months: (121/100)^(1/2) − 1 = 10% a month.
	m, _ := plan.CMGR(money.New(10000, "USD"), money.New(12100, "USD"), 2)
	fmt.Printf("%s %.2f\n", m.Variant, m.Value)
	_, err := plan.CMGR(money.New(0, "USD"), money.New(100, "USD"), 2)
	fmt.Println(errors.Is(err, money.ErrDivisionByZero))
	// Output:
	// compound_monthly 0.10
	// true
}

func ExampleLinearTrend() {
	// 1, 2, 3 at t = 0, 1, 2: y = 1 + 1·t, so t = 3 and 4 give 4 and 5.
	tr, _ := plan.LinearTrend([]float64{1, 2, 3}, 2)
	fmt.Printf("%.1f %.1f %v\n", tr.Intercept, tr.Slope, tr.Forecast)
	// Output:
	// 1.0 1.0 [4 5]
}

func ExampleFunnelRevenue() {
	// 1,000 visits × 1% × 5% = 0.5 customers a month, 6 a year; at 99.00 ARPA, 49.50 of new MRR.
	f, _ := plan.FunnelRevenue(1000, 0.01, 0.05, money.New(9900, "USD"))
	fmt.Println(f.CustomersPerMonth, f.CustomersPerYear, f.NewMRRPerMonth)
	// Output:
	// 0.5 6 USD 49.50
}
