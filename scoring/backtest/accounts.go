package backtest

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/internal/pool"
	"github.com/revengine/revengine/scoring"
)

// RunAccounts is Run for accounts: it scores every account (JSON lines of
// accounts with their "leads", as scoring.RuleSet.ScoreAccountLines reads
// them) with the old and the new rules and compares the account results —
// stages, grades, routes, account scores and segments. Both rules files
// need an accounts section.
func RunAccounts(ctx context.Context, oldRules, newRules *scoring.RuleSet, r io.Reader, name string, at time.Time, opts ...Option) (rep *Report, err error) {
	defer diag.Recover(&err, "backtest: run accounts")
	cfg, err := newConfig(opts, oldRules, newRules)
	if err != nil {
		return nil, err
	}
	oldA, newA := oldRules.AccountRules(), newRules.AccountRules()
	if oldA == nil || newA == nil {
		return nil, fmt.Errorf("%w: both rules files need an accounts section", ErrOption)
	}
	cfg.outcomes = ""
	a, err := newAccumulator(oldA, newA, &cfg)
	if err != nil {
		return nil, err
	}
	type item struct {
		line int
		data []byte
		err  error
	}
	err = pool.Ordered(ctx, cfg.workers, cfg.workers*4,
		func(yield func(item) bool) error {
			err := jsonlines.Read(ctx, r, name, cfg.maxBytes, func(it jsonlines.Item) error {
				if !yield(item{line: it.Line, data: append([]byte(nil), it.Data...), err: it.Err}) {
					return errStopped
				}
				return nil
			})
			if err == errStopped {
				return nil
			}
			return err
		},
		func(ctx context.Context, it item) pair {
			p := pair{line: it.line}
			if it.err != nil {
				p.oldErr, p.newErr = it.err, it.err
				return p
			}
			side := func(rs *scoring.RuleSet) (*scoring.Result, error) {
				m, err := scoring.DecodeLead(it.data)
				if err != nil {
					return nil, err
				}
				acct, err := scoring.AccountFromMap(m)
				if err != nil {
					return nil, err
				}
				res, err := rs.ScoreAccount(ctx, acct, at)
				if err != nil {
					return nil, err
				}
				return res.Account, nil
			}
			p.old, p.oldErr = side(oldRules)
			p.new, p.newErr = side(newRules)
			place(p.oldErr, rawLead{name: name, line: it.line})
			place(p.newErr, rawLead{name: name, line: it.line})
			return p
		},
		func(p pair) error { a.add(&p); return nil })
	if err != nil {
		return nil, err
	}
	rep, err = a.report(at)
	if err != nil {
		return nil, err
	}
	rep.Old.File, rep.New.File = oldRules.File(), newRules.File()
	return rep, nil
}
