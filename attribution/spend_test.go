package attribution_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
)

func TestReadSpend(t *testing.T) {
	tests := []struct {
		name, in string
		want     attribution.Spend
		err      string
	}{
		{"ok", "channel,cost_minor\nsearch,1500\n\"email, newsletter\",0\n", attribution.Spend{"search": usd(1500), "email, newsletter": usd(0)}, ""},
		{"columns swapped", "cost_minor,channel\n7,tv\n", attribution.Spend{"tv": usd(7)}, ""},
		{"currency column", "channel,cost_minor,currency\ntv,7,USD\nradio,3,\n", attribution.Spend{"tv": usd(7), "radio": usd(3)}, ""},
		{"decimal cost", "channel,cost_minor\nsearch,15.00\n", nil, `s.csv:2:2: cost_minor: "15.00" is not a non-negative integer (minor units)`},
		{"negative cost", "channel,cost_minor\nsearch,-1\n", nil, `s.csv:2:2: cost_minor: "-1" is not a non-negative integer (minor units)`},
		{"duplicate", "channel,cost_minor\nsearch,1\nsearch,2\n", nil, `s.csv:3:1: channel: "search" is listed twice (first on line 2)`},
		{"empty channel", "channel,cost_minor\n,2\n", nil, "s.csv:2:1: channel: empty"},
		{"no header", "", nil, "s.csv:1: empty input: a header line is required"},
		{"other currency", "channel,cost_minor,currency\ntv,7,EUR\n", nil, `s.csv:2:3: currency: "EUR", but the input is in USD (one currency per input)`},
		{"every bad line", "channel,cost_minor\na,x\nb,1\nc,-3\n", nil, "s.csv:2:2: cost_minor: \"x\" is not a non-negative integer (minor units)\n" +
			"s.csv:4:2: cost_minor: \"-3\" is not a non-negative integer (minor units)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attribution.ReadSpend(context.Background(), strings.NewReader(tt.in), "s.csv")
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("err = %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("spend (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReturns(t *testing.T) {
	// Last touch: search 2 conversions (value 500), email 0; spend search
	// 1000, email 300, tv 200 (tv has no credit).
	a := pathsAgg(t, "email > search,1,200,0", "search,1,300,4")
	r, err := attribution.Run(context.Background(), a, attribution.LastTouch())
	if err != nil {
		t.Fatal(err)
	}
	rets, err := r.Returns(attribution.Spend{"search": usd(1000), "email": usd(300), "tv": usd(200)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rets) != 3 || rets[0].Channel != "email" || rets[1].Channel != "search" || rets[2].Channel != "tv" {
		t.Fatalf("returns %+v", rets)
	}
	// search: ROAS 500/1000 = 0.5, ROI (500−1000)/1000 = −0.5, 1000/2 = 500
	// per conversion.
	s := rets[1]
	if *s.ROAS != 0.5 || *s.ROI != -0.5 || *s.CostPerConversion != 500 {
		t.Errorf("search %+v: ROAS %g ROI %g CPC %g", s, *s.ROAS, *s.ROI, *s.CostPerConversion)
	}
	// email: in the journeys, credited nothing by last touch → ROAS 0,
	// ROI −1, no cost per conversion.
	if e := rets[0]; *e.ROAS != 0 || *e.ROI != -1 || e.CostPerConversion != nil || e.NoJourneys {
		t.Errorf("%s: %+v", e.Channel, e)
	}
	// tv: spend but no journey touches it → its cost, no ratios (not ROI −1).
	if e := rets[2]; !e.NoJourneys || *e.Cost != usd(200) || e.ROAS != nil || e.ROI != nil || e.CostPerConversion != nil {
		t.Errorf("tv: %+v", e)
	}
	// Without spend entries: cost unknown (nil, not 0), no ratios.
	none, err := r.Returns(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range none {
		if e.ROAS != nil || e.ROI != nil || e.Cost != nil || e.CostPerConversion != nil {
			t.Errorf("no spend: %+v", e)
		}
	}
	if _, err := r.Returns(attribution.Spend{"search": money.New(1, "EUR")}); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Errorf("spend in EUR on a USD result: %v, want ErrCurrencyMismatch", err)
	}
}

func FuzzReadSpend(f *testing.F) {
	f.Add([]byte("channel,cost_minor\nsearch,1500\n\"a, b\",0\n"))
	f.Add([]byte("cost_minor,channel\n1,x\n1,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := attribution.ReadSpend(context.Background(), bytes.NewReader(data), "f.csv")
		if err != nil {
			return
		}
		for ch, c := range s {
			if ch == "" || c.Amount < 0 || c.Currency != "USD" {
				t.Fatalf("accepted %q: %v", ch, c)
			}
		}
	})
}

// TestSpendWarnings: spend on a channel without journeys and journeys on a
// channel without spend are warnings of the report, one per channel.
func TestSpendWarnings(t *testing.T) {
	a := pathsAgg(t, "email > search,1,200,0", "search,1,300,4")
	r, err := attribution.Run(context.Background(), a, attribution.LastTouch())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Report(attribution.Spend{"search": usd(1000), "tv": usd(200)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range rep.Warnings {
		got = append(got, w.Code+" "+w.Channel)
	}
	want := []string{"journeys_without_spend email", "spend_without_journeys tv"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("Report changed the result's warnings: %v", r.Warnings)
	}
}

// TestReadSpendChannelMap: with a channel map, rows of raw names that
// become one channel add up: 100 + 250 = 350 on paid_search.
func TestReadSpendChannelMap(t *testing.T) {
	m, err := attribution.NewChannelMap(attribution.ChannelRules{Trim: true, Fold: true, Names: map[string]string{"Google Ads": "paid_search"}})
	if err != nil {
		t.Fatal(err)
	}
	in := "channel,cost_minor\nPaid_Search ,100\ngoogle ads,250\nEmail,7\n"
	s, err := attribution.ReadSpend(context.Background(), strings.NewReader(in), "s.csv", attribution.WithChannelMap(m))
	if err != nil {
		t.Fatal(err)
	}
	want := attribution.Spend{"paid_search": usd(350), "email": usd(7)}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("spend (-want +got):\n%s", diff)
	}
}
