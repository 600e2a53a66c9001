package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/revengine/revengine/scoring"
)

func init() {
	register(&command{Name: "check", Summary: "load and type-check rules files; print every problem with its position", Run: runCheck})
}

const checkSynopsis = `[-q] RULES.yaml...

Loads and type-checks each rules file. Every problem is printed to standard
error as file:line:col: message, followed by the offending line and a caret;
the exit status is then 1. For each valid file one line goes to standard
output: the file, its name, version and content hash (sha256 of the file),
the values recorded on every scored lead. -q prints nothing on success.`

func runCheck(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "check", checkSynopsis)
	quiet := fs.Bool("q", false, "print nothing for valid files")
	lint := fs.Bool("lint", false, "also report what can never work as written: grades and routes that never match, conditions that never hold, unreachable score bounds (exit 1), and overlapping routes (warnings)")
	limits := limitFlags(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, "no rules files")
	}
	code := exitOK
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			errorf(env, "check", "%v", err)
			return exitFindings
		}
		rs, err := scoring.LoadFile(path, limits())
		if err != nil {
			code = exitFindings
			printRuleErrors(env, err)
			continue
		}
		if *lint {
			findings := rs.Lint()
			failed := false
			for _, e := range findings {
				prefix := ""
				if e.Code == scoring.CodeLintWarning {
					prefix = "warning: "
				} else {
					failed = true
				}
				fmt.Fprintf(env.Stderr, "%s%s\n", prefix, e.Error())
			}
			if failed {
				code = exitFindings
				continue
			}
		}
		if !*quiet {
			fmt.Fprintf(env.Stdout, "%s: ok name=%s version=%s %s\n", path, rs.Name(), rs.Version(), rs.Hash())
		}
	}
	return code
}

// printRuleErrors prints rule-file problems, one per line with a caret
// line, or the plain error when it is not a rules problem (no such file).
func printRuleErrors(env *cmdEnv, err error) {
	var errs scoring.Errors
	if !errors.As(err, &errs) {
		fmt.Fprintln(env.Stderr, err)
		return
	}
	for _, e := range errs {
		fmt.Fprintln(env.Stderr, e.Error())
		if c := e.Caret(); c != "" {
			fmt.Fprintln(env.Stderr, indent(c, "\t"))
		}
	}
}

func indent(s, prefix string) string {
	// Byte-wise, but whole: a multi-byte rune (the "…" of a clipped
	// window) is copied as it is, and the work is linear in the line.
	return prefix + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+prefix) + s[len(strings.TrimSuffix(s, "\n")):]
}
