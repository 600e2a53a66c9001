package attribution_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/attribution"
)

const normCSV = "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n" +
	"j1,2026-01-01T00:00:00Z,Paid_Search,0,0,1,100,2026-01-05T00:00:00Z\n" +
	"j2,2026-01-01T00:00:00Z,paid_search ,0,0,1,300,2026-01-05T00:00:00Z\n" +
	"j2,2026-01-02T00:00:00Z,Google Ads,0,0,1,300,2026-01-05T00:00:00Z\n" +
	"j3,2026-01-01T00:00:00Z,email,0,0,0,0,\n"

// TestChannelMap: trimming, folding and a table make one channel of
// "Paid_Search", "paid_search " and "Google Ads". By hand, last touch:
// j1 → paid_search (1 conversion, 100), j2's last touch Google Ads →
// paid_search (1, 300): paid_search 2 conversions, 400; email 0.
func TestChannelMap(t *testing.T) {
	m, err := attribution.NewChannelMap(attribution.ChannelRules{Trim: true, Fold: true, Names: map[string]string{"google ads": "Paid_Search"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, order := range []attribution.RowOrder{attribution.Grouped, attribution.AnyOrder} {
		a, err := attribution.ReadTouches(context.Background(), strings.NewReader(normCSV), "n.csv",
			attribution.WithChannelMap(m), attribution.WithRowOrder(order))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"email", "paid_search"}, a.Channels()); diff != "" {
			t.Errorf("%v: channels (-want +got):\n%s", order, diff)
		}
		r, err := attribution.Run(context.Background(), a, attribution.LastTouch())
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := r.Channel("paid_search"); c.Conversions != 2 || c.Value != usd(400) {
			t.Errorf("%v: paid_search %+v", order, c)
		}
		want := []attribution.Rename{
			{From: "Google Ads", To: "paid_search", Touches: 1},
			{From: "Paid_Search", To: "paid_search", Touches: 1},
			{From: "paid_search ", To: "paid_search", Touches: 1},
		}
		if diff := cmp.Diff(want, r.Renamed); diff != "" {
			t.Errorf("%v: renamed (-want +got):\n%s", order, diff)
		}
		if len(r.Warnings) != 0 {
			t.Errorf("%v: warnings %v", order, r.Warnings)
		}
	}
}

// TestSimilarChannelsWarning: without a channel map the two spellings stay
// two channels, and the result says so.
func TestSimilarChannelsWarning(t *testing.T) {
	a, err := attribution.ReadTouches(context.Background(), strings.NewReader(normCSV), "n.csv")
	if err != nil {
		t.Fatal(err)
	}
	r, err := attribution.Run(context.Background(), a, attribution.Linear())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Code != attribution.WarnSimilarChannels || r.Warnings[0].Channel != "Paid_Search" ||
		r.Warnings[0].Msg != `channels "Paid_Search", "paid_search " differ only in case or white space (normalise them with a channel map, CLI --channel-fold)` {
		t.Errorf("warnings %+v", r.Warnings)
	}
}

func TestNewChannelMapErrors(t *testing.T) {
	tests := []struct {
		name  string
		rules attribution.ChannelRules
		want  string
	}{
		{"empty target", attribution.ChannelRules{Names: map[string]string{"a": " "}, Trim: true}, `invalid channel map: "a" → " ": empty channel name`},
		{"conflict after folding", attribution.ChannelRules{Fold: true, Names: map[string]string{"Ads": "x", "ads": "y"}}, `invalid channel map: "ads" maps to both "x" and "y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := attribution.NewChannelMap(tt.rules)
			if err == nil || err.Error() != tt.want || !errors.Is(err, attribution.ErrChannelMap) {
				t.Errorf("error %v, want %s", err, tt.want)
			}
		})
	}
}

func TestReadChannelMap(t *testing.T) {
	m, err := attribution.ReadChannelMap(context.Background(), strings.NewReader("to,from\npaid_search,Google Ads\nemail,Newsletter\n"), "m.csv")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"Google Ads": "paid_search", "Newsletter": "email"}, m); diff != "" {
		t.Errorf("map (-want +got):\n%s", diff)
	}
	_, err = attribution.ReadChannelMap(context.Background(), strings.NewReader("from,to\na,b\na,c\n,d\n"), "m.csv")
	want := "m.csv:3:1: from: \"a\" is listed twice (first on line 2)\nm.csv:4:1: from: empty"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}

func FuzzReadChannelMap(f *testing.F) {
	f.Add([]byte("from,to\nGoogle Ads,paid_search\n"))
	f.Add([]byte("to,from\n\"a,b\",c\nx,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := attribution.ReadChannelMap(context.Background(), strings.NewReader(string(data)), "f.csv")
		if err != nil {
			return
		}
		for k, v := range m {
			if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
				t.Fatalf("accepted %q → %q", k, v)
			}
		}
	})
}
