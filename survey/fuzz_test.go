package survey

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func FuzzLoad(f *testing.F) {
	good, err := os.ReadFile("testdata/pulse.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(good))
	f.Add(questionsYAML(11))
	f.Add("")
	f.Add("name: [x\n")
	f.Add("a: &a [*a, *a]\n")
	f.Add("name: x\ncadence: weekly\nquestions:\n  - &q {id: a, type: text, text: t}\n  - *q\n")
	f.Add("{name: x, cadence: monthly, questions: [{id: a, type: choice, text: t, options: [x, x]}]}")
	f.Add("\xEF\xBB\xBFname: x\r\ncadence: weekly\r\nquestions:\r\n  - {id: a, type: text, text: t, optional: yes}\r\n")
	f.Add("name: x\ncadence: weekly\nquestions:\n  - {id: '', type: text, text: t}\n  - {id: [a], type: {}, text: null}\n")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Load(strings.NewReader(src), "f.yaml")
		if err != nil {
			var list Errors
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty Errors: %#v", err)
			}
			for _, e := range list {
				if e.File != "f.yaml" || e.Err == nil || e.Msg == "" {
					t.Fatalf("error without place, sentinel or message: %#v", e)
				}
				if e.Kind == "question" && e.ID == "" {
					t.Fatalf("question error without its id: %#v", e)
				}
			}
			if _, perr := Parse("f.yaml", []byte(src)); perr == nil || perr.Error() != err.Error() {
				t.Fatalf("Parse and Load disagree: %v / %v", perr, err)
			}
			return
		}
		if n := len(s.Questions()); n < 1 || n > MaxQuestions {
			t.Fatalf("loaded %d questions", n)
		}
	})
}

func FuzzReadResponses(f *testing.F) {
	s := mustLoadFile(f, "testdata/pulse.yaml")
	f.Add(header + "r1,W1,SDR,London,<1y,9,4,,Approvals,\nr2,W1,AE,Austin,3y+,6,2,5,,Fine\n")
	f.Add(header + "r1,W1,SDR,London,<1y,11,7,x,y,\"\n")
	f.Add(header + "r1\"x,W1\nr1,W1,SDR,London,<1y,7,4,,,\nr1,W1,SDR,London,<1y,7,4,,,\n")
	f.Add("respondent,wave,enps,tools,team,location,tenure\n")
	f.Add("")
	f.Add("\xEF\xBB\xBF" + header + "r1,W1,SDR,London,<1y,9,4,,Approvals,\r\n\r\n,,,,,,,,,\r\n")
	f.Add(header + "r1,W1,SDR,London,<1y,9,4,,,\"open\nr2,W1\n")
	f.Fuzz(func(t *testing.T, src string) {
		b, err := s.ReadResponses(context.Background(), strings.NewReader(src), "f.csv")
		if err != nil {
			if b != nil {
				t.Fatal("batch with an error")
			}
			return
		}
		if b.Read() != b.Accepted()+len(b.Rejected()) {
			t.Fatalf("read %d ≠ accepted %d + rejected %d", b.Read(), b.Accepted(), len(b.Rejected()))
		}
		for _, r := range b.Rejected() {
			if len(r.Errors) == 0 {
				t.Fatal("rejection without an error")
			}
			for _, e := range r.Errors {
				if e.File != "f.csv" || e.Line < 1 || e.Err == nil {
					t.Fatalf("rejection error without place or sentinel: %#v", e)
				}
			}
		}
		// The sequence yields the same responses and rejections.
		var n, rejected int
		for resp, err := range s.ReadResponsesSeq(context.Background(), strings.NewReader(src), "f.csv") {
			var rej *Rejection
			switch {
			case errors.As(err, &rej):
				if rej.Line != b.Rejected()[rejected].Line {
					t.Fatalf("rejection %d at line %d, batch says %d", rejected, rej.Line, b.Rejected()[rejected].Line)
				}
				rejected++
			case err != nil:
				t.Fatalf("sequence failed where the batch did not: %v", err)
			default:
				if resp.Respondent != b.Responses()[n].Respondent {
					t.Fatalf("response %d: %q, batch %q", n, resp.Respondent, b.Responses()[n].Respondent)
				}
				n++
			}
		}
		if n != b.Accepted() || rejected != len(b.Rejected()) {
			t.Fatalf("sequence: %d accepted, %d rejected; batch %d, %d", n, rejected, b.Accepted(), len(b.Rejected()))
		}
		for _, by := range []string{"", "team", "wave"} {
			rep, err := s.Report(context.Background(), b, WithBreakdown(by), WithThreshold(MinThreshold))
			if err != nil {
				t.Fatal(err)
			}
			// encoding/json refuses NaN and Inf: a successful encoding
			// proves none leaked.
			if _, err := json.Marshal(rep); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteText(discard{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
