package scoring

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"time"
)

// AppendJSON is byte for byte json.Marshal, on random leads of every rule
// set of the differential test, with next change, relaxed keys and strings
// that need escaping.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	quick, err := os.ReadFile("../examples/quickstart/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 9))
	n, logged := 0, 0
	for _, src := range []string{shapesRules, testRules, string(quick), abmRules} {
		rs := mustRules(t, src, MaxEvents(100), Strict(false))
		for range 300 {
			lead := randLead(r)
			lead["s"] = []string{"a<b>&c", "\u2028x\u2029", "tab\tnl\n\"q\"\\", "\x01\x1f", "bad\xffutf8", "é漢🙂"}[r.IntN(6)]
			lead["extra"] = 1
			if stages := rs.Stages(); len(stages) > 0 {
				lead["stage"] = stages[r.IntN(len(stages))]
				lead["stage_entered_at"] = at.Add(-time.Duration(r.IntN(100)) * time.Hour).Format(time.RFC3339)
			} else {
				delete(lead, "stage")
			}
			lead["email"] = "a&b@x.io"
			res, err := rs.Score(context.Background(), lead, at, WithNextChange(10*24*time.Hour))
			if err != nil {
				if logged < 4 {
					logged++
					t.Logf("%v", err)
				}
				continue
			}
			// The reference: encoding/json on the result spelled out
			// (resultJSON), not on Result, whose MarshalJSON is AppendJSON.
			want, err := json.Marshal(res.toJSON())
			if err != nil {
				t.Fatal(err)
			}
			got := res.AppendJSON(nil)
			if !bytes.Equal(got, want) {
				t.Fatalf("AppendJSON differs:\n got %s\nwant %s", got, want)
			}
			if viaMarshal, err := json.Marshal(res); err != nil || !bytes.Equal(viaMarshal, want) {
				t.Fatalf("json.Marshal(res) differs (%v):\n got %s\nwant %s", err, viaMarshal, want)
			}
			// Decoded, the result encodes to the same JSON (the same
			// bytes but for invalid UTF-8, which decodes to U+FFFD).
			var back Result
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			again := back.AppendJSON(nil)
			if ref, _ := json.Marshal(back.toJSON()); !bytes.Equal(again, ref) {
				t.Fatalf("decoded result: AppendJSON differs:\n got %s\nwant %s", again, ref)
			}
			var g0, g1 any
			if json.Unmarshal(got, &g0) != nil || json.Unmarshal(again, &g1) != nil || !reflect.DeepEqual(g0, g1) {
				t.Fatalf("decoded result encodes differently:\n got %s\nwant %s", again, got)
			}
			n++
		}
	}
	if n < 500 {
		t.Fatalf("only %d results compared", n)
	}
	// Floats at the edges of encoding/json's formats.
	for _, f := range []float64{0, -0.0, 1e-7, 1e-6, 123456789, 1e20, 1e21, 1.5e300, -2.5e-9, math.SmallestNonzeroFloat64, 0.1 + 0.2} {
		res := &Result{Scores: []Score{NewScore("x", f, f, []Contribution{{Rule: "r", Points: f}})}}
		want, _ := json.Marshal(res.toJSON())
		if got := res.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Errorf("float %v:\n got %s\nwant %s", f, got, want)
		}
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	rs := mustRules(b, benchFitRules)
	res, err := rs.Score(context.Background(), benchLead(b), at)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = res.AppendJSON(buf[:0])
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(res); err != nil {
				b.Fatal(err)
			}
		}
	})
}
