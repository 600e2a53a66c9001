package goal

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/revenue"
)

// TestPaceJSON: a Pace encodes with the documented names (dates as
// YYYY-MM-DD, money as objects, absent values as null) and decodes back to
// the same value, before the period (no projection) as inside it.
func TestPaceJSON(t *testing.T) {
	q1, _ := revenue.Quarter(2024, 1)
	target := Target{q1, usd(910000)}
	for _, at := range []int{0, 46} {
		p, err := target.Pace(t.Context(), paceActuals(), revenue.Date(2023, 12, 31).AddDate(0, 0, at), WithPipeline(0.25, usd(100000)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{`"period":"2024-Q1"`, `"first_day":"2024-01-01"`, `"last_day":"2024-03-31"`, `"target":{"amount_minor":910000,"currency":"USD"}`, `"required_daily":{`} {
			if !strings.Contains(string(b), k) {
				t.Errorf("at +%d: %s lacks %s", at, b, k)
			}
		}
		if at == 0 && !strings.Contains(string(b), `"projection":null`) {
			t.Errorf("before the period: %s", b)
		}
		var back Pace
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, back); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
	var bad Pace
	if err := json.Unmarshal([]byte(`{"at":"15/02/2024"}`), &bad); err == nil {
		t.Error("bad date accepted")
	}
}
