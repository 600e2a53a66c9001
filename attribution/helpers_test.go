package attribution_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/attribution/internal/synth"
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

func synthAgg(t testing.TB, n int, seed uint64, opts ...attribution.AggregateOption) *attribution.Aggregate {
	t.Helper()
	a, err := attribution.ReadTouches(context.Background(), bytes.NewReader(synthCSV(t, n, seed)), "synth.csv", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
