package scoring

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
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
			st, err := rs.ScoreLines(context.Background(), strings.NewReader(input), "leads.jsonl", at, func(r Record) error {
				lines = append(lines, r.Line)
				if r.Err != nil {
					rejected[r.Line] = r.Err.Error()
				} else {
					ids = append(ids, r.Result.LeadID)
				}
				return nil
			}, WithWorkers(workers), MaxLineBytes(200))
			if err != nil {
				t.Fatal(err)
			}
			// 9 non-blank lines: 4 scored (a, e, g and… ) — count by hand:
			// scored a, e, g = 3; rejected 2, 4, 5, 6, 8, 9 = 6; read 9.
			if !reflect.DeepEqual(st, BatchStats{Read: 9, Scored: 3, Rejected: 6}) {
				t.Errorf("stats = %+v", st)
			}
			if want := []int{1, 2, 4, 5, 6, 7, 8, 9, 10}; fmt.Sprint(lines) != fmt.Sprint(want) {
				t.Errorf("lines = %v, want %v (input order)", lines, want)
			}
			if fmt.Sprint(ids) != "[a e g]" {
				t.Errorf("ids = %v", ids)
			}
			for line, want := range map[int]string{2: `leads.jsonl:2: lead field "email"`, 4: "leads.jsonl:4: lead: invalid JSON", 5: "leads.jsonl:5: lead: invalid JSON", 6: `leads.jsonl:6: lead field "size"`, 8: "null", 9: "leads.jsonl:9: line longer than 200 bytes"} {
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
	st, err := rs.ScoreLines(context.Background(), strings.NewReader(input), "leads.jsonl", at, func(Record) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	}, WithWorkers(3))
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
		want[i] = string(r.AppendJSON(nil)) // every score, contribution and input
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
				if got := string(r.AppendJSON(nil)); got != want[k] {
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
	st, err := rs.ScoreLines(context.Background(), strings.NewReader(input), "leads.jsonl", at, func(r Record) error {
		if r.Err != nil {
			got = append(got, fmt.Sprintf("%d:err", r.Line))
		} else {
			got = append(got, fmt.Sprintf("%d:%s", r.Line, r.Result.LeadID))
		}
		return nil
	}, WithWorkers(2))
	if err != nil {
		t.Fatal(err)
	}
	if want := "[2:a 3:err 5:c 7:err]"; fmt.Sprint(got) != want {
		t.Errorf("records = %v, want %s", got, want)
	}
	if !reflect.DeepEqual(st, BatchStats{Read: 4, Scored: 2, Rejected: 2}) {
		t.Errorf("stats = %+v", st)
	}
	// A syntax error in an array stops the batch with its line.
	_, err = rs.ScoreLines(context.Background(), strings.NewReader("[\n{\"email\":\"a\"},\n{oops}\n]"), "leads.json", at, func(Record) error { return nil })
	var se *Error
	if !errors.As(err, &se) || se.File != "leads.json" || se.Line != 3 || !errors.Is(err, ErrSyntax) {
		t.Errorf("err = %v, want a syntax error at leads.json:3", err)
	}
}

// The module's one JSON-lines behaviour, through ScoreLines: a byte order
// mark and CRLF line ends are accepted, a huge line is rejected with its
// line number and the next line still scored, an endless line ends the
// batch with an error, and data after an array's closing ] is an error,
// never silently dropped.
func TestScoreLinesReaderEdges(t *testing.T) {
	rs := mustRules(t, testRules)
	lead := `{"id":"a","email":"a@x.io"}`
	run := func(in io.Reader) (BatchStats, []Record, error) {
		var recs []Record
		st, err := rs.ScoreLines(context.Background(), in, "in.jsonl", at, func(r Record) error {
			recs = append(recs, r)
			return nil
		})
		return st, recs, err
	}
	t.Run("bom and crlf", func(t *testing.T) {
		for _, in := range []string{"\xEF\xBB\xBF" + lead + "\r\n" + lead + "\r\n", "\xEF\xBB\xBF[" + lead + ",\r\n" + lead + "]"} {
			st, _, err := run(strings.NewReader(in))
			if err != nil || !reflect.DeepEqual(st, BatchStats{Read: 2, Scored: 2}) {
				t.Errorf("%q: %+v, %v", in, st, err)
			}
		}
	})
	t.Run("huge line", func(t *testing.T) {
		in := lead + "\n" + `{"email":"` + strings.Repeat("x", 5<<20) + `"}` + "\n" + lead + "\n"
		st, recs, err := run(strings.NewReader(in))
		if err != nil || !reflect.DeepEqual(st, BatchStats{Read: 3, Scored: 2, Rejected: 1}) {
			t.Fatalf("%+v, %v", st, err)
		}
		if recs[1].Line != 2 || !errors.Is(recs[1].Err, ErrLineTooLong) || !strings.HasPrefix(recs[1].Err.Error(), "in.jsonl:2: ") {
			t.Errorf("record 2: line %d err %v", recs[1].Line, recs[1].Err)
		}
	})
	t.Run("endless line", func(t *testing.T) {
		st, _, err := run(io.MultiReader(strings.NewReader(lead+"\n"), endless{}))
		if !errors.Is(err, ErrLineTooLong) || st.Read != 1 {
			t.Errorf("%+v, %v; want one lead and ErrLineTooLong", st, err)
		}
	})
	t.Run("data after array", func(t *testing.T) {
		st, _, err := run(strings.NewReader("[" + lead + "]\n" + lead + "\n"))
		var e *Error
		if !errors.As(err, &e) || e.Line != 2 || e.Column != 1 || !errors.Is(err, ErrSyntax) || st.Read != 1 {
			t.Errorf("%+v, %v; want a syntax error at in.jsonl:2:1", st, err)
		}
	})
}

// endless never ends a line, like /dev/zero.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestScoreSeq(t *testing.T) {
	rs := mustRules(t, testRules)
	in := `{"id":"a","email":"a@x.io"}` + "\n" + `{"id":"b"}` + "\n"
	var ids []string
	var rejected int
	for rec, err := range rs.ScoreSeq(context.Background(), strings.NewReader(in), "in.jsonl", at) {
		if err != nil {
			t.Fatal(err)
		}
		if rec.Err != nil {
			rejected++
			continue
		}
		ids = append(ids, rec.Result.LeadID)
	}
	if fmt.Sprint(ids) != "[a]" || rejected != 1 {
		t.Errorf("ids %v rejected %d", ids, rejected)
	}
}
