// Command abm scores accounts and their buying groups with the accounts
// section of a rules file: roll-ups over each account's leads, the
// completeness of its buying group, the account's ICP score, stage and
// owner — and why.
//
//	go run ./examples/abm [rules.yaml accounts.jsonl]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/revengine/revengine/scoring"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(out io.Writer, args []string) error {
	_, self, _, _ := runtime.Caller(0)
	dir := filepath.Dir(self)
	rulesPath, accountsPath := filepath.Join(dir, "rules.yaml"), filepath.Join(dir, "accounts.jsonl")
	if len(args) == 2 {
		rulesPath, accountsPath = args[0], args[1]
	}
	rs, err := scoring.LoadFile(rulesPath)
	if err != nil {
		return err
	}
	f, err := os.Open(accountsPath)
	if err != nil {
		return err
	}
	defer f.Close()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	st, err := rs.ScoreAccountLines(context.Background(), f, accountsPath, at, func(r scoring.AccountRecord) error {
		if r.Err != nil {
			fmt.Fprintf(out, "line %d rejected: %v\n", r.Line, r.Err)
			return nil
		}
		a := r.Result.Account
		icp, _ := a.Score("icp")
		fmt.Fprintf(out, "%s: icp %.0f, stage %s", a.LeadID, icp, a.Stage)
		if a.Route.Owner != "" {
			fmt.Fprintf(out, ", owner %s", a.Route.Owner)
		}
		fmt.Fprintln(out)
		for _, g := range r.Result.Groups {
			missing := strings.Join(g.Missing, ", ")
			if missing == "" {
				missing = "none"
			}
			fmt.Fprintf(out, "  buying group %s: %.0f%% complete (missing: %s), weighted engagement %.0f\n", g.Name, 100*g.Completeness, missing, g.Engagement)
		}
		for _, ru := range r.Result.Rollups {
			fmt.Fprintf(out, "  %-17s %6.1f  from %s\n", ru.Name, ru.Value, strings.Join(ru.Leads, ", "))
		}
		for _, c := range a.Scores[0].Contributions() {
			fmt.Fprintf(out, "  icp %-14s %+5.0f\n", c.Rule, c.Points)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d accounts read, %d scored, %d rejected\n", st.Read, st.Scored, st.Rejected)
	return nil
}
