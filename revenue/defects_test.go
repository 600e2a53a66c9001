package revenue

import (
	"errors"
	"math"
	"testing"

	"github.com/revengine/revengine/money"
)

// TestCACCurrencyAndOverflow: every money input of CAC is checked, used or
// not, and the cost is summed exactly (HubSpot/Skok: CAC = (marketing +
// sales) / new customers).
func TestCACCurrencyAndOverflow(t *testing.T) {
	eur := money.New(5000, "EUR")
	if _, err := CAC(usd(10000), eur, 2, CACMarketingOnly); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("marketing-only with a EUR sales cost: err = %v, want ErrCurrencyMismatch", err)
	}
	if _, err := CAC(usd(10000), eur, 2); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("fully loaded with a EUR sales cost: err = %v", err)
	}
	// (MaxInt64 + MaxInt64) / 2 = MaxInt64: the sum leaves int64, the CAC does not.
	c, err := CAC(usd(math.MaxInt64), usd(math.MaxInt64), 2)
	if err != nil || c.Value != usd(math.MaxInt64) {
		t.Errorf("CAC(max, max, 2) = %v, %v; want USD MaxInt64", c.Value, err)
	}
	// (MaxInt64 + 1) / 1 does not fit: a true overflow.
	if _, err := CAC(usd(math.MaxInt64), usd(1), 1); !errors.Is(err, ErrOverflow) {
		t.Errorf("CAC(max, 1, 1): err = %v, want ErrOverflow", err)
	}
	// (MaxInt64 − 1 + 1) / 3 = 3074457345618258602.33… → …602 half-even
	c, err = CAC(usd(math.MaxInt64-1), usd(1), 3)
	if err != nil || c.Value != usd(3074457345618258602) {
		t.Errorf("CAC(max−1, 1, 3) = %v, %v", c.Value, err)
	}
}

// TestAverageDealSizeWide: Σ won / won deals with an exact sum; two deals
// of MaxInt64 average MaxInt64.
func TestAverageDealSizeWide(t *testing.T) {
	deals := []Deal{{ID: "a", Status: DealWon, Amount: usd(math.MaxInt64)}, {ID: "b", Status: DealWon, Amount: usd(math.MaxInt64)}}
	m, err := AverageDealSize(deals, "USD")
	if err != nil || m.Value != usd(math.MaxInt64) {
		t.Errorf("= %v, %v; want USD MaxInt64", m.Value, err)
	}
}
