package attribution_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/attribution/internal/synth"
	"github.com/revengine/revengine/money"
)

// synthCSV returns n synthetic journeys as touch CSV.
func synthCSV(t testing.TB, n int, seed uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := synth.WriteTouches(&b, n, seed); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func synthAgg(t testing.TB, n int, seed uint64, opts ...attribution.Option) *attribution.Aggregate {
	t.Helper()
	a, err := attribution.ReadTouches(context.Background(), bytes.NewReader(synthCSV(t, n, seed)), "synth.csv", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// usd is n minor units of US dollars, the default currency.
func usd(n int64) money.Money { return money.New(n, "USD") }

func readDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names, err
}
