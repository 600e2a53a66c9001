package survey_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/revengine/revengine/survey"
)

// Bain's worked definition: 60 promoters, 30 passives and 10 detractors of
// 100 give 60% − 10% = +50.
func ExampleCounts_NPS() {
	r, err := survey.Counts{Promoters: 60, Passives: 30, Detractors: 10}.NPS()
	if err != nil {
		fmt.Println(err)
		return
	}
	// Points throughout: variance 100²·(0.7 − 0.5²) = 4500 points²,
	// SE √(4500/100) = 6.7082 points.
	fmt.Printf("NPS %+.0f, variance %.0f, SE %.4f\n", r.Score, r.Variance, r.StdErr)
	_, err = survey.Counts{}.NPS()
	fmt.Println(errors.Is(err, survey.ErrNoResponses), errors.Is(err, survey.ErrEmptyInput))
	// Output:
	// NPS +50, variance 4500, SE 6.7082
	// true true
}

func ExampleScale_NPS() {
	r, err := survey.Standard.NPS([]int{10, 9, 9, 8, 7, 6, 3, 10, 9, 5})
	fmt.Printf("%+.0f from %d promoters, %d passives, %d detractors\n", r.Score, r.Promoters, r.Passives, r.Detractors)
	_, err = survey.Standard.NPS([]int{9, 11})
	fmt.Println(err)
	// Output:
	// +20 from 5 promoters, 2 passives, 3 detractors
	// answer 1: survey: answer out of range: 11 not in 0–10
}

func ExampleNPS_Interval() {
	r, _ := survey.Standard.NPS([]int{10, 9, 9, 8, 7, 6, 3, 10, 9, 5})
	for _, m := range []survey.Method{survey.Wald, survey.AdjustedWald} {
		iv, err := r.Interval(0.95, m)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-13s %.1f [%.1f, %.1f] n %.0f, variance %.1f, SE %.2f\n", m, iv.Centre, iv.Lower, iv.Upper, iv.N, iv.Variance, iv.StdErr)
	}
	// Output:
	// wald          20.0 [-34.0, 74.0] n 10, variance 7600.0, SE 27.57
	// adjusted-wald 15.4 [-30.3, 61.1] n 13, variance 7071.0, SE 23.32
}

func ExampleCompare() {
	before, _ := survey.Counts{Promoters: 5, Passives: 2, Detractors: 3}.NPS()
	after, _ := survey.Counts{Promoters: 60, Passives: 30, Detractors: 10}.NPS()
	d, err := survey.Compare(after, before, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("change %+.0f points [%.1f, %.1f], z %.2f, p %.3f, significant at 5%%: %v\n", d.Delta, d.Lower, d.Upper, d.Z, d.P, d.Significant)
	// Output:
	// change +30 points [-25.6, 85.6], z 1.06, p 0.290, significant at 5%: false
}

func ExampleSampleSize() {
	worst, _ := survey.SampleSize(5, 0.95, survey.MaxVariance)
	prior, _ := survey.SampleSize(5, 0.95, 4500) // a prior wave's variance, points²
	shares, _ := survey.SampleSizeFromShares(5, 0.95, 0.4, 0.2)
	fmt.Printf("%d (%.2f) %d (%.2f) %d (%.2f)\n", worst.N, worst.Exact, prior.N, prior.Exact, shares.N, shares.Exact)
	_, err := survey.SampleSize(0, 0.95, 1)
	fmt.Println(errors.Is(err, survey.ErrMargin))
	// Output:
	// 1537 (1536.58) 692 (691.46) 861 (860.49)
	// true
}

func ExampleLoad() {
	_, err := survey.Load(strings.NewReader(`name: Pulse
cadence: daily
questions:
  - {id: enps, type: enps, text: "Recommend us?"}
  - {id: mood, type: likert}
`), "pulse.yaml")
	fmt.Println(err)
	// Output:
	// pulse.yaml:2:10: cadence "daily": want weekly, monthly or quarterly
	// pulse.yaml:5:5: question "mood": missing field "text"
}

func ExampleSurvey_ReadResponses() {
	f, err := os.Open("testdata/pulse.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	s, err := survey.Load(f, "pulse.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	csv := `respondent,wave,team,location,tenure,enps,tools
r1,2026-06,SDR,London,<1y,9,4
r2,2026-06,SDR,London,<1y,10,7
r3,2026-06,AE,Austin,3y+,six,
`
	b, err := s.ReadResponses(context.Background(), strings.NewReader(csv), "responses.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("read %d, accepted %d, rejected %d\n", b.Read(), b.Accepted(), len(b.Rejected()))
	fmt.Println(b.Err())
	// Output:
	// read 3, accepted 1, rejected 2
	// responses.csv:3:7: question "tools": value 7 out of range 1–5
	// responses.csv:4:6: question "enps": value "six" is not a whole number 0–10
	// responses.csv:4:7: question "tools": answer required
}

func ExampleSurvey_Report() {
	s, err := survey.New("Pulse", survey.Monthly, []survey.Question{
		{ID: "enps", Kind: survey.ENPS, Text: "How likely are you to recommend us as a place to work?"},
	}, "team")
	if err != nil {
		fmt.Println(err)
		return
	}
	var in []survey.Response
	for i, a := range []string{"10", "9", "9", "8", "7", "6", "3", "10", "9", "5", "8", "9"} {
		team := "AE"
		if i == 11 {
			team = "RevOps" // one person: below the threshold of 5
		} else if i >= 5 {
			team = "SDR"
		}
		in = append(in, survey.Response{Respondent: fmt.Sprint("p", i), Wave: "2026-06",
			Segments: map[string]string{"team": team}, Answers: map[string]string{"enps": a}})
	}
	ctx := context.Background()
	b, err := s.Check(ctx, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := s.Report(ctx, b, survey.WithBreakdown("team"), survey.WithInvited(15))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("eNPS %+.1f from %d of %d invited\n", rep.Questions[0].NPS.Score, rep.Responses, rep.Invited)
	for _, g := range rep.Breakdown.Groups {
		if g.Suppressed != "" {
			fmt.Printf("%-6s suppressed: %s\n", g.Value, g.Suppressed)
			continue
		}
		fmt.Printf("%-6s %+.1f\n", g.Value, g.Questions[0].NPS.Score)
	}
	// RevOps alone is below the threshold; as the total is shown, the
	// smallest other team (AE, 5) is hidden too, or 12 − AE − SDR would
	// give RevOps away. SDR: 6 3 10 9 5 8 → 100·(2 − 3)/6 = −16.7.
	// Output:
	// eNPS +25.0 from 12 of 15 invited
	// AE     suppressed: complementary
	// RevOps suppressed: below-threshold
	// SDR    -16.7
}

func ExampleParse() {
	s, err := survey.Parse("pulse.yaml", []byte(`name: Pulse
cadence: weekly
segments: [team]
questions:
  - {id: enps, type: enps, text: "How likely are you to recommend us as a place to work?"}
  - {id: blocker, type: choice, text: "What slows you down?", options: [CRM, Approvals], optional: true}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range s.Questions() {
		fmt.Println(q.ID, q.Kind, q.Optional)
	}
	// Every problem at once, each with its place and question id.
	_, err = survey.Parse("pulse.yaml", []byte(`name: Pulse
cadence: weekly
questions:
  - {id: enps, type: enps, text: Recommend us, colour: red}
  - {id: enps, type: slider, text: Mood}
`))
	fmt.Println(err)
	var e *survey.Error
	if errors.As(err, &e) {
		fmt.Printf("first: line %d, column %d, %s %q, code %s\n", e.Line, e.Column, e.Kind, e.ID, e.Code)
	}
	// Output:
	// enps enps false
	// blocker choice true
	// pulse.yaml:4:48: question "enps": unknown key "colour" (known: id, type, text, options, optional)
	// pulse.yaml:5:10: question "enps": id is already the id of question 1
	// pulse.yaml:5:22: question "enps": type "slider": want enps, likert, choice or text
	// first: line 4, column 48, question "enps", code unknown_key
}

func ExampleLoadFile() {
	s, err := survey.LoadFile("testdata/pulse.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name(), s.Cadence(), len(s.Questions()), s.Segments())
	_, err = survey.LoadFile("testdata/nope.yaml")
	fmt.Println(errors.Is(err, os.ErrNotExist))
	// Output:
	// Revenue team pulse monthly 5 [team location tenure]
	// true
}

func ExampleNew() {
	s, err := survey.New("Pulse", survey.Monthly, []survey.Question{
		{ID: "enps", Kind: survey.ENPS, Text: "Recommend us?"},
	}, "team")
	fmt.Println(s.Name(), err)
	_, err = survey.New("Pulse", survey.Monthly, []survey.Question{
		{ID: "team", Kind: survey.Likert, Text: "Good team?"},
	}, "team")
	fmt.Println(err, errors.Is(err, survey.ErrDuplicate))
	// Output:
	// Pulse <nil>
	// question "team": id is already a segment true
}

func ExampleSurvey_ReadResponsesSeq() {
	s, err := survey.LoadFile("testdata/pulse.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	csv := "respondent,wave,team,location,tenure,enps,tools\r\n" +
		"r1,2026-06,SDR,London,<1y,9,4\r\n" +
		"r2,2026-06,SDR,London,<1y,10,7\r\n" +
		"r3,2026-06,AE,Austin,3y+,6,5\r\n"
	for resp, err := range s.ReadResponsesSeq(context.Background(), strings.NewReader(csv), "responses.csv") {
		var rej *survey.Rejection
		switch {
		case errors.As(err, &rej):
			fmt.Printf("rejected line %d: %v\n", rej.Line, err)
		case err != nil:
			fmt.Println("stopped:", err)
			return
		default:
			fmt.Println(resp.Respondent, resp.Answers["enps"])
		}
	}
	// Output:
	// r1 9
	// rejected line 3: responses.csv:3:7: question "tools": value 7 out of range 1–5
	// r3 6
}

func ExampleSurvey_Check() {
	s, err := survey.New("Pulse", survey.Weekly, []survey.Question{
		{ID: "enps", Kind: survey.ENPS, Text: "Recommend us?"},
		{ID: "why", Kind: survey.Text, Text: "Why?", Optional: true},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := s.Check(context.Background(), []survey.Response{
		{Respondent: "a", Wave: "W1", Answers: map[string]string{"enps": "9", "why": "Good people"}},
		{Respondent: "b", Wave: "W1", Answers: map[string]string{"enps": "ten"}},
		{Respondent: "a", Wave: "W1", Answers: map[string]string{"enps": "3"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("read %d, accepted %d\n", b.Read(), b.Accepted())
	fmt.Println(b.Err())
	// Output:
	// read 3, accepted 1
	// response "2": question "enps": value "ten" is not a whole number 0–10
	// response "3": respondent "a" already answered wave "W1" in response 1
}

func ExampleSampleSizeFromShares() {
	// 40% promoters, 20% detractors: variance 100²·(0.6 − 0.2²) = 5,600 points²;
	// ±5 points at 95% needs 1.96²·5,600/25 = 860.49 → 861 respondents.
	s, _ := survey.SampleSizeFromShares(5, 0.95, 0.4, 0.2)
	fmt.Printf("%d (%.2f exactly, variance %.0f)\n", s.N, s.Exact, s.Variance)
	// Output:
	// 861 (860.49 exactly, variance 5600)
}
