package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/revengine/revengine/scoring"
)

func init() {
	register(&command{Name: "score", Summary: "score leads (JSON lines, a JSON array or CSV) with a rules file", Run: runScore})
}

const scoreSynopsis = `--rules RULES.yaml [--at RFC3339] [--workers N] [--format jsonl|csv] [--progress N] [LEADS.jsonl|LEADS.csv|-]

Scores each lead (one JSON object per line, a JSON array of objects, or CSV
with a header of declared fields and the columns id, stage and
stage_entered_at; list cells separated by "|") and
writes one JSON result per line to standard output, in input order: scores
with their contributions and the values the rules read, grade, stage and the
rule that set it, SLA, segments, route, and the rules' version and hash.
Rejected leads go to standard error as FILE:LINE: reason, and the exit status
is then 1; a summary line "N read, N scored, N rejected" ends standard error.
--at defaults to the current time. --format defaults to csv for a file
ending in .csv, else jsonl. --progress N prints the running counts to
standard error every N leads.`

func runScore(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "score", scoreSynopsis)
	rulesPath := fs.String("rules", "", "rules `file` (required)")
	atFlag := fs.String("at", "", "evaluation `time`, RFC 3339 (default: now)")
	workers := fs.Int("workers", 0, "scoring goroutines (default: GOMAXPROCS)")
	format := fs.String("format", "", "leads `format`: jsonl or csv (default: csv for a .csv file, else jsonl)")
	progress := fs.Int("progress", 0, "print the running counts to standard error every `N` leads (0: never)")
	limits := limitFlags(fs)
	strict := strictFlag(fs)
	leadsFile := fs.String("leads", "", "with --accounts: the leads in a `FILE` of their own (JSON lines with account_id, grouped by account), joined to the accounts input by id")
	accounts := fs.Bool("accounts", false, "score accounts (JSON lines of accounts with their \"leads\") with the rules' accounts section; writes one account result per line")
	logPath := fs.String("log", "", "write one decision record per scored lead to `FILE` (JSON lines; pii fields masked), for revengine replay")
	nextChange := fs.String("next-change", "", "report when each lead would next change with no new data, within this `horizon` (e.g. 90d): next_change_at and next_change in the JSON")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *rulesPath == "" {
		return usageError(fs, "--rules is required")
	}
	if fs.NArg() > 1 {
		return usageError(fs, "want at most one leads file, got %d", fs.NArg())
	}
	csv := strings.EqualFold(filepath.Ext(fs.Arg(0)), ".csv")
	switch *format {
	case "":
	case "jsonl", "json":
		csv = false
	case "csv":
		csv = true
	default:
		return usageError(fs, "--format: want jsonl or csv, got %q", *format)
	}
	if *progress < 0 {
		return usageError(fs, "--progress: want a number of leads >= 0, got %d", *progress)
	}
	at, err := parseAt(*atFlag)
	if err != nil {
		return usageError(fs, "--at: %v", err)
	}
	rs, err := scoring.LoadFile(*rulesPath, limits(), strict())
	if err != nil {
		printRuleErrors(env, err)
		return exitFindings
	}
	in, name, err := openInput(env, fs.Arg(0))
	if err != nil {
		errorf(env, "score", "%v", err)
		return exitFindings
	}
	defer in.Close()
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	var opts []scoring.BatchOption
	if *workers > 0 {
		opts = append(opts, scoring.WithWorkers(*workers))
	}
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			errorf(env, "score", "%v", err)
			return exitFindings
		}
		// Blocking: a CLI run must not lose a decision; it is as fast as
		// the disk.
		dlog := scoring.NewDecisionLog(f, scoring.LogBlocking())
		defer func() {
			if err := dlog.Close(); err != nil {
				errorf(env, "score", "--log: %v", err)
			}
			if err := f.Close(); err != nil {
				errorf(env, "score", "--log: %v", err)
			}
		}()
		opts = append(opts, scoring.WithEvalOptions(scoring.WithDecisionLog(dlog)))
	}
	if *nextChange != "" {
		horizon, err := scoring.ParseDuration(*nextChange)
		if err != nil {
			return usageError(fs, "--next-change: %v", err)
		}
		opts = append(opts, scoring.WithEvalOptions(scoring.WithNextChange(horizon)))
	}
	if *progress > 0 {
		opts = append(opts, scoring.WithProgress(*progress, func(st scoring.BatchStats) {
			fmt.Fprintf(env.Stderr, "progress: %d read, %d scored, %d rejected\n", st.Read, st.Scored, st.Rejected)
		}))
	}
	score := rs.ScoreLines
	if csv {
		score = rs.ScoreCSV
	}
	if *accounts {
		if csv {
			return usageError(fs, "--accounts reads JSON lines of accounts with their leads, not CSV")
		}
		score = func(ctx context.Context, r io.Reader, name string, at time.Time, emit func(scoring.Record) error, opts ...scoring.BatchOption) (scoring.BatchStats, error) {
			each := func(ar scoring.AccountRecord) error {
				if ar.Err != nil {
					return emit(scoring.Record{Line: ar.Line, Err: ar.Err})
				}
				return enc.Encode(ar.Result)
			}
			if *leadsFile != "" {
				lf, err := os.Open(*leadsFile)
				if err != nil {
					return scoring.BatchStats{}, err
				}
				defer lf.Close()
				return rs.ScoreAccountFiles(ctx, r, name, lf, *leadsFile, at, each, opts...)
			}
			return rs.ScoreAccountLines(ctx, r, name, at, each, opts...)
		}
	}
	st, err := score(ctx, in, name, at, func(r scoring.Record) error {
		if r.Err != nil {
			var e *scoring.Error
			if errors.As(r.Err, &e) && ((e.File == name && e.Line == r.Line && e.Column > 0) || (e.File != "" && e.File != name && e.Line > 0)) {
				fmt.Fprintln(env.Stderr, r.Err) // already name:line:col
			} else {
				fmt.Fprintf(env.Stderr, "%s:%d: %s\n", name, r.Line, recordMessage(r.Err, name, r.Line))
			}
			return nil
		}
		_, err := out.Write(r.JSON) // encoded by the worker that scored it (WithJSON)
		return err
	}, append(opts, scoring.WithJSON())...)
	out.Flush()
	fmt.Fprintf(env.Stderr, "%d read, %d scored, %d rejected\n", st.Read, st.Scored, st.Rejected)
	printIgnored(env, st.Ignored)
	if err != nil {
		var e *scoring.Error
		if errors.As(err, &e) && e.File == name {
			errorf(env, "score", "%v", err) // already name:line:col
		} else {
			errorf(env, "score", "%s: %v", name, err)
		}
		return exitFindings
	}
	if st.Rejected > 0 {
		return exitFindings
	}
	return exitOK
}

// parseAt parses an --at flag; empty means now (the CLI is the edge where
// the clock may be read; the library never reads it).
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want RFC 3339 such as 2026-11-23T09:00:00Z, got %q", s)
	}
	return t, nil
}
