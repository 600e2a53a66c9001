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
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Load(strings.NewReader(src), "f.yaml")
		if err != nil {
			var list Errors
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty Errors: %#v", err)
			}
			for _, e := range list {
				if e.File != "f.yaml" || e.Err == nil {
					t.Fatalf("error without place or sentinel: %#v", e)
				}
			}
			return
		}
		if n := len(s.Questions()); n < 1 || n > MaxQuestions {
			t.Fatalf("loaded %d questions", n)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	s := mustLoadFile(f, "testdata/pulse.yaml")
	f.Add(header + "r1,W1,SDR,London,<1y,9,4,,Approvals,\nr2,W1,AE,Austin,3y+,6,2,5,,Fine\n")
	f.Add(header + "r1,W1,SDR,London,<1y,11,7,x,y,\"\n")
	f.Add(header + "r1\"x,W1\nr1,W1,SDR,London,<1y,7,4,,,\nr1,W1,SDR,London,<1y,7,4,,,\n")
	f.Add("respondent,wave,enps,tools,team,location,tenure\n")
	f.Add("")
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
		}
		for _, by := range []string{"", "team", "wave"} {
			rep, err := s.Report(context.Background(), b, WithBreakdown(by), WithThreshold(1))
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
