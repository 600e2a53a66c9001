package scoring

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestScoreLines(t *testing.T) {
	rs := mustRules(t, testRules)
	input := strings.Join([]string{
		`{"id":"a","email":"a@x.io","size":2000}`,
		`{"id":"b","size":5}`,        // line 2: missing required email
		``,                           // line 3: blank, not a record
		`{"id":"c","email":"c@x.io"`, // line 4: bad JSON
		`[1,2]`,                      // line 5: not an object
		`{"id":"d","email":"d@x.io","size":"many"}`, // line 6: wrong type
		`{"id":"e","email":"e@x.io","size":12}`,
		`null`, // line 8
		`{"id":"f","email":"` + strings.Repeat("x", 300) + `"}`, // line 9: too long
		`{"id":"g","email":"g@x.io"}`,
	}, "\n")
	for _, workers := range []int{1, 2, 7} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var lines []int
			var ids []string
			rejected := map[int]string{}
			st, err := rs.ScoreLines(context.Background(), strings.NewReader(input), at, func(r Record) error {
				lines = append(lines, r.Line)
				if r.Err != nil {
					rejected[r.Line] = r.Err.Error()
				} else {
					ids = append(ids, r.Result.LeadID)
				}
				return nil
			}, Workers(workers), MaxLineBytes(200))
			if err != nil {
				t.Fatal(err)
			}
			// 9 non-blank lines: 4 scored (a, e, g and… ) — count by hand:
			// scored a, e, g = 3; rejected 2, 4, 5, 6, 8, 9 = 6; read 9.
			if st != (BatchStats{Read: 9, Scored: 3, Rejected: 6}) {
				t.Errorf("stats = %+v", st)
			}
			if want := []int{1, 2, 4, 5, 6, 7, 8, 9, 10}; fmt.Sprint(lines) != fmt.Sprint(want) {
				t.Errorf("lines = %v, want %v (input order)", lines, want)
			}
			if fmt.Sprint(ids) != "[a e g]" {
				t.Errorf("ids = %v", ids)
			}
			for line, want := range map[int]string{2: "field email", 4: "invalid JSON", 5: "invalid JSON", 6: "field size", 8: "null", 9: "line too long"} {
				if !strings.Contains(rejected[line], want) {
					t.Errorf("line %d: error %q lacks %q", line, rejected[line], want)
				}
			}
		})
	}
}

func TestScoreLinesEmitError(t *testing.T) {
	rs := mustRules(t, testRules)
	input := strings.Repeat(`{"email":"x"}`+"\n", 100)
	stop := errors.New("stop")
	n := 0
	st, err := rs.ScoreLines(context.Background(), strings.NewReader(input), at, func(Record) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	}, Workers(3))
	if !errors.Is(err, stop) || st.Read != 10 || n != 10 {
		t.Errorf("err = %v, stats %+v, calls %d; want stop after 10", err, st, n)
	}
}

// TestConcurrentScoring scores from many goroutines at once (run with
// -race): a RuleSet is immutable and its pooled state never shared.
func TestConcurrentScoring(t *testing.T) {
	rs := mustRules(t, testRules)
	leads := []map[string]any{
		{"email": "a", "size": 2000.0, "events": []any{ev("demo", day, "")}},
		{"email": "b", "industry": "saas", "tags": []any{"vip"}},
		{"email": "c", "domain": "gmail.com"},
	}
	want := make([]string, len(leads))
	for i, l := range leads {
		r, err := rs.Score(context.Background(), l, at)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = fmt.Sprintf("%v %s %s", r.Scores, r.Grade, r.Stage)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := (g + i) % len(leads)
				r, err := rs.Score(context.Background(), leads[k], at)
				if err != nil {
					errs <- err.Error()
					return
				}
				if got := fmt.Sprintf("%v %s %s", r.Scores, r.Grade, r.Stage); got != want[k] {
					errs <- got + " != " + want[k]
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestScoreLinesArray(t *testing.T) {
	rs := mustRules(t, testRules)
	input := "  [\n" +
		`{"id":"a","email":"a@x.io"},` + "\n" +
		`{"id":"b"},` + "\n" + // line 3: missing email
		"\n" +
		`  {"id":"c","email":"c@x.io",` + "\n" + `"size":5},` + "\n" + // starts on line 5
		`7` + "\n" + // line 7: not an object
		"]\n"
	var got []string
	st, err := rs.ScoreLines(context.Background(), strings.NewReader(input), at, func(r Record) error {
		if r.Err != nil {
			got = append(got, fmt.Sprintf("%d:err", r.Line))
		} else {
			got = append(got, fmt.Sprintf("%d:%s", r.Line, r.Result.LeadID))
		}
		return nil
	}, Workers(2))
	if err != nil {
		t.Fatal(err)
	}
	if want := "[2:a 3:err 5:c 7:err]"; fmt.Sprint(got) != want {
		t.Errorf("records = %v, want %s", got, want)
	}
	if st != (BatchStats{Read: 4, Scored: 2, Rejected: 2}) {
		t.Errorf("stats = %+v", st)
	}
	// A syntax error in an array stops the batch with its line.
	_, err = rs.ScoreLines(context.Background(), strings.NewReader("[\n{\"email\":\"a\"},\n{oops}\n]"), at, func(Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v, want a syntax error at line 3", err)
	}
}
