package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/revengine/revengine/scoring/ruletest"
)

func init() {
	register(&command{Name: "test", Summary: "run rule unit tests (YAML test files beside the rules)", Run: runRuleTest})
}

const testSynopsis = `[-v] TESTS.yaml...

Runs the rule unit tests of each test file against the rules files it names.
A failing case is reported with its position, what differs (expected and
actual), the lead, and the trace of the rules that fired. The last line is
"N passed, N failed"; the exit status is 1 when a case fails or a file does
not load. The file format is documented in package
github.com/revengine/revengine/scoring/ruletest.`

func runRuleTest(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "test", testSynopsis)
	limits := limitFlags(fs)
	strict := strictFlag(fs)
	verbose := fs.Bool("v", false, "list passing cases too")
	coverage := fs.Bool("coverage", false, "report which rules, grades, stages, disqualify and recycle rules, segments and routes the cases hit")
	minCoverage := fs.Float64("min-coverage", 0, "fail (exit 1) when a rules file's coverage is below `PERCENT` (implies --coverage)")
	asJSON := fs.Bool("json", false, "with --coverage: print the coverage as JSON instead of text")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *minCoverage < 0 || *minCoverage > 100 {
		return usageError(fs, "--min-coverage %v: want a percentage from 0 to 100", *minCoverage)
	}
	if *minCoverage > 0 {
		*coverage = true
	}
	var reports []*ruletest.Report
	if fs.NArg() == 0 {
		return usageError(fs, "no test files")
	}
	code := exitOK
	passed, failed := 0, 0
	for _, path := range fs.Args() {
		s, err := ruletest.LoadFile(path, limits(), strict())
		if err != nil {
			fmt.Fprintln(env.Stderr, err)
			code = exitFindings
			continue
		}
		rep := s.Run(ctx)
		reports = append(reports, rep)
		for _, cr := range rep.Results {
			if cr.Passed {
				if *verbose {
					fmt.Fprintf(env.Stdout, "ok   %s:%d: %s\n", cr.File, cr.Line, cr.Name)
				}
				continue
			}
			fmt.Fprintf(env.Stdout, "FAIL %s:%d: %s (rules %s)\n", cr.File, cr.Line, cr.Name, cr.RulesFile)
			for _, f := range cr.Failures {
				fmt.Fprintf(env.Stdout, "    %s\n", f)
			}
			lead, _ := json.Marshal(cr.Lead)
			fmt.Fprintf(env.Stdout, "    lead: %s\n", lead)
			if tr := ruletest.Trace(cr.Result); tr != "" {
				fmt.Fprintf(env.Stdout, "    trace:\n%s", indent(strings.TrimRight(tr, "\n"), "      ")+"\n")
			}
		}
		passed += rep.Passed
		failed += rep.Failed
		if rep.Failed > 0 {
			code = exitFindings
		}
	}
	fmt.Fprintf(env.Stdout, "%d passed, %d failed\n", passed, failed)
	if *coverage {
		covs := ruletest.Merge(reports...).Coverage()
		if *asJSON {
			b, _ := json.MarshalIndent(covs, "", "  ")
			fmt.Fprintf(env.Stdout, "%s\n", b)
		} else {
			for _, c := range covs {
				_ = c.WriteText(env.Stdout)
			}
		}
		for _, c := range covs {
			if c.Percent < *minCoverage {
				fmt.Fprintf(env.Stderr, "revengine test: coverage of %s is %.1f%%, below --min-coverage %v\n", c.RulesFile, c.Percent, *minCoverage)
				code = exitFindings
			}
		}
	}
	return code
}
