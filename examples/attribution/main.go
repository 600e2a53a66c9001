// Command attribution credits the conversions and revenue of a small set of
// B2B journeys (journeys.csv, shipped beside this file) with every model of
// the attribution package and prints them side by side, with the Markov
// chain's removal effects.
//
//	go run ./examples/attribution
package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/revengine/revengine/attribution"
)

//go:embed journeys.csv
var journeys string

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "attribution example:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()
	// Read the touch CSV into a mergeable aggregate; time decay uses a
	// 7-day half-life, and only touches in the 90 days before a conversion
	// count.
	agg, err := attribution.ReadTouches(ctx, strings.NewReader(journeys), "journeys.csv",
		attribution.WithLookback(90))
	if err != nil {
		return err
	}
	in, un := agg.Totals(), agg.Unattributed()
	fmt.Printf("%d journeys, %d conversions worth %.2f; unattributed: %d conversions worth %.2f\n\n",
		in.Journeys, in.Conversions, float64(in.Value)/100, un.Conversions, float64(un.Value)/100)

	models := []attribution.Model{
		attribution.FirstTouch(), attribution.LastTouch(), attribution.LastNonDirect(),
		attribution.Linear(), attribution.UShaped(), attribution.JShaped(), attribution.InverseJ(),
		attribution.TimeDecay(), attribution.WShaped(), attribution.FullPath(),
		attribution.Markov(1), attribution.Shapley(), attribution.ShapleyLocalRate(),
	}
	results := make([]*attribution.Result, len(models))
	for i, m := range models {
		if results[i], err = attribution.Run(ctx, agg, m); err != nil {
			return err
		}
	}

	fmt.Println("credited revenue by channel (currency units)")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"channel        "}
	for _, m := range models {
		head = append(head, m.Name())
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, ch := range agg.Channels() {
		row := []string{fmt.Sprintf("%-15s", ch)}
		for _, r := range results {
			c, _ := r.Channel(ch)
			row = append(row, fmt.Sprintf("%.0f", c.Value/100))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()

	markov := results[10]
	fmt.Printf("\nMarkov (order 1): P(conversion) = %.4f\n", markov.Markov.ConversionProbability)
	for _, c := range markov.Channels {
		fmt.Printf("  %-15s removal effect %.3f  share %5.1f%%\n", c.Channel, c.RemovalEffect, 100*c.Share)
	}
	return nil
}
