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
	"time"

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
		attribution.WithLookback(90*24*time.Hour), attribution.WithCurrency("USD"))
	if err != nil {
		return err
	}
	in, un := agg.Totals(), agg.Unattributed()
	fmt.Printf("%d journeys, %d conversions worth %v; unattributed: %d conversions worth %v\n\n",
		in.Journeys, in.Conversions, in.Value, un.Conversions, un.Value)

	// Every model by name, except participation (which does not sum to
	// the total).
	var models []attribution.Model
	var results []*attribution.Result
	for _, name := range attribution.Models() {
		if name == "participation" {
			continue
		}
		m, err := attribution.ModelByName(name)
		if err != nil {
			return err
		}
		res, err := attribution.Run(ctx, agg, m)
		if err != nil {
			return err
		}
		models, results = append(models, m), append(results, res)
	}

	fmt.Printf("credited revenue by channel (%s, whole units; each column adds up to %v exactly in cents)\n", in.Value.Currency, results[0].TotalValue)
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
			row = append(row, fmt.Sprintf("%.0f", float64(c.Value.Amount)/100))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()

	var markov *attribution.Result
	for _, r := range results {
		if r.Markov != nil {
			markov = r
		}
	}
	fmt.Printf("\nMarkov (order 1): P(conversion) = %.4f\n", markov.Markov.ConversionProbability)
	for _, c := range markov.Channels {
		fmt.Printf("  %-15s removal effect %.3f  share %5.1f%%\n", c.Channel, c.RemovalEffect, 100*c.Share)
	}

	// How far to trust a share: 95% bootstrap intervals (seeded, so the
	// same on every run), resampling the journeys.
	boot, err := attribution.Bootstrap(ctx, agg, attribution.BootstrapConfig{Replicates: 1000, Level: 0.95, Seed: 1},
		attribution.Markov(1), attribution.Linear())
	if err != nil {
		return err
	}
	fmt.Println("\nshare of conversions with its 95% bootstrap interval")
	for _, r := range boot {
		fmt.Printf("  %s\n", r.Model)
		for _, c := range r.Channels {
			fmt.Printf("    %-15s %5.1f%%  [%5.1f%%, %5.1f%%]\n", c.Channel, 100*c.Share, 100*c.CI.Share[0], 100*c.CI.Share[1])
		}
	}

	// Where the models disagree most.
	d, err := attribution.Compare(results...)
	if err != nil {
		return err
	}
	top := d.Channels[0]
	fmt.Printf("\nmodels disagree most on %s: %.1f%% (%s) to %.1f%% (%s)\n", top.Channel, 100*top.Min, top.MinModel, 100*top.Max, top.MaxModel)
	return nil
}
