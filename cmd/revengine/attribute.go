package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/revengine/revengine/attribution"
)

func init() {
	register(&command{Name: "attribute", Summary: "credit conversions and revenue to marketing channels (multi-touch attribution)", Run: runAttribute})
}

const attributeSynopsis = `--model NAME [--order K] [--half-life DURATION] [--format touches|paths]
         [--spend FILE] [--lookback DAYS] [--markov-value removal|share] [--json] FILE|-

Credits the conversions and conversion value of customer journeys to the
channels that earned them. FILE ("-" for standard input) is CSV with a
header; exit status 1 when a line is invalid (every bad line is reported,
as FILE:LINE: field: message, and nothing is credited), 2 on a usage error.

Models (NAME):
  first_touch, last_touch, last_non_direct (skips channel "direct" unless
  it is the only one), linear, position_based (40/20/40), j_shaped
  (20/20/60), inverse_j (60/20/20), time_decay (2^(-dt/half-life)),
  w_shaped, full_path, participation (every channel of a converting journey
  gets 1; does not sum to the total), markov (exact removal effects of the
  order-K chain), shapley (worth = conversions of journeys whose channel
  set is a subset), shapley_local_rate (worth = conversion rate of journeys
  with exactly that set), or all for a side-by-side table.
  time_decay, w_shaped, full_path and --lookback need --format touches.

--format touches (default), one row per touchpoint, rows grouped by journey
and in time order:
  journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
  timestamps RFC 3339; flags 0/1; value_minor integer minor units (0 when
  not converted); converted, value_minor, conversion_time repeated on every
  row of a journey; conversion_time empty when not converted; a single row
  with an empty channel is a journey without touchpoints (unattributed).

--format paths, one row per distinct path (ChannelAttribution/DP6 style):
  path,total_conversions,total_conversion_value,total_null
  path "a > b > c"; total_conversion_value integer minor units.

--spend FILE, CSV "channel,cost_minor" with that header, cost in minor
units of the same currency as the values; adds cost, ROAS (value/cost),
ROI ((value-cost)/cost) and cost per credited conversion; "-" (or an
absent JSON field) where the denominator is zero.

Unattributed journeys (no touches, or none inside the lookback window) are
reported separately: conversions in = credited + unattributed. In JSON,
total_conversions and total_value_minor are what the model credits and
unattributed_conversions and unattributed_value_minor the rest; share is
conversions / total_conversions; removal_effect is given for markov only.
With all, --json prints an array of these objects.`

// attributeModels lists the model names in the order of the "all" table.
var attributeModels = []string{
	"first_touch", "last_touch", "last_non_direct", "linear", "position_based", "j_shaped", "inverse_j",
	"time_decay", "w_shaped", "full_path", "participation", "markov", "shapley", "shapley_local_rate",
}

func attributeModel(name string, order int, mv attribution.MarkovValueRule) (attribution.Model, bool) {
	switch name {
	case "first_touch":
		return attribution.FirstTouch(), true
	case "last_touch":
		return attribution.LastTouch(), true
	case "last_non_direct":
		return attribution.LastNonDirect(), true
	case "linear":
		return attribution.Linear(), true
	case "position_based":
		return attribution.UShaped(), true
	case "j_shaped":
		return attribution.JShaped(), true
	case "inverse_j":
		return attribution.InverseJ(), true
	case "time_decay":
		return attribution.TimeDecay(), true
	case "w_shaped":
		return attribution.WShaped(), true
	case "full_path":
		return attribution.FullPath(), true
	case "participation":
		return attribution.Participation(), true
	case "markov":
		return attribution.Markov(order, attribution.WithMarkovValue(mv)), true
	case "shapley":
		return attribution.Shapley(), true
	case "shapley_local_rate":
		return attribution.ShapleyLocalRate(), true
	}
	return nil, false
}

// needsTimes reports whether a model needs touch times or milestones.
func needsTimes(name string) bool {
	return name == "time_decay" || name == "w_shaped" || name == "full_path"
}

// parseHalfLife accepts a Go duration ("168h") or a number of days ("7d").
func parseHalfLife(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		f, err := strconv.ParseFloat(d, 64)
		if err != nil || !(f > 0) || f > 100000 {
			return 0, fmt.Errorf("%q is not a positive number of days", s)
		}
		return time.Duration(f * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration (e.g. 168h or 7d)", s)
	}
	return d, nil
}

func runAttribute(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "attribute", attributeSynopsis)
	model := fs.String("model", "", "model `NAME` (see above), or all")
	order := fs.Int("order", 1, "Markov chain order `K` (≥ 1)")
	halfLife := fs.String("half-life", "7d", "time-decay half-life `DURATION` (Go duration like 168h, or days like 7d)")
	format := fs.String("format", "touches", "input format: touches or paths")
	spendPath := fs.String("spend", "", "spend `FILE` (CSV channel,cost_minor)")
	lookback := fs.Int("lookback", 0, "count only touches within `DAYS` days before the conversion (0: all)")
	markovValue := fs.String("markov-value", "removal", "Markov value rule: removal (value removal effects) or share (conversion share x total value)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if code, ok := parseFlags(fs, args); !ok { // flags may also follow the file
		return code
	}
	pos := fs.Args()

	var mv attribution.MarkovValueRule
	switch *markovValue {
	case "removal":
		mv = attribution.RemovalValue
	case "share":
		mv = attribution.ShareValue
	default:
		return usageError(fs, "--markov-value %q: want removal or share", *markovValue)
	}
	hl, err := parseHalfLife(*halfLife)
	switch {
	case len(pos) != 1:
		return usageError(fs, "want exactly one input FILE (or - for standard input), got %d", len(pos))
	case *model == "":
		return usageError(fs, "--model is required")
	case *order < 1:
		return usageError(fs, "--order %d: want 1 or more", *order)
	case err != nil:
		return usageError(fs, "--half-life: %v", err)
	case *format != "touches" && *format != "paths":
		return usageError(fs, "--format %q: want touches or paths", *format)
	case *lookback < 0:
		return usageError(fs, "--lookback %d: want 0 or more days", *lookback)
	case *format == "paths" && *lookback > 0:
		return usageError(fs, "--lookback needs touch times: use --format touches")
	case *format == "paths" && needsTimes(*model):
		return usageError(fs, "--model %s needs touch times and milestones: use --format touches", *model)
	}
	names := []string{*model}
	if *model == "all" {
		names = attributeModels
	} else if _, ok := attributeModel(*model, *order, mv); !ok {
		return usageError(fs, "unknown --model %q (want one of %s, or all)", *model, strings.Join(attributeModels, ", "))
	}

	var spend attribution.Spend
	if *spendPath != "" {
		if *spendPath == "-" && pos[0] == "-" {
			return usageError(fs, "--spend and the input cannot both be standard input")
		}
		r, name, err := openInput(env, *spendPath)
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		spend, err = attribution.ReadSpend(ctx, r, name)
		r.Close()
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
	}

	r, name, err := openInput(env, pos[0])
	if err != nil {
		errorf(env, "attribute", "%v", err)
		return exitFindings
	}
	opts := []attribution.AggregateOption{attribution.WithHalfLife(hl), attribution.WithLookback(*lookback)}
	var agg *attribution.Aggregate
	if *format == "paths" {
		agg, err = attribution.ReadPaths(ctx, r, name, opts...)
	} else {
		agg, err = attribution.ReadTouches(ctx, r, name, opts...)
	}
	r.Close()
	if err != nil {
		errorf(env, "attribute", "%v", err)
		return exitFindings
	}

	var results []*attribution.Result
	var skipped []string
	for _, n := range names {
		m, _ := attributeModel(n, *order, mv)
		res, err := attribution.Run(ctx, agg, m)
		if err != nil {
			if len(names) > 1 && (errors.Is(err, attribution.ErrNeedsTimes) || errors.Is(err, attribution.ErrNoConversions)) {
				skipped = append(skipped, err.Error())
				results = append(results, nil)
				continue
			}
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		results = append(results, res)
	}
	for _, s := range skipped {
		errorf(env, "attribute", "skipped %s", s)
	}
	if *asJSON {
		err = writeAttributeJSON(env.Stdout, agg, results, spend, len(names) > 1)
	} else if len(names) > 1 {
		err = writeAttributeAll(env.Stdout, agg, names, results, *order, mv)
	} else {
		err = writeAttributeTable(env.Stdout, agg, results[0], spend, *order, mv)
	}
	if err != nil {
		errorf(env, "attribute", "%v", err)
		return exitFindings
	}
	return exitOK
}

type attributeJSONChannel struct {
	Channel           string   `json:"channel"`
	Conversions       float64  `json:"conversions"`
	ValueMinor        float64  `json:"value_minor"`
	Share             float64  `json:"share"`
	RemovalEffect     *float64 `json:"removal_effect,omitempty"`
	CostMinor         *int64   `json:"cost_minor,omitempty"`
	ROAS              *float64 `json:"roas,omitempty"`
	ROI               *float64 `json:"roi,omitempty"`
	CostPerConversion *float64 `json:"cost_per_conversion,omitempty"`
}

type attributeJSON struct {
	Model                   string                 `json:"model"`
	TotalConversions        int64                  `json:"total_conversions"`
	TotalValueMinor         int64                  `json:"total_value_minor"`
	UnattributedConversions int64                  `json:"unattributed_conversions"`
	UnattributedValueMinor  int64                  `json:"unattributed_value_minor"`
	Channels                []attributeJSONChannel `json:"channels"`
}

func attributeJSONOf(res *attribution.Result, spend attribution.Spend) attributeJSON {
	out := attributeJSON{
		Model:                   res.Model,
		TotalConversions:        res.TotalConversions,
		TotalValueMinor:         res.TotalValue,
		UnattributedConversions: res.Unattributed.Conversions,
		UnattributedValueMinor:  res.Unattributed.Value,
		Channels:                []attributeJSONChannel{},
	}
	byName := map[string]attribution.ChannelCredit{}
	for _, c := range res.Channels {
		byName[c.Channel] = c
	}
	add := func(c attribution.ChannelCredit) attributeJSONChannel {
		jc := attributeJSONChannel{Channel: c.Channel, Conversions: c.Conversions, ValueMinor: c.Value, Share: c.Share}
		if res.Markov != nil {
			re := c.RemovalEffect
			jc.RemovalEffect = &re
		}
		return jc
	}
	if spend == nil {
		for _, c := range res.Channels {
			out.Channels = append(out.Channels, add(c))
		}
		return out
	}
	for _, ret := range res.Returns(spend) {
		c, ok := byName[ret.Channel]
		if !ok {
			c = attribution.ChannelCredit{Channel: ret.Channel}
		}
		jc := add(c)
		cost := ret.Cost
		jc.CostMinor, jc.ROAS, jc.ROI, jc.CostPerConversion = &cost, ret.ROAS, ret.ROI, ret.CostPerConversion
		out.Channels = append(out.Channels, jc)
	}
	return out
}

func writeAttributeJSON(w io.Writer, agg *attribution.Aggregate, results []*attribution.Result, spend attribution.Spend, all bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if !all {
		return enc.Encode(attributeJSONOf(results[0], spend))
	}
	list := []attributeJSON{}
	for _, r := range results {
		if r != nil {
			list = append(list, attributeJSONOf(r, spend))
		}
	}
	return enc.Encode(list)
}

func modelTitle(res *attribution.Result, order int, mv attribution.MarkovValueRule) string {
	switch {
	case res.Markov != nil:
		rule := "removal effects"
		if mv == attribution.ShareValue {
			rule = "conversion share x total value"
		}
		return fmt.Sprintf("markov (order %d, value: %s)", order, rule)
	case res.Estimate != nil:
		return fmt.Sprintf("%s (sampled estimate, %d permutations, seed %d)", res.Model, res.Estimate.Samples, res.Estimate.Seed)
	}
	return res.Model
}

func writeAttributeHeader(w io.Writer, agg *attribution.Aggregate) {
	in, un := agg.Totals(), agg.Unattributed()
	fmt.Fprintf(w, "journeys %d, conversions %d, value_minor %d; unattributed: %d journeys, %d conversions, value_minor %d\n",
		in.Journeys, in.Conversions, in.Value, un.Journeys, un.Conversions, un.Value)
}

func optFloat(p *float64, format string) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf(format, *p)
}

func writeAttributeTable(w io.Writer, agg *attribution.Aggregate, res *attribution.Result, spend attribution.Spend, order int, mv attribution.MarkovValueRule) error {
	fmt.Fprintf(w, "model: %s\n", modelTitle(res, order, mv))
	writeAttributeHeader(w, agg)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "channel\tconversions\tvalue_minor\tshare\t"
	if res.Markov != nil {
		head += "removal_effect\t"
	}
	if spend != nil {
		head += "cost_minor\troas\troi\tcost_per_conversion\t"
	}
	var rets map[string]attribution.Return
	rows := res.Channels
	if spend != nil {
		rets = map[string]attribution.Return{}
		rows = nil
		for _, ret := range res.Returns(spend) {
			rets[ret.Channel] = ret
			c, ok := res.Channel(ret.Channel)
			if !ok {
				c = attribution.ChannelCredit{Channel: ret.Channel}
			}
			rows = append(rows, c)
		}
	}
	var conv, value, share float64
	width := channelWidth(rowNames(rows))
	fmt.Fprintln(tw, fmt.Sprintf("%-*s", width, "channel")+strings.TrimPrefix(head, "channel"))
	for _, c := range rows {
		line := fmt.Sprintf("%-*s\t%.4f\t%.2f\t%.2f%%\t", width, c.Channel, c.Conversions, c.Value, 100*c.Share)
		if res.Markov != nil {
			line += fmt.Sprintf("%.6f\t", c.RemovalEffect)
		}
		if spend != nil {
			ret := rets[c.Channel]
			line += fmt.Sprintf("%d\t%s\t%s\t%s\t", ret.Cost, optFloat(ret.ROAS, "%.4f"), optFloat(ret.ROI, "%.4f"), optFloat(ret.CostPerConversion, "%.2f"))
		}
		fmt.Fprintln(tw, line)
		conv += c.Conversions
		value += c.Value
		share += c.Share
	}
	fmt.Fprintf(tw, "%-*s\t%.4f\t%.2f\t%.2f%%\t\n", width, "total", conv, value, 100*share)
	return tw.Flush()
}

func writeAttributeAll(w io.Writer, agg *attribution.Aggregate, names []string, results []*attribution.Result, order int, mv attribution.MarkovValueRule) error {
	fmt.Fprintf(w, "all models (markov order %d, value: %s)\n", order, mv)
	writeAttributeHeader(w, agg)
	channels := agg.Channels()
	width := channelWidth(channels)
	for _, part := range []struct {
		title string
		get   func(attribution.ChannelCredit) float64
		fmt   string
	}{
		{"credited conversions", func(c attribution.ChannelCredit) float64 { return c.Conversions }, "%.4f"},
		{"credited value_minor", func(c attribution.ChannelCredit) float64 { return c.Value }, "%.2f"},
	} {
		fmt.Fprintf(w, "\n%s\n", part.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%-*s\t%s\t\n", width, "channel", strings.Join(names, "\t"))
		totals := make([]float64, len(names))
		for _, ch := range channels {
			cells := []string{fmt.Sprintf("%-*s", width, ch)}
			for i, r := range results {
				if r == nil {
					cells = append(cells, "n/a")
					continue
				}
				c, _ := r.Channel(ch)
				v := part.get(c)
				totals[i] += v
				cells = append(cells, fmt.Sprintf(part.fmt, v))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		cells := []string{fmt.Sprintf("%-*s", width, "total")}
		for i, r := range results {
			if r == nil {
				cells = append(cells, "n/a")
				continue
			}
			cells = append(cells, fmt.Sprintf(part.fmt, totals[i]))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "\nparticipation credits every channel of a converting journey in full, so its column need not sum to the total.")
	return nil
}

func rowNames(rows []attribution.ChannelCredit) []string {
	out := make([]string, len(rows))
	for i, c := range rows {
		out[i] = c.Channel
	}
	return out
}

// channelWidth is the width of the channel column: tabwriter aligns every
// column right, so names are padded to one width to read left-aligned.
func channelWidth(names []string) int {
	w := len("channel")
	for _, n := range names {
		w = max(w, len(n))
	}
	return w
}
