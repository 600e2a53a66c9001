package attribution_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/revengine/revengine/attribution"
)

// order2Agg draws n journeys from an order-2 process: 1 to 4 touches on
// channels a, b, c chosen uniformly; a journey converts with probability
// 0.55 when its last two channels are a → b, b → c or c → a, else 0.05.
// The last channel alone says nothing (each is preceded by its
// predecessor a third of the time), so order 1 predicts no better than
// chance and order 2 captures everything.
func order2Agg(t *testing.T, n int, seed uint64) *attribution.Aggregate {
	rng := rand.New(rand.NewPCG(seed, 3))
	chans := []string{"a", "b", "c"}
	type cnt struct{ conv, null int64 }
	paths := map[string]*cnt{}
	for i := 0; i < n; i++ {
		k := 1 + rng.IntN(4)
		p := make([]int, k)
		for j := range p {
			p[j] = rng.IntN(3)
		}
		q := 0.05
		if k >= 2 && p[k-1] == (p[k-2]+1)%3 {
			q = 0.55
		}
		names := make([]string, k)
		for j, c := range p {
			names[j] = chans[c]
		}
		key := strings.Join(names, " > ")
		if paths[key] == nil {
			paths[key] = &cnt{}
		}
		if rng.Float64() < q {
			paths[key].conv++
		} else {
			paths[key].null++
		}
	}
	a := attribution.NewAggregate()
	for key, c := range paths {
		if err := a.AddPath(strings.Split(key, " > "), c.conv, c.null, usd(100*c.conv)); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// TestChooseOrderFindsOrder2: on order-2 data the cross-validated choice
// is 2 for every seed tried; order 1 is near chance (AUC about 0.5 by the
// construction above) and order 2 well above it.
func TestChooseOrderFindsOrder2(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		a := order2Agg(t, 20000, seed)
		sel, err := attribution.ChooseOrder(context.Background(), a, 4, attribution.OrderConfig{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if sel.Recommended != 2 {
			t.Errorf("seed %d: recommended order %d, want 2: %+v", seed, sel.Recommended, sel.Orders)
		}
		if len(sel.Orders) != 4 || sel.Folds != 5 || sel.Criterion != "cross_validated" {
			t.Fatalf("selection %+v", sel)
		}
		o1, o2 := sel.Orders[0], sel.Orders[1]
		if math.Abs(o1.AUC-0.5) > 0.03 || o2.AUC < 0.7 {
			t.Errorf("seed %d: AUC order 1 %.3f (want ≈ 0.5), order 2 %.3f (want > 0.7)", seed, o1.AUC, o2.AUC)
		}
		if o2.LogLoss >= o1.LogLoss {
			t.Errorf("seed %d: log loss order 2 %.4f not below order 1 %.4f", seed, o2.LogLoss, o1.LogLoss)
		}
		// Order 1 has the start and 3 channel states; order 2 adds the 9
		// ordered pairs.
		if o1.States != 4 || o2.States != 13 {
			t.Errorf("states %d and %d, want 4 and 13", o1.States, o2.States)
		}
	}
}

// TestAUCByHand: paths x (2 converting, 2 not) and y (1 converting, 3
// not) at order 1. In sample, x predicts 2/4 = 0.5 and y 1/4 = 0.25.
// Mann–Whitney: of the 3·5 positive-negative pairs, x's 2 positives beat
// y's 3 negatives (6 pairs) and tie x's 2 negatives (4 pairs, half each);
// y's positive ties y's 3 negatives (1.5): (6 + 2 + 1.5)/15 = 0.6333.
// ChannelAttribution's 100-threshold curve has the points (0,0),
// (2/5, 2/3) and (1, 1): ½·⅖·⅔ + ⅗·(⅔ + 1)/2 = 0.1333 + 0.5 = 0.6333, the
// same here since the thresholds include both scores. Penalised, with
// N = 8 journeys and K = C(2 + 1 − 1, 1) = 2: 1 − (1 − 0.6333)·7/5 = 0.4867.
func TestAUCByHand(t *testing.T) {
	a := pathsAgg(t, "x,2,200,2", "y,1,100,3")
	sel, err := attribution.ChooseOrder(context.Background(), a, 1, attribution.OrderConfig{Folds: 2, Criterion: attribution.PenalizedAUC})
	if err != nil {
		t.Fatal(err)
	}
	o := sel.Orders[0]
	if math.Abs(o.InSampleAUC-9.5/15) > 1e-12 || math.Abs(o.PenalizedAUC-(1-(1-9.5/15)*7.0/5)) > 1e-12 {
		t.Errorf("in-sample AUC %.6f, penalised %.6f; want %.6f and %.6f", o.InSampleAUC, o.PenalizedAUC, 9.5/15, 1-(1-9.5/15)*7.0/5)
	}
	if sel.Recommended != 1 || sel.Criterion != "penalized_auc" {
		t.Errorf("selection %+v", sel)
	}
}

func TestChooseOrderErrors(t *testing.T) {
	ctx := context.Background()
	a := pathsAgg(t, "x,2,200,2", "y,1,100,3")
	if _, err := attribution.ChooseOrder(ctx, a, 0, attribution.OrderConfig{}); !errors.Is(err, attribution.ErrBadOrder) {
		t.Errorf("order 0: %v", err)
	}
	if _, err := attribution.ChooseOrder(ctx, a, 2, attribution.OrderConfig{Folds: 1}); !errors.Is(err, attribution.ErrInvalidInput) {
		t.Errorf("1 fold: %v", err)
	}
	if _, err := attribution.ChooseOrder(ctx, pathsAgg(t, "x,0,0,3"), 2, attribution.OrderConfig{}); !errors.Is(err, attribution.ErrNoConversions) {
		t.Errorf("no conversions: %v", err)
	}
	if _, err := attribution.ChooseOrder(ctx, pathsAgg(t, "x,3,30,0"), 2, attribution.OrderConfig{}); !errors.Is(err, attribution.ErrInvalidInput) {
		t.Errorf("all converted: %v", err)
	}
}

// TestChooseOrderLongestPath: paths of at most 2 channels make every order
// above 2 the order-2 chain, so a maximum of 10⁹ lists orders 1 and 2.
func TestChooseOrderLongestPath(t *testing.T) {
	a := pathsAgg(t, "x > y,2,200,2", "y,1,100,3", "y > x,0,0,4")
	sel, err := attribution.ChooseOrder(context.Background(), a, 1_000_000_000, attribution.OrderConfig{Folds: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Orders) != 2 {
		t.Errorf("%d orders listed, want 2", len(sel.Orders))
	}
}
