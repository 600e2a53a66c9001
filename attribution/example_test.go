package attribution_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

// Two converting journeys: email → search → direct (value 900) and
// search alone (value 300).
const exampleCSV = `journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
j1,2026-01-01T09:00:00Z,email,1,0,1,900,2026-01-20T00:00:00Z
j1,2026-01-06T09:00:00Z,search,0,1,1,900,2026-01-20T00:00:00Z
j1,2026-01-19T09:00:00Z,direct,0,0,1,900,2026-01-20T00:00:00Z
j2,2026-01-10T09:00:00Z,search,0,0,1,300,2026-01-12T00:00:00Z
j3,2026-01-10T09:00:00Z,email,0,0,0,0,
`

func ExampleRun() {
	ctx := context.Background()
	agg, err := attribution.ReadTouches(ctx, strings.NewReader(exampleCSV), "journeys.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []attribution.Model{attribution.LastNonDirect(), attribution.Linear()} {
		res, err := attribution.Run(ctx, agg, m)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range res.Channels {
			fmt.Printf("%-15s %-6s %.4f conversions %v\n", m.Name(), c.Channel, c.Conversions, c.Value)
		}
	}
	// Output:
	// last_non_direct direct 0.0000 conversions USD 0.00
	// last_non_direct email  0.0000 conversions USD 0.00
	// last_non_direct search 2.0000 conversions USD 12.00
	// linear          direct 0.3333 conversions USD 3.00
	// linear          email  0.3333 conversions USD 3.00
	// linear          search 1.3333 conversions USD 6.00
}

func ExampleMarkov() {
	// a > b converts twice (300), a alone twice fails, b converts once (60)
	// and fails once, b > a converts once (40).
	paths := `path,total_conversions,total_conversion_value,total_null
a > b,2,300,0
a,0,0,2
b,1,60,1
b > a,1,40,0
`
	agg, err := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := attribution.Run(context.Background(), agg, attribution.Markov(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(conversion) = %.4f\n", res.Markov.ConversionProbability)
	for _, c := range res.Channels {
		fmt.Printf("%s: removal effect %.2f, %.4f conversions, value %.2f minor units, allocated %d\n",
			c.Channel, c.RemovalEffect, c.Conversions, c.ValueMinor, c.Value.Amount)
	}
	// Output:
	// P(conversion) = 0.5714
	// a: removal effect 0.55, 1.6296 conversions, value 133.33 minor units, allocated 133
	// b: removal effect 0.80, 2.3704 conversions, value 266.67 minor units, allocated 267
}

func ExampleShapley() {
	paths := `path,total_conversions,total_conversion_value,total_null
a > b,2,200,1
b,1,50,3
`
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	res, _ := attribution.Run(context.Background(), agg, attribution.Shapley())
	for _, c := range res.Channels {
		// a: half of {a,b}'s 2 conversions; b: the other half plus {b}'s 1.
		fmt.Printf("%s %.1f %.1f\n", c.Channel, c.Conversions, c.ValueMinor)
	}
	// Output:
	// a 1.0 100.0
	// b 2.0 150.0
}

func ExampleReadTouches_error() {
	bad := `journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
j1,2026-01-02T00:00:00Z,email,0,0,0,0,
j1,2026-01-01T00:00:00Z,search,0,0,0,0,
`
	// Grouped is the strict mode: a journey's rows contiguous, in time order.
	_, err := attribution.ReadTouches(context.Background(), strings.NewReader(bad), "journeys.csv",
		attribution.WithRowOrder(attribution.Grouped))
	var e *attribution.Error
	if errors.As(err, &e) {
		fmt.Println(e.Line, e.Column, e.ID, errors.Is(err, attribution.ErrInvalidJourney))
	}
	fmt.Println(err)
	// Output:
	// 3 2 timestamp true
	// journeys.csv:3:2: timestamp: 2026-01-01T00:00:00Z is before the journey's previous touch (2026-01-02T00:00:00Z): rows must be in time order
}

func ExampleAggregate_Merge() {
	a1, _ := attribution.ReadPaths(context.Background(), strings.NewReader("path,total_conversions,total_conversion_value,total_null\na > b,1,10,2\n"), "shard1.csv")
	a2, _ := attribution.ReadPaths(context.Background(), strings.NewReader("path,total_conversions,total_conversion_value,total_null\na > b,2,30,0\nb,0,0,5\n"), "shard2.csv")
	if err := a1.Merge(a2); err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range a1.Paths() {
		fmt.Println(p.Channels, p.Journeys, p.Conversions, p.Value)
	}
	// Output:
	// [a b] 5 3 USD 0.40
	// [b] 5 0 USD 0.00
}

func ExampleTouchReader() {
	tr, err := attribution.NewTouchReader(context.Background(), strings.NewReader(exampleCSV), "journeys.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		j, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s (line %d): %d touches, converted %v, value %v\n", j.ID, tr.Line(), len(j.Touches), j.Converted, j.Value)
	}
	// Output:
	// j1 (line 2): 3 touches, converted true, value USD 9.00
	// j2 (line 5): 1 touches, converted true, value USD 3.00
	// j3 (line 6): 1 touches, converted false, value USD 0.00
}

func ExampleTouchReader_All() {
	in := `journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time,currency
j1,2026-01-01T09:00:00Z,email,0,0,1,900,2026-01-20T00:00:00Z,EUR
j2,2026-01-10T09:00:00Z,search,0,0,1,3.00,2026-01-12T00:00:00Z,EUR
j3,2026-01-10T09:00:00Z,email,0,0,0,0,,
`
	tr, err := attribution.NewTouchReader(context.Background(), strings.NewReader(in), "eur.csv",
		attribution.WithCurrency("EUR"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Bad lines come as errors, and the iteration goes on. A journey is
	// complete only when the next one starts, so j1 comes after the problem
	// on the line that follows it.
	for j, err := range tr.All() {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(j.ID, j.Value)
	}
	// Output:
	// eur.csv:3:7: value_minor: "3.00" is not an integer (minor units)
	// j1 EUR 9.00
	// j3 EUR 0.00
}

func ExampleAggregate_Add() {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	agg := attribution.NewAggregate(attribution.WithHalfLife(24 * time.Hour))
	err := agg.Add(attribution.Journey{
		ID: "acme", Converted: true, Value: money.New(1000, "USD"), ConversionTime: day(3),
		Touches: []attribution.Touchpoint{
			{Channel: "webinar", Time: day(1), LeadCreated: true},
			{Channel: "sales", Time: day(2), OppCreated: true},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Rejected, and not counted: touches out of time order.
	err = agg.Add(attribution.Journey{ID: "bad", Touches: []attribution.Touchpoint{
		{Channel: "a", Time: day(2)}, {Channel: "b", Time: day(1)}}})
	fmt.Println(err)
	res, _ := attribution.Run(context.Background(), agg, attribution.TimeDecay())
	for _, c := range res.Channels {
		// Half-life one day: weights 1/4 (two days before) and 1/2 → 1/3, 2/3.
		fmt.Printf("%s %.4f\n", c.Channel, c.Conversions)
	}
	// Output:
	// journey "bad": touch 2 (2026-03-01T00:00:00Z) is before touch 1 (2026-03-02T00:00:00Z)
	// sales 0.6667
	// webinar 0.3333
}

func ExampleModelByName() {
	agg, err := attribution.ReadTouches(context.Background(), strings.NewReader(exampleCSV), "journeys.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := attribution.ModelByName("markov", attribution.WithOrder(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := attribution.Run(context.Background(), agg, m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Model, res.Markov.Order, res.TotalValue)
	_, err = attribution.ModelByName("magic")
	fmt.Println(errors.Is(err, attribution.ErrUnknownModel))
	fmt.Println(len(attribution.Models()), attribution.Models()[0])
	// Output:
	// markov 2 USD 12.00
	// true
	// 14 first_touch
}

// A Result has one JSON encoding, the one the CLI's --json prints.
func ExampleResult_json() {
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader("path,total_conversions,total_conversion_value,total_null\na > b,3,100,1\n"), "paths.csv")
	res, _ := attribution.Run(context.Background(), agg, attribution.Linear())
	b, _ := json.Marshal(res)
	fmt.Println(string(b))
	// Output:
	// {"model":"linear","total_conversions":3,"total_value":{"amount_minor":100,"currency":"USD"},"unattributed":{"journeys":0,"conversions":0,"value":{"amount_minor":0,"currency":"USD"}},"channels":[{"channel":"a","conversions":1.5,"value":{"amount_minor":50,"currency":"USD"},"value_minor":50,"share":0.5},{"channel":"b","conversions":1.5,"value":{"amount_minor":50,"currency":"USD"},"value_minor":50,"share":0.5}]}
}

func ExampleReadPaths() {
	paths := `path,total_conversions,total_conversion_value,total_null
search > email,3,4500,7
search,1,1000,x
`
	_, err := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	fmt.Println(err)
	agg, err := attribution.ReadPaths(context.Background(), strings.NewReader(paths[:strings.LastIndex(paths, "search,")]), "paths.csv",
		attribution.WithCurrency("EUR"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(agg.Totals())
	// Output:
	// paths.csv:3:4: total_null: "x" is not a non-negative integer
	// {10 3 EUR 45.00}
}

// FromRecord turns the module's record touches (what record.ReadTouches
// and the engine produce) into the touchpoints a journey holds.
func ExampleFromRecord() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tp := attribution.FromRecord(record.Touch{At: at, Channel: "webinar", Campaign: "q1-launch", Kind: record.TouchMarketing, LeadCreated: true})
	fmt.Println(tp.Channel, tp.Campaign, tp.Time.Format(time.RFC3339), tp.LeadCreated, tp.OppCreated)
	fmt.Println(tp.Record(record.TouchMarketing).Kind)
	// Output:
	// webinar q1-launch 2026-03-02T09:00:00Z true false
	// marketing
}
