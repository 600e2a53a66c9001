package survey

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

const header = "respondent,wave,team,location,tenure,enps,tools,manager,blocker,comment\n"

func TestReadResponsesRows(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	tests := []struct {
		name     string
		rows     string // after the header (line 1)
		accepted int
		errs     []string
		is       error
	}{
		{"good rows", "r1,W1,SDR,London,<1y,9,4,,Approvals,\nr2,W1,AE,Austin,3y+,6,2,5,,Fine\n", 2, nil, nil},
		{"likert out of range", "r1,W1,SDR,London,<1y,9,7,,,\n", 0,
			[]string{`r.csv:2:7: question "tools": value 7 out of range 1–5`}, ErrOutOfRange},
		{"enps out of range", "r1,W1,SDR,London,<1y,11,4,,,\n", 0,
			[]string{`r.csv:2:6: question "enps": value 11 out of range 0–10`}, ErrOutOfRange},
		{"enps negative", "r1,W1,SDR,London,<1y,-1,4,,,\n", 0,
			[]string{`r.csv:2:6: question "enps": value -1 out of range 0–10`}, ErrOutOfRange},
		// Too large for an int: still a whole number, so out of range, not
		// a type error (and never clamped to 10).
		{"enps huge", "r1,W1,SDR,London,<1y,99999999999999999999,4,,,\n", 0,
			[]string{`r.csv:2:6: question "enps": value 99999999999999999999 out of range 0–10`}, ErrOutOfRange},
		{"not a number", "r1,W1,SDR,London,<1y,7.5,four,,,\n", 0, []string{
			`r.csv:2:6: question "enps": value "7.5" is not a whole number 0–10`,
			`r.csv:2:7: question "tools": value "four" is not a whole number 1–5`,
		}, ErrType},
		{"unknown option", "r1,W1,SDR,London,<1y,7,4,,approvals,\n", 0, []string{
			`r.csv:2:9: question "blocker": "approvals" is not one of "CRM hygiene", "Lead quality", "Approvals", "Nothing"`,
		}, ErrOption},
		{"required missing", "r1,W1,SDR,London,<1y, ,4,,,\n", 0,
			[]string{`r.csv:2:6: question "enps": answer required`}, ErrRequired},
		{"empty ids", ",,SDR,London,<1y,7,4,,,\n", 0,
			[]string{`r.csv:2:1: respondent: empty; a respondent id is required`, `r.csv:2:2: wave: empty; a wave label is required`}, ErrRequired},
		{"field count", "r1,W1,SDR,London,<1y,7,4,,\nr2,W1,SDR,London,<1y,7,4,,,,\n", 0, []string{
			`r.csv:2:10: 9 fields, the header has 10`,
			`r.csv:3:11: 11 fields, the header has 10`,
		}, ErrSyntax},
		// The bare quote is in field 1 of line 2; the column is the field
		// number, not the byte.
		{"bad quote", "r1\"x,W1,SDR,London,<1y,7,4,,,\nr2,W1,SDR,London,<1y,7,4,,,\n", 1,
			[]string{`r.csv:2:1: bare quote in unquoted field 1 (quote the whole field and double the quote)`}, ErrSyntax},
		{"duplicate respondent in a wave", "r1,W1,SDR,London,<1y,7,4,,,\nr1,W1,SDR,London,<1y,8,4,,,\nr1,W2,SDR,London,<1y,8,4,,,\n", 2,
			[]string{`r.csv:3:1: respondent: "r1" already answered wave "W1" at line 2`}, ErrDuplicate},
		// A quoted comment over two lines: the next row starts at line 4.
		{"multi-line comment", "r1,W1,SDR,London,<1y,7,4,,,\"two\nlines\"\nr2,W1,SDR,London,<1y,7,9,,,\n", 1,
			[]string{`r.csv:4:7: question "tools": value 9 out of range 1–5`}, ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := s.ReadResponses(context.Background(), strings.NewReader(header+tt.rows), "r.csv")
			if err != nil {
				t.Fatal(err)
			}
			if b.Accepted() != tt.accepted {
				t.Errorf("accepted = %d, want %d", b.Accepted(), tt.accepted)
			}
			if b.Read() != b.Accepted()+len(b.Rejected()) {
				t.Errorf("read %d ≠ accepted %d + rejected %d", b.Read(), b.Accepted(), len(b.Rejected()))
			}
			var got []string
			if err := b.Err(); err != nil {
				for _, e := range err.(Errors) {
					got = append(got, e.Error())
				}
				if !errors.Is(err, tt.is) {
					t.Errorf("errors.Is(err, %v) = false for %v", tt.is, err)
				}
			}
			if diff := cmp.Diff(tt.errs, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadResponsesHeader(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	tests := []struct {
		name   string
		header string
		want   []string
		is     error
	}{
		{"empty input", "", []string{"r.csv:1: empty input: want a header row"}, ErrRequired},
		{"unknown question", "respondent,wave,team,location,tenure,enps,tools,q7\n", []string{
			`r.csv:1:8: q7: unknown column (known: respondent, wave, team, location, tenure, enps, tools, manager, blocker, comment)`}, ErrUnknownQuestion},
		{"duplicate column", "respondent,wave,team,location,tenure,enps,tools,enps\n", []string{
			`r.csv:1:8: enps: duplicate column (also field 6)`}, ErrDuplicate},
		{"missing columns", "wave,location,tools\n", []string{
			`r.csv:1: respondent: missing column`,
			`r.csv:1: team: missing column (a segment of the survey)`,
			`r.csv:1: tenure: missing column (a segment of the survey)`,
			`r.csv:1: enps: missing column (a required question)`,
		}, ErrRequired},
		{"bad quote in header", "respondent,wa\"ve\n", []string{`r.csv:1:2: bare quote in unquoted field 2 (quote the whole field and double the quote)`}, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := s.ReadResponses(context.Background(), strings.NewReader(tt.header), "r.csv")
			if b != nil || err == nil {
				t.Fatalf("batch %v, err %v; want a header error", b, err)
			}
			var got []string
			for _, e := range err.(Errors) {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
		})
	}
	// Optional question columns may be left out, and a spreadsheet BOM is ignored.
	b, err := s.ReadResponses(context.Background(), strings.NewReader("\uFEFFrespondent,wave,team,location,tenure,enps,tools\nr1,W1,SDR,London,<1y,10,5\n"), "r.csv")
	if err != nil || b.Accepted() != 1 {
		t.Fatalf("accepted %v, err %v", b, err)
	}
	want := []Response{{Respondent: "r1", Wave: "W1",
		Segments: map[string]string{"team": "SDR", "location": "London", "tenure": "<1y"},
		Answers:  map[string]string{"enps": "10", "tools": "5"}}}
	if diff := cmp.Diff(want, b.Responses()); diff != "" {
		t.Errorf("responses (-want +got):\n%s", diff)
	}
}

func TestReadResponsesCancel(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.ReadResponses(ctx, strings.NewReader(header+"r1,W1,SDR,London,<1y,9,4,,,\n"), "r.csv")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := s.Check(ctx, []Response{{}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Check err = %v, want context.Canceled", err)
	}
}

func TestCheck(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	in := []Response{
		{Respondent: "a", Wave: "W1", Segments: map[string]string{"team": "SDR"},
			Answers: map[string]string{"enps": "9", "tools": "4", "comment": "  Good  "}},
		{Respondent: "b", Wave: "W1", Segments: map[string]string{"colour": "red"},
			Answers: map[string]string{"enps": "12", "tools": "4", "q9": "x"}},
		{Respondent: "a", Wave: "W1", Answers: map[string]string{"enps": "1", "tools": "1"}},
		{Wave: "W1", Answers: map[string]string{"tools": "3"}},
	}
	b, err := s.Check(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if b.Read() != 4 || b.Accepted() != 1 || len(b.Rejected()) != 3 {
		t.Fatalf("read %d accepted %d rejected %d", b.Read(), b.Accepted(), len(b.Rejected()))
	}
	want := `response "2": segment "colour" is not declared by the survey
response "2": question "q9": not a question of the survey
response "2": question "enps": value 12 out of range 0–10
response "3": respondent "a" already answered wave "W1" in response 1
response "4": respondent id is empty
response "4": question "enps": answer required`
	if got := b.Err().Error(); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
	if got := b.Responses()[0].Answers["comment"]; got != "Good" {
		t.Errorf("comment = %q, want trimmed", got)
	}
	if r := b.Rejected()[0]; r.Record != 2 || r.Respondent != "b" {
		t.Errorf("rejection = %+v", r)
	}
}

func TestReadResponsesIOError(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(header+"r1,W1,SDR,London,<1y,9,4,,,\n"), iotest.ErrReader(boom))
	b, err := s.ReadResponses(context.Background(), r, "r.csv")
	if b != nil || !errors.Is(err, boom) {
		t.Errorf("batch %v, err %v; want the I/O error", b, err)
	}
	if _, err := s.ReadResponses(context.Background(), iotest.ErrReader(boom), "r.csv"); !errors.Is(err, boom) {
		t.Errorf("header read: err %v", err)
	}
}

// A Survey and a Batch are shared by goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	data := header + "r1,W1,SDR,London,<1y,9,4,,,x\nr2,W1,AE,London,<1y,3,2,,,y\n"
	b, err := s.ReadResponses(context.Background(), strings.NewReader(data), "r.csv")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.ReadResponses(context.Background(), strings.NewReader(data), "r.csv"); err != nil {
				t.Error(err)
			}
			if _, err := s.Report(context.Background(), b, WithBreakdown("team"), WithThreshold(MinThreshold)); err != nil {
				t.Error(err)
			}
			_ = b.Responses()
			_ = s.Questions()
		}()
	}
	wg.Wait()
}
