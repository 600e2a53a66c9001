package attribution_test

import (
	"context"
	"math"
	"testing"

	"github.com/revengine/revengine/attribution"
)

// privacyAgg: path a 3 journeys (1 conversion), a > b 1 (1), b > a 1 (1),
// b 1 (1); every conversion worth 100. As channel sets: {a} 3 journeys,
// {a,b} 2, {b} 1.
func privacyAgg(t *testing.T) *attribution.Aggregate {
	return pathsAgg(t, "a,1,100,2", "a > b,1,100,0", "b > a,1,100,0", "b,1,100,0")
}

// TestPrivacyThreshold checks the threshold at its boundary: a unit with
// exactly the minimum is kept, one below it is suppressed.
func TestPrivacyThreshold(t *testing.T) {
	tests := []struct {
		name       string
		model      func(...attribution.ModelOption) attribution.Model
		min        int64
		rule       attribution.PrivacyRule
		want       map[string]float64 // credited conversions
		total      int64
		unattrib   int64
		units      int64
		suppressed int64 // conversions
	}{
		// Shapley, min 2: {b} (1 journey) dropped; {a} (3) and {a,b}
		// (exactly 2) kept: a = 1 + 2/2 = 2, b = 2/2 = 1; total 3, the
		// dropped conversion unattributed.
		{"shapley drop at 2", attribution.Shapley, 2, attribution.DropRare, map[string]float64{"a": 2, "b": 1}, 3, 1, 1, 1},
		// Pooled instead: (pooled) gets b's conversion, total stays 4.
		{"shapley pool at 2", attribution.Shapley, 2, attribution.PoolRare, map[string]float64{"(pooled)": 1, "a": 2, "b": 1}, 4, 0, 1, 1},
		// min 3: {a,b} (2) is below now, {a} (exactly 3) kept: a = 1.
		{"shapley drop at 3", attribution.Shapley, 3, attribution.DropRare, map[string]float64{"a": 1, "b": 0}, 1, 3, 2, 3},
		// Markov's unit is the path: at min 2 only path a (3) is kept, so
		// a has all of its 1 conversion.
		{"markov drop at 2", func(o ...attribution.ModelOption) attribution.Model { return attribution.Markov(1, o...) }, 2, attribution.DropRare,
			map[string]float64{"a": 1, "b": 0}, 1, 3, 3, 3},
		// Pooled: start → a (3), → (pooled) (3); a converts 1/3, (pooled)
		// 3/3. P = ½·⅓ + ½·1 = ⅔. Without a P = ½, RE(a) = 1 − ½/⅔ = ¼;
		// without (pooled) P = ⅙, RE = 1 − ⅙/⅔ = ¾. Of 4 conversions:
		// a 1, (pooled) 3.
		{"markov pool at 2", func(o ...attribution.ModelOption) attribution.Model { return attribution.Markov(1, o...) }, 2, attribution.PoolRare,
			map[string]float64{"(pooled)": 3, "a": 1, "b": 0}, 4, 0, 3, 3},
		// Threshold 1 is none: a = 1 + 2/2 = 2, b = 2/2 + 1 = 2.
		{"shapley at 1", attribution.Shapley, 1, attribution.DropRare, map[string]float64{"a": 2, "b": 2}, 4, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := privacyAgg(t)
			r, err := attribution.Run(context.Background(), a, tt.model(attribution.WithPrivacyThreshold(tt.min, tt.rule)))
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Channels) != len(tt.want) {
				t.Errorf("channels %+v", r.Channels)
			}
			for ch, want := range tt.want {
				if c, ok := r.Channel(ch); !ok || math.Abs(c.Conversions-want) > 1e-12 {
					t.Errorf("%s: %+v, want %g conversions", ch, c, want)
				}
			}
			if r.TotalConversions != tt.total || r.Unattributed.Conversions != tt.unattrib {
				t.Errorf("total %d unattributed %d, want %d and %d", r.TotalConversions, r.Unattributed.Conversions, tt.total, tt.unattrib)
			}
			if r.TotalConversions+r.Unattributed.Conversions != a.Totals().Conversions {
				t.Errorf("credited + unattributed = %d, want %d", r.TotalConversions+r.Unattributed.Conversions, a.Totals().Conversions)
			}
			if tt.min <= 1 {
				if r.Privacy != nil {
					t.Errorf("privacy %+v without a threshold", r.Privacy)
				}
				return
			}
			if r.Privacy == nil || r.Privacy.Units != tt.units || r.Privacy.Conversions != tt.suppressed || r.Privacy.MinJourneys != tt.min || r.Privacy.Rule != tt.rule {
				t.Errorf("privacy %+v", r.Privacy)
			}
			if len(r.Warnings) != 1 || r.Warnings[0].Code != attribution.WarnPrivacy {
				t.Errorf("warnings %+v", r.Warnings)
			}
		})
	}
}

// TestPrivacyRulesIgnored: rule-based models have no threshold.
func TestPrivacyRulesIgnored(t *testing.T) {
	m, err := attribution.ModelByName("linear", attribution.WithPrivacyThreshold(100, attribution.DropRare))
	if err != nil {
		t.Fatal(err)
	}
	r, err := attribution.Run(context.Background(), privacyAgg(t), m)
	if err != nil || r.Privacy != nil || r.TotalConversions != 4 {
		t.Errorf("linear with a threshold: %+v, %v", r, err)
	}
}
