package attribution_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/revengine/revengine/attribution"
)

const liftCSV = "channel,period_start,period_end,incremental_conversions,lower,upper\n" +
	"search,2026-01-01,2026-01-31,1,0.5,1.5\n" +
	"email,2026-01-01,2026-01-31,3,2,4\n" +
	"tv,2026-01-01,2026-01-31,5,1,9\n"

// TestCalibrate: last touch on paths email > search (1 conversion, 200),
// search (1, 300), email (0 conversions, 4 journeys) credits search 2
// conversions (value 500) and email 0. Lift tests: search 1 [0.5, 1.5],
// email 3 [2, 4], tv 5 [1, 9].
//
//	search: factor 1/2 = 0.5, interval [0.25, 0.75]; calibrated 1
//	        conversion [0.5, 1.5], value 500·0.5 = 250.
//	email:  attributed 0, the ratio has no denominator: a warning, kept.
//	tv:     not in the journeys: a warning.
//
// Calibrated total: 1 + 0 = 1.
func TestCalibrate(t *testing.T) {
	ctx := context.Background()
	tests, err := attribution.ReadLiftTests(ctx, strings.NewReader(liftCSV), "lift.csv")
	if err != nil {
		t.Fatal(err)
	}
	a := pathsAgg(t, "email > search,1,200,0", "search,1,300,0", "email,0,0,4")
	r, err := attribution.Run(ctx, a, attribution.LastTouch())
	if err != nil {
		t.Fatal(err)
	}
	cal, err := attribution.Calibrate(r, tests)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Label != "calibrated to lift tests" || cal.Method != "ratio" || cal.Model != "last_touch" || len(cal.Channels) != 2 {
		t.Fatalf("calibration %+v", cal)
	}
	email, search := cal.Channels[0], cal.Channels[1]
	if email.Calibrated || email.Factor != nil || email.Conversions != 0 || email.Test == nil {
		t.Errorf("email %+v", email)
	}
	if !search.Calibrated || *search.Factor != 0.5 || *search.FactorLow != 0.25 || *search.FactorHigh != 0.75 ||
		search.Conversions != 1 || search.ConversionsLow != 0.5 || search.ConversionsHigh != 1.5 ||
		math.Abs(search.ValueMinor-250) > 1e-9 || search.Attributed != 2 || search.AttributedValueMinor != 500 {
		t.Errorf("search %+v", search)
	}
	if cal.TotalConversions != 1 {
		t.Errorf("total %g, want 1", cal.TotalConversions)
	}
	if len(cal.Warnings) != 2 || cal.Warnings[0].Channel != "email" || cal.Warnings[1].Channel != "tv" {
		t.Errorf("warnings %+v", cal.Warnings)
	}
}

func TestReadLiftTestsErrors(t *testing.T) {
	in := "channel,period_start,period_end,incremental_conversions,lower,upper\n" +
		"search,2026-01-31,2026-01-01,1,0.5,1.5\n" + // 2: end before start
		"email,2026-01-01,2026-01-31,3,3.5,4\n" + // 3: lower above
		"tv,2026-01-01,2026-01-31,lots,1,9\n" + // 4: not a number
		"radio,jan,2026-01-31,1,0,2\n" + // 5: bad date
		"email,2026-02-01,2026-02-28,1,0,2\n" + // 6: fine alone
		"email,2026-03-01,2026-03-31,1,0,2\n" // 7: email twice
	_, err := attribution.ReadLiftTests(context.Background(), strings.NewReader(in), "lift.csv")
	want := `lift.csv:2:3: period_end: 2026-01-01 is before the start 2026-01-31
lift.csv:3:5: lower: 3.5 is above incremental_conversions 3
lift.csv:4:4: incremental_conversions: "lots" is not a number
lift.csv:5:2: period_start: "jan" is not a date (YYYY-MM-DD)
lift.csv:7:1: channel: "email" is tested twice (first on line 6); calibrate one period at a time`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
	if _, err := attribution.Calibrate(nil, nil); !errors.Is(err, attribution.ErrInvalidInput) {
		t.Errorf("nil result: %v", err)
	}
}

func FuzzReadLiftTests(f *testing.F) {
	f.Add([]byte(liftCSV))
	f.Add([]byte("upper,lower,channel,period_start,period_end,incremental_conversions\n1,0,x,2026-01-01T00:00:00Z,2026-01-02,0.5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tests, err := attribution.ReadLiftTests(context.Background(), strings.NewReader(string(data)), "f.csv")
		if err != nil {
			return
		}
		for _, lt := range tests {
			if lt.Channel == "" || !(0 <= lt.Low && lt.Low <= lt.Incremental && lt.Incremental <= lt.High) || lt.End.Before(lt.Start) {
				t.Fatalf("accepted %+v", lt)
			}
		}
	})
}
