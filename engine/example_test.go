package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

// A Builder takes records one by one and builds the view per period. Two
// won deals, one first touched by marketing: half of the revenue is
// marketing-sourced; the webinar's credit 3,000 on 1,000 of spend is an
// ROI of (3,000 − 1,000) / 1,000 = 2.
func ExampleBuilder() {
	b, err := engine.New(engine.Config{Currency: "USD", Period: engine.ByQuarter})
	if err != nil {
		panic(err)
	}
	day := func(m time.Month, d int) time.Time { return record.Date(2026, m, d) }
	deals := []record.Deal{
		{ID: "D1", Created: day(1, 10), Closed: day(2, 10), Status: record.DealWon, Amount: money.New(300000, "USD"),
			Touches: []record.Touch{{At: day(1, 2), Channel: "webinar", Kind: record.TouchMarketing}}},
		{ID: "D2", Created: day(1, 12), Closed: day(3, 1), Status: record.DealWon, Amount: money.New(300000, "USD"),
			Touches: []record.Touch{{At: day(1, 3), Channel: "outbound", Kind: record.TouchSales}}},
	}
	for _, d := range deals {
		if err := b.AddDeal(d); err != nil {
			panic(err)
		}
	}
	if err := b.AddSpend(record.Spend{Period: record.Month(2026, 1), Channel: "webinar", Category: record.SpendMarketing, Amount: money.New(100000, "USD")}); err != nil {
		panic(err)
	}
	// A deal in another currency is refused, not converted or dropped.
	err = b.AddDeal(record.Deal{ID: "D3", Created: day(1, 1), Status: record.DealOpen, Amount: money.New(1, "EUR")})
	fmt.Println(err)
	v, err := b.View(context.Background())
	if err != nil {
		panic(err)
	}
	q := v.Periods[0]
	fmt.Println(q.Period, "won", q.Revenue.Total, "sourced", q.Revenue.Sourced, q.Revenue.SourcedShare.Value)
	for _, r := range q.Attribution.ByChannel {
		if r.ROI != nil {
			fmt.Println(r.Key, "credited", r.Value, "ROI", r.ROI.Value)
		}
	}
	// Output:
	// D3: amount in EUR, the view is in USD
	// 2026-Q1 won USD 6000.00 sourced USD 3000.00 0.5
	// webinar credited USD 3000.00 ROI 2
}
