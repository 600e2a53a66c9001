package scoring

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: the loader never panics or hangs on any input, and either
// returns a rule set or errors.
func FuzzParse(f *testing.F) {
	f.Add([]byte(testRules))
	f.Add([]byte(shapesRules))
	if b, err := os.ReadFile("../examples/quickstart/rules.yaml"); err == nil {
		f.Add(b)
	}
	files, _ := filepath.Glob("testdata/errors/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("version: 1\nscores: {s: {rules: [{id: a, when: 'x', points: 1}]}}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		rs, err := Parse("fuzz.yaml", src, MaxSourceBytes(1<<16))
		if (rs == nil) == (err == nil) {
			t.Fatalf("Parse returned rs=%v err=%v", rs != nil, err)
		}
		if err != nil && !strings.Contains(err.Error(), "fuzz.yaml") {
			t.Fatalf("error without the file name: %v", err)
		}
		if rs != nil {
			// A valid rule set must score an empty lead without panicking.
			_, _ = rs.Score(context.Background(), map[string]any{}, at)
		}
	})
}

// FuzzScoreJSON: lead decoding never panics; every line is scored or
// rejected.
func FuzzScoreJSON(f *testing.F) {
	rs := mustRules(f, testRules)
	f.Add([]byte(`{"email":"a","size":2000,"events":[{"type":"demo","time":"2026-11-20T00:00:00Z"}]}`))
	f.Add([]byte(`{"email":"a","size":1e400}`))
	f.Add([]byte(`{"email":"a","size":-9.3e18,"tags":["vip",null]}`))
	f.Add([]byte(`{"email":"a","stage":"mql","stage_entered_at":"2026-01-01"}`))
	f.Add([]byte(`{"events":[{"type":"","time":5}]}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		st, err := rs.ScoreLines(context.Background(), strings.NewReader(string(line)), "leads.jsonl", at, func(Record) error { return nil }, WithWorkers(1))
		if err != nil {
			t.Fatal(err)
		}
		if st.Read != st.Scored+st.Rejected {
			t.Fatalf("counts do not add up: %+v", st)
		}
	})
}
