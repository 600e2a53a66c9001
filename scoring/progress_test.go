package scoring

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const progressRules = "version: p1\nfields: {n: {type: int, required: true}}\nscores:\n  s:\n    rules:\n      - {id: r, points: n}\n"

// ten leads; lines 2, 5 and 9 are rejected (a string for an int, a line
// that is not JSON, a missing required field).
const progressLeads = `{"n": 1}
{"n": "x"}
{"n": 3}
{"n": 4}
not json
{"n": 6}
{"n": 7}
{"n": 8}
{}
{"n": 10}
`

func TestWithProgress(t *testing.T) {
	rs := mustRules(t, progressRules)
	tests := []struct {
		name  string
		every int
		stop  int // emit fails on this record (0: never)
		want  []counts
	}{
		// every 3: after records 3, 6, 9 and once at the end (10).
		// Rejected so far: by 3 → {2}; by 6 → {2,5}; by 9 → {2,5,9}.
		{"every 3", 3, 0, []counts{{3, 2, 1}, {6, 4, 2}, {9, 6, 3}, {10, 7, 3}}},
		// every 5: after 5 (rejected 2, 5) and 10, then the final call,
		// which repeats the totals.
		{"every 5", 5, 0, []counts{{5, 3, 2}, {10, 7, 3}, {10, 7, 3}}},
		// every 0: only the final call.
		{"final only", 0, 0, []counts{{10, 7, 3}}},
		// more than the batch: only the final call.
		{"every 100", 100, 0, []counts{{10, 7, 3}}},
		// emit fails on record 4: the progress calls stop, the final call
		// reports the four records emitted (3 scored, 1 rejected), as the
		// returned stats do.
		{"stopped", 2, 4, []counts{{2, 1, 1}, {4, 3, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []counts
			emitted := 0 // shared with fn without a lock: -race checks they run on one goroutine
			boom := errors.New("boom")
			st, err := rs.ScoreLines(context.Background(), strings.NewReader(progressLeads), "leads.jsonl", at,
				func(Record) error {
					emitted++
					if emitted == tc.stop {
						return boom
					}
					return nil
				},
				WithWorkers(4),
				WithProgress(tc.every, func(s BatchStats) {
					if s.Read > emitted {
						t.Errorf("progress %+v reports more than the %d records emitted", s, emitted)
					}
					got = append(got, countsOf(s))
				}))
			if tc.stop == 0 && err != nil || tc.stop != 0 && !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("calls = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("call %d = %+v, want %+v", i, got[i], tc.want[i])
				}
				if i > 0 && (got[i].Read < got[i-1].Read || got[i].Scored < got[i-1].Scored || got[i].Rejected < got[i-1].Rejected) {
					t.Errorf("calls not monotone: %+v then %+v", got[i-1], got[i])
				}
				if got[i].Read != got[i].Scored+got[i].Rejected {
					t.Errorf("call %d: %+v does not add up", i, got[i])
				}
			}
			if last := got[len(got)-1]; last != countsOf(st) {
				t.Errorf("last call %+v, returned stats %+v", last, st)
			}
		})
	}
}

// counts are the counters of a BatchStats, comparable with ==.
type counts struct{ Read, Scored, Rejected int }

func countsOf(s BatchStats) counts { return counts{s.Read, s.Scored, s.Rejected} }

func ExampleWithProgress() {
	rules := MustParse("rules.yaml", []byte(progressRules))
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	_, err := rules.ScoreLines(context.Background(), strings.NewReader(progressLeads), "leads.jsonl", at,
		func(Record) error { return nil },
		WithProgress(4, func(st BatchStats) {
			fmt.Printf("%d read, %d scored, %d rejected\n", st.Read, st.Scored, st.Rejected)
		}))
	fmt.Println(err)
	// Output:
	// 4 read, 3 scored, 1 rejected
	// 8 read, 6 scored, 2 rejected
	// 10 read, 7 scored, 3 rejected
	// <nil>
}
