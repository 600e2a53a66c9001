package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/calibrate"
)

func init() {
	register(&command{Name: "calibrate", Summary: "prove the rules against outcomes: AUC, bands, best threshold, suggested points", Run: runCalibrate})
}

const calibrateSynopsis = `--rules RULES.yaml [--outcomes FIELD] [--at RFC3339] [--model NAME]
         [--stage ID] [--band WIDTH] [--groups N] [--objective f1|capacity
         --capacity N --weeks W|--weeks-field FIELD] [--lambda L] [--pdo P] [--confidence C]
         [--min-outcomes N] [--json] [--write-rules OUT.yaml
         [--keep-points] [--only-distinguishable]] LEADS.jsonl|-

Scores every lead with the rules and calibrates them against its outcome
(--outcomes, default "outcome": "won", "lost" or "open", a boolean, or
revenue, won when > 0 — the input of revengine diff --outcomes). Per score
model: the AUC (Mann–Whitney) with its DeLong interval, leads, won,
conversion rate and lift per score band, a calibration table by rank
group, and the threshold "score >= T" that maximises the objective: F1, or
capacity — the most won leads with at most N MQLs a week over W weeks of
leads (or the weeks between the earliest and latest time in the leads'
--weeks-field, at least one; a lead with an outcome and no time there is
rejected). Per stage: outcomes, and how the MQL stage (--stage, default the
second stage) does today. Per rule: conversion with and without it firing,
and suggested points from an L2-penalised logistic regression on the rule
firings (λ = --lambda, the intercept not penalised), with intervals;
points are coefficients × a scale fitted to the current points, or
--pdo points per doubling of the odds. Warnings say where outcomes are
few and which suggestions are not distinguishable from the current points.

--write-rules writes the rules file with the suggested points (literal
points only) and the best threshold of --model (default: the model the
MQL stage's condition compares, "scores.MODEL >= N") in that condition —
for the suggested points when they are written — edited in place: ids, comments and order
are kept. A lead that cannot be scored is listed on standard error as
FILE:LINE: reason and the exit status is then 1 (after the report).`

func runCalibrate(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "calibrate", calibrateSynopsis)
	limits := limitFlags(fs)
	strict := strictFlag(fs)
	rulesPath := fs.String("rules", "", "the rules `file` (required)")
	atFlag := fs.String("at", "", "evaluation `time`, RFC 3339 (default: now)")
	outcomes := fs.String("outcomes", "outcome", "lead JSON `field` holding the outcome")
	model := fs.String("model", "", "score model `NAME` whose threshold --write-rules writes (default: the one the MQL condition compares)")
	stage := fs.String("stage", "", "the MQL stage `id` (default: the second stage)")
	band := fs.Float64("band", 10, "score band `width`")
	groups := fs.Int("groups", 10, "rank `groups` of the calibration table")
	objective := fs.String("objective", "f1", "threshold objective: f1 or capacity")
	capacity := fs.Int("capacity", 0, "at most `N` MQLs a week (with --objective capacity)")
	weeks := fs.Float64("weeks", 1, "the `weeks` of leads the input spans (with --capacity)")
	weeksField := fs.String("weeks-field", "", "lead time `field` whose span gives the weeks (with --capacity; instead of --weeks)")
	lambda := fs.Float64("lambda", 1, "L2 penalty `λ` of the regression")
	pdo := fs.Float64("pdo", 0, "points per doubling of the odds (default: scale fitted to the current points)")
	confidence := fs.Float64("confidence", 0.95, "confidence `level` of the intervals")
	minOutcomes := fs.Int("min-outcomes", 10, "won and lost leads a band, stage or rule needs to be trusted")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	writeRules := fs.String("write-rules", "", "write the suggested rules to `file`")
	keepPoints := fs.Bool("keep-points", false, "with --write-rules: write only the threshold")
	onlyDist := fs.Bool("only-distinguishable", false, "with --write-rules: change only points distinguishable from the current")
	workers := fs.Int("workers", 0, "scoring goroutines (default: GOMAXPROCS)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	pos := fs.Args()
	var obj calibrate.Objective
	switch {
	case *rulesPath == "":
		return usageError(fs, "--rules is required")
	case len(pos) != 1:
		return usageError(fs, "want one leads file (or - for standard input), got %d", len(pos))
	case *objective == "f1":
		if *capacity != 0 || *weeksField != "" {
			return usageError(fs, "--capacity and --weeks-field need --objective capacity")
		}
		obj = calibrate.F1()
	case *objective == "capacity" && *weeksField != "":
		weeksSet := false
		fs.Visit(func(f *flag.Flag) { weeksSet = weeksSet || f.Name == "weeks" })
		if weeksSet || *capacity < 1 {
			return usageError(fs, "--weeks-field: want --capacity N > 0 MQLs a week, and no --weeks")
		}
		obj = calibrate.CapacityPerWeek(*capacity, *weeksField)
	case *objective == "capacity":
		if *capacity < 1 || !(*weeks > 0) || math.IsInf(*weeks, 0) {
			return usageError(fs, "--objective capacity: want --capacity N > 0 MQLs a week and --weeks W > 0")
		}
		n := math.Floor(float64(*capacity) * *weeks)
		if n < 1 || n > math.MaxInt32 {
			return usageError(fs, "--capacity %d × --weeks %v: want between 1 and 2^31 MQLs", *capacity, *weeks)
		}
		obj = calibrate.Capacity(int(n))
	default:
		return usageError(fs, "--objective: want f1 or capacity, got %q", *objective)
	}
	if (*keepPoints || *onlyDist) && *writeRules == "" {
		return usageError(fs, "--keep-points and --only-distinguishable need --write-rules")
	}
	at, err := parseAt(*atFlag)
	if err != nil {
		return usageError(fs, "--at: %v", err)
	}

	src, err := os.ReadFile(*rulesPath)
	if err != nil {
		errorf(env, "calibrate", "%v", err)
		return exitFindings
	}
	rs, err := scoring.LoadFile(*rulesPath, limits(), strict())
	if err != nil {
		printRuleErrors(env, err)
		return exitFindings
	}
	rf, err := calibrate.ParseRules(*rulesPath, src)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return exitFindings
	}
	opts := []calibrate.Option{calibrate.WithRules(rf), calibrate.WithOutcomes(*outcomes),
		calibrate.WithBandWidth(*band), calibrate.WithGroups(*groups), calibrate.WithObjective(obj),
		calibrate.WithLambda(*lambda), calibrate.WithPointsPerDoubling(*pdo), calibrate.WithConfidence(*confidence),
		calibrate.WithMinOutcomes(*minOutcomes)}
	if *stage != "" {
		opts = append(opts, calibrate.WithStage(*stage))
	}
	if *workers > 0 {
		opts = append(opts, calibrate.WithWorkers(*workers))
	}
	if *model != "" && !contains(rs.Models(), *model) {
		return usageError(fs, "--model %q is not a score model of %s (%s)", *model, *rulesPath, strings.Join(rs.Models(), ", "))
	}

	in, name, err := openInput(env, pos[0])
	if err != nil {
		errorf(env, "calibrate", "%v", err)
		return exitFindings
	}
	defer in.Close()
	rep, err := calibrate.Run(ctx, rs, in, name, at, opts...)
	if err != nil {
		var se *scoring.Error
		switch {
		case errors.Is(err, calibrate.ErrOption):
			return usageError(fs, "%v", err)
		case errors.As(err, &se):
			fmt.Fprintln(env.Stderr, err) // name:line:col: message
		default:
			errorf(env, "calibrate", "%s: %v", name, err)
		}
		return exitFindings
	}

	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			errorf(env, "calibrate", "%v", err)
			return exitFindings
		}
	} else {
		writeCalibrationReport(env.Stdout, rep)
	}

	code := exitOK
	if *writeRules != "" {
		wopts := []calibrate.WriteOption{}
		if rep.Stages != nil {
			wopts = append(wopts, calibrate.WriteThreshold(*model))
		}
		if *keepPoints {
			wopts = append(wopts, calibrate.KeepPoints())
		}
		if *onlyDist {
			wopts = append(wopts, calibrate.OnlyDistinguishable())
		}
		out, edits, err := calibrate.WriteRules(rf, rep, wopts...)
		if err != nil {
			errorf(env, "calibrate", "--write-rules: %v", err)
			code = exitFindings
		} else if err := os.WriteFile(*writeRules, out, 0o644); err != nil {
			errorf(env, "calibrate", "--write-rules: %v", err)
			code = exitFindings
		} else {
			fmt.Fprintf(env.Stderr, "wrote %s: %d changes\n", *writeRules, len(edits))
			for _, e := range edits {
				fmt.Fprintf(env.Stderr, "%s:%d:%d: %s %s: %s -> %s\n", *rulesPath, e.Line, e.Column, e.Kind, e.ID, e.Old, e.New)
			}
		}
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(env.Stderr, "%s:%d: %s\n", name, r.Line, recordMessage(r.Err, name, r.Line))
	}
	if len(rep.Rejected) > 0 {
		code = exitFindings
	}
	return code
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func pct(f float64) string { return num(f*100) + "%" }

func few(b bool) string {
	if b {
		return "few"
	}
	return ""
}

func writeCalibrationReport(w io.Writer, rep *calibrate.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	flush := func() { tw.Flush(); fmt.Fprintln(w) }
	c := rep.Counts
	fmt.Fprintf(w, "rules %s version %s %s\n", rep.File, rep.Version, rep.Hash)
	fmt.Fprintf(w, "at %s, outcome field %q: %d leads read, %d rejected, %d open, %d with an outcome (%d won, %d lost), %d rule patterns\n",
		rep.At.Format("2006-01-02T15:04:05Z07:00"), rep.Field, c.Read, c.Rejected, c.Open, c.Outcomes, c.Won, c.Lost, c.Patterns)
	if rep.CapacityMQLs > 0 {
		fmt.Fprintf(w, "capacity: the leads span %s weeks: at most %d MQLs\n", num(rep.CapacityWeeks), rep.CapacityMQLs)
	}
	fmt.Fprintln(w)
	thr := func(label string, t *calibrate.Threshold) {
		if t == nil {
			fmt.Fprintf(w, "%s: none\n", label)
			return
		}
		fmt.Fprintf(w, "%s: %d MQLs, %d won, precision %s, recall %s, F1 %s\n", label, t.MQLs, t.Won, pct(t.Precision), pct(t.Recall), num(t.F1))
	}
	for _, m := range rep.Models {
		if a := m.AUC; a != nil {
			interval := "no interval (fewer than 2 won or lost)"
			if a.HasInterval {
				interval = fmt.Sprintf("%s%% CI [%.3f, %.3f], SE %.3f", num(a.Confidence*100), a.Lo, a.Hi, a.SE)
			}
			fmt.Fprintf(w, "Score %s: AUC %.3f, %s (%s; %d won, %d lost)\n", m.Model, a.Value, interval, a.Method, a.Won, a.Lost)
		} else {
			fmt.Fprintf(w, "Score %s: no AUC (one class)\n", m.Model)
		}
		row("band", "leads", "won", "rate", "lift", "")
		for _, b := range m.Bands {
			row(fmt.Sprintf("[%s, %s)", num(b.Lo), num(b.Hi)), strconv.Itoa(b.Leads), strconv.Itoa(b.Won), pct(b.Rate), num(b.Lift), few(b.Few))
		}
		flush()
		fmt.Fprintf(w, "Calibration of %s by rank group\n", m.Model)
		row("group", "ranks", "scores", "leads", "won", "observed", "predicted", "")
		for _, g := range m.Calibration {
			pred := "-"
			if g.Predicted != nil {
				pred = pct(*g.Predicted)
			}
			row(strconv.Itoa(g.Group), fmt.Sprintf("%s–%s%%", num(g.RankLo), num(g.RankHi)), fmt.Sprintf("%s–%s", num(g.MinScore), num(g.MaxScore)),
				strconv.Itoa(g.Leads), strconv.Itoa(g.Won), pct(g.Observed), pred, few(g.Few))
		}
		tw.Flush()
		if m.Best != nil {
			thr(fmt.Sprintf("best threshold (%s): %s >= %s", m.Best.Objective, m.Model, num(m.Best.Score)), m.Best)
		} else {
			thr("best threshold", nil)
		}
		if m.SuggestedBest != nil {
			thr(fmt.Sprintf("with the suggested points: %s >= %s", m.Model, num(m.SuggestedBest.Score)), m.SuggestedBest)
		}
		fmt.Fprintln(w)
	}
	if s := rep.Stages; s != nil {
		auc := "no AUC"
		if s.AUC != nil {
			auc = fmt.Sprintf("AUC of the stage order %.3f [%.3f, %.3f]", s.AUC.Value, s.AUC.Lo, s.AUC.Hi)
		}
		fmt.Fprintf(w, "Stages (%s)\n", auc)
		row("stage", "leads", "won", "rate", "lift", "")
		for _, so := range s.Stages {
			label := so.Stage
			if label == "" {
				label = "(none)"
			}
			row(label, strconv.Itoa(so.Leads), strconv.Itoa(so.Won), pct(so.Rate), num(so.Lift), few(so.Few))
		}
		tw.Flush()
		thr("current threshold: stage "+s.Stage+" or later", s.Current)
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Rules: conversion when fired vs not; suggested points with their interval")
	row("rule", "model", "points", "fired", "won", "rate", "not fired", "won", "rate", "effect", "coef", "suggested", "interval", "")
	rate := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return pct(*p)
	}
	for _, e := range rep.Rules {
		pts := num(e.Current)
		if e.PointsVary {
			pts += "~"
		}
		eff := "-"
		if e.Effect != nil {
			eff = num(*e.Effect*100) + "pp"
		}
		coef, sug, iv, mark := "-", "-", "-", few(e.Few)
		if rep.Regression != nil {
			coef = fmt.Sprintf("%.3f±%.3f", e.Coefficient, e.SE)
			sug = num(e.Suggested)
			iv = fmt.Sprintf("[%s, %s]", num(e.SuggestedLo), num(e.SuggestedHi))
			if !e.Distinguishable {
				mark = strings.TrimSpace(mark + " same")
			}
		}
		row(e.Rule, e.Model, pts, strconv.Itoa(e.Fired), strconv.Itoa(e.FiredWon), rate(e.FiredRate),
			strconv.Itoa(e.NotFired), strconv.Itoa(e.NotFiredWon), rate(e.NotFiredRate), eff, coef, sug, iv, mark)
	}
	tw.Flush()
	if g := rep.Regression; g != nil {
		fmt.Fprintf(w, "regression: L2 logistic, λ %s (intercept %.3f not penalised), %d iterations, converged %v; %s points per log-odds (%s); %s%% Wald intervals\n",
			num(g.Lambda), g.Intercept, g.Iterations, g.Converged, num(g.Scale), g.ScaleMethod, num(g.Confidence*100))
		fmt.Fprintln(w, `("~": points vary by lead; "same": not distinguishable from the current points; "few": fewer won or lost leads than --min-outcomes)`)
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintf(w, "\n%d warnings\n", len(rep.Warnings))
		for _, wr := range rep.Warnings {
			subj := ""
			if wr.Subject != "" {
				subj = wr.Subject + ": "
			}
			fmt.Fprintf(w, "warning: %s: %s%s\n", wr.Code, subj, wr.Msg)
		}
	}
}
