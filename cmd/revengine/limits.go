package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/revengine/revengine/scoring"
)

// limitFlags registers one flag per scoring.Limits field on fs — the same
// table the package doc of scoring gives, with its defaults — and returns
// the option that applies them. check, score, test and diff share it, so a
// team that raises a limit raises it the same way everywhere.
func limitFlags(fs *flag.FlagSet) func() scoring.Option {
	l := scoring.DefaultLimits()
	fs.IntVar(&l.SourceBytes, "max-source-bytes", l.SourceBytes, "limit: bytes of a rules file")
	fs.IntVar(&l.Rules, "max-rules", l.Rules, "limit: rules, grades, stages, segments and routes")
	fs.IntVar(&l.Fields, "max-fields", l.Fields, "limit: fields, event fields and lists declared")
	fs.IntVar(&l.ExprBytes, "max-expr-bytes", l.ExprBytes, "limit: bytes of one expression")
	fs.IntVar(&l.Depth, "max-depth", l.Depth, "limit: nesting depth of one expression")
	fs.IntVar(&l.Tokens, "max-tokens", l.Tokens, "limit: tokens of one expression")
	fs.IntVar(&l.Nodes, "max-nodes", l.Nodes, "limit: syntax-tree nodes of one expression")
	fs.IntVar(&l.ListItems, "max-list-items", l.ListItems, "limit: items of the rules file's lists together")
	fs.IntVar(&l.LeadListItems, "max-lead-list-items", l.LeadListItems, "limit: items of one list field of a lead")
	fs.IntVar(&l.Events, "max-events", l.Events, "limit: events on one lead")
	fs.IntVar(&l.AccountLeads, "max-account-leads", l.AccountLeads, "limit: leads of one account (score --accounts)")
	fs.IntVar(&l.StringBytes, "max-string-bytes", l.StringBytes, "limit: bytes of one string of a lead")
	fs.Int64Var(&l.Cost, "max-cost", l.Cost, "limit: estimated steps of one lead's evaluation")
	fs.Int64Var(&l.Memory, "max-memory", l.Memory, "limit: estimated bytes one evaluation of one expression allocates")
	return func() scoring.Option { return scoring.WithLimits(l) }
}

// strictFlag registers --strict (default true, as in the library): lead data
// the rules do not declare is an error; --strict=false ignores it and counts
// what was ignored in the summary.
func strictFlag(fs *flag.FlagSet) func() scoring.Option {
	on := fs.Bool("strict", true, "reject leads with keys, event types or event properties the rules do not declare (--strict=false: ignore and count them)")
	return func() scoring.Option { return scoring.Strict(*on) }
}

// printIgnored prints, in relaxed mode, how many scored leads held each
// undeclared key: "ignored: employees in 12 leads, events[].urll in 3 leads".
func printIgnored(env *cmdEnv, ignored map[string]int) {
	if len(ignored) == 0 {
		return
	}
	keys := make([]string, 0, len(ignored))
	for k := range ignored {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s in %d leads", k, ignored[k])
	}
	fmt.Fprintf(env.Stderr, "ignored (not declared by the rules): %s\n", strings.Join(parts, ", "))
}
