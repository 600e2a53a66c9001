package attribution_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
)

// TestPeriod: January 2026 keeps j1 (converted 01-05) and j3 (no
// conversion, last touch 01-31 23:59); j2 converted 02-01 00:00 (the end
// is excluded) and j4's last touch is in December. j5 has no time at all
// and is kept. So 3 journeys, 1 conversion (100) in; 2 journeys, 1
// conversion (200) outside.
func TestPeriod(t *testing.T) {
	in := "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n" +
		"j1,2026-01-01T00:00:00Z,email,0,0,1,100,2026-01-05T00:00:00Z\n" +
		"j2,2026-01-20T00:00:00Z,email,0,0,1,200,2026-02-01T00:00:00Z\n" +
		"j3,2026-01-31T23:59:00Z,search,0,0,0,0,\n" +
		"j4,2025-12-31T00:00:00Z,search,0,0,0,0,\n" +
		"j5,,,0,0,0,0,\n"
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, order := range []attribution.RowOrder{attribution.AnyOrder, attribution.Grouped} {
		a, err := attribution.ReadTouches(context.Background(), strings.NewReader(in), "p.csv",
			attribution.WithPeriod(from, from.AddDate(0, 1, 0)), attribution.WithRowOrder(order))
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Totals(); got.Journeys != 3 || got.Conversions != 1 || got.Value != usd(100) {
			t.Errorf("%v: totals %+v", order, got)
		}
		if got := a.OutsidePeriod(); got.Journeys != 2 || got.Conversions != 1 || got.Value != usd(200) {
			t.Errorf("%v: outside %+v", order, got)
		}
	}
	_, err := attribution.ReadPaths(context.Background(), strings.NewReader("path,total_conversions,total_conversion_value,total_null\na,1,1,0\n"), "p.csv",
		attribution.WithPeriod(from, from.AddDate(0, 1, 0)))
	if !errors.Is(err, attribution.ErrNeedsTimes) {
		t.Errorf("paths with a period: %v", err)
	}
	a, b := attribution.NewAggregate(attribution.WithPeriod(from, from.AddDate(0, 1, 0))), attribution.NewAggregate()
	if err := a.Merge(b); !errors.Is(err, attribution.ErrIncompatible) {
		t.Errorf("merging different periods: %v", err)
	}
}
