// Command quickstart scores the sample leads with the sample rules and
// prints each lead's scores, grade, lifecycle stage, route and the rules
// that decided them.
//
//	go run ./examples/quickstart
//
// It reads rules.yaml and leads.json from its own folder, and evaluates at
// a fixed time so that its output never changes.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/revengine/revengine/scoring"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// dir is this example's folder, so it runs from any working directory.
func dir() string {
	if _, err := os.Stat("examples/quickstart/rules.yaml"); err == nil {
		return "examples/quickstart"
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

func run(out io.Writer) error {
	rules, err := scoring.LoadFile(filepath.Join(dir(), "rules.yaml"))
	if err != nil {
		return err // every problem, as rules.yaml:LINE:COL: message
	}
	data, err := os.ReadFile(filepath.Join(dir(), "leads.json"))
	if err != nil {
		return err
	}
	var leads []map[string]any
	if err := json.Unmarshal(data, &leads); err != nil {
		return fmt.Errorf("leads.json: %w", err)
	}

	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // the evaluation time is an input, never time.Now()
	fmt.Fprintf(out, "rules %s version %s (%s…)\nevaluated at %s\n\n", rules.Name(), rules.Version(), rules.Hash()[:19], at.Format(time.RFC3339))

	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "lead\tfit\tengagement\tgrade\tstage\tset by\troute\tSLA")
	stages := map[string]int{}
	var explain []*scoring.Result
	for _, lead := range leads {
		res, err := rules.Score(context.Background(), lead, at)
		if err != nil {
			fmt.Fprintf(w, "%v\trejected: %v\n", lead["id"], err)
			continue
		}
		fit, _ := res.Score("fit")
		eng, _ := res.Score("engagement")
		stage := res.Stage
		if res.StageChanged && res.PreviousStage != "" {
			stage = res.PreviousStage + "→" + res.Stage
		}
		route := res.Route.Owner + res.Route.Queue
		sla := ""
		if !res.SLA.Deadline.IsZero() {
			sla = "due " + res.SLA.Deadline.Format("Jan 2 15:04")
			if res.SLA.Breached {
				sla = "BREACHED " + res.SLA.Deadline.Format("Jan 2 15:04")
			}
		}
		fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\n", res.LeadID, fit, eng, res.Grade, stage, res.StageRule, route, sla)
		stages[res.Stage]++
		if res.LeadID == "L-1001" || res.LeadID == "L-1004" {
			explain = append(explain, res)
		}
	}
	w.Flush()

	fmt.Fprintln(out)
	var names []string
	for s := range stages {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		fmt.Fprintf(out, "%s: %d  ", s, stages[s])
	}
	fmt.Fprintln(out)

	for _, res := range explain {
		fmt.Fprintln(out)
		if err := res.WriteExplain(out); err != nil {
			return err
		}
	}
	return nil
}
