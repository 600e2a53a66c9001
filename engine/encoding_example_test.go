package engine_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

// Builders filled on two machines travel as bytes and merge into the view
// of all their records: two won deals of 1,000 and 3,000 give revenue
// 4,000 and two new customers, whichever builder saw which.
func ExampleBuilder_Merge() {
	cfg := engine.Config{Currency: "USD", Period: engine.ByQuarter}
	deal := func(id string, amount int64) record.Deal {
		return record.Deal{ID: id, Created: record.Date(2026, 1, 5), Closed: record.Date(2026, 2, 5), Status: record.DealWon,
			Amount: money.New(amount, "USD"), Touches: []record.Touch{{At: record.Date(2026, 1, 2), Channel: "webinar", Kind: record.TouchMarketing}}}
	}
	shard1, _ := engine.New(cfg)
	_ = shard1.AddDeal(deal("D1", 100000))
	shard2, _ := engine.New(cfg)
	_ = shard2.AddDeal(deal("D2", 300000))

	data, err := shard2.MarshalBinary()
	if err != nil {
		fmt.Println(err)
		return
	}
	received, _ := engine.New(cfg) // the same Config: it is checked, not encoded
	if err := received.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	if err := shard1.Merge(received); err != nil {
		fmt.Println(err)
		return
	}
	v, _ := shard1.View(context.Background())
	fmt.Println(v.Periods[0].Period, v.Periods[0].Revenue.Total, v.Periods[0].NewCustomers)

	// A deal in both builders is refused.
	err = shard1.Merge(received)
	fmt.Println(errors.Is(err, engine.ErrInvalidInput), err)
	// Output:
	// 2026-Q1 USD 4000.00 2
	// true D2: deal in both merged builders
}
