package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/backtest"
)

func init() {
	register(&command{Name: "diff", Summary: "backtest a rules change: score leads with old and new rules and compare", Run: runDiff})
}

const diffSynopsis = `--rules OLD.yaml --against NEW.yaml [--at RFC3339] [--outcomes FIELD]
         [--model NAME] [--band WIDTH] [--json] LEADS.jsonl|-

Scores every lead with the old rules (--rules) and the new (--against) and
reports what the change does: the stage, grade and routing destination of
each lead under old × new, how each score model's distribution moves
(nearest-rank percentiles) with a histogram by score band, and the leads
per segment. With --outcomes, a JSON key of each lead holding "won",
"lost" or "open", a boolean, or revenue (a number, won when > 0): leads,
won, conversion rate (won / leads with an outcome) and revenue per stage
and per score band of --model, for old and new.

LEADS is JSON lines or a JSON array of objects ("-" for standard input).
Every figure is over the leads both rule sets scored; a lead either side
rejects is listed on standard error as FILE:LINE: side: reason, side old
or new (a line each when both reject it), and the exit status is then 1
(after the report). Invalid rules are printed as
file:line:col: message with exit status 1; usage errors exit 2. --at
defaults to the current time.`

func runDiff(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "diff", diffSynopsis)
	limits := limitFlags(fs)
	strict := strictFlag(fs)
	accounts := fs.Bool("accounts", false, "compare accounts (JSON lines of accounts with their \"leads\") with the rules' accounts sections")
	oldPath := fs.String("rules", "", "the old rules `file` (required)")
	newPath := fs.String("against", "", "the new rules `file` (required)")
	atFlag := fs.String("at", "", "evaluation `time`, RFC 3339 (default: now)")
	outcomes := fs.String("outcomes", "", "lead JSON `field` holding the outcome")
	model := fs.String("model", "", "score model `NAME` of the outcome bands (default: the first model of both files)")
	band := fs.Float64("band", 10, "score band `width`")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	workers := fs.Int("workers", 0, "scoring goroutines (default: GOMAXPROCS)")
	if code, ok := parseFlags(fs, args); !ok { // flags may also follow the file
		return code
	}
	pos := fs.Args()
	switch {
	case *oldPath == "" || *newPath == "":
		return usageError(fs, "--rules and --against are required")
	case len(pos) != 1:
		return usageError(fs, "want one leads file (or - for standard input), got %d", len(pos))
	case !(*band > 0) || math.IsInf(*band, 0):
		return usageError(fs, "--band: want a positive width, got %v", *band)
	case *model != "" && *outcomes == "":
		return usageError(fs, "--model needs --outcomes")
	}
	at, err := parseAt(*atFlag)
	if err != nil {
		return usageError(fs, "--at: %v", err)
	}

	oldRules, oldErr := scoring.LoadFile(*oldPath, limits(), strict())
	newRules, newErr := scoring.LoadFile(*newPath, limits(), strict())
	if oldErr != nil || newErr != nil {
		for _, err := range []error{oldErr, newErr} {
			var errs scoring.Errors
			switch {
			case errors.As(err, &errs):
				printRuleErrors(env, err) // file:line:col: message, and a caret line
			case err != nil:
				errorf(env, "diff", "%v", err)
			}
		}
		return exitFindings
	}

	in, name, err := openInput(env, pos[0])
	if err != nil {
		errorf(env, "diff", "%v", err)
		return exitFindings
	}
	defer in.Close()
	opts := []backtest.Option{backtest.WithBandWidth(*band)}
	if *outcomes != "" {
		opts = append(opts, backtest.WithOutcomes(*outcomes))
	}
	if *model != "" {
		opts = append(opts, backtest.WithOutcomeModel(*model))
	}
	if *workers > 0 {
		opts = append(opts, backtest.WithWorkers(*workers))
	}
	var rep *backtest.Report
	if *accounts {
		rep, err = backtest.RunAccounts(ctx, oldRules, newRules, in, name, at, opts...)
	} else {
		rep, err = backtest.Run(ctx, oldRules, newRules, in, name, at, opts...)
	}
	if err != nil {
		switch {
		case errors.Is(err, backtest.ErrOption):
			return usageError(fs, "%v", err)
		case errors.Is(err, backtest.ErrInput):
			fmt.Fprintln(env.Stderr, err) // name:line:col: message
		default:
			errorf(env, "diff", "%s: %v", name, err)
		}
		return exitFindings
	}

	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			errorf(env, "diff", "%v", err)
			return exitFindings
		}
	} else {
		writeDiffTables(env.Stdout, rep)
	}

	for _, r := range rep.Rejected { // one line per side that rejected the lead
		if r.Old != nil {
			fmt.Fprintf(env.Stderr, "%s:%d: old: %s\n", name, r.Line, recordMessage(r.Old, name, r.Line))
		}
		if r.New != nil {
			fmt.Fprintf(env.Stderr, "%s:%d: new: %s\n", name, r.Line, recordMessage(r.New, name, r.Line))
		}
	}
	if len(rep.Rejected) > 0 {
		return exitFindings
	}
	return exitOK
}

// num formats a figure for people: rounded to two decimals, no trailing zeros.
func num(f float64) string {
	r := math.Round(f*100) / 100
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func writeDiffTables(w io.Writer, rep *backtest.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	flush := func() { tw.Flush(); fmt.Fprintln(w) }

	row("rules", "file", "name", "version", "hash")
	for _, s := range []struct {
		side string
		info backtest.RuleSetInfo
	}{{"old", rep.Old}, {"new", rep.New}} {
		row(s.side, s.info.File, s.info.Name, s.info.Version, s.info.Hash)
	}
	flush()

	c := rep.Counts
	fmt.Fprintf(w, "at %s: %d leads read, %d compared, %d rejected (old only %d, new only %d, both %d)\n\n",
		rep.At.Format("2006-01-02T15:04:05Z07:00"), c.Read, c.Compared, c.Read-c.Compared,
		c.RejectedOldOnly, c.RejectedNewOnly, c.RejectedBoth)

	writeMatrix := func(title string, m backtest.Matrix) {
		fmt.Fprintf(w, "%s: %d of %d leads change (rows old, columns new)\n", title, m.Changed, c.Compared)
		row(append(append([]string{"old \\ new"}, m.Labels...), "total")...)
		cols := make([]int, len(m.Labels))
		for i, l := range m.Labels {
			cells, total := []string{l}, 0
			for j, n := range m.Counts[i] {
				cells = append(cells, strconv.Itoa(n))
				total += n
				cols[j] += n
			}
			row(append(cells, strconv.Itoa(total))...)
		}
		cells, total := []string{"total"}, 0
		for _, n := range cols {
			cells = append(cells, strconv.Itoa(n))
			total += n
		}
		row(append(cells, strconv.Itoa(total))...)
		flush()
	}
	writeMatrix("Stage", rep.Stages)
	writeMatrix("Grade", rep.Grades)
	writeMatrix("Route (owner or queue)", rep.Routes)

	for _, s := range rep.Scores {
		switch {
		case s.Moves != nil:
			fmt.Fprintf(w, "Score %s: %d up, %d down, %d unchanged\n", s.Model, s.Moves.Up, s.Moves.Down, s.Moves.Unchanged)
		case s.Old == nil && s.New != nil:
			fmt.Fprintf(w, "Score %s: new rules only\n", s.Model)
		case s.New == nil && s.Old != nil:
			fmt.Fprintf(w, "Score %s: old rules only\n", s.Model)
		default:
			fmt.Fprintf(w, "Score %s: no leads compared\n", s.Model)
		}
		row("rules", "count", "mean", "min", "p10", "median", "p90", "max")
		for _, d := range []struct {
			side string
			d    *backtest.Distribution
		}{{"old", s.Old}, {"new", s.New}} {
			if d.d == nil {
				row(d.side, "0", "-", "-", "-", "-", "-", "-")
				continue
			}
			row(d.side, strconv.Itoa(d.d.Count), num(d.d.Mean), num(d.d.Min), num(d.d.P10), num(d.d.Median), num(d.d.P90), num(d.d.Max))
		}
		tw.Flush()
		if len(s.Bands) > 0 {
			fmt.Fprintln(w)
			row("band", "old", "new")
			for _, b := range s.Bands {
				row(b.String(), strconv.Itoa(b.Old), strconv.Itoa(b.New))
			}
		}
		flush()
	}

	fmt.Fprintln(w, "Segments: leads per segment")
	if len(rep.Segments) == 0 {
		fmt.Fprintln(w, "(none)")
	} else {
		row("segment", "old", "new", "gained", "lost")
		for _, s := range rep.Segments {
			row(s.Segment, strconv.Itoa(s.Old), strconv.Itoa(s.New), strconv.Itoa(s.Gained), strconv.Itoa(s.Lost))
		}
	}
	tw.Flush()

	o := rep.Outcomes
	if o == nil {
		return
	}
	outcomeRows := func(first string, old, new backtest.OutcomeStats) {
		for i, s := range []backtest.OutcomeStats{old, new} {
			rate := "-"
			if s.ConversionRate != nil {
				rate = num(*s.ConversionRate*100) + "%"
			}
			label, side := first, "old"
			if i == 1 {
				label, side = "", "new"
			}
			row(label, side, strconv.Itoa(s.Leads), strconv.Itoa(s.WithOutcome), strconv.Itoa(s.Won), rate, num(s.Revenue))
		}
	}
	fmt.Fprintf(w, "\nOutcomes by stage (field %q; rate = won / leads with an outcome)\n", o.Field)
	row("stage", "rules", "leads", "with outcome", "won", "rate", "revenue")
	for _, s := range o.Stages {
		outcomeRows(s.Stage, s.Old, s.New)
	}
	tw.Flush()
	if o.Model == "" {
		fmt.Fprintln(w, "\nOutcomes by score band: no score model in both rule sets")
		return
	}
	fmt.Fprintf(w, "\nOutcomes by %s band (width %s)\n", o.Model, num(rep.BandWidth))
	row("band", "rules", "leads", "with outcome", "won", "rate", "revenue")
	for _, b := range o.Bands {
		outcomeRows(b.String(), b.Old, b.New)
	}
	tw.Flush()
}
