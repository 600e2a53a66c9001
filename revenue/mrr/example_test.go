package mrr_test

import (
	"errors"

	"github.com/revengine/revengine/revenue/mrr"

	"context"
	"fmt"
	"strings"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

func ExampleNewBridge() {
	log := `customer_id,date,mrr
acme,2024-01-05,10000
gamma,2024-01-12,3000
gamma,2024-01-25,0
acme,2024-02-01,15000
gamma,2024-03-03,2000
`
	events, err := mrr.ReadEvents(context.Background(), strings.NewReader(log), "events.csv")
	if err != nil {
		panic(err)
	}
	for _, method := range []mrr.Method{mrr.MethodEvent, mrr.MethodNet} {
		b, err := mrr.NewBridge(context.Background(), events, method, "USD")
		if err != nil {
			panic(err)
		}
		for _, m := range b.Months {
			fmt.Printf("%s %s start %d new %d exp %d react %d churn %d end %d\n", method, m.Period,
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
	_, err := mrr.ReadEvents(context.Background(),
		strings.NewReader("customer_id,date,mrr\nacme,2024-01-05,100\nbeta,2024-02-30,5\n"), "events.csv")
	fmt.Println(err)
	// Output:
	// events.csv:3:2: date: date "2024-02-30" is not a valid YYYY-MM-DD date
}

func ExampleRetention() {
	events := []mrr.Event{
		{CustomerID: "a", Date: revenue.Date(2024, 1, 10), MRR: money.New(10_000, "USD")},
		{CustomerID: "b", Date: revenue.Date(2024, 1, 20), MRR: money.New(5_000, "USD")},
		{CustomerID: "a", Date: revenue.Date(2024, 2, 3), MRR: money.New(12_000, "USD")}, // expansion
		{CustomerID: "b", Date: revenue.Date(2024, 2, 9), MRR: money.New(0, "USD")},      // churn
		{CustomerID: "c", Date: revenue.Date(2024, 2, 9), MRR: money.New(9_000, "USD")},  // new: not in the cohort
	}
	c, err := mrr.Retention(context.Background(), events, revenue.Month(2024, time.February), "USD")
	if err != nil {
		panic(err)
	}
	// NRR = 12,000 / 15,000; GRR = (15,000 − 5,000) / 15,000.
	fmt.Printf("cohort of %d: NRR %.3f, GRR %.3f\n", c.Customers, c.NRR.Value, c.GRR.Value)
	// Output:
	// cohort of 2: NRR 0.800, GRR 0.667
}

func ExampleMeasure() {
	subs := []mrr.Subscription{
		{CustomerID: "annual", Amount: money.New(100_000, "USD"), Interval: mrr.IntervalYear, Start: revenue.Date(2024, 1, 1)},
	}
	s, _ := mrr.Measure(subs, revenue.Month(2024, time.March), "USD")
	// 1,000.00 a year is 83.333… a month exactly: MRR rounds once, ARR is
	// 12 × the exact MRR.
	fmt.Println(s.Variant, s.MRR, s.ARR)
	_, err := mrr.Measure([]mrr.Subscription{{CustomerID: "x", Amount: money.New(1, "EUR"), Interval: mrr.IntervalMonth}},
		revenue.Month(2024, time.March), "USD")
	fmt.Println(errors.Is(err, mrr.ErrCurrencyMismatch))
	// Output:
	// normalized_monthly USD 83.33 USD 1000.00
	// true
}

func ExampleScanEvents() {
	log := "customer_id,date,mrr\nacme,2024-01-05,10000\nbeta,2024-13-01,5000\n"
	for e, err := range mrr.ScanEvents(context.Background(), strings.NewReader(log), "events.csv") {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(e.CustomerID, e.Date.Format(time.DateOnly), e.MRR)
	}
	// Output:
	// acme 2024-01-05 USD 100.00
	// events.csv:3:2: date: date "2024-13-01" is not a valid YYYY-MM-DD date
}

func ExampleChurn() {
	// One month: 10,000.00 at the start, 500.00 churned, 200.00 contracted,
	// 800.00 of expansion.
	m := mrr.Month{StartingMRR: money.New(1_000_000, "USD"), Churn: money.New(50_000, "USD"),
		Contraction: money.New(20_000, "USD"), Expansion: money.New(80_000, "USD"),
		New: money.Zero("USD"), Reactivation: money.Zero("USD")}
	gross, _ := mrr.Churn(m)
	net, _ := mrr.Churn(m, mrr.ChurnNet)
	fmt.Printf("%s %.2f\n%s %.2f\n", gross.Variant, gross.Value, net.Variant, net.Value)
	z := money.Zero("USD") // a month with no MRR at its start
	_, err := mrr.Churn(mrr.Month{StartingMRR: z, New: z, Expansion: z, Contraction: z, Churn: z, Reactivation: z})
	fmt.Println(errors.Is(err, money.ErrDivisionByZero))
	// Output:
	// gross 0.07
	// net -0.01
	// true
}

func ExampleCustomerChurn() {
	// 200 customers at the start, 20 lost, 30 new during the period.
	start, _ := mrr.CustomerChurn(200, 20, 30)                                  // 20 / 200
	withNew, _ := mrr.CustomerChurn(200, 20, 30, mrr.CustomerChurnStartPlusNew) // 20 / 230
	fmt.Printf("%s %.4f\n%s %.4f\n", start.Variant, start.Value, withNew.Variant, withNew.Value)
	_, err := mrr.CustomerChurn(0, 0, 5)
	fmt.Println(errors.Is(err, money.ErrDivisionByZero))
	// Output:
	// start 0.1000
	// start_plus_new 0.0870
	// true
}

func ExampleQuickRatio() {
	m := mrr.Month{StartingMRR: money.New(1_000_000, "USD"), New: money.New(150_000, "USD"), Expansion: money.New(80_000, "USD"),
		Contraction: money.New(20_000, "USD"), Churn: money.New(50_000, "USD"), Reactivation: money.New(10_000, "USD")}
	hamid, _ := mrr.QuickRatio(m)                                // (1,500 + 800) / (500 + 200)
	with, _ := mrr.QuickRatio(m, mrr.QuickRatioWithReactivation) // (1,500 + 800 + 100) / (500 + 200)
	fmt.Printf("%s %.3f, %s %.3f\n", hamid.Variant, hamid.Value, with.Variant, with.Value)
	// Output:
	// mamoon_hamid 3.286, with_reactivation 3.429
}
