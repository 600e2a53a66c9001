package attribution_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/revengine/revengine/attribution"
)

// TestCompare on paths a > b (2 conversions), b (1), c > b (1), a (1):
//
//	first touch: a 3, b 1, c 1 → shares 0.6, 0.2, 0.2
//	last touch:  a 1, b 4, c 0 → 0.2, 0.8, 0
//	linear:      a 1+1 = 2, b 1+1+0.5 = 2.5, c 0.5 → 0.4, 0.5, 0.1
//
// Spreads: b 0.8 − 0.2 = 0.6, a 0.6 − 0.2 = 0.4, c 0.2 − 0 = 0.2.
// Ranks (ties averaged): first a 3, b 1.5, c 1.5; last a 2, b 3, c 1;
// linear a 2, b 3, c 1. Spearman(first, last): rank deviations (1, −0.5,
// −0.5) and (0, 1, −1): Σxy = 0 − 0.5 + 0.5 = 0 → 0. last and linear have
// equal ranks → 1.
func TestCompare(t *testing.T) {
	ctx := context.Background()
	a := pathsAgg(t, "a > b,2,200,0", "b,1,100,0", "c > b,1,100,0", "a,1,100,0")
	var rs []*attribution.Result
	for _, m := range []attribution.Model{attribution.FirstTouch(), attribution.LastTouch(), attribution.Linear(), attribution.Participation()} {
		r, err := attribution.Run(ctx, a, m)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	d, err := attribution.Compare(rs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Models) != 3 || len(d.Skipped) != 1 || d.Skipped[0] != "participation" {
		t.Fatalf("models %v skipped %v", d.Models, d.Skipped)
	}
	want := []struct {
		ch       string
		spread   float64
		min, max string
	}{{"b", 0.6, "first_touch", "last_touch"}, {"a", 0.4, "last_touch", "first_touch"}, {"c", 0.2, "last_touch", "first_touch"}}
	for i, w := range want {
		c := d.Channels[i]
		if c.Channel != w.ch || math.Abs(c.Spread-w.spread) > 1e-12 || c.MinModel != w.min || c.MaxModel != w.max {
			t.Errorf("channel %d: %+v, want %+v", i, c, w)
		}
	}
	pair := func(a, b string) *float64 {
		for _, p := range d.Pairs {
			if p.A == a && p.B == b {
				return p.Spearman
			}
		}
		t.Fatalf("no pair %s %s", a, b)
		return nil
	}
	if r := pair("first_touch", "last_touch"); r == nil || math.Abs(*r) > 1e-12 {
		t.Errorf("spearman(first, last) = %v, want 0", r)
	}
	if r := pair("last_touch", "linear"); r == nil || math.Abs(*r-1) > 1e-12 {
		t.Errorf("spearman(last, linear) = %v, want 1", r)
	}
	if _, err := attribution.Compare(rs[0]); !errors.Is(err, attribution.ErrInvalidInput) {
		t.Errorf("one result: %v", err)
	}
}

// TestCompareConstant: a model giving every channel the same share has no
// rank correlation (nil, never NaN).
func TestCompareConstant(t *testing.T) {
	ctx := context.Background()
	a := pathsAgg(t, "a > b,2,200,0")
	l, _ := attribution.Run(ctx, a, attribution.Linear())
	f, _ := attribution.Run(ctx, a, attribution.FirstTouch())
	d, err := attribution.Compare(l, f)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pairs[0].Spearman != nil {
		t.Errorf("spearman %v, want nil", *d.Pairs[0].Spearman)
	}
}
