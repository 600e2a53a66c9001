package attribution_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/revengine/revengine/attribution"
)

type pathRow struct {
	chans             []string
	conv, value, null int64
}

func aggOf(t *testing.T, rows []pathRow) *attribution.Aggregate {
	t.Helper()
	var lines []string
	for _, r := range rows {
		lines = append(lines, fmt.Sprintf("%q,%d,%d,%d", strings.Join(r.chans, " > "), r.conv, r.value, r.null))
	}
	return pathsAgg(t, lines...)
}

func setOf(chans []string) map[string]bool {
	s := map[string]bool{}
	for _, c := range chans {
		s[c] = true
	}
	return s
}

// permutations calls f with every ordering of xs.
func permutations(xs []string, f func([]string)) {
	var rec func(k int)
	rec = func(k int) {
		if k == len(xs) {
			f(xs)
			return
		}
		for i := k; i < len(xs); i++ {
			xs[k], xs[i] = xs[i], xs[k]
			rec(k + 1)
			xs[k], xs[i] = xs[i], xs[k]
		}
	}
	rec(0)
}

// bruteShapley is the textbook Shapley value: the mean over all orderings
// of the players of each player's marginal worth.
func bruteShapley(players []string, worth func(map[string]bool) float64) map[string]float64 {
	phi := map[string]float64{}
	n := 0
	permutations(append([]string(nil), players...), func(order []string) {
		n++
		coal := map[string]bool{}
		prev := worth(coal)
		for _, p := range order {
			coal[p] = true
			w := worth(coal)
			phi[p] += w - prev
			prev = w
		}
	})
	for p := range phi {
		phi[p] /= float64(n)
	}
	return phi
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func equalSet(a, b map[string]bool) bool { return subset(a, b) && subset(b, a) }

// randomRows draws journeys over channels c0…c(n−1).
func randomRows(rng *rand.Rand, nchan, nrows int) []pathRow {
	var rows []pathRow
	for i := 0; i < nrows; i++ {
		k := 1 + rng.IntN(4)
		var chans []string
		for j := 0; j < k; j++ {
			chans = append(chans, fmt.Sprintf("c%d", rng.IntN(nchan)))
		}
		conv := int64(rng.IntN(3))
		var value int64
		if conv > 0 {
			value = conv * int64(1+rng.IntN(100))
		}
		rows = append(rows, pathRow{chans, conv, value, int64(rng.IntN(3)) + 1})
	}
	return rows
}

// TestShapleyMatchesBruteForce compares the closed form Σ a(T)/|T| with the
// definition, enumerating every ordering of up to 6 channels, for the
// worth v(S) = conversions (value) of journeys whose set ⊆ S.
func TestShapleyMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 9))
			rows := randomRows(rng, 6, 12)
			a := aggOf(t, rows)
			worth := func(field func(pathRow) int64) func(map[string]bool) float64 {
				return func(S map[string]bool) float64 {
					var v float64
					for _, r := range rows {
						if subset(setOf(r.chans), S) {
							v += float64(field(r))
						}
					}
					return v
				}
			}
			players := a.Channels()
			wantConv := bruteShapley(players, worth(func(r pathRow) int64 { return r.conv }))
			wantValue := bruteShapley(players, worth(func(r pathRow) int64 { return r.value }))
			r, err := attribution.Run(context.Background(), a, attribution.Shapley())
			if err != nil {
				t.Fatal(err)
			}
			wants := map[string]want{}
			for _, p := range players {
				wants[p] = want{wantConv[p], wantValue[p]}
			}
			checkResult(t, r, wants)
		})
	}
}

// TestShapleyLocalRateMatchesBruteForce checks the local-rate variant
// against the definition: for each converting channel set T, the Shapley
// values over all orderings of T with worth w(S) = conversion rate of the
// journeys whose set is exactly S, normalised by w(T) and multiplied by T's
// conversions (value). Sampling must approach the exact answer.
func TestShapleyLocalRateMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	rows := randomRows(rng, 5, 30)
	a := aggOf(t, rows)
	wants := bruteLocalRate(a, rows)
	r, err := attribution.Run(context.Background(), a, attribution.ShapleyLocalRate())
	if err != nil {
		t.Fatal(err)
	}
	if r.Estimate != nil {
		t.Errorf("exact result has Estimate %+v", r.Estimate)
	}
	checkResult(t, r, wants)

	s, err := attribution.Run(context.Background(), a, attribution.ShapleyLocalRate(attribution.WithSampling(20000, 7)))
	if err != nil {
		t.Fatal(err)
	}
	if s.Estimate == nil || s.Estimate.Samples != 20000 || s.Estimate.Seed != 7 {
		t.Errorf("Estimate = %+v", s.Estimate)
	}
	var total float64
	for _, c := range s.Channels {
		total += c.Conversions
		if w := wants[c.Channel]; math.Abs(c.Conversions-w.conv) > 0.05*math.Max(1, math.Abs(w.conv)) {
			t.Errorf("sampled %s = %g, exact %g", c.Channel, c.Conversions, w.conv)
		}
	}
	if math.Abs(total-float64(s.TotalConversions)) > 1e-9 {
		t.Errorf("sampled credits sum to %g, want %d", total, s.TotalConversions)
	}
	again, _ := attribution.Run(context.Background(), a, attribution.ShapleyLocalRate(attribution.WithSampling(20000, 7)))
	for i := range s.Channels {
		if s.Channels[i] != again.Channels[i] {
			t.Errorf("same seed, different estimate: %+v vs %+v", s.Channels[i], again.Channels[i])
		}
	}
}

// TestShapleyAxioms checks efficiency, symmetry and the null player on
// data built so that b and c play symmetric roles and z never converts.
func TestShapleyAxioms(t *testing.T) {
	rows := []pathRow{
		{[]string{"a", "b"}, 3, 300, 1},
		{[]string{"a", "c"}, 3, 300, 1},
		{[]string{"b"}, 1, 50, 2},
		{[]string{"c"}, 1, 50, 2},
		{[]string{"a"}, 2, 120, 2},
		{[]string{"z"}, 0, 0, 5},
		{[]string{"b", "c", "a"}, 2, 100, 0},
	}
	a := aggOf(t, rows)
	for _, m := range []attribution.Model{attribution.Shapley(), attribution.ShapleyLocalRate()} {
		t.Run(m.Name(), func(t *testing.T) {
			r, err := attribution.Run(context.Background(), a, m)
			if err != nil {
				t.Fatal(err)
			}
			var conv, value float64
			for _, c := range r.Channels {
				conv += c.Conversions
				value += c.ValueMinor
			}
			// Efficiency: 3+3+1+1+2+2 = 12 conversions, 920 value.
			if math.Abs(conv-12) > 1e-9 || math.Abs(value-920) > 1e-9 {
				t.Errorf("efficiency: credited %g, %g; want 12, 920", conv, value)
			}
			checkAllocation(t, r)
			b, _ := r.Channel("b")
			c, _ := r.Channel("c")
			if math.Abs(b.Conversions-c.Conversions) > 1e-12 || math.Abs(b.ValueMinor-c.ValueMinor) > 1e-9 {
				t.Errorf("symmetry: b %+v, c %+v", b, c)
			}
			if z, _ := r.Channel("z"); z.Conversions != 0 || z.ValueMinor != 0 || z.Value.Amount != 0 {
				t.Errorf("null player: z %+v", z)
			}
		})
	}
}

// bruteLocalRate is the local-rate definition by enumeration: for each
// converting channel set T, the Shapley values over all orderings of T with
// worth w(S) = conversion rate of the journeys whose set is exactly S,
// normalised by w(T) and multiplied by T's conversions (value).
func bruteLocalRate(a *attribution.Aggregate, rows []pathRow) map[string]want {
	type stat struct{ journeys, conv, value float64 }
	bySet := map[string]*stat{}
	sets := map[string]map[string]bool{}
	keyOf := func(s map[string]bool) string {
		var ks []string
		for k := range s {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	for _, r := range rows {
		s := setOf(r.chans)
		k := keyOf(s)
		if bySet[k] == nil {
			bySet[k], sets[k] = &stat{}, s
		}
		bySet[k].journeys += float64(r.conv + r.null)
		bySet[k].conv += float64(r.conv)
		bySet[k].value += float64(r.value)
	}
	rate := func(S map[string]bool) float64 {
		if st, ok := bySet[keyOf(S)]; ok {
			return st.conv / st.journeys
		}
		return 0
	}
	wants := map[string]want{}
	for _, c := range a.Channels() {
		wants[c] = want{}
	}
	for k, st := range bySet {
		if st.conv == 0 {
			continue
		}
		var players []string
		for p := range sets[k] {
			players = append(players, p)
		}
		sort.Strings(players)
		phi := bruteShapley(players, rate)
		for _, p := range players {
			w := wants[p]
			w.conv += st.conv * phi[p] / rate(sets[k])
			w.value += st.value * phi[p] / rate(sets[k])
			wants[p] = w
		}
	}
	return wants
}

// TestShapleyLocalRateManyChannels covers aggregates with more than 64
// channels: sets of up to 12 channels are still exact, larger ones sampled.
func TestShapleyLocalRateManyChannels(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	rows := randomRows(rng, 6, 25)
	for i := 0; i < 70; i++ { // 70 more channels, in journeys that never convert
		rows = append(rows, pathRow{chans: []string{fmt.Sprintf("z%02d", i)}, null: 1})
	}
	a := aggOf(t, rows)
	r, err := attribution.Run(context.Background(), a, attribution.ShapleyLocalRate())
	if err != nil {
		t.Fatal(err)
	}
	if r.Estimate != nil {
		t.Errorf("small sets were sampled: %+v", r.Estimate)
	}
	checkResult(t, r, bruteLocalRate(a, rows))

	// One converting journey over 13 channels is sampled; credit still sums.
	var big []string
	for i := 0; i < 13; i++ {
		big = append(big, fmt.Sprintf("z%02d", i))
	}
	a = aggOf(t, append(rows, pathRow{chans: big, conv: 1, value: 10}))
	r, err = attribution.Run(context.Background(), a, attribution.ShapleyLocalRate())
	if err != nil {
		t.Fatal(err)
	}
	if r.Estimate == nil || r.Estimate.Samples != attribution.DefaultSamples {
		t.Errorf("Estimate = %+v, want sampled", r.Estimate)
	}
	var conv float64
	for _, c := range r.Channels {
		conv += c.Conversions
	}
	if math.Abs(conv-float64(r.TotalConversions)) > 1e-9 {
		t.Errorf("credited %g, want %d", conv, r.TotalConversions)
	}
	// The 13 channels are symmetric (they only ever appear together), so
	// every order gives each the same expected share: 1/13 of the conversion.
	for _, ch := range big {
		if c, _ := r.Channel(ch); math.Abs(c.Conversions-1.0/13) > 0.02 {
			t.Errorf("%s = %g, want about 1/13", ch, c.Conversions)
		}
	}
}
