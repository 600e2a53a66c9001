package scoring

import (
	"encoding/json"
	"reflect"
	"testing"
)

var decodeSeeds = []string{
	`{}`, `{"a":1}`, ` {"a" : [1, 2.5, -3e2, 0, -0, 1E+2, 0.000001], "b": {"c": null, "d": true, "e": false}} `,
	`{"s": "plain", "e": "esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00", "u": "é漢🙂"}`,
	`{"dup": 1, "dup": 2}`, `{"a": []}`, `{"a": {}}`, `[1]`, `null`, `{"a":1} x`, `{"a":01}`, `{"a":1.}`,
	`{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":"\ud800"}`, `{"a":"\ud800\u0041"}`, "{\"a\":\"\xff\"}", `{"a":"x`,
	`{"a":1e400}`, `{"a":tru}`, `{"a" 1}`, `{"a":1,}`, `{,}`, `{"a":[1,]}`, "{\"a\":\"\x01\"}", `{"a":"\x"}`,
	`{"a":"\u12G4"}`, `{"id":"L-1","events":[{"type":"view","time":"2026-11-20T00:00:00Z","url":"/p"}]}`,
}

// decodeFast answers only where encoding/json agrees exactly.
func FuzzDecodeFast(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(benchLeadJSON))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := decodeFast(data)
		var want map[string]any
		err := json.Unmarshal(data, &want)
		if !ok {
			return // encoding/json decides
		}
		if err != nil {
			t.Fatalf("decodeFast accepted what encoding/json rejects (%v): %q", err, data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n fast %#v\n json %#v", data, got, want)
		}
	})
}

func TestDecodeFastCovers(t *testing.T) {
	// The shapes leads are made of go the fast way.
	for _, s := range []string{decodeSeeds[1], decodeSeeds[2], decodeSeeds[3], decodeSeeds[4], decodeSeeds[len(decodeSeeds)-1], benchLeadJSON} {
		if _, ok := decodeFast([]byte(s)); !ok {
			t.Errorf("not decoded fast: %s", s)
		}
	}
}

func BenchmarkDecodeLead(b *testing.B) {
	data := []byte(benchLeadJSON)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := decodeFast(data); !ok {
				b.Fatal("not fast")
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
