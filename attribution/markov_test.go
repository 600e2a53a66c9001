package attribution_test

import (
	"context"
	"math"
	"testing"

	"github.com/revengine/revengine/attribution"
)

// markovPaths is a chain small enough to solve by hand:
//
//	a > b  2 conversions, value 300
//	a      2 nulls
//	b      1 conversion (value 60), 1 null
//	b > a  1 conversion, value 40
//
// Order 1: start→a 4/7, start→b 3/7; a→b 2/5, a→conv 1/5, a→null 2/5;
// b→conv 3/5, b→null 1/5, b→a 1/5. Expected visits: x_a = 4/7 + x_b/5,
// x_b = 3/7 + 2x_a/5 → x_a = x_b = 5/7. P(conv) = 5/7·1/5 + 5/7·3/5 = 4/7
// (= 4 conversions / 7 journeys).
//
// Value: journeys ending in b convert with mean value 360/3 = 120, in a
// 40/1 = 40. V = 5/7·1/5·40 + 5/7·3/5·120 = 400/7 (= 400 / 7 journeys).
//
// Without a: only start→b→conv: P = 3/7·3/5 = 9/35, RE = 1 − (9/35)/(4/7)
// = 11/20; V = 3/7·3/5·120 = 216/7, value RE = 1 − 216/400 = 0.46.
// Without b: start→a→conv: P = 4/7·1/5 = 4/35, RE = 1 − 1/5 = 0.8;
// V = 4/35·40 = 32/7, value RE = 1 − 32/400 = 0.92.
var markovPaths = []string{"a > b,2,300,0", "a,0,0,2", "b,1,60,1", "b > a,1,40,0"}

func TestMarkovOrder1ByHand(t *testing.T) {
	a := pathsAgg(t, markovPaths...)
	tests := []struct {
		name  string
		model attribution.Model
		wants map[string]want
	}{
		// Conversions 4 split .55 : .8; value 400 split .46 : .92.
		{"removal value", attribution.Markov(1), map[string]want{
			"a": {4 * 0.55 / 1.35, 400 * 0.46 / 1.38},
			"b": {4 * 0.8 / 1.35, 400 * 0.92 / 1.38}}},
		// Value follows the conversion shares .55 : .8.
		{"share value", attribution.Markov(1, attribution.WithMarkovValue(attribution.ShareValue)), map[string]want{
			"a": {4 * 0.55 / 1.35, 400 * 0.55 / 1.35},
			"b": {4 * 0.8 / 1.35, 400 * 0.8 / 1.35}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := attribution.Run(context.Background(), a, tt.model)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tt.wants)
			ca, _ := r.Channel("a")
			cb, _ := r.Channel("b")
			if math.Abs(ca.RemovalEffect-0.55) > 1e-12 || math.Abs(cb.RemovalEffect-0.8) > 1e-12 {
				t.Errorf("removal effects %g, %g; want 0.55, 0.8", ca.RemovalEffect, cb.RemovalEffect)
			}
			if math.Abs(ca.ValueRemovalEffect-0.46) > 1e-12 || math.Abs(cb.ValueRemovalEffect-0.92) > 1e-12 {
				t.Errorf("value removal effects %g, %g; want 0.46, 0.92", ca.ValueRemovalEffect, cb.ValueRemovalEffect)
			}
			d := r.Markov
			if math.Abs(d.ConversionProbability-4.0/7) > 1e-12 || math.Abs(d.ExpectedValue-400.0/7) > 1e-9 {
				t.Errorf("P = %g, V = %g; want 4/7, 400/7", d.ConversionProbability, d.ExpectedValue)
			}
		})
	}
}

func TestMarkovTransitions(t *testing.T) {
	a := pathsAgg(t, markovPaths...)
	r, err := attribution.Run(context.Background(), a, attribution.Markov(1))
	if err != nil {
		t.Fatal(err)
	}
	// Counts from the paths above; probabilities are count / steps out.
	want := []attribution.Transition{
		{From: "(start)", To: "a", Count: 4, Probability: 4.0 / 7},
		{From: "(start)", To: "b", Count: 3, Probability: 3.0 / 7},
		{From: "a", To: "(conversion)", Count: 1, Probability: 1.0 / 5},
		{From: "a", To: "(null)", Count: 2, Probability: 2.0 / 5},
		{From: "a", To: "b", Count: 2, Probability: 2.0 / 5},
		{From: "b", To: "(conversion)", Count: 3, Probability: 3.0 / 5},
		{From: "b", To: "(null)", Count: 1, Probability: 1.0 / 5},
		{From: "b", To: "a", Count: 1, Probability: 1.0 / 5},
	}
	got := r.Markov.Transitions
	if len(got) != len(want) {
		t.Fatalf("transitions = %+v\nwant %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.From != w.From || g.To != w.To || g.Count != w.Count || math.Abs(g.Probability-w.Probability) > 1e-15 {
			t.Errorf("transition %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestMarkovOrder2ByHand(t *testing.T) {
	// Order 2 states of the same paths: [a], [a b], [b], [b a].
	// start→[a] 4, start→[b] 3; [a]→[a b] 2, [a]→null 2; [a b]→conv 2;
	// [b]→conv 1, [b]→null 1, [b]→[b a] 1; [b a]→conv 1.
	// P = 4/7·2/4 + 3/7·(1/3 + 1/3) = 4/7.
	// Without a ([a], [a b], [b a] → null): P = 3/7·1/3 = 1/7, RE = 3/4.
	// Without b ([b], [a b], [b a] → null): P = 0, RE = 1.
	// Conversions 4 split 3/4 : 1 → 12/7, 16/7.
	a := pathsAgg(t, markovPaths...)
	r, err := attribution.Run(context.Background(), a, attribution.Markov(2, attribution.WithMarkovValue(attribution.ShareValue)))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, map[string]want{"a": {12.0 / 7, 400 * 3.0 / 7}, "b": {16.0 / 7, 400 * 4.0 / 7}})
	wantStates := []string{"(start)", "a", "a > b", "b", "b > a"}
	if len(r.Markov.States) != len(wantStates) {
		t.Fatalf("states = %q, want %q", r.Markov.States, wantStates)
	}
	for i := range wantStates {
		if r.Markov.States[i] != wantStates[i] {
			t.Errorf("states = %q, want %q", r.Markov.States, wantStates)
		}
	}
}

func TestMarkovCollapsesRepeats(t *testing.T) {
	tests := []struct {
		name   string
		order  int
		states []string
	}{
		// a > a > b at order 1 is a > b: no self-loop.
		{"order 1", 1, []string{"(start)", "a", "b"}},
		// At order 2 the windows are [a], [a a], [a b]: all distinct.
		{"order 2", 2, []string{"(start)", "a", "a > a", "a > b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// a > a > a at order 2 is [a], [a a], [a a] → [a], [a a].
			a := pathsAgg(t, "a > a > b,1,10,1", "a > a > a,0,0,1")
			r, err := attribution.Run(context.Background(), a, attribution.Markov(tt.order))
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Markov.States) != len(tt.states) {
				t.Fatalf("states = %q, want %q", r.Markov.States, tt.states)
			}
			for i := range tt.states {
				if r.Markov.States[i] != tt.states[i] {
					t.Fatalf("states = %q, want %q", r.Markov.States, tt.states)
				}
			}
			for _, tr := range r.Markov.Transitions {
				if tr.From == tr.To {
					t.Errorf("self-loop %+v", tr)
				}
			}
		})
	}
}

// TestMarkovIterativeMatchesDirect checks the Gauss–Seidel solver (used
// above 300 states) against the direct one on a chain with more states, and
// that P(conversion) is the observed conversion rate, as it must be for a
// chain fitted to complete journeys.
func TestMarkovIterativeMatchesDirect(t *testing.T) {
	a := synthAgg(t, 5000, 7)
	conv := float64(a.Totals().Conversions - a.Unattributed().Conversions)
	journeys := float64(a.Totals().Journeys - a.Unattributed().Journeys)
	for _, order := range []int{1, 2, 3} {
		r, err := attribution.Run(context.Background(), a, attribution.Markov(order))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Markov.ConversionProbability, conv/journeys; math.Abs(got-want) > 1e-12*want {
			t.Errorf("order %d (%d states): P = %.15g, want %.15g", order, len(r.Markov.States), got, want)
		}
		var sum float64
		for _, c := range r.Channels {
			sum += c.Conversions
		}
		if math.Abs(sum-conv) > 1e-9*conv {
			t.Errorf("order %d: credited %g, want %g", order, sum, conv)
		}
	}
}

// TestMarkovOrder2RepeatsCredit checks the credits, not only the states, of a
// chain with repeated channels at order 2 (worked by hand and cross-checked
// with an exact-fraction reference of the definitions):
//
//	a > a > b  1 conversion, value 100: [a] → [a a] → [a b] → conv
//	a > a      1 conversion (50), 1 null: [a] → [a a] → conv / null
//	a          1 null:                  [a] → null
//
// start→[a] 4; [a]→[a a] 3, [a]→null 1; [a a]→[a b] 1, →conv 1, →null 1;
// [a b]→conv 1. P = 3/4·(1/3 + 1/3) = 1/2 (2 conversions / 4 journeys).
// Without a every state is null: RE 1. Without b ([a b] → null):
// P = 3/4·1/3 = 1/4, RE 1/2. Conversions 2 split 1 : 1/2 → 4/3, 2/3.
// Value: mean 100 at [a b], 50 at [a a]; V = 1/4·100 + 1/4·50 = 37.5;
// without b V = 12.5, value RE 2/3; without a 0, value RE 1. Value 150
// split 1 : 2/3 → 90, 60.
func TestMarkovOrder2RepeatsCredit(t *testing.T) {
	a := pathsAgg(t, "a > a > b,1,100,0", "a > a,1,50,1", "a,0,0,1")
	r, err := attribution.Run(context.Background(), a, attribution.Markov(2))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, map[string]want{"a": {4.0 / 3, 90}, "b": {2.0 / 3, 60}})
	ca, _ := r.Channel("a")
	cb, _ := r.Channel("b")
	if math.Abs(ca.RemovalEffect-1) > 1e-12 || math.Abs(cb.RemovalEffect-0.5) > 1e-12 {
		t.Errorf("removal effects %g, %g; want 1, 1/2", ca.RemovalEffect, cb.RemovalEffect)
	}
	if math.Abs(ca.ValueRemovalEffect-1) > 1e-12 || math.Abs(cb.ValueRemovalEffect-2.0/3) > 1e-12 {
		t.Errorf("value removal effects %g, %g; want 1, 2/3", ca.ValueRemovalEffect, cb.ValueRemovalEffect)
	}
	if d := r.Markov; math.Abs(d.ConversionProbability-0.5) > 1e-12 || math.Abs(d.ExpectedValue-37.5) > 1e-9 {
		t.Errorf("P = %g, V = %g; want 1/2, 37.5", d.ConversionProbability, d.ExpectedValue)
	}
}
