package goal

import (
	"github.com/revengine/revengine/revenue"

	"context"
	"testing"
)

// benchActuals generates n actuals spread over 2024 (generated here, not
// committed).
func benchActuals(n int) []Actual {
	out := make([]Actual, n)
	for i := range out {
		out[i] = Actual{Date: revenue.Date(2024, 1, 1).AddDate(0, 0, i%366), Amount: usd(int64(1000 + i%997))}
	}
	return out
}

func BenchmarkGoalPace(b *testing.B) {
	g, err := Target{revenue.Year(2024), usd(1_000_000_00)}.Split(SplitByDays(), revenue.Year(2024).Months())
	if err != nil {
		b.Fatal(err)
	}
	actuals := benchActuals(100_000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.Pace(ctx, actuals, revenue.Date(2024, 8, 15), WithPipeline(0.25, usd(500000))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoalPaceWorkingDays(b *testing.B) {
	cal := revenue.MondayToFriday(revenue.Date(2024, 1, 1), revenue.Date(2024, 12, 25))
	g, err := Target{revenue.Year(2024), usd(1_000_000_00)}.Split(SplitByWorkingDays(cal), revenue.Year(2024).Months())
	if err != nil {
		b.Fatal(err)
	}
	actuals := benchActuals(100_000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.Pace(ctx, actuals, revenue.Date(2024, 8, 15), WithWorkingDayPace(cal)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTargetSplit(b *testing.B) {
	t := Target{revenue.Year(2024), usd(1_000_000_01)}
	months := revenue.Year(2024).Months()
	for b.Loop() {
		if _, err := t.Split(SplitByDays(), months); err != nil {
			b.Fatal(err)
		}
	}
}
