// Command pulse reports a season of a revenue team's monthly pulse survey:
// the definition in pulse.yaml, three waves of responses in responses.csv.
//
//	go run ./examples/pulse
//
// It prints the June wave broken down by team — RevOps has three people and
// is suppressed, and so is the next-smallest team, because the total would
// otherwise give RevOps away — then the eNPS trend over the season and the
// sample size needed for a tighter estimate.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"log"
	"os"

	"github.com/revengine/revengine/survey"
)

//go:embed pulse.yaml
var definition []byte

//go:embed responses.csv
var responses []byte

func main() {
	ctx := context.Background()
	s, err := survey.Parse("pulse.yaml", definition)
	if err != nil {
		log.Fatal(err)
	}
	batch, err := s.ReadResponses(ctx, bytes.NewReader(responses), "responses.csv")
	if err != nil {
		log.Fatal(err)
	}
	if err := batch.Err(); err != nil {
		log.Fatal(err) // the sample data is clean; real data would list each bad row
	}
	// 33 people were invited to the June wave.
	rep, err := s.Report(ctx, batch, survey.WithWave("2026-06"), survey.WithInvited(33), survey.WithBreakdown("team"))
	if err != nil {
		log.Fatal(err)
	}
	if err := rep.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}

	// How many answers would pin June's eNPS down to ±10 points at 95%,
	// using June's own variance as the prior estimate?
	june := rep.Questions[0].NPS
	n, err := survey.SampleSize(10, 0.95, june.Variance)
	if err != nil {
		log.Fatal(err)
	}
	worst, err := survey.SampleSize(10, 0.95, survey.MaxVariance)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nfor ±10 eNPS points at 95%%: %d respondents (%.1f exactly) with June's variance %.0f points², %d in the worst case\n",
		n.N, n.Exact, june.Variance, worst.N)
}
