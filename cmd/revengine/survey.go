package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/revengine/revengine/survey"
)

func init() {
	register(&command{Name: "survey", Summary: "pulse-survey report: eNPS with confidence intervals, trends, anonymous breakdowns", Run: runSurvey})
}

const surveySynopsis = `--survey pulse.yaml [--invited N] [--threshold N] [--by COLUMN] [--wave LABEL] [--level 0.95] [--json] RESPONSES.csv|-

Validates the responses against the survey definition and prints the report:
per question the answered and skipped counts, the distribution, the mean,
the favourable (Likert 4–5), neutral (3) and unfavourable (1–2) shares and
the eNPS with its Wald and adjusted-Wald intervals; the eNPS trend over waves with the change and its two-sided
p-value; and, with --by, a breakdown by a segment column or by wave.

RESPONSES.csv has a header row: respondent, wave, the survey's segment
columns and one column per question id. Groups with fewer respondents than
the threshold are suppressed with their comments, and the smallest shown
group too when the hidden groups together still hold fewer than the
threshold (the total would otherwise reveal them by subtraction). The
threshold is the survey's min_group_size, or 5 when it pins none;
--threshold can raise it, never lower it, and never below 3. The report
names the waves it pools and says how many respondents answered more
than one: their answers are not independent.
Rejected rows are listed on standard error with file:line:column, the report
covers the accepted rows, and the exit status is 1. Flags may come before or
after RESPONSES.csv.`

func runSurvey(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "survey", surveySynopsis)
	defPath := fs.String("survey", "", "survey definition `file` (YAML); required")
	invited := fs.Int("invited", 0, "people invited (all waves in the report), for the response rate")
	threshold := fs.Int("threshold", 0, "raise the anonymity threshold (smallest group shown, in respondents) above the survey's minimum (default: its min_group_size, or 5)")
	by := fs.String("by", "", "break the report down by a segment `column`, or by wave")
	wave := fs.String("wave", "", "report one wave `label` only (the trend still covers every wave)")
	level := fs.Float64("level", survey.DefaultLevel, "confidence level of the intervals, in (0, 1)")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	// Flags may also follow RESPONSES.csv, as in
	// "revengine survey --survey pulse.yaml RESPONSES.csv --by team --json";
	// after "--" everything is an argument (parseFlags).
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	positional := fs.Args()
	if *defPath == "" {
		return usageError(fs, "--survey is required")
	}
	if len(positional) != 1 {
		return usageError(fs, "want exactly one RESPONSES.csv (or - for standard input), got %d arguments", len(positional))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["invited"] && *invited <= 0 {
		return usageError(fs, "--invited %d: want at least 1 (leave it out when unknown)", *invited)
	}

	s, err := survey.LoadFile(*defPath)
	if err != nil {
		printSurveyErrors(env, err)
		return exitFindings
	}

	r, name, err := openInput(env, positional[0])
	if err != nil {
		errorf(env, "survey", "%v", err)
		return exitFindings
	}
	defer r.Close()
	b, err := s.ReadResponses(ctx, r, name)
	if err != nil {
		printSurveyErrors(env, err)
		return exitFindings
	}

	opts := []survey.ReportOption{survey.WithLevel(*level)}
	if set["threshold"] {
		opts = append(opts, survey.WithThreshold(*threshold))
	}
	if *by != "" {
		opts = append(opts, survey.WithBreakdown(*by))
	}
	if set["wave"] {
		opts = append(opts, survey.WithWave(*wave))
	}
	if set["invited"] {
		opts = append(opts, survey.WithInvited(*invited))
	}
	rep, err := s.Report(ctx, b, opts...)
	switch {
	case errors.Is(err, survey.ErrThreshold), errors.Is(err, survey.ErrLevel), errors.Is(err, survey.ErrUnknownColumn):
		return usageError(fs, "%v", err)
	case err != nil:
		errorf(env, "survey", "%v", err)
		return exitFindings
	}

	if *asJSON {
		// The library's own encoding of the Report, indented.
		out, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			errorf(env, "survey", "%v", err)
			return exitFindings
		}
		fmt.Fprintf(env.Stdout, "%s\n", out)
	} else if err := rep.WriteText(env.Stdout); err != nil {
		errorf(env, "survey", "%v", err)
		return exitFindings
	}

	if err := b.Err(); err != nil {
		printSurveyErrors(env, err)
		errorf(env, "survey", "%d of %d rows rejected", len(b.Rejected()), b.Read())
		return exitFindings
	}
	return exitOK
}

// printSurveyErrors writes one problem per line; survey errors already
// carry their file:line:column, other errors (a file that does not open)
// get the command's prefix.
func printSurveyErrors(env *cmdEnv, err error) {
	var list survey.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(env.Stderr, e.Error())
		}
		return
	}
	var e *survey.Error
	if errors.As(err, &e) && e.File != "" {
		fmt.Fprintln(env.Stderr, e.Error())
		return
	}
	errorf(env, "survey", "%v", err)
}
