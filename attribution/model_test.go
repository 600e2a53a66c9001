package attribution_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/record"
)

// handCSV is the small data set every model below is worked out on by hand.
//
//	j1 converts (1000) at 01-15: email 01-01 (lead), paid_search 01-08 (opp), direct 01-15
//	j2 converts (500):           direct, direct                 (all direct, two touches)
//	j3 does not convert:         email, social
//	j4 converts (300):           social, 7 days before the conversion (one touch)
//	j5 converts (200):           no touches                     (unattributed)
//	j6 does not convert:         no touches                     (unattributed)
//	j7 converts (600):           paid_search, email (lead), paid_search, social; one day apart,
//	                             conversion a day after the last; no opportunity creation
//
// Totals in: 7 journeys, 5 conversions, 2600. Unattributed: j5 and j6, 1
// conversion, 200. Attributable: 4 conversions, 2400.
const handCSV = `journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
j1,2026-01-01T00:00:00Z,email,1,0,1,1000,2026-01-15T00:00:00Z
j1,2026-01-08T00:00:00Z,paid_search,0,1,1,1000,2026-01-15T00:00:00Z
j1,2026-01-15T00:00:00Z,direct,0,0,1,1000,2026-01-15T00:00:00Z
j2,2026-02-01T00:00:00Z,direct,0,0,1,500,2026-02-02T00:00:00Z
j2,2026-02-02T00:00:00Z,direct,0,0,1,500,2026-02-02T00:00:00Z
j3,2026-02-01T00:00:00Z,email,0,0,0,0,
j3,2026-02-03T00:00:00Z,social,0,0,0,0,
j4,2026-03-01T00:00:00Z,social,0,0,1,300,2026-03-08T00:00:00Z
j5,,,0,0,1,200,2026-03-09T00:00:00Z
j6,,,0,0,0,0,
j7,2026-04-01T00:00:00Z,paid_search,0,0,1,600,2026-04-05T00:00:00Z
j7,2026-04-02T00:00:00Z,email,1,0,1,600,2026-04-05T00:00:00Z
j7,2026-04-03T00:00:00Z,paid_search,0,0,1,600,2026-04-05T00:00:00Z
j7,2026-04-04T00:00:00Z,social,0,0,1,600,2026-04-05T00:00:00Z
`

func readHand(t *testing.T, opts ...attribution.Option) *attribution.Aggregate {
	t.Helper()
	a, err := attribution.ReadTouches(context.Background(), strings.NewReader(handCSV), "hand.csv", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// want is a channel's expected credited conversions and value.
type want struct{ conv, value float64 }

func checkResult(t *testing.T, r *attribution.Result, wants map[string]want) {
	t.Helper()
	for ch, w := range wants {
		c, ok := r.Channel(ch)
		if !ok {
			t.Errorf("%s: no channel %q", r.Model, ch)
			continue
		}
		if math.Abs(c.Conversions-w.conv) > 1e-9 || math.Abs(c.ValueMinor-w.value) > 1e-6 {
			t.Errorf("%s: %s = (%.10g conv, %.10g value), want (%.10g, %.10g)", r.Model, ch, c.Conversions, c.ValueMinor, w.conv, w.value)
		}
		// The money credit is the exact credit to within one minor unit.
		if c.Value.Currency != r.TotalValue.Currency || math.Abs(float64(c.Value.Amount)-w.value) >= 1 {
			t.Errorf("%s: %s value %v, want within a minor unit of %g %s", r.Model, ch, c.Value, w.value, r.TotalValue.Currency)
		}
		if r.TotalConversions > 0 && math.Abs(c.Share-c.Conversions/float64(r.TotalConversions)) > 1e-12 {
			t.Errorf("%s: %s share = %g, want conversions/total", r.Model, ch, c.Share)
		}
	}
	for _, c := range r.Channels {
		if _, ok := wants[c.Channel]; !ok {
			t.Errorf("%s: unexpected channel %q", r.Model, c.Channel)
		}
	}
	checkAllocation(t, r)
}

// checkAllocation checks that the channels' money values add up exactly to
// the total value (every model but participation).
func checkAllocation(t testing.TB, r *attribution.Result) {
	t.Helper()
	if r.Model == "participation" {
		return
	}
	var sum int64
	for _, c := range r.Channels {
		sum += c.Value.Amount
	}
	if sum != r.TotalValue.Amount {
		t.Errorf("%s: channel values sum to %d, want the total %v exactly", r.Model, sum, r.TotalValue)
	}
}

func TestTotals(t *testing.T) {
	a := readHand(t)
	if got, want := a.Totals(), (attribution.Totals{Journeys: 7, Conversions: 5, Value: usd(2600)}); got != want {
		t.Errorf("Totals = %+v, want %+v", got, want)
	}
	// j5 (converted, 200) and j6 (not converted) have no touches.
	if got, want := a.Unattributed(), (attribution.Totals{Journeys: 2, Conversions: 1, Value: usd(200)}); got != want {
		t.Errorf("Unattributed = %+v, want %+v", got, want)
	}
}

func TestHeuristicModels(t *testing.T) {
	// Time decay, h = 7 days. j1: Δt = 14, 7, 0 days → weights 1/4, 1/2, 1
	// (sum 7/4) → email 1/7, paid_search 2/7, direct 4/7. j2: direct 1.
	// j4: social 1. j7: Δt = 4, 3, 2, 1 days → 2^(−4/7), 2^(−3/7), 2^(−2/7),
	// 2^(−1/7); paid_search gets the 1st and 3rd.
	w7 := []float64{math.Exp2(-4.0 / 7), math.Exp2(-3.0 / 7), math.Exp2(-2.0 / 7), math.Exp2(-1.0 / 7)}
	s7 := w7[0] + w7[1] + w7[2] + w7[3]
	ps7, em7, so7 := (w7[0]+w7[2])/s7, w7[1]/s7, w7[3]/s7

	tests := []struct {
		name  string
		model attribution.Model
		wants map[string]want
	}{
		// first touches: j1 email, j2 direct, j4 social, j7 paid_search.
		{"first_touch", attribution.FirstTouch(), map[string]want{
			"email": {1, 1000}, "direct": {1, 500}, "social": {1, 300}, "paid_search": {1, 600}}},
		// last touches: j1 direct, j2 direct, j4 social, j7 social.
		{"last_touch", attribution.LastTouch(), map[string]want{
			"email": {0, 0}, "direct": {2, 1500}, "social": {2, 900}, "paid_search": {0, 0}}},
		// j1 skips direct → paid_search; j2 is all direct → direct.
		{"last_non_direct", attribution.LastNonDirect(), map[string]want{
			"email": {0, 0}, "direct": {1, 500}, "social": {2, 900}, "paid_search": {1, 1000}}},
		// j1 thirds; j2 direct 1; j4 social 1; j7 paid_search 2/4 (repeat
		// adds up), email 1/4, social 1/4.
		{"linear", attribution.Linear(), map[string]want{
			"email":       {1.0/3 + 0.25, 1000.0/3 + 150},
			"paid_search": {1.0/3 + 0.5, 1000.0/3 + 300},
			"direct":      {1.0/3 + 1, 1000.0/3 + 500},
			"social":      {1 + 0.25, 300 + 150}}},
		// U 40/20/40. j1: email .4, ps .2, direct .4. j2 (two touches):
		// .4/.8 + .4/.8 = direct 1. j4: social 1. j7: ps .4 + .2/2, email
		// .2/2, social .4.
		{"position_based", attribution.UShaped(), map[string]want{
			"email":       {0.4 + 0.1, 400 + 60},
			"paid_search": {0.2 + 0.5, 200 + 300},
			"direct":      {0.4 + 1, 400 + 500},
			"social":      {1 + 0.4, 300 + 240}}},
		// J 20/20/60. j1: email .2, ps .2, direct .6. j7: ps .2 + .1, email
		// .1, social .6.
		{"j_shaped", attribution.JShaped(), map[string]want{
			"email":       {0.2 + 0.1, 200 + 60},
			"paid_search": {0.2 + 0.3, 200 + 180},
			"direct":      {0.6 + 1, 600 + 500},
			"social":      {1 + 0.6, 300 + 360}}},
		// inverse J 60/20/20. j1: email .6, ps .2, direct .2. j7: ps .6 + .1,
		// email .1, social .2.
		{"inverse_j", attribution.InverseJ(), map[string]want{
			"email":       {0.6 + 0.1, 600 + 60},
			"paid_search": {0.2 + 0.7, 200 + 420},
			"direct":      {0.2 + 1, 200 + 500},
			"social":      {1 + 0.2, 300 + 120}}},
		{"time_decay", attribution.TimeDecay(), map[string]want{
			"email":       {1.0/7 + em7, 1000.0/7 + 600*em7},
			"paid_search": {2.0/7 + ps7, 2000.0/7 + 600*ps7},
			"direct":      {4.0/7 + 1, 4000.0/7 + 500},
			"social":      {1 + so7, 300 + 600*so7}}},
		// W-shaped. j1: email first+lead .6, ps opp .3, no other touch before
		// the opportunity (the 10% drops out), direct after it gets 0 → /0.9:
		// email 2/3, ps 1/3. j2: first .3, other .1 → direct 1. j4: social 1.
		// j7 (no opp): ps first .3, email lead .3, ps and social share .1 →
		// /0.7: ps (.3+.05)/.7 = 1/2, email 3/7, social 1/14.
		{"w_shaped", attribution.WShaped(), map[string]want{
			"email":       {2.0/3 + 3.0/7, 2000.0/3 + 600*3.0/7},
			"paid_search": {1.0/3 + 0.5, 1000.0/3 + 300},
			"direct":      {1, 500},
			"social":      {1 + 1.0/14, 300 + 600.0/14}}},
		// Full path. j1: email first+lead .45, ps opp .225, direct close .225
		// → /0.9: .5, .25, .25. j2: direct 1. j4: social 1. j7: ps first
		// .225 + other .1, email lead .225, social close .225 → /0.775:
		// ps 13/31, email 9/31, social 9/31.
		{"full_path", attribution.FullPath(), map[string]want{
			"email":       {0.5 + 9.0/31, 500 + 600*9.0/31},
			"paid_search": {0.25 + 13.0/31, 250 + 600*13.0/31},
			"direct":      {0.25 + 1, 250 + 500},
			"social":      {1 + 9.0/31, 300 + 600*9.0/31}}},
		// Participation: each distinct channel of a converting journey gets 1
		// and the journey's value. email: j1, j7; ps: j1, j7; direct: j1, j2;
		// social: j4, j7.
		{"participation", attribution.Participation(), map[string]want{
			"email": {2, 1600}, "paid_search": {2, 1600}, "direct": {2, 1500}, "social": {2, 900}}},
		// Shapley, worth = conversions of journeys whose set ⊆ S: each
		// converting journey splits evenly over its distinct channels. j1
		// {direct, email, ps}: 1/3 each; j2 {direct}; j4 {social}; j7 {email,
		// ps, social}: 1/3 each.
		{"shapley", attribution.Shapley(), map[string]want{
			"email":       {2.0 / 3, 1000.0/3 + 200},
			"paid_search": {2.0 / 3, 1000.0/3 + 200},
			"direct":      {4.0 / 3, 1000.0/3 + 500},
			"social":      {4.0 / 3, 300 + 200}}},
		// Shapley, local conversion rate. Sets seen: {d,e,p} rate 1 (j1),
		// {d} 1 (j2), {e,s} 0 (j3), {s} 1 (j4), {e,p,s} 1 (j7). In j1's game
		// the converting subsets are {d,e,p} and {d}: φ_d = 2/6·1 + 2/6·1 =
		// 2/3, φ_e = φ_p = 2/6·1 − 1/6·1 = 1/6 (sum 1 = w({d,e,p})). j7's game
		// is the same with s in d's place ({e,s} has rate 0). So d 2/3 + 1,
		// e 1/6 + 1/6, p 1/6 + 1/6, s 1 + 2/3.
		{"shapley_local_rate", attribution.ShapleyLocalRate(), map[string]want{
			"direct":      {2.0/3 + 1, 2000.0/3 + 500},
			"email":       {1.0 / 3, 1000.0/6 + 100},
			"paid_search": {1.0 / 3, 1000.0/6 + 100},
			"social":      {1 + 2.0/3, 300 + 400}}},
	}
	a := readHand(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := attribution.Run(context.Background(), a, tt.model)
			if err != nil {
				t.Fatal(err)
			}
			if r.Model != tt.name {
				t.Errorf("Model = %q, want %q", r.Model, tt.name)
			}
			if r.TotalConversions != 4 || r.TotalValue != usd(2400) {
				t.Errorf("totals = %d, %v, want 4, USD 24.00", r.TotalConversions, r.TotalValue)
			}
			checkResult(t, r, tt.wants)
			if tt.name == "participation" {
				return
			}
			var conv, value float64
			for _, c := range r.Channels {
				conv += c.Conversions
				value += c.ValueMinor
			}
			if math.Abs(conv-4) > 1e-9 || math.Abs(value-2400) > 1e-6 {
				t.Errorf("credited %g conversions, %g value; want 4, 2400", conv, value)
			}
		})
	}
}

// pathsAgg builds an aggregate from path rows "a > b,conv,value,null".
func pathsAgg(t *testing.T, rows ...string) *attribution.Aggregate {
	t.Helper()
	in := "path,total_conversions,total_conversion_value,total_null\n" + strings.Join(rows, "\n") + "\n"
	a, err := attribution.ReadPaths(context.Background(), strings.NewReader(in), "paths.csv")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPositionBasedEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		model attribution.Model
		path  string
		wants map[string]want
	}{
		// One touch gets everything.
		{"U one touch", attribution.UShaped(), "a", map[string]want{"a": {1, 100}}},
		// Two touches: first/(first+last), last/(first+last).
		{"U two touches", attribution.UShaped(), "a > b", map[string]want{"a": {0.5, 50}, "b": {0.5, 50}}},
		{"J two touches", attribution.JShaped(), "a > b", map[string]want{"a": {0.25, 25}, "b": {0.75, 75}}},
		{"inverse J two touches", attribution.InverseJ(), "a > b", map[string]want{"a": {0.75, 75}, "b": {0.25, 25}}},
		// Five touches: middle 20% over 3 middle touches; a repeats.
		{"U five touches", attribution.UShaped(), "a > b > a > c > d", map[string]want{
			"a": {0.4 + 0.2/3, 40 + 20.0/3}, "b": {0.2 / 3, 20.0 / 3}, "c": {0.2 / 3, 20.0 / 3}, "d": {0.4, 40}}},
		{"custom 30/40/30", attribution.PositionBased(0.3, 0.4, 0.3), "a > b > c", map[string]want{
			"a": {0.3, 30}, "b": {0.4, 40}, "c": {0.3, 30}}},
		// All direct: last non-direct falls back to the last (direct) touch.
		{"all direct", attribution.LastNonDirect(), "direct > direct", map[string]want{"direct": {1, 100}}},
		{"direct first", attribution.LastNonDirect(), "email > direct > direct", map[string]want{"email": {1, 100}, "direct": {0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := pathsAgg(t, `"`+tt.path+`",1,100,0`)
			r, err := attribution.Run(context.Background(), a, tt.model)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tt.wants)
		})
	}
}

func TestModelErrors(t *testing.T) {
	paths := pathsAgg(t, "a > b,1,100,0", "b,0,0,3")
	empty := pathsAgg(t, "a,0,0,3")
	tests := []struct {
		name  string
		agg   *attribution.Aggregate
		model attribution.Model
		want  error
	}{
		{"time decay on paths", paths, attribution.TimeDecay(), attribution.ErrNeedsTimes},
		{"w-shaped on paths", paths, attribution.WShaped(), attribution.ErrNeedsTimes},
		{"full path on paths", paths, attribution.FullPath(), attribution.ErrNeedsTimes},
		{"markov order 0", paths, attribution.Markov(0), attribution.ErrBadOrder},
		{"markov without conversions", empty, attribution.Markov(1), attribution.ErrNoConversions},
		{"weights not summing to 1", paths, attribution.PositionBased(0.5, 0.5, 0.5), attribution.ErrBadWeights},
		{"no weight at the ends", paths, attribution.PositionBased(0, 1, 0), attribution.ErrBadWeights},
		// NaN fails every comparison, so a check written as "w < 0 || |sum-1| >
		// 1e-9" let it through and every credit became NaN.
		{"NaN first weight", paths, attribution.PositionBased(math.NaN(), 0.5, 0.5), attribution.ErrBadWeights},
		{"NaN middle weight", paths, attribution.PositionBased(0.5, math.NaN(), 0.5), attribution.ErrBadWeights},
		// A nil aggregate is empty, as the zero Aggregate is.
		{"markov on a nil aggregate", nil, attribution.Markov(1), attribution.ErrNoConversions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := attribution.Run(context.Background(), tt.agg, tt.model)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := attribution.Run(context.Background(), paths, nil); err == nil {
		t.Error("nil model: no error")
	}
	if r, err := attribution.Run(context.Background(), nil, attribution.Linear()); err != nil || r.TotalConversions != 0 || len(r.Channels) != 0 {
		t.Errorf("linear on a nil aggregate = %+v, %v; want an empty result", r, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := attribution.Run(ctx, paths, attribution.Markov(1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestWShapedRoles(t *testing.T) {
	// One journey each, value 100, conversion at 06-01.
	tests := []struct {
		name    string
		touches string // channel:lead:opp, comma separated
		w, fp   map[string]want
	}{
		// Single touch with no milestones: first touch 30% is all there is.
		{"one touch", "a:0:0", map[string]want{"a": {1, 100}}, map[string]want{"a": {1, 100}}},
		// All three roles on one touch.
		{"one touch all roles", "a:1:1", map[string]want{"a": {1, 100}}, map[string]want{"a": {1, 100}}},
		// first a, lead b, opp d; c is the only other touch before opp (10%);
		// e after opp gets 0 in W. Full path: a,b,d 22.5%, e closes 22.5%,
		// c 10%.
		{"all roles", "a:0:0,b:1:0,c:0:0,d:0:1,e:0:0",
			map[string]want{"a": {0.3, 30}, "b": {0.3, 30}, "c": {0.1, 10}, "d": {0.3, 30}, "e": {0, 0}},
			map[string]want{"a": {0.225, 22.5}, "b": {0.225, 22.5}, "c": {0.1, 10}, "d": {0.225, 22.5}, "e": {0.225, 22.5}}},
		// No lead, no opp: W = first .3, others (b, c) .05 each → /0.4.
		// Full path: a first .225, c close .225, b .1 → /0.55.
		{"no milestones", "a:0:0,b:0:0,c:0:0",
			map[string]want{"a": {0.75, 75}, "b": {0.125, 12.5}, "c": {0.125, 12.5}},
			map[string]want{"a": {0.225 / 0.55, 22.5 / 0.55}, "b": {0.1 / 0.55, 10 / 0.55}, "c": {0.225 / 0.55, 22.5 / 0.55}}},
		// Cases below were cross-checked against an independent reference of
		// the definitions (exact fractions), with the arithmetic here.
		// The first touch created the lead: a .3+.3, b (before opp) .1, c
		// opp .3, d after opp 0 — sums to 1. Full path: a .225+.225, b .1,
		// c .225, d closes .225.
		{"lead on the first touch", "a:1:0,b:0:0,c:0:1,d:0:0",
			map[string]want{"a": {0.6, 60}, "b": {0.1, 10}, "c": {0.3, 30}, "d": {0, 0}},
			map[string]want{"a": {0.45, 45}, "b": {0.1, 10}, "c": {0.225, 22.5}, "d": {0.225, 22.5}}},
		// Lead and opp on one middle touch: a .3, b .6; no other touch before
		// opp, so the 10% is a missing role: /0.9. Full path: a .225, b .45,
		// c closes .225, nothing else: /0.9.
		{"lead and opp on one middle touch", "a:0:0,b:1:1,c:0:0",
			map[string]want{"a": {1.0 / 3, 100.0 / 3}, "b": {2.0 / 3, 200.0 / 3}, "c": {0, 0}},
			map[string]want{"a": {0.25, 25}, "b": {0.5, 50}, "c": {0.25, 25}}},
		// Opp on the first touch, lead after it: a .3+.3, b .3, no touch
		// before opp for the 10%: /0.9 (c after opp gets 0). Full path: a
		// .45, b .225, c closes .225: /0.9.
		{"opp on the first touch", "a:0:1,b:1:0,c:0:0",
			map[string]want{"a": {2.0 / 3, 200.0 / 3}, "b": {1.0 / 3, 100.0 / 3}, "c": {0, 0}},
			map[string]want{"a": {0.5, 50}, "b": {0.25, 25}, "c": {0.25, 25}}},
		// Every role on the first of two touches: W gives a .9 (= 100%).
		// Full path: a .675, b closes .225: /0.9.
		{"all roles on the first of two", "a:1:1,b:0:0",
			map[string]want{"a": {1, 100}, "b": {0, 0}},
			map[string]want{"a": {0.75, 75}, "b": {0.25, 25}}},
		// Lead but no opp: a .3, b .3, the 10% over all others (c, d .05
		// each): /0.7. Full path: a, b .225, d closes .225, c .1: /0.775.
		{"lead without opp", "a:0:0,b:1:0,c:0:0,d:0:0",
			map[string]want{"a": {3.0 / 7, 300.0 / 7}, "b": {3.0 / 7, 300.0 / 7}, "c": {1.0 / 14, 100.0 / 14}, "d": {1.0 / 14, 100.0 / 14}},
			map[string]want{"a": {0.225 / 0.775, 22.5 / 0.775}, "b": {0.225 / 0.775, 22.5 / 0.775}, "c": {0.1 / 0.775, 10 / 0.775}, "d": {0.225 / 0.775, 22.5 / 0.775}}},
		// Two lead flags: the first (b) is the lead-creation touch, c is an
		// ordinary touch before opp (.1). Full path: d is opp and closes
		// (.45).
		{"second lead flag is an ordinary touch", "a:0:0,b:1:0,c:1:0,d:0:1",
			map[string]want{"a": {0.3, 30}, "b": {0.3, 30}, "c": {0.1, 10}, "d": {0.3, 30}},
			map[string]want{"a": {0.225, 22.5}, "b": {0.225, 22.5}, "c": {0.1, 10}, "d": {0.45, 45}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n")
			for i, tp := range strings.Split(tt.touches, ",") {
				f := strings.Split(tp, ":")
				b.WriteString("j,2026-05-0" + string(rune('1'+i)) + "T00:00:00Z," + f[0] + "," + f[1] + "," + f[2] + ",1,100,2026-06-01T00:00:00Z\n")
			}
			a, err := attribution.ReadTouches(context.Background(), strings.NewReader(b.String()), "w.csv")
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []struct {
				model attribution.Model
				wants map[string]want
			}{{attribution.WShaped(), tt.w}, {attribution.FullPath(), tt.fp}} {
				r, err := attribution.Run(context.Background(), a, m.model)
				if err != nil {
					t.Fatal(err)
				}
				checkResult(t, r, m.wants)
			}
		})
	}
}

func TestLookback(t *testing.T) {
	// Conversion on 03-31. j1: email 40 days before, social 5 days before;
	// j2: only a touch 60 days before → unattributed; j3 does not convert
	// and keeps its old touch.
	in := `journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
j1,2026-02-19T00:00:00Z,email,0,0,1,100,2026-03-31T00:00:00Z
j1,2026-03-26T00:00:00Z,social,0,0,1,100,2026-03-31T00:00:00Z
j2,2026-01-30T00:00:00Z,email,0,0,1,50,2026-03-31T00:00:00Z
j3,2026-01-01T00:00:00Z,display,0,0,0,0,
`
	a, err := attribution.ReadTouches(context.Background(), strings.NewReader(in), "lb.csv", attribution.WithLookback(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Unattributed(), (attribution.Totals{Journeys: 1, Conversions: 1, Value: usd(50)}); got != want {
		t.Errorf("Unattributed = %+v, want %+v", got, want)
	}
	r, err := attribution.Run(context.Background(), a, attribution.FirstTouch())
	if err != nil {
		t.Fatal(err)
	}
	// Only social (5 days) is inside 30 days for j1, so it is j1's first touch.
	checkResult(t, r, map[string]want{"social": {1, 100}, "display": {0, 0}})
	if r.TotalConversions+r.Unattributed.Conversions != a.Totals().Conversions {
		t.Errorf("credited %d + unattributed %d != %d in", r.TotalConversions, r.Unattributed.Conversions, a.Totals().Conversions)
	}
}

// TestFromRecord: the one record → attribution touch conversion carries
// channel, time, campaign and both milestone flags, and Record inverts it.
func TestFromRecord(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	rt := record.Touch{At: at, Channel: "webinar", Campaign: "w1", Kind: record.TouchSales, LeadCreated: true, OppCreated: true, LeadID: "l1", DealID: "d1", Line: 9}
	tp := attribution.FromRecord(rt)
	want := attribution.Touchpoint{Channel: "webinar", Time: at, Campaign: "w1", LeadCreated: true, OppCreated: true}
	if tp != want {
		t.Fatalf("FromRecord = %+v, want %+v", tp, want)
	}
	back := tp.Record(record.TouchSales)
	if back != (record.Touch{At: at, Channel: "webinar", Campaign: "w1", Kind: record.TouchSales, LeadCreated: true, OppCreated: true}) {
		t.Fatalf("Record = %+v", back)
	}
}
