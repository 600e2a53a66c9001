package attribution_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/revengine/revengine/attribution"
)

// An aggregate built on one machine travels as bytes and merges into
// another: what a distributed combiner (revengine's beam module) does.
func ExampleAggregate_MarshalBinary() {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	shard := attribution.NewAggregate()
	_ = shard.Add(attribution.Journey{ID: "j1", Converted: true, Value: usd(900), ConversionTime: at,
		Touches: []attribution.Touchpoint{{Channel: "email", Time: at.Add(-48 * time.Hour)}, {Channel: "webinar", Time: at}}})
	data, err := shard.MarshalBinary()
	if err != nil {
		fmt.Println(err)
		return
	}

	var received attribution.Aggregate
	if err := received.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	total := attribution.NewAggregate()
	_ = total.Merge(&received)
	res, _ := attribution.Run(context.Background(), total, attribution.Linear())
	for _, c := range res.Channels {
		fmt.Println(c.Channel, c.Value.Amount)
	}
	err = received.UnmarshalBinary(data[:len(data)-1])
	fmt.Println(errors.Is(err, attribution.ErrEncoding))
	// Output:
	// email 450
	// webinar 450
	// true
}
