package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/backtest"
)

func init() {
	register(&command{Name: "replay", Summary: "re-evaluate logged decisions with candidate rules and report what would change", Run: runReplay})
}

const replaySynopsis = `--against NEW.yaml [--band WIDTH] [--json] DECISIONS.jsonl|-

Reads the decision log written by "revengine score --log" (or by a
service's scoring.DecisionLog), re-evaluates every decision with the
candidate rules at its logged time from its logged input, and prints the
report of "revengine diff" with the logged results as the old side: the
stage, grade and route of each lead under logged × candidate, how each score
moves, the leads per segment. A line that is not a decision, or a lead the
candidate rejects, is listed on standard error and the exit status is then 1.
Replaying a log against the rules that wrote it reports no change (rules
that read pii fields see them masked).`

func runReplay(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "replay", replaySynopsis)
	against := fs.String("against", "", "candidate rules `file` (required)")
	band := fs.Float64("band", 10, "score band `width` of the histograms")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	workers := fs.Int("workers", 0, "goroutines (default: GOMAXPROCS)")
	limits := limitFlags(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *against == "" {
		return usageError(fs, "--against is required")
	}
	if fs.NArg() != 1 {
		return usageError(fs, "want one decisions file, got %d", fs.NArg())
	}
	// Logged inputs hold every field of the rules that wrote them; the
	// candidate is read relaxed so that a field it dropped is not an error.
	cand, err := scoring.LoadFile(*against, limits(), scoring.Strict(false))
	if err != nil {
		printRuleErrors(env, err)
		return exitFindings
	}
	in, name, err := openInput(env, fs.Arg(0))
	if err != nil {
		errorf(env, "replay", "%v", err)
		return exitFindings
	}
	defer in.Close()
	opts := []backtest.Option{backtest.WithBandWidth(*band)}
	if *workers > 0 {
		opts = append(opts, backtest.WithWorkers(*workers))
	}
	rep, err := backtest.Replay(ctx, cand, in, name, opts...)
	if err != nil {
		switch {
		case errors.Is(err, backtest.ErrOption):
			return usageError(fs, "%v", err)
		default:
			fmt.Fprintln(env.Stderr, err)
		}
		return exitFindings
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			errorf(env, "replay", "%v", err)
			return exitFindings
		}
	} else {
		writeDiffTables(env.Stdout, rep)
	}
	for _, r := range rep.Rejected {
		if r.New != nil {
			fmt.Fprintf(env.Stderr, "%s:%d: %s\n", name, r.Line, recordMessage(r.New, name, r.Line))
		}
	}
	if len(rep.Rejected) > 0 {
		return exitFindings
	}
	return exitOK
}
