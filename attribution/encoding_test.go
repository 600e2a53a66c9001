package attribution_test

import (
	"bytes"
	"context"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
)

var (
	_ encoding.BinaryMarshaler   = (*attribution.Aggregate)(nil)
	_ encoding.BinaryUnmarshaler = (*attribution.Aggregate)(nil)
)

// journeysOf reads synthetic journeys as values (the reader reuses its
// journey, so each is copied).
func journeysOf(t testing.TB, n int, seed uint64) []attribution.Journey {
	t.Helper()
	tr, err := attribution.NewTouchReader(context.Background(), bytes.NewReader(synthCSV(t, n, seed)), "synth.csv")
	if err != nil {
		t.Fatal(err)
	}
	var out []attribution.Journey
	for j, err := range tr.All() {
		if err != nil {
			t.Fatal(err)
		}
		c := *j
		c.Touches = append([]attribution.Touchpoint(nil), j.Touches...)
		out = append(out, c)
	}
	return out
}

// modelRuns is every model of Models(), Markov of orders 1 to 3, sampled
// Shapley, and a bootstrap: the runs an encoding must preserve.
type modelRun struct {
	name string
	run  func(*attribution.Aggregate) (any, error)
}

func modelRuns(t testing.TB) []modelRun {
	t.Helper()
	ctx := context.Background()
	var runs []modelRun
	byName := func(label, name string, opts ...attribution.ModelOption) {
		m, err := attribution.ModelByName(name, opts...)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, modelRun{label, func(a *attribution.Aggregate) (any, error) { return attribution.Run(ctx, a, m) }})
	}
	for _, name := range attribution.Models() {
		byName(name, name)
	}
	byName("markov order 2", "markov", attribution.WithOrder(2))
	byName("markov order 3", "markov", attribution.WithOrder(3))
	byName("shapley sampled", "shapley_local_rate", attribution.WithSampling(200, 9))
	runs = append(runs, modelRun{"bootstrap linear+time_decay+markov", func(a *attribution.Aggregate) (any, error) {
		return attribution.Bootstrap(ctx, a, attribution.BootstrapConfig{Replicates: 20, Seed: 3, Workers: 2},
			attribution.Linear(), attribution.TimeDecay(), attribution.Markov(1))
	}})
	return runs
}

// results runs every model and returns each outcome as JSON (or the
// error's text): byte equality of two such lists is bit equality of every
// float credited.
func results(t testing.TB, a *attribution.Aggregate) []string {
	t.Helper()
	var out []string
	for _, r := range modelRuns(t) {
		res, err := r.run(a)
		if err != nil {
			out = append(out, r.name+": error: "+err.Error())
			continue
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r.name+": "+string(b))
	}
	return out
}

func sameResults(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d results, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: result %d differs:\n got %.300s\nwant %.300s", what, i, got[i], want[i])
		}
	}
}

func marshal(t testing.TB, a *attribution.Aggregate) []byte {
	t.Helper()
	b, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unmarshal(t testing.TB, b []byte) *attribution.Aggregate {
	t.Helper()
	a := new(attribution.Aggregate)
	if err := a.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestEncodingRoundTrip: decode(encode(a)) gives the same bytes for every
// model (rule-based, time-based, Markov of each order, Shapley exact and
// sampled, bootstrap intervals), the same totals and the same encoding.
func TestEncodingRoundTrip(t *testing.T) {
	period := attribution.WithPeriod(time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cm, err := attribution.NewChannelMap(attribution.ChannelRules{Names: map[string]string{"paid_search": "search", "organic_search": "search"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts []attribution.Option
	}{
		{"defaults", nil},
		{"half-life and lookback", []attribution.Option{attribution.WithHalfLife(3 * 24 * time.Hour), attribution.WithLookback(20 * 24 * time.Hour)}},
		{"period in another zone", []attribution.Option{period}},
		{"channel map", []attribution.Option{attribution.WithChannelMap(cm)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			a := synthAgg(t, 3000, 11, opts...)
			enc := marshal(t, a)
			if !bytes.HasPrefix(enc, []byte("RVAG\x01")) {
				t.Fatalf("encoding starts %q, want the magic and version 1", enc[:min(5, len(enc))])
			}
			d := unmarshal(t, enc)
			if got := marshal(t, d); !bytes.Equal(got, enc) {
				t.Fatal("encode(decode(b)) != b")
			}
			if d.Totals() != a.Totals() || d.Unattributed() != a.Unattributed() || d.OutsidePeriod() != a.OutsidePeriod() ||
				d.HalfLife() != a.HalfLife() || d.Lookback() != a.Lookback() || d.Currency() != a.Currency() ||
				!d.Period().From.Equal(a.Period().From) || !d.Period().To.Equal(a.Period().To) {
				t.Fatalf("decoded totals or options differ: %+v %+v %v vs %+v %+v %v", d.Totals(), d.Unattributed(), d.Period(), a.Totals(), a.Unattributed(), a.Period())
			}
			sameResults(t, "decoded", results(t, d), results(t, a))
			// The decoded aggregate merges as the original does.
			fresh := attribution.NewAggregate(opts...)
			if err := fresh.Merge(d); err != nil {
				t.Fatalf("merging the decoded aggregate into a fresh one: %v", err)
			}
			if got := marshal(t, fresh); !bytes.Equal(got, enc) {
				t.Fatal("fresh.Merge(decoded) encodes differently")
			}
		})
	}
}

// TestEncodingByHand checks the bytes of a one-journey aggregate against
// the format written out by hand, and the time-decay credit that survives
// it: touches 7 days and 0 days before the conversion with a 7-day
// half-life weigh 2^-1 and 2^0, so email gets 1/3 and direct 2/3 of the
// conversion and of its 300 minor units (time decay's definition,
// 2^(−Δt/h) normalised over the journey).
func TestEncodingByHand(t *testing.T) {
	conv := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	a := attribution.NewAggregate(attribution.WithHalfLife(7 * 24 * time.Hour))
	if err := a.Add(attribution.Journey{ID: "j1", Converted: true, Value: usd(300), ConversionTime: conv, Touches: []attribution.Touchpoint{
		{Channel: "email", Time: conv.Add(-7 * 24 * time.Hour), LeadCreated: true},
		{Channel: "direct", Time: conv},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Add(attribution.Journey{ID: "j2"}); err != nil { // no touches: unattributed
		t.Fatal(err)
	}
	enc := marshal(t, a)
	var want []byte
	want = append(want, "RVAG\x01"...)
	want = binary.AppendUvarint(want, uint64(7*24*time.Hour))
	want = append(want, 0)                             // lookback 0
	want = append(want, 0, 0)                          // no period
	want = append(want, 3)                             // len("USD")
	want = append(want, "USD"...)                      //
	want = append(want, 0)                             // flags: touch times present
	want = append(want, 2, 1, 0x80|(300&0x7f), 300>>7) // totals: 2 journeys, 1 conversion, 300
	want = append(want, 1, 0, 0)                       // unattributed: j2
	want = append(want, 0, 0, 0)                       // outside the period
	want = append(want, 2, 6)
	want = append(want, "direct"...)
	want = append(want, 5)
	want = append(want, "email"...)
	want = append(want, 1)       // one path
	want = append(want, 2, 1, 0) // email(1) > direct(0)
	want = append(want, 1, 1, 0x80|(300&0x7f), 300>>7)
	if !bytes.HasPrefix(enc, want) {
		t.Fatalf("encoding\n%x\nwant prefix\n%x", enc, want)
	}
	// Then 2 credited channels (direct, email), 3 models × (conversions,
	// value) in 64.64 fixed point, then no renames: check the credit
	// through a decoded aggregate.
	d := unmarshal(t, enc)
	res, err := attribution.Run(context.Background(), d, attribution.TimeDecay())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		ch    string
		conv  float64
		value int64
	}{{"direct", 2.0 / 3, 200}, {"email", 1.0 / 3, 100}} {
		c, ok := res.Channel(w.ch)
		if !ok || c.Value.Amount != w.value || abs(c.Conversions-w.conv) > 1e-15 {
			t.Errorf("%s: %+v, want %.17g conversions and %d", w.ch, c, w.conv, w.value)
		}
	}
	if res.Unattributed.Journeys != 1 {
		t.Errorf("unattributed %+v, want the journey without touches", res.Unattributed)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestOrderIndependence: the same journeys added in shuffled orders, or
// split into shards merged in different trees, give the same encoding and
// bit-identical results for every model. The journey-level credits are
// summed in 64.64 fixed point (integer addition is associative) and every
// model runs on the canonical view (channels by name, paths sorted), so no
// float sum depends on the order of Add or Merge.
func TestOrderIndependence(t *testing.T) {
	journeys := journeysOf(t, 2000, 5)
	opts := []attribution.Option{attribution.WithHalfLife(5 * 24 * time.Hour), attribution.WithLookback(60 * 24 * time.Hour)}
	build := func(js []attribution.Journey) *attribution.Aggregate {
		a := attribution.NewAggregate(opts...)
		for _, j := range js {
			if err := a.Add(j); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	ref := build(journeys)
	refEnc, refRes := marshal(t, ref), results(t, ref)

	shuffled := func(seed uint64) []attribution.Journey {
		js := append([]attribution.Journey(nil), journeys...)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(js), func(i, j int) { js[i], js[j] = js[j], js[i] })
		return js
	}
	shards := func(js []attribution.Journey, n int) []*attribution.Aggregate {
		out := make([]*attribution.Aggregate, n)
		for i := range out {
			out[i] = build(js[i*len(js)/n : (i+1)*len(js)/n])
		}
		return out
	}
	// leftFold merges shards one after the other; tree merges them in pairs;
	// reversed merges from the last shard; viaBytes sends each shard through
	// its encoding first.
	leftFold := func(as []*attribution.Aggregate) *attribution.Aggregate {
		acc := attribution.NewAggregate(opts...)
		for _, a := range as {
			if err := acc.Merge(a); err != nil {
				t.Fatal(err)
			}
		}
		return acc
	}
	var tree func(as []*attribution.Aggregate) *attribution.Aggregate
	tree = func(as []*attribution.Aggregate) *attribution.Aggregate {
		if len(as) == 1 {
			return as[0]
		}
		l, r := tree(as[:len(as)/2]), tree(as[len(as)/2:])
		if err := r.Merge(l); err != nil { // right absorbs left: another order
			t.Fatal(err)
		}
		return r
	}
	reversed := func(as []*attribution.Aggregate) *attribution.Aggregate {
		acc := attribution.NewAggregate(opts...)
		for i := len(as) - 1; i >= 0; i-- {
			if err := acc.Merge(as[i]); err != nil {
				t.Fatal(err)
			}
		}
		return acc
	}
	viaBytes := func(as []*attribution.Aggregate) *attribution.Aggregate {
		acc := attribution.NewAggregate(opts...)
		for _, a := range as {
			if err := acc.Merge(unmarshal(t, marshal(t, a))); err != nil {
				t.Fatal(err)
			}
		}
		return unmarshal(t, marshal(t, acc))
	}
	cases := []struct {
		name string
		agg  func() *attribution.Aggregate
	}{
		{"shuffled", func() *attribution.Aggregate { return build(shuffled(1)) }},
		{"shuffled again", func() *attribution.Aggregate { return build(shuffled(2)) }},
		{"7 shards left fold", func() *attribution.Aggregate { return leftFold(shards(shuffled(3), 7)) }},
		{"7 shards tree", func() *attribution.Aggregate { return tree(shards(shuffled(4), 7)) }},
		{"5 shards reversed", func() *attribution.Aggregate { return reversed(shards(shuffled(5), 5)) }},
		{"16 shards through bytes", func() *attribution.Aggregate { return viaBytes(shards(shuffled(6), 16)) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.agg()
			if a.Totals() != ref.Totals() {
				t.Fatalf("totals %+v, want %+v", a.Totals(), ref.Totals())
			}
			if !bytes.Equal(marshal(t, a), refEnc) {
				t.Error("encoding differs from the in-order aggregate's")
			}
			sameResults(t, tc.name, results(t, a), refRes)
		})
	}
}

// TestEncodingChannelMap: a decoded aggregate keeps the renames; decoded
// into a receiver built with the channel map, journeys added later are
// still normalised and counted.
func TestEncodingChannelMap(t *testing.T) {
	cm, err := attribution.NewChannelMap(attribution.ChannelRules{Trim: true, Fold: true})
	if err != nil {
		t.Fatal(err)
	}
	conv := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	j := func(id, ch string) attribution.Journey {
		return attribution.Journey{ID: id, Converted: true, Value: usd(10), ConversionTime: conv,
			Touches: []attribution.Touchpoint{{Channel: ch, Time: conv}}}
	}
	a := attribution.NewAggregate(attribution.WithChannelMap(cm))
	for _, x := range []attribution.Journey{j("1", "Email"), j("2", " email "), j("3", "email")} {
		if err := a.Add(x); err != nil {
			t.Fatal(err)
		}
	}
	d := attribution.NewAggregate(attribution.WithChannelMap(cm))
	if err := d.UnmarshalBinary(marshal(t, a)); err != nil {
		t.Fatal(err)
	}
	if err := d.Add(j("4", "EMAIL")); err != nil {
		t.Fatal(err)
	}
	want := []attribution.Rename{{From: " email ", To: "email", Touches: 1}, {From: "EMAIL", To: "email", Touches: 1}, {From: "Email", To: "email", Touches: 1}}
	got := d.Renamed()
	if len(got) != len(want) {
		t.Fatalf("renamed %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("renamed[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if ch := d.Channels(); len(ch) != 1 || ch[0] != "email" || d.Totals().Conversions != 4 {
		t.Errorf("channels %v, totals %+v; want [email] and 4 conversions", ch, d.Totals())
	}
}

// TestUnmarshalHostile: bytes that are not an encoding return ErrEncoding
// (and ErrInvalidInput), never panic, and leave the receiver unchanged.
func TestUnmarshalHostile(t *testing.T) {
	valid := marshal(t, synthAgg(t, 300, 2))
	flip := func(i int, v byte) []byte { b := bytes.Clone(valid); b[i] = v; return b }
	huge := append([]byte("RVAG\x01"), binary.AppendUvarint(nil, 1<<62)...)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic only", []byte("RVAG")},
		{"other magic", append([]byte("RVPA\x01"), valid[5:]...)},
		{"version 2", flip(4, 2)},
		{"trailing byte", append(bytes.Clone(valid), 0)},
		{"huge half-life count", huge},
		{"zero half-life", append([]byte("RVAG\x01"), 0, 0, 0, 0, 3, 'U', 'S', 'D')},
		{"bad currency", append([]byte("RVAG\x01"), 1, 0, 0, 0, 3, 'u', 's', '$')},
		{"10 GB string", append([]byte("RVAG\x01\x01\x00\x00\x00"), binary.AppendUvarint(nil, 10<<30)...)},
		{"totals do not add up", flip(len("RVAG\x01")+len(binary.AppendUvarint(nil, uint64(attribution.DefaultHalfLife)))+1+2+4+1, 0x7f)},
	}
	for n := 1; n < len(valid); n += max(1, len(valid)/200) {
		tests = append(tests, struct {
			name string
			data []byte
		}{"truncated", valid[:n]})
	}
	for _, tc := range tests {
		a := synthAgg(t, 50, 9)
		before := marshal(t, a)
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		err := a.UnmarshalBinary(tc.data)
		runtime.ReadMemStats(&ms1)
		if !errors.Is(err, attribution.ErrEncoding) || !errors.Is(err, attribution.ErrInvalidInput) {
			t.Errorf("%s (%d bytes): err = %v, want ErrEncoding", tc.name, len(tc.data), err)
		}
		if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 1<<20 {
			t.Errorf("%s: decoding %d bytes allocated %d bytes", tc.name, len(tc.data), alloc)
		}
		if !bytes.Equal(marshal(t, a), before) {
			t.Errorf("%s: a failed UnmarshalBinary changed the aggregate", tc.name)
		}
	}
}

// FuzzAggregateUnmarshalBinary: any bytes either fail with ErrEncoding or
// decode to an aggregate whose encoding decodes again to the same bytes
// and on which models run without panicking or leaking NaN.
func FuzzAggregateUnmarshalBinary(f *testing.F) {
	f.Add(marshal(f, synthAgg(f, 40, 1)))
	f.Add(marshal(f, synthAgg(f, 40, 2, attribution.WithLookback(24*time.Hour))))
	f.Add(marshal(f, attribution.NewAggregate()))
	f.Add([]byte("RVAG\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a := new(attribution.Aggregate)
		if err := a.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, attribution.ErrEncoding) {
				t.Fatalf("error %v does not match ErrEncoding", err)
			}
			return
		}
		enc := marshal(t, a)
		if got := marshal(t, unmarshal(t, enc)); !bytes.Equal(got, enc) {
			t.Fatal("re-encoding is not stable")
		}
		for _, m := range []attribution.Model{attribution.Linear(), attribution.TimeDecay(), attribution.Markov(1)} {
			res, err := attribution.Run(context.Background(), a, m)
			if err != nil {
				continue
			}
			if _, err := json.Marshal(res); err != nil { // NaN or Inf fail to encode
				t.Fatalf("%s: %v", m.Name(), err)
			}
		}
	})
}

// TestMarshalConcurrent: a built aggregate may be encoded while models run
// on it, from any number of goroutines (run with -race); every encoding is
// the same bytes.
func TestMarshalConcurrent(t *testing.T) {
	a := synthAgg(t, 500, 3)
	want := marshal(t, a)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			if i%2 == 0 {
				if _, err := attribution.Run(context.Background(), a, attribution.Markov(2)); err != nil {
					errs <- err
					return
				}
			}
			b, err := a.MarshalBinary()
			if err == nil && !bytes.Equal(b, want) {
				err = errors.New("concurrent encodings differ")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
