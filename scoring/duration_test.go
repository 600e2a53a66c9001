package scoring

import (
	"context"
	"errors"
	"testing"
	"time"
)

// duration("...") in an expression is the module's one duration grammar,
// the one half_life and within use: days and weeks are accepted, a bad
// literal is a load error at its position, and the fast path folds it.
func TestDurationInExpressions(t *testing.T) {
	src := "version: \"1\"\nfields: {c: time}\nscores:\n  s:\n    rules:\n      - {id: r, when: 'at - c < duration(\"2w\")', points: 1}\n"
	for _, fast := range []bool{true, false} {
		rs := mustRules(t, src, WithFastPath(fast))
		if f, _ := rs.pathCounts(); fast && f != 1 {
			t.Errorf("duration(\"2w\") not on the fast path")
		}
		// 13 days before at is within two weeks; 15 days is not.
		for _, tt := range []struct {
			age  time.Duration
			want float64
		}{{13 * 24 * time.Hour, 1}, {15 * 24 * time.Hour, 0}} {
			res, err := rs.Score(context.Background(), map[string]any{"c": at.Add(-tt.age).Format(time.RFC3339)}, at)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Scores[0].Value; got != tt.want {
				t.Errorf("fast=%v age %v: score %v, want %v", fast, tt.age, got, tt.want)
			}
		}
	}
	// "-1h" and "300ms" are Go durations but not the module's, and "0s" is
	// not positive: load errors placed at the string literal.
	// "      - {id: r, when: 'at - c < duration(" is 41 characters, so the
	// literal's opening quote is column 42.
	for _, bad := range []string{"-1h", "300ms", "0s"} {
		_, err := Parse("r.yaml", []byte("version: \"1\"\nfields: {c: time}\nscores:\n  s:\n    rules:\n      - {id: r, when: 'at - c < duration(\""+bad+"\")', points: 1}\n"))
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeDuration || e.Line != 6 || e.Column != 42 || e.ID != "r" {
			t.Errorf("duration(%q): err = %v", bad, err)
		}
	}
}
