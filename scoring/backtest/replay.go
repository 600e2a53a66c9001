package backtest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/internal/pool"
	"github.com/revengine/revengine/scoring"
)

// Replay re-evaluates logged decisions (JSON lines written by a
// scoring.DecisionLog) with candidate rules, each at its logged time and
// from its logged input, and reports what would have changed: the same
// Report as Run, with the logged results as the old side. Replaying a log
// against the rules that wrote it reports no change — except for rules
// that read pii fields, which the log holds masked.
//
// The input keys and event properties the candidate does not declare are
// left out (the logged rules may have had other fields); a line that is not
// a decision is a Rejection. Options as for Run (WithOutcomes does not
// apply: logged inputs carry no outcome).
func Replay(ctx context.Context, candidate *scoring.RuleSet, r io.Reader, name string, opts ...Option) (rep *Report, err error) {
	defer diag.Recover(&err, "backtest: replay")
	cfg, err := newConfig(opts, candidate)
	if err != nil {
		return nil, err
	}
	cfg.outcomes = "" // logged inputs carry no outcome
	a, err := newAccumulator(candidate, candidate, &cfg)
	if err != nil {
		return nil, err
	}
	var first *scoring.Decision
	var last time.Time
	type item struct {
		line int
		data []byte
		err  error
	}
	err = pool.Ordered(ctx, cfg.workers, cfg.workers*4,
		func(yield func(item) bool) error {
			return jsonlines.Read(ctx, r, name, cfg.maxBytes, func(it jsonlines.Item) error {
				data := append([]byte(nil), it.Data...)
				if !yield(item{line: it.Line, data: data, err: it.Err}) {
					return errStopped
				}
				return nil
			})
		},
		func(ctx context.Context, it item) pair {
			p := pair{line: it.line}
			if it.err != nil {
				p.oldErr, p.newErr = it.err, it.err
				return p
			}
			var d scoring.Decision
			if err := json.Unmarshal(it.data, &d); err != nil || d.Result == nil || d.Input == nil || d.At.IsZero() {
				e := &scoring.Error{File: name, Line: it.line, Code: diag.CodeSyntax, Err: ErrInput, Msg: "not a decision record (want at, input and result)"}
				if err != nil {
					e.Msg += ": " + err.Error()
				}
				p.oldErr, p.newErr = e, e
				return p
			}
			p.old = d.Result
			p.new, p.newErr = candidate.Score(ctx, declaredInput(candidate, d.Input), d.At)
			place(p.newErr, rawLead{name: name, line: it.line})
			p.old.Scores = nonNilScores(p.old.Scores)
			dd := d
			dd.Input = nil
			p.decision = &dd
			return p
		},
		func(p pair) error {
			if p.decision != nil {
				if first == nil {
					first = p.decision
				}
				if p.decision.At.After(last) {
					last = p.decision.At
				}
			}
			a.add(&p)
			return nil
		})
	if errors.Is(err, errStopped) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	rep, err = a.report(last)
	if err != nil {
		return nil, err
	}
	rep.Old = RuleSetInfo{File: name}
	if first != nil {
		rep.Old = RuleSetInfo{File: name, Name: first.RuleSet, Version: first.Version, Hash: first.Hash}
	}
	return rep, nil
}

// declaredInput keeps the keys of a logged input the candidate declares,
// with the reserved ones, and of each event its type, time and declared
// properties.
func declaredInput(rs *scoring.RuleSet, in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		switch k {
		case "id", "state", "stage", "stage_entered_at":
			out[k] = v
		case "events":
			evs, ok := v.([]any)
			if !ok {
				out[k] = v
				continue
			}
			clean := make([]any, len(evs))
			for i, e := range evs {
				em, ok := e.(map[string]any)
				if !ok {
					clean[i] = e
					continue
				}
				c := map[string]any{}
				for pk, pv := range em {
					if pk == "type" || pk == "time" || rs.DeclaresEventField(pk) {
						c[pk] = pv
					}
				}
				clean[i] = c
			}
			out[k] = clean
		default:
			if _, ok := rs.Field(k); ok {
				out[k] = v
			}
		}
	}
	return out
}

func nonNilScores(s []scoring.Score) []scoring.Score {
	if s == nil {
		return []scoring.Score{}
	}
	return s
}
