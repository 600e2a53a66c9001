package main

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/scoring"
)

func init() {
	register(&command{Name: "kpis", Summary: "the revenue-engine view (funnel, speed-to-lead, sourced revenue, ROI and CAC per channel, MRR, NRR, LTV) of your own files", Run: runKPIs})
}

const kpisSynopsis = `[flags] [DIR]

Reads your files — from DIR by their conventional names, or from the file
flags (which override DIR) — and prints one revenue-engine view per month or
quarter. Every file may be CSV (header required, columns in any order) or
JSON lines with the same keys:

  stage_changes  lead_id,to,at [,from,rule,owner,route,channel,deadline]
  scored         JSON lines of "revengine score" results (instead of, or
                 with, stage_changes; --rules names the rules file)
  deals          id,created,status,amount [,closed,currency,account_id,
                 lead_id,stage,channel,campaign]; in JSON lines a deal may
                 hold its "touches" array
  touches        deal_id,at,channel,kind [,campaign,lead_id,lead_created,
                 opp_created], grouped by deal_id
  spend          period,channel,category,amount [,campaign,currency]
  subscriptions  customer_id,date,mrr [,currency]
  responses      survey responses CSV (as "revengine survey" reads them),
                 with survey.yaml, its definition: the view adds the eNPS

Times are RFC 3339 or YYYY-MM-DD; amounts integer minor units; status
open|won|lost; kind marketing|sales; category marketing|sales; period
YYYY-MM, YYYY-Qn or YYYY. Every row is validated; problems are printed as
file:line:col: message and no view is printed (exit 1).`

func runKPIs(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "kpis", kpisSynopsis)
	asJSON := fs.Bool("json", false, "print the library's JSON encoding of the view (money in minor units)")
	ef := addEngineFlags(fs, "attribution model: first_touch, last_touch, linear, position_based, time_decay, w_shaped, full_path, markov, shapley, …",
		"scoring rules file: its stages are the funnel's, and it reads --scored results")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	f, cfg, code, ok := ef.config(env, fs, "kpis")
	if !ok {
		return code
	}
	if *ef.rules != "" {
		rs, err := scoring.LoadFile(*ef.rules)
		if err != nil {
			errorf(env, "kpis", "%v", err)
			return exitFindings
		}
		cfg.Rules = rs
	}
	b, err := engine.New(cfg)
	if err != nil {
		return usageError(fs, "%v", err)
	}
	if err := b.Read(ctx, f, *ef.maxErrors); err != nil {
		var l diag.List
		if errors.As(err, &l) {
			for _, e := range l {
				errorf(env, "kpis", "%v", e)
			}
			errorf(env, "kpis", "%d problems; no view printed", len(l))
			return exitFindings
		}
		errorf(env, "kpis", "%v", err)
		return exitFindings
	}
	v, err := b.View(ctx)
	if err != nil {
		errorf(env, "kpis", "%v", err)
		return exitFindings
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			errorf(env, "kpis", "%v", err)
			return exitFindings
		}
		return exitOK
	}
	if err := v.WriteText(env.Stdout); err != nil {
		errorf(env, "kpis", "%v", err)
		return exitFindings
	}
	return exitOK
}
