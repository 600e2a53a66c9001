package scoring

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// csvRules gives each kind of field its own order of magnitude of points,
// so a lead's score shows how every cell was read.
const csvRules = `version: c1
fields:
  email: {type: string, required: true}
  size: {type: int, default: 5}
  ratio: float
  active: bool
  since: {type: time, required: true}
  tags: list
stages:
  - id: lead
  - id: mql
    when: scores.s >= 20000
scores:
  s:
    rules:
      - {id: size, points: size}
      - {id: ratio, when: ratio > 0, points: ratio * 10}
      - {id: active, when: active, points: 100}
      - {id: recent, when: at - since < duration("720h"), points: 1000}
      - {id: tags, when: len(tags) > 0, points: len(tags) * 10000}
      - {id: mail, when: 'email endsWith ",io"', points: 0.5}
`

func TestScoreCSV(t *testing.T) {
	rs := mustRules(t, csvRules)
	// at is 2026-11-23T12:00:00Z.
	in := "\ufeffid,email,size,ratio,active,since,tags,stage\r\n" +
		"L1,a@x.io,30,1.5,true,2026-11-20,a|b,\r\n" + // line 2
		"L2,b@x.io,,,FALSE,2026-11-23T11:00:00Z,,\n" + // line 3
		"L3,c@x.io,3x,,,2026-11-20,,\n" + // line 4
		"L4,,1,,,2026-11-20,,\n" + // line 5
		"L5,d@x.io,1\n" + // line 6
		"L6,e@x.io,1,,,2026-11-20,a||b,\n" + // line 7
		"\n" + // line 8: blank, not a record
		"L7,\"f@x,io\",2e1,,1,2025-01-01,\"p |\n q\",mql\n" + // lines 9-10
		"L8,g@x.io,1,NaN,,2026-11-20,,\n" + // line 11
		"L9,h@x.io,1,,,2026-11-20,,sql\n" + // line 12
		"L10,i@x.io,1,0x1p2,,2026-11-20,,\n" + // line 13
		"L11,j@x.io,1,,yes,2026-11-20,,\n" // line 14
	type want struct {
		line  int
		score float64
		stage string
		err   string // substring of the error; "" when scored
		is    error
	}
	wants := []want{
		// size 30 + ratio 1.5×10 = 15 + active 100 + recent 1000 (3 days
		// < 30 days) + tags 2×10000 = 21145; ≥ 20000: mql.
		{line: 2, score: 21145, stage: "mql"},
		// size missing: default 5; ratio missing: 0, no points; active
		// false ("FALSE"); recent: 1 hour old, 1000; no tags. 1005.
		{line: 3, score: 1005, stage: "lead"},
		{line: 4, err: `leads.csv:4:3: lead field "size": want int, got "3x"`, is: ErrLead},
		{line: 5, err: `leads.csv:5:2: lead field "email": required field is missing`, is: ErrLead},
		{line: 6, err: `leads.csv:6:4: 3 fields, the header has 8`, is: ErrSyntax},
		{line: 7, err: `leads.csv:7:7: lead field "tags": list item 2 is empty`, is: ErrLead},
		// size "2e1" = 20; active "1" = true: 100; since 2025-01-01 is
		// older than 30 days: no recent; tags "p |\n q" = [p, q]: 20000;
		// the quoted email "f@x,io" ends with ",io": 0.5. 20 + 100 + 20000
		// + 0.5 = 20120.5; already mql, stays mql.
		{line: 9, score: 20120.5, stage: "mql"},
		{line: 11, err: `leads.csv:11:4: lead field "ratio": want a finite float, got "NaN"`, is: ErrLead},
		{line: 12, err: `leads.csv:12:8: lead field "stage": unknown stage "sql" (declared: lead, mql)`, is: ErrLead},
		{line: 13, err: `leads.csv:13:4: lead field "ratio": want a finite float, got "0x1p2"`, is: ErrLead},
		{line: 14, err: `leads.csv:14:5: lead field "active": want bool (true or false), got "yes"`, is: ErrLead},
	}
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var recs []Record
			st, err := rs.ScoreCSV(context.Background(), strings.NewReader(in), "leads.csv", at,
				func(r Record) error { recs = append(recs, r); return nil }, WithWorkers(workers))
			if err != nil {
				t.Fatal(err)
			}
			// 11 records: 3 scored, 8 rejected.
			if countsOf(st) != (counts{Read: 11, Scored: 3, Rejected: 8}) {
				t.Errorf("stats = %+v", st)
			}
			if len(recs) != len(wants) {
				t.Fatalf("%d records, want %d", len(recs), len(wants))
			}
			for i, w := range wants {
				r := recs[i]
				if r.Line != w.line {
					t.Errorf("record %d: line %d, want %d", i, r.Line, w.line)
				}
				if (r.Result == nil) == (r.Err == nil) {
					t.Errorf("line %d: want exactly one of Result and Err: %+v", w.line, r)
					continue
				}
				if w.err != "" {
					if r.Err == nil || !strings.Contains(r.Err.Error(), w.err) || !errors.Is(r.Err, w.is) {
						t.Errorf("line %d: err = %v, want %q matching %v", w.line, r.Err, w.err, w.is)
					}
					continue
				}
				if r.Err != nil {
					t.Errorf("line %d: %v", w.line, r.Err)
					continue
				}
				if got, _ := r.Result.Score("s"); got != w.score || r.Result.Stage != w.stage {
					t.Errorf("line %d: score %v stage %s, want %v %s", w.line, got, r.Result.Stage, w.score, w.stage)
				}
			}
		})
	}
}

func TestScoreCSVHeader(t *testing.T) {
	rs := mustRules(t, csvRules)
	tests := []struct {
		name, in string
		want     []string // every problem, in order
	}{
		{"typo", "id,emial,since\n", []string{ // sorted by position: the header as a whole first
			`h.csv:1: column "email": missing column`,
			`h.csv:1:2: column "emial": unknown column (did you mean email?)`}},
		{"duplicate and events", "email,since,email,events\n", []string{
			`h.csv:1:3: column "email": duplicate column (also field 1)`,
			`h.csv:1:4: column "events": events cannot be given in CSV (use JSON lines)`}},
		{"far from every name", "email,since,zzzzzzzzz\n", []string{
			`h.csv:1:3: column "zzzzzzzzz": unknown column`}},
		{"missing required", "email,size\n", []string{`h.csv:1: column "since": missing column`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			st, err := rs.ScoreCSV(context.Background(), strings.NewReader(tc.in+"a@x.io,2026-01-01,x,y\n"), "h.csv", at,
				func(Record) error { called = true; return nil })
			var errs Errors
			if !errors.As(err, &errs) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("err = %v, want Errors matching ErrSyntax", err)
			}
			if called || countsOf(st) != (counts{}) {
				t.Errorf("a bad header scored leads: %+v", st)
			}
			if len(errs) != len(tc.want) {
				t.Fatalf("errors:\n%v\nwant %d", err, len(tc.want))
			}
			for i, w := range tc.want {
				if errs[i].Error() != w {
					t.Errorf("error %d = %q, want %q", i, errs[i].Error(), w)
				}
			}
		})
	}
}

func TestScoreCSVEmptyAndStop(t *testing.T) {
	rs := mustRules(t, csvRules)
	st, err := rs.ScoreCSV(context.Background(), strings.NewReader("\ufeff\n\n"), "e.csv", at, func(Record) error { return nil })
	if err != nil || countsOf(st) != (counts{}) {
		t.Errorf("empty input: %+v, %v", st, err)
	}
	// A quoted field never closed runs to the end of the input: it is
	// the last record, rejected with its position, after the one before.
	in := "email,since\na@x.io,2026-01-01\n\"b@x.io,2026-01-01\n"
	var last Record
	st, err = rs.ScoreCSV(context.Background(), strings.NewReader(in), "q.csv", at, func(r Record) error { last = r; return nil })
	if err != nil || countsOf(st) != (counts{Read: 2, Scored: 1, Rejected: 1}) {
		t.Errorf("unclosed quote: %+v, %v", st, err)
	}
	if !errors.Is(last.Err, ErrSyntax) || last.Line != 3 || !strings.HasPrefix(fmt.Sprint(last.Err), "q.csv:3:1:") {
		t.Errorf("unclosed quote: last record %+v", last)
	}
	// A canceled context stops the batch.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = rs.ScoreCSV(ctx, strings.NewReader("email,since\na@x.io,2026-01-01\n"), "c.csv", at, func(Record) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: err = %v", err)
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		in   string
		want any
		err  bool
	}{
		{"int", KindInt, "30", 30, false},
		{"int plus", KindInt, "+7", 7, false},
		{"int negative", KindInt, "-2", -2, false},
		{"int as whole decimal", KindInt, "30.0", 30, false},
		{"int fraction", KindInt, "1.5", nil, true},
		{"int overflow", KindInt, "9223372036854775808", nil, true},
		{"int max", KindInt, "9223372036854775807", 9223372036854775807, false},
		{"int underscore", KindInt, "1_000", nil, true},
		{"int thousands", KindInt, "1,000", nil, true},
		{"float", KindFloat, "1.5", 1.5, false},
		{"float exponent", KindFloat, "-2e3", -2000.0, false},
		{"float inf", KindFloat, "Inf", nil, true},
		{"float overflow", KindFloat, "1e400", nil, true},
		{"bool true", KindBool, "true", true, false},
		{"bool mixed case", KindBool, "tRuE", true, false},
		{"bool zero", KindBool, "0", false, false},
		{"bool yes", KindBool, "yes", nil, true},
		{"date", KindTime, "2026-11-20", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), false},
		{"rfc3339 offset", KindTime, "2026-11-20T10:00:00+02:00", time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), false},
		{"time garbage", KindTime, "20/11/2026", nil, true},
		{"list", KindList, "a| b |c", []string{"a", "b", "c"}, false},
		{"list one", KindList, "a;b", []string{"a;b"}, false}, // ';' is not a separator
		{"list trailing", KindList, "a|", nil, true},
		{"string", KindString, " as is ", " as is ", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := csvCell(tc.kind, tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if tc.err {
				return
			}
			if tm, ok := tc.want.(time.Time); ok {
				if g, _ := got.(time.Time); !g.Equal(tm) {
					t.Errorf("got %v, want %v", got, tm)
				}
				return
			}
			if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func FuzzScoreCSV(f *testing.F) {
	for _, s := range []string{
		"email,since\na@x.io,2026-01-01\n",
		"id,email,size,ratio,active,since,tags,stage\nL1,a@x.io,30,1.5,true,2026-11-20,a|b,mql\n",
		"email,since,tags\n\"a,\"\"b\",2026-01-01,\"x|\ny\"\n",
		"email,since\n\"open\n",
		"\ufeffemail,since\r\n,\r\n",
		"emial\n",
	} {
		f.Add([]byte(s))
	}
	rs := mustRules(f, csvRules)
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		st, err := rs.ScoreCSV(context.Background(), strings.NewReader(string(data)), "f.csv", at, func(r Record) error {
			n++
			if (r.Result == nil) == (r.Err == nil) {
				t.Fatalf("record %+v: want exactly one of Result and Err", r)
			}
			if r.Line < 2 {
				t.Fatalf("record at line %d: records start after the header", r.Line)
			}
			var e *Error
			if r.Err != nil && (!errors.As(r.Err, &e) || e.Line == 0 && e.Code != CodeEval) {
				t.Fatalf("rejected record without a position: %v", r.Err)
			}
			return nil
		}, MaxLineBytes(1<<12))
		if st.Read != n || st.Read != st.Scored+st.Rejected {
			t.Fatalf("stats %+v for %d records", st, n)
		}
		if err != nil && errors.Is(err, ErrInternal) {
			t.Fatalf("internal error: %v", err)
		}
	})
}

func ExampleRuleSet_ScoreCSV() {
	rules, err := Parse("rules.yaml", []byte(`version: "1"
fields:
  email: {type: string, required: true}
  company_size: {type: int, default: 0}
  tech_stack: list
scores:
  fit:
    rules:
      - {id: enterprise, when: company_size >= 1000, points: 25}
      - {id: stack, points: len(tech_stack) * 2}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	leads := "id,email,company_size,tech_stack\n" +
		"L-1,ana@bank.com,4200,salesforce|snowflake\n" +
		"L-2,ben@shop.com,lots,\n"
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	st, err := rules.ScoreCSV(context.Background(), strings.NewReader(leads), "leads.csv", at, func(r Record) error {
		if r.Err != nil {
			fmt.Println("rejected:", r.Err)
			return nil
		}
		fit, _ := r.Result.Score("fit")
		fmt.Println(r.Result.LeadID, fit)
		return nil
	})
	fmt.Fprintln(os.Stdout, st.Read, "read,", st.Scored, "scored,", st.Rejected, "rejected", err)
	// Output:
	// L-1 29
	// rejected: leads.csv:3:3: lead field "company_size": want int, got "lots"
	// 2 read, 1 scored, 1 rejected <nil>
}

// TestScoreCSVHostileHeader: a header of the most fields csvio allows,
// none of them declared, near the names of a thousand declared fields,
// is rejected quickly with one problem per column.
func TestScoreCSVHostileHeader(t *testing.T) {
	var src strings.Builder
	src.WriteString("version: h\nfields:\n")
	for i := range 1000 {
		fmt.Fprintf(&src, "  field%04d: int\n", i)
	}
	rs := mustRules(t, src.String())
	var hdr strings.Builder
	for i := range 4096 {
		if i > 0 {
			hdr.WriteByte(',')
		}
		fmt.Fprintf(&hdr, "fiedl%04d", i) // two edits from field%04d
	}
	start := time.Now()
	_, err := rs.ScoreCSV(context.Background(), strings.NewReader(hdr.String()+"\n"), "h.csv", at, func(Record) error { return nil })
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 4096 {
		t.Fatalf("want 4096 problems, got %d: %.200v", len(errs), err)
	}
	if !strings.Contains(errs[0].Error(), "did you mean field0000?") {
		t.Errorf("first problem: %v", errs[0])
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}
