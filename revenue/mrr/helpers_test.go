package mrr

import (
	"math"
	"testing"

	"github.com/revengine/revengine/money"
)

func usd(a int64) money.Money { return money.New(a, "USD") }

func kpiApprox(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}
