package goal_test

import (
	"strings"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue/goal"

	"context"
	"errors"
	"fmt"
	"time"

	"github.com/revengine/revengine/revenue"
)

func ExampleTarget_Split() {
	q1, _ := revenue.Quarter(2024, 1)
	t := goal.Target{Period: q1, Amount: money.New(10000, "USD")} // USD 100.00

	// By calendar days (31, 29, 31 of 91), reconciled to the cent.
	g, _ := t.Split(goal.SplitByDays(), q1.Months())
	for _, p := range g.Parts {
		fmt.Println(p.Period, p.Amount)
	}
	// Equal parts per month.
	g, _ = t.Split(goal.SplitEqual(), q1.Months())
	fmt.Println(g.Parts[0].Amount, g.Parts[1].Amount, g.Parts[2].Amount)

	// A zero target is refused.
	_, err := goal.Target{Period: q1, Amount: money.New(0, "USD")}.Split(goal.SplitEqual(), q1.Months())
	fmt.Println(errors.Is(err, money.ErrInvalidInput))
	// Output:
	// 2024-01 USD 34.07
	// 2024-02 USD 31.87
	// 2024-03 USD 34.06
	// USD 33.34 USD 33.33 USD 33.33
	// true
}

func ExamplePlan_Pace() {
	q1, _ := revenue.Quarter(2024, 1)
	target := goal.Target{Period: q1, Amount: money.New(910000, "USD")} // 9,100.00: 100.00 a day
	plan, _ := target.Split(goal.SplitByDays(), q1.Months())
	actuals := []goal.Actual{
		{Date: revenue.Date(2024, 1, 10), Amount: money.New(100000, "USD")},
		{Date: revenue.Date(2024, 2, 1), Amount: money.New(250000, "USD")},
		{Date: revenue.Date(2024, 2, 15), Amount: money.New(50000, "USD")},
	}
	r, err := plan.Pace(context.Background(), actuals, revenue.Date(2024, 2, 15),
		goal.WithPipeline(0.25, money.New(100000, "USD")))
	if err != nil {
		panic(err)
	}
	p := r.Total
	fmt.Printf("day %d of %d: actual %v, expected %v, gap %v, attainment %.1f%%\n",
		p.ElapsedDays, p.TotalDays, p.Actual, p.Expected, p.Gap, 100**p.Attainment)
	fmt.Println("run rate:", *p.Projection, "needed a day:", *p.RequiredDaily)
	fmt.Printf("pipeline needed: %v (%.1f deals, %.0fx coverage)\n", p.Pipeline.Needed, p.Pipeline.Deals, p.Pipeline.RequiredCoverage)
	for _, m := range r.Parts {
		fmt.Println(m.Period, m.Target, m.Actual, m.Gap)
	}

	// Negative actuals are refused.
	_, err = plan.Pace(context.Background(), []goal.Actual{{Date: revenue.Date(2024, 1, 2), Amount: money.New(-1, "USD")}}, revenue.Date(2024, 2, 15))
	fmt.Println(errors.Is(err, money.ErrInvalidInput))
	// Output:
	// day 46 of 91: actual USD 4000.00, expected USD 4600.00, gap USD -600.00, attainment 44.0%
	// run rate: USD 7913.04 needed a day: USD 113.33
	// pipeline needed: USD 20400.00 (20.4 deals, 4x coverage)
	// 2024-01 USD 3100.00 USD 1000.00 USD -2100.00
	// 2024-02 USD 2900.00 USD 3000.00 USD 1500.00
	// 2024-03 USD 3100.00 USD 0.00 USD 0.00
	// true
}

func ExampleNewFunnel() {
	year := goal.Target{Period: revenue.Year(2024), Amount: money.New(100000000, "USD")} // 1,000,000.00
	f, err := goal.NewFunnel(year, money.New(3500000, "USD"),                            // 35,000.00 a deal
		[]goal.Stage{{Name: "MQL", Rate: 0.4}, {Name: "SQL", Rate: 0.6}, {Name: "opportunity", Rate: 0.25}},
		goal.WithMarketingShare(0.6), goal.WithCountRounding(money.Up))
	if err != nil {
		panic(err)
	}
	fmt.Println("sourced:", f.Sourced, "deals:", f.Deals)
	for _, s := range f.Stages {
		fmt.Println(s.Name, s.Count)
	}
	// Output:
	// sourced: USD 600000.00 deals: 18
	// MQL 300
	// SQL 120
	// opportunity 72
}

func ExampleTarget_Pace() {
	march := goal.Target{Period: revenue.Month(2024, time.March), Amount: money.New(310000, "USD")} // 100.00 a day
	actuals := []goal.Actual{
		{Date: revenue.Date(2024, 3, 5), Amount: money.New(50000, "USD")},
		{Date: revenue.Date(2024, 3, 10), Amount: money.New(80000, "USD")},
	}
	for _, at := range []time.Time{revenue.Date(2024, 2, 28), revenue.Date(2024, 3, 10), revenue.Date(2024, 4, 2)} {
		p, err := march.Pace(context.Background(), actuals, at)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: day %d/%d actual %v expected %v gap %v", at.Format(time.DateOnly),
			p.ElapsedDays, p.TotalDays, p.Actual, p.Expected, p.Gap)
		if p.Projection != nil {
			fmt.Printf(", run rate %v", *p.Projection)
		}
		if p.RequiredDaily != nil {
			fmt.Printf(", %v a day still needed", *p.RequiredDaily)
		}
		fmt.Println()
	}
	// Output:
	// 2024-02-28: day 0/31 actual USD 0.00 expected USD 0.00 gap USD 0.00, USD 100.00 a day still needed
	// 2024-03-10: day 10/31 actual USD 1300.00 expected USD 1000.00 gap USD 300.00, run rate USD 4030.00, USD 85.71 a day still needed
	// 2024-04-02: day 31/31 actual USD 1300.00 expected USD 3100.00 gap USD -1800.00, run rate USD 1300.00
}

func ExampleFunnel_Pace() {
	q1, _ := revenue.Quarter(2024, 1)
	// 1,000,000.00 at 25,000.00 a deal: 40 deals, 160 opportunities, 320 SQLs, 400 MQLs.
	f, err := goal.NewFunnel(goal.Target{Period: q1, Amount: money.New(100000000, "USD")}, money.New(2500000, "USD"),
		[]goal.Stage{{Name: "MQL", Rate: 0.8}, {Name: "SQL", Rate: 0.5}, {Name: "opportunity", Rate: 0.25}})
	if err != nil {
		panic(err)
	}
	rows, err := f.Pace(revenue.Date(2024, 2, 15), map[string]float64{"MQL": 180, "won": 25})
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Printf("%s: %.0f of %.0f (%.1f%%), expected %.2f, gap %.2f, %.2f a day still needed\n",
			r.Stage, r.Actual, r.Target, 100*r.Attainment, r.Expected, r.Gap, *r.RequiredDaily)
	}
	// Output:
	// MQL: 180 of 400 (45.0%), expected 202.20, gap -22.20, 4.89 a day still needed
	// won: 25 of 40 (62.5%), expected 20.22, gap 4.78, 0.33 a day still needed
}

func ExampleParse() {
	spec, err := goal.Parse("q1.yaml", []byte("period: 2024-Q1\namount_minor: 910000\ncurrency: USD\nby: month\n"))
	if err != nil {
		panic(err)
	}
	for _, p := range spec.Plan.Parts {
		fmt.Println(p.Period, p.Amount)
	}
	_, err = goal.Parse("bad.yaml", []byte("period: 2024-Q1\namount_minor: -5\ncurrency: USD\nsplit: evenly\n"))
	fmt.Println(err)
	// Output:
	// 2024-01 USD 3100.00
	// 2024-02 USD 2900.00
	// 2024-03 USD 3100.00
	// bad.yaml:2:15: amount_minor: the target must be positive, got -5
	// bad.yaml:4:8: split: "evenly": want equal, days, working_days or weights
}

func ExampleSpec_Pace() {
	spec, err := goal.Parse("q1.yaml", []byte("period: 2024-Q1\namount_minor: 910000\ncurrency: USD\n"))
	if err != nil {
		panic(err)
	}
	actuals, err := goal.ReadActuals(context.Background(), strings.NewReader(
		"date,amount_minor\n2024-01-10,100000\n2024-02-01,250000\n2024-02-15,50000\n"), "actuals.csv",
		revenue.WithCurrency(spec.Target.Amount.Currency))
	if err != nil {
		panic(err)
	}
	rep, err := spec.Pace(context.Background(), actuals, revenue.Date(2024, 2, 15))
	if err != nil {
		panic(err)
	}
	fmt.Println(rep.By, rep.Split, rep.Method, rep.Counted)
	fmt.Println(rep.Total.Actual, rep.Total.Expected, rep.Total.Gap)
	// Output:
	// month days linear 3
	// USD 4000.00 USD 4600.00 USD -600.00
}

func ExampleReadActuals() {
	_, err := goal.ReadActuals(context.Background(), strings.NewReader("2024-01-10,100000\n2024-01-11,-5\n"), "actuals.csv")
	fmt.Println(err)
	// Output:
	// actuals.csv:2:2: amount_minor: negative amount -5 (actuals must be zero or positive; net refunds into the day's actual)
}

func ExampleLoad() {
	src := "period: 2024\namount_minor: 120000000\ncurrency: USD\nby: quarter\nsplit: equal\npace: plan\n"
	spec, err := goal.Load(strings.NewReader(src), "year.yaml")
	if err != nil {
		panic(err)
	}
	fmt.Println(spec.Target.Period, spec.Target.Amount, spec.By, spec.Plan.Split, spec.Method)
	for _, p := range spec.Plan.Parts {
		fmt.Println(p.Period, p.Amount)
	}
	_, err = goal.Load(strings.NewReader("period: 2024\n"), "short.yaml")
	fmt.Println(errors.Is(err, goal.ErrSpec))
	fmt.Println(err)
	// Output:
	// 2024 USD 1200000.00 quarter equal plan
	// 2024-Q1 USD 300000.00
	// 2024-Q2 USD 300000.00
	// 2024-Q3 USD 300000.00
	// 2024-Q4 USD 300000.00
	// true
	// short.yaml:1:1: amount_minor: missing
	// short.yaml:1:1: currency: missing
}
