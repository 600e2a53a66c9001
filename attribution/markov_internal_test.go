package attribution

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/revengine/revengine/attribution/internal/synth"
)

// TestSolversAgree checks the Gauss–Seidel solver against Gaussian
// elimination on an order-2 chain, with and without a removed channel.
func TestSolversAgree(t *testing.T) {
	var b bytes.Buffer
	if err := synth.WriteTouches(&b, 5000, 3); err != nil {
		t.Fatal(err)
	}
	a, err := ReadTouches(context.Background(), &b, "synth.csv")
	if err != nil {
		t.Fatal(err)
	}
	c, err := buildChain(context.Background(), a, 2)
	if err != nil {
		t.Fatal(err)
	}
	for ch := -1; ch < len(a.chans); ch++ {
		removed := make([]bool, len(c.win))
		for s := range removed {
			removed[s] = ch >= 0 && containsID(c.chanSets[s], uint16(ch))
		}
		direct := c.solveDirect(removed)
		iter, err := c.solveIterative(context.Background(), removed)
		if err != nil {
			t.Fatal(err)
		}
		pd, vd := c.absorb(direct, removed)
		pi, vi := c.absorb(iter, removed)
		if math.Abs(pd-pi) > 1e-12*pd || math.Abs(vd-vi) > 1e-12*vd {
			t.Errorf("channel %d: direct P=%.16g V=%.16g, iterative P=%.16g V=%.16g", ch, pd, vd, pi, vi)
		}
	}
}
