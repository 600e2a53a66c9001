package attribution_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
)

const touchHeader = "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n"

func TestReadTouchesErrors(t *testing.T) {
	// Every case is read in both row orders and must give the same error,
	// except the grouped-only ones (strict mode's ordering rules).
	tests := []struct {
		name string
		in   string
		want string // the error message
	}{
		{"empty input", "", "t.csv:1: empty input: a header line is required"},
		{"missing column", "journey_id,timestamp,channel\n", "t.csv:1: lead_created: missing column\n" +
			"t.csv:1: opp_created: missing column\nt.csv:1: converted: missing column\n" +
			"t.csv:1: value_minor: missing column\nt.csv:1: conversion_time: missing column"},
		{"unknown column", strings.TrimSuffix(touchHeader, "\n") + ",colour\n", `t.csv:1:9: colour: unknown column (known: journey_id, timestamp, channel, lead_created, opp_created, converted, value_minor, conversion_time, campaign, currency)`},
		{"field count", touchHeader + "j1,2026-01-01T00:00:00Z,email,0,0,0,0\n", "t.csv:2:8: 7 fields, the header has 8"},
		{"non-integer value", touchHeader + "j1,2026-01-01T00:00:00Z,email,0,0,1,12.50,2026-01-02T00:00:00Z\n",
			`t.csv:2:7: value_minor: "12.50" is not an integer (minor units)`},
		{"bad flag", touchHeader + "j1,2026-01-01T00:00:00Z,email,yes,0,0,0,\n", `t.csv:2:4: lead_created: "yes" is not 0 or 1`},
		{"bad timestamp", touchHeader + "j1,01/02/2026,email,0,0,0,0,\n", `t.csv:2:2: timestamp: "01/02/2026" is not an RFC 3339 timestamp`},
		{"value without conversion", touchHeader + "j1,2026-01-01T00:00:00Z,email,0,0,0,5,\n",
			"t.csv:2:7: value_minor: 5 on a journey that did not convert (want 0)"},
		{"converted without time", touchHeader + "j1,2026-01-01T00:00:00Z,email,0,0,1,5,\n",
			"t.csv:2:8: conversion_time: empty timestamp (want RFC 3339)"},
		{"ungrouped", touchHeader +
			"j1,2026-01-01T00:00:00Z,email,0,0,0,0,\n" +
			"j2,2026-01-01T00:00:00Z,email,0,0,0,0,\n" +
			"j1,2026-01-02T00:00:00Z,email,0,0,0,0,\n",
			`t.csv:4:1: journey_id: journey "j1" is not grouped: its rows started on line 2 and resume here after another journey`},
		{"out of order", touchHeader +
			"j1,2026-01-02T00:00:00Z,email,0,0,0,0,\n" +
			"j1,2026-01-01T00:00:00Z,social,0,0,0,0,\n",
			"t.csv:3:2: timestamp: 2026-01-01T00:00:00Z is before the journey's previous touch (2026-01-02T00:00:00Z): rows must be in time order"},
		{"inconsistent converted", touchHeader +
			"j1,2026-01-01T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z\n" +
			"j1,2026-01-02T00:00:00Z,social,0,0,0,0,\n",
			`t.csv:3:6: converted: 0, but 1 on line 2 (first row of journey "j1")`},
		{"inconsistent value", touchHeader +
			"j1,2026-01-01T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z\n" +
			"j1,2026-01-02T00:00:00Z,social,0,0,1,11,2026-01-05T00:00:00Z\n",
			`t.csv:3:7: value_minor: 11, but 10 on line 2 (first row of journey "j1")`},
		{"inconsistent conversion time", touchHeader +
			"j1,2026-01-01T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z\n" +
			"j1,2026-01-02T00:00:00Z,social,0,0,1,10,2026-01-06T00:00:00Z\n",
			`t.csv:3:8: conversion_time: 2026-01-06T00:00:00Z, but 2026-01-05T00:00:00Z on line 2 (first row of journey "j1")`},
		{"touch after conversion", touchHeader + "j1,2026-01-09T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z\n",
			"t.csv:2:2: timestamp: 2026-01-09T00:00:00Z is after the conversion (2026-01-05T00:00:00Z)"},
		{"empty channel among touches", touchHeader +
			"j1,2026-01-01T00:00:00Z,email,0,0,0,0,\n" +
			"j1,,,0,0,0,0,\n",
			`t.csv:3:3: channel: empty channel in journey "j1", which has other rows (a journey without touchpoints has a single row with an empty channel)`},
		{"unterminated quote", touchHeader + "\"j1,2026-01-01T00:00:00Z,email,0,0,0,0,\n",
			"t.csv:2:1: quoted field not closed before the end of the input"},
		{"bare quote", touchHeader + "j\"1,2026-01-01T00:00:00Z,email,0,0,0,0,\n",
			"t.csv:2:1: bare quote in unquoted field 1 (quote the whole field and double the quote)"},
		{"other currency", strings.TrimSuffix(touchHeader, "\n") + ",currency\n" +
			"j1,2026-01-01T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z,USD\n" +
			"j2,2026-01-01T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z,EUR\n",
			`t.csv:3:9: currency: "EUR", but the input is in USD (one currency per input)`},
	}
	for _, tt := range tests {
		for _, order := range []attribution.RowOrder{attribution.Grouped, attribution.AnyOrder} {
			if (tt.name == "ungrouped" || tt.name == "out of order") && order == attribution.AnyOrder {
				continue
			}
			t.Run(tt.name+"/"+order.String(), func(t *testing.T) {
				_, err := attribution.ReadTouches(context.Background(), strings.NewReader(tt.in), "t.csv", attribution.WithRowOrder(order))
				if err == nil {
					t.Fatal("no error")
				}
				if err.Error() != tt.want {
					t.Errorf("error:\n got %s\nwant %s", err, tt.want)
				}
				var pe *attribution.Error
				if !errors.As(err, &pe) {
					t.Errorf("%T is not an *Error", err)
				}
				if !errors.Is(err, attribution.ErrSyntax) && !errors.Is(err, attribution.ErrInvalidJourney) && !errors.Is(err, money.ErrCurrencyMismatch) {
					t.Errorf("%v matches no sentinel", err)
				}
			})
		}
	}
}

func TestReadTouchesQuotesAndOrder(t *testing.T) {
	// Columns in another order, quoted fields, CRLF, a campaign column, an
	// offset timestamp; equal timestamps keep their input order.
	in := "channel,journey_id,timestamp,lead_created,opp_created,converted,value_minor,conversion_time,campaign\r\n" +
		"\"paid, search\",j1,2026-01-01T02:00:00+02:00,0,0,1,70,2026-01-01T00:00:00Z,\"spring \"\"sale\"\"\"\r\n" +
		"email,j1,2026-01-01T00:00:00Z,0,0,1,70,2026-01-01T00:00:00Z,\r\n"
	tr, err := attribution.NewTouchReader(context.Background(), strings.NewReader(in), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	j, err := tr.Next()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want := attribution.Journey{
		ID: "j1", Converted: true, Value: usd(70), ConversionTime: at,
		Touches: []attribution.Touchpoint{
			{Channel: "paid, search", Time: at, Campaign: `spring "sale"`},
			{Channel: "email", Time: at},
		},
	}
	if diff := cmp.Diff(want, *j, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("journey (-want +got):\n%s", diff)
	}
	if _, err := tr.Next(); err != io.EOF {
		t.Errorf("second Next: %v, want io.EOF", err)
	}
}

func TestReadPaths(t *testing.T) {
	in := "path,total_conversions,total_conversion_value,total_null\n" +
		"a > b > a,2,300,5\n" +
		"\"b>c\",0,0,1\n" +
		"a > b > a,1,100,0\n" + // same path again: adds up
		",1,40,2\n" // no touches: unattributed
	a, err := attribution.ReadPaths(context.Background(), strings.NewReader(in), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []attribution.Path{
		{Channels: []string{"a", "b", "a"}, Journeys: 8, Conversions: 3, Value: usd(400)},
		{Channels: []string{"b", "c"}, Journeys: 1, Value: usd(0)},
	}
	if diff := cmp.Diff(want, a.Paths()); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	// 3+0+1+1 conversions, 300+100+40 value, 8+1+3 journeys.
	if got, want := a.Totals(), (attribution.Totals{Journeys: 12, Conversions: 4, Value: usd(440)}); got != want {
		t.Errorf("Totals = %+v, want %+v", got, want)
	}
	if got, want := a.Unattributed(), (attribution.Totals{Journeys: 3, Conversions: 1, Value: usd(40)}); got != want {
		t.Errorf("Unattributed = %+v, want %+v", got, want)
	}
	if a.HasTimes() {
		t.Error("HasTimes on path input")
	}
}

func TestReadPathsErrors(t *testing.T) {
	const h = "path,total_conversions,total_conversion_value,total_null\n"
	tests := []struct {
		name, in, want string
	}{
		{"decimal value", h + "a > b,1,12.5,0\n", `p.csv:2:3: total_conversion_value: "12.5" is not a non-negative integer (minor units)`},
		{"negative count", h + "a,-1,0,0\n", `p.csv:2:2: total_conversions: "-1" is not a non-negative integer`},
		{"empty channel", h + "a > > b,1,1,0\n", `p.csv:2:1: path: empty channel at position 2 of "a > > b"`},
		{"value without conversions", h + "a,0,5,1\n", "p.csv:2:3: total_conversion_value: 5 on a path without conversions"},
		{"missing column", "path,total_conversions\n", "p.csv:1: total_conversion_value: missing column\np.csv:1: total_null: missing column"},
		{"every bad line", h + "a,x,0,0\nb,1,1,0\nc,1,1,-2\n",
			"p.csv:2:2: total_conversions: \"x\" is not a non-negative integer\np.csv:4:4: total_null: \"-2\" is not a non-negative integer"},
		{"other currency", "path,total_conversions,total_conversion_value,total_null,currency\na,1,5,0,EUR\n",
			`p.csv:2:5: currency: "EUR", but the input is in USD (one currency per input)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := attribution.ReadPaths(context.Background(), strings.NewReader(tt.in), "p.csv")
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
	_, err := attribution.ReadPaths(context.Background(), strings.NewReader(h), "p.csv", attribution.WithLookback(30*24*time.Hour))
	if !errors.Is(err, attribution.ErrNeedsTimes) {
		t.Errorf("lookback on paths: %v, want ErrNeedsTimes", err)
	}
}

// TestMergeEqualsWhole splits synthetic journeys into two shards by journey,
// aggregates each, merges, and compares with the aggregate of everything.
func TestMergeEqualsWhole(t *testing.T) {
	data := synthCSV(t, 3000, 11)
	lines := bytes.SplitAfter(data, []byte("\n"))
	header := lines[0]
	// Cut at a journey boundary near the middle.
	cut := len(lines) / 2
	id := func(l []byte) string { return string(l[:bytes.IndexByte(l, ',')]) }
	for id(lines[cut]) == id(lines[cut-1]) {
		cut++
	}
	shard1 := bytes.Join(lines[:cut], nil)
	shard2 := append(append([]byte(nil), header...), bytes.Join(lines[cut:], nil)...)
	read := func(b []byte) *attribution.Aggregate {
		a, err := attribution.ReadTouches(context.Background(), bytes.NewReader(b), "s.csv", attribution.WithLookback(20*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	whole, a1, a2 := read(data), read(shard1), read(shard2)
	// Merge in the order that gives a different channel numbering.
	merged := attribution.NewAggregate(attribution.WithLookback(20 * 24 * time.Hour))
	for _, a := range []*attribution.Aggregate{a2, a1} {
		if err := merged.Merge(a); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(whole.Paths(), merged.Paths()); diff != "" {
		t.Errorf("paths differ (-whole +merged):\n%s", diff)
	}
	if whole.Totals() != merged.Totals() || whole.Unattributed() != merged.Unattributed() {
		t.Errorf("totals %+v/%+v vs %+v/%+v", whole.Totals(), whole.Unattributed(), merged.Totals(), merged.Unattributed())
	}
	models := []attribution.Model{attribution.LastTouch(), attribution.Linear(), attribution.TimeDecay(),
		attribution.WShaped(), attribution.FullPath(), attribution.Markov(2), attribution.Shapley(), attribution.ShapleyLocalRate()}
	for _, m := range models {
		rw, err := attribution.Run(context.Background(), whole, m)
		if err != nil {
			t.Fatal(err)
		}
		rm, err := attribution.Run(context.Background(), merged, m)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rw.Channels {
			w, g := rw.Channels[i], rm.Channels[i]
			// Float sums in another order: equal to rounding.
			if w.Channel != g.Channel || math.Abs(w.Conversions-g.Conversions) > 1e-9 || math.Abs(w.ValueMinor-g.ValueMinor) > 1e-4 {
				t.Errorf("%s: whole %+v, merged %+v", m.Name(), w, g)
			}
		}
		checkAllocation(t, rw)
		checkAllocation(t, rm)
	}
	if err := merged.Merge(attribution.NewAggregate()); !errors.Is(err, attribution.ErrIncompatible) {
		t.Errorf("merging different lookbacks: %v, want ErrIncompatible", err)
	}
	before := merged.Totals()
	if err := merged.Merge(nil); err != nil || merged.Totals() != before {
		t.Errorf("merging nil: %v, totals %+v -> %+v; want no change", err, before, merged.Totals())
	}
}

func TestAggregateAddRejects(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		j    attribution.Journey
	}{
		{"out of order", attribution.Journey{ID: "x", Touches: []attribution.Touchpoint{{Channel: "a", Time: at.Add(time.Hour)}, {Channel: "b", Time: at}}}},
		{"value without conversion", attribution.Journey{ID: "x", Value: usd(5)}},
		{"no conversion time", attribution.Journey{ID: "x", Converted: true}},
		{"empty channel", attribution.Journey{ID: "x", Touches: []attribution.Touchpoint{{Time: at}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attribution.NewAggregate()
			err := a.Add(tt.j)
			if !errors.Is(err, attribution.ErrInvalidJourney) {
				t.Errorf("err = %v, want ErrInvalidJourney", err)
			}
			if a.Totals() != (attribution.Totals{Value: usd(0)}) {
				t.Errorf("rejected journey counted: %+v", a.Totals())
			}
		})
	}
}

func FuzzReadTouches(f *testing.F) {
	f.Add([]byte(handCSV))
	f.Add([]byte(touchHeader + "\"j1\",2026-01-01T00:00:00.5+01:00,\"a\"\"b\",0,0,1,5,2026-01-02T00:00:00Z\n"))
	f.Add([]byte(touchHeader + "j1,,,0,0,0,0,\nj1,,,0,0,0,0,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A TouchReader that goes on after errors ends, within one call per
		// line (plus the final io.EOF).
		if tr, err := attribution.NewTouchReader(context.Background(), bytes.NewReader(data), "f.csv"); err == nil {
			calls := 0
			for ; calls <= bytes.Count(data, []byte("\n"))+2; calls++ {
				if _, err := tr.Next(); err == io.EOF {
					break
				}
			}
			if calls > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("%d calls to Next without io.EOF", calls)
			}
		}
		a, err := attribution.ReadTouches(context.Background(), bytes.NewReader(data), "f.csv")
		// The strict reader accepts less than AnyOrder (tiny sort budget:
		// every row spills), never more, and what both accept is the same.
		g, gerr := attribution.ReadTouches(context.Background(), bytes.NewReader(data), "f.csv", attribution.WithRowOrder(attribution.Grouped))
		sp, sperr := attribution.ReadTouches(context.Background(), bytes.NewReader(data), "f.csv", attribution.WithSortMemory(1))
		if (err == nil) != (sperr == nil) || (err != nil && err.Error() != sperr.Error()) {
			t.Fatalf("in memory: %v; spilled: %v", err, sperr)
		}
		if gerr == nil && err != nil {
			t.Fatalf("grouped accepts, any order rejects: %v", err)
		}
		if err != nil {
			return
		}
		if gerr == nil && (g.Totals() != a.Totals() || len(g.Paths()) != len(a.Paths())) {
			t.Fatalf("grouped %+v, any order %+v", g.Totals(), a.Totals())
		}
		if sp.Totals() != a.Totals() || len(sp.Paths()) != len(a.Paths()) {
			t.Fatalf("spilled %+v, in memory %+v", sp.Totals(), a.Totals())
		}
		// Whatever was read must add up and run through every model.
		var in int64
		for _, p := range a.Paths() {
			in += p.Conversions
		}
		if in+a.Unattributed().Conversions != a.Totals().Conversions {
			t.Fatalf("paths %d + unattributed %d != %d", in, a.Unattributed().Conversions, a.Totals().Conversions)
		}
		for _, m := range []attribution.Model{attribution.Linear(), attribution.TimeDecay(), attribution.WShaped(), attribution.Markov(1), attribution.ShapleyLocalRate()} {
			r, err := attribution.Run(context.Background(), a, m)
			if err != nil {
				continue
			}
			for _, c := range r.Channels {
				if math.IsNaN(c.Conversions) || math.IsInf(c.Conversions, 0) || math.IsNaN(c.ValueMinor) || math.IsInf(c.ValueMinor, 0) {
					t.Fatalf("%s: %+v", m.Name(), c)
				}
			}
			checkAllocation(t, r)
		}
	})
}

func FuzzReadPaths(f *testing.F) {
	f.Add([]byte("path,total_conversions,total_conversion_value,total_null\na > b,1,10,2\n\"b\",0,0,1\n"))
	f.Add([]byte("total_null,path,total_conversions,total_conversion_value\n3,a>a>b,2,7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := attribution.ReadPaths(context.Background(), bytes.NewReader(data), "f.csv")
		if err != nil {
			return
		}
		for _, m := range []attribution.Model{attribution.LastNonDirect(), attribution.Markov(2), attribution.Shapley()} {
			r, err := attribution.Run(context.Background(), a, m)
			if err != nil {
				continue
			}
			for _, c := range r.Channels {
				if math.IsNaN(c.Conversions) || math.IsInf(c.Conversions, 0) || math.IsNaN(c.ValueMinor) || math.IsInf(c.ValueMinor, 0) {
					t.Fatalf("%s: %+v", m.Name(), c)
				}
			}
			checkAllocation(t, r)
		}
	})
}

func TestReadTouchesReportsEveryProblem(t *testing.T) {
	in := touchHeader +
		"j1,2026-01-01T00:00:00Z,email,0,0,0,0,\n" + // 2
		"j1,2026-01-02T00:00:00Z,email,0,0,0,0.5,\n" + // 3: bad value → j1 rejected
		"j2,2026-01-01T00:00:00Z,social,0,0,0,0,\n" + // 4: good
		"j3,yesterday,email,0,0,0,0,\n" + // 5: bad timestamp → j3 rejected
		"j3,2026-01-02T00:00:00Z,email,0,0,0,0,\n" + // 6: rest of j3, skipped
		"j4,2026-01-01T00:00:00Z,display,0,0,1,9,2026-01-03T00:00:00Z\n" + // 7: good
		"j1,2026-01-05T00:00:00Z,email,0,0,0,0,\n" // 8: j1 again, not grouped
	_, err := attribution.ReadTouches(context.Background(), strings.NewReader(in), "m.csv", attribution.WithRowOrder(attribution.Grouped))
	want := `m.csv:3:7: value_minor: "0.5" is not an integer (minor units)
m.csv:5:2: timestamp: "yesterday" is not an RFC 3339 timestamp
m.csv:8:1: journey_id: journey "j1" is not grouped: its rows started on line 2 and resume here after another journey`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
	var pe *attribution.Error
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column != 7 || pe.ID != "value_minor" {
		t.Errorf("errors.As: %+v", pe)
	}
	var list attribution.Errors
	if !errors.As(err, &list) || len(list) != 3 {
		t.Errorf("errors.As into Errors: %v", list)
	}

	// A TouchReader goes on after each problem and returns only the good
	// journeys.
	tr, err := attribution.NewTouchReader(context.Background(), strings.NewReader(in), "m.csv")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var lines []int
	for {
		j, err := tr.Next()
		if err == io.EOF {
			break
		}
		if errors.As(err, &pe) {
			lines = append(lines, pe.Line)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	if diff := cmp.Diff([]string{"j2", "j4"}, ids); diff != "" {
		t.Errorf("journeys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{3, 5, 8}, lines); diff != "" {
		t.Errorf("error lines (-want +got):\n%s", diff)
	}
}

func TestErrorsCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(touchHeader)
	for i := 0; i < attribution.MaxErrors+5; i++ {
		fmt.Fprintf(&b, "j%d,2026-01-01T00:00:00Z,email,2,0,0,0,\n", i) // lead_created 2
	}
	_, err := attribution.ReadTouches(context.Background(), strings.NewReader(b.String()), "c.csv")
	// The first MaxErrors problems, then one line counting the rest.
	var list attribution.Errors
	if !errors.As(err, &list) || len(list) != attribution.MaxErrors+1 {
		t.Fatalf("err = %T %v", err, err)
	}
	if got, want := list[attribution.MaxErrors-1].Line, attribution.MaxErrors+1; got != want {
		t.Errorf("last listed problem on line %d, want %d", got, want)
	}
	if !strings.HasSuffix(err.Error(), "\nc.csv: ... and 5 more problems (the first 100 are listed)") {
		t.Errorf("error ends %q", err.Error()[len(err.Error())-60:])
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := attribution.ReadTouches(ctx, strings.NewReader(handCSV), "h.csv"); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadTouches: %v, want context.Canceled", err)
	}
	if _, err := attribution.ReadPaths(ctx, strings.NewReader("path,total_conversions,total_conversion_value,total_null\na,1,1,0\n"), "p.csv"); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadPaths: %v, want context.Canceled", err)
	}
}

func TestZeroAggregate(t *testing.T) {
	// The zero Aggregate is usable: default half-life, no lookback.
	var a attribution.Aggregate
	at := time.Date(2026, 1, 8, 0, 0, 0, 0, time.UTC)
	err := a.Add(attribution.Journey{ID: "z", Converted: true, Value: usd(80), ConversionTime: at,
		Touches: []attribution.Touchpoint{{Channel: "a", Time: at.Add(-7 * 24 * time.Hour)}, {Channel: "b", Time: at}}})
	if err != nil {
		t.Fatal(err)
	}
	if a.HalfLife() != attribution.DefaultHalfLife {
		t.Errorf("HalfLife = %v", a.HalfLife())
	}
	r, err := attribution.Run(context.Background(), &a, attribution.TimeDecay())
	if err != nil {
		t.Fatal(err)
	}
	// Δt = 7 days (one half-life) and 0: weights 1/2 and 1 → 1/3, 2/3.
	checkResult(t, r, map[string]want{"a": {1.0 / 3, 80.0 / 3}, "b": {2.0 / 3, 160.0 / 3}})
}

// TestRegroupWindow: with a window of 2, j1 resuming after one other
// journey (j2) is an error; resuming after j2 and j3 (two, not fewer than
// the window) is outside what the window promises. The default window
// catches it.
func TestRegroupWindow(t *testing.T) {
	row := func(id, day string) string { return id + ",2026-01-" + day + "T00:00:00Z,email,0,0,0,0,\n" }
	near := touchHeader + row("j1", "01") + row("j2", "01") + row("j1", "02")
	_, err := attribution.ReadTouches(context.Background(), strings.NewReader(near), "t.csv",
		attribution.WithRowOrder(attribution.Grouped), attribution.WithRegroupWindow(2))
	if !errors.Is(err, attribution.ErrInvalidJourney) || !strings.Contains(err.Error(), `t.csv:4:1: journey_id: journey "j1" is not grouped: its rows started on line 2`) {
		t.Errorf("near regroup: %v", err)
	}
	far := touchHeader + row("j1", "01") + row("j2", "01") + row("j3", "01") + row("j1", "02")
	_, err = attribution.ReadTouches(context.Background(), strings.NewReader(far), "t.csv", attribution.WithRowOrder(attribution.Grouped))
	if !errors.Is(err, attribution.ErrInvalidJourney) {
		t.Errorf("default window: %v", err)
	}
	_, err = attribution.ReadTouches(context.Background(), strings.NewReader(far), "t.csv",
		attribution.WithRowOrder(attribution.Grouped), attribution.WithRegroupWindow(-1))
	if !errors.Is(err, attribution.ErrInvalidJourney) {
		t.Errorf("exact set: %v", err)
	}
}
