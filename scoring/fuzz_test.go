package scoring

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzTimeLimit is how long one fuzz input may take before it counts as
// a hang: 5 s, the hostile suite's bound, ten times that under the race
// detector (which slows parsing and evaluation about tenfold) so that a
// loaded machine does not turn the bound into a flake.
func fuzzTimeLimit() time.Duration {
	if raceEnabled {
		return 50 * time.Second
	}
	return 5 * time.Second
}

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
	// The hostile shapes, so that mutation starts from them: deep nesting,
	// growth builtins, nested loops, huge literals, overflow, durations.
	for _, c := range hostileCases() {
		if src := c.src(); len(src) <= 1<<20 {
			f.Add([]byte(src))
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		rs, err := Parse("fuzz.yaml", src)
		if d := time.Since(start); d > fuzzTimeLimit() {
			t.Fatalf("Parse of %d bytes took %v", len(src), d)
		}
		if errors.Is(err, ErrInternal) {
			t.Fatalf("internal error: %v", err)
		}
		if (rs == nil) == (err == nil) {
			t.Fatalf("Parse returned rs=%v err=%v", rs != nil, err)
		}
		if err != nil && !strings.Contains(err.Error(), "fuzz.yaml") {
			t.Fatalf("error without the file name: %v", err)
		}
		if rs != nil {
			// A valid rule set scores an empty lead without panicking,
			// within its static bound.
			start := time.Now()
			_, err := rs.Score(context.Background(), map[string]any{}, at)
			if errors.Is(err, ErrInternal) {
				t.Fatalf("internal error: %v", err)
			}
			if d := time.Since(start); d > fuzzTimeLimit() {
				t.Fatalf("Score took %v (static cost %.3g)", d, rs.Cost())
			}
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
	f.Add([]byte("["))
	f.Add([]byte(`[{"email":"a"}] x`))
	f.Fuzz(func(t *testing.T, line []byte) {
		emitted := 0
		st, err := rs.ScoreLines(context.Background(), strings.NewReader(string(line)), "leads.jsonl", at, func(r Record) error {
			emitted++
			if (r.Result == nil) == (r.Err == nil) {
				t.Fatalf("record %d has result=%v err=%v", r.Line, r.Result != nil, r.Err)
			}
			if errors.Is(r.Err, ErrInternal) {
				t.Fatalf("internal error: %v", r.Err)
			}
			return nil
		}, WithWorkers(1))
		// A stream that cannot go on (an unclosed array, data after its
		// closing ']') stops with a positioned error; that is not a bug.
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "leads.jsonl" || e.Line < 1 || errors.Is(err, ErrInternal) {
				t.Fatalf("batch error without a position: %v", err)
			}
		}
		if st.Read != st.Scored+st.Rejected || emitted != st.Read {
			t.Fatalf("counts do not add up: %+v, %d emitted", st, emitted)
		}
	})
}

// FuzzParseDuration: the one duration grammar never panics, and what it
// accepts is positive, representable and stable when printed back in whole
// nanoseconds.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "1w2d", "1.5h", "0s", "0.0000000001s", "99999999999w", "-1d", "1e9s", "", "9223372036ns", "2562047h47m16.854775807s", "1h-1m", ".5d", "5.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d <= 0 {
			t.Fatalf("ParseDuration(%q) = %v: accepted a duration that is not positive", s, d)
		}
		// Printed as exact seconds with nine decimals, it parses back to
		// the same number of nanoseconds: the grammar is exact.
		text := strconv.FormatInt(int64(d)/1e9, 10) + "." + fmt.Sprintf("%09d", int64(d)%1e9) + "s"
		back, err := ParseDuration(text)
		if err != nil || back != d {
			t.Fatalf("%q → %d ns → %q → %v, %v", s, int64(d), text, back, err)
		}
	})
}
