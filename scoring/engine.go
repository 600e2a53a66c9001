package scoring

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Engine holds the current rule set of a long-running service and swaps in
// a new one atomically on reload. A reload that fails to compile keeps the
// current rule set serving and returns every problem. An evaluation in
// flight finishes on the rule set it started with, so every result carries
// exactly one version. Engine is safe for concurrent use.
type Engine struct {
	cur  atomic.Pointer[RuleSet]
	mu   sync.Mutex // serialises reloads
	opts []Option

	lastErr    atomic.Pointer[reloadErr]
	reloads    atomic.Int64
	failedLoad atomic.Int64
}

type reloadErr struct{ err error }

// NewEngine returns an engine serving rs; opts are used to compile every
// reload.
func NewEngine(rs *RuleSet, opts ...Option) *Engine {
	if rs == nil {
		panic("scoring: NewEngine(nil)")
	}
	e := &Engine{opts: opts}
	e.cur.Store(rs)
	return e
}

// RuleSet returns the rule set currently served.
func (e *Engine) RuleSet() *RuleSet { return e.cur.Load() }

// Score evaluates a lead on the current rule set; see RuleSet.Score.
func (e *Engine) Score(ctx context.Context, lead any, at time.Time, opts ...EvalOption) (*Result, error) {
	return e.cur.Load().Score(ctx, lead, at, opts...)
}

// Reload compiles src and, if it has no problems, makes it the current rule
// set. On error the current rule set keeps serving. name is used in error
// positions.
func (e *Engine) Reload(name string, src []byte) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	rs, err := Parse(name, src, e.opts...)
	return e.finish(rs, err)
}

// ReloadFile is Reload from a file.
func (e *Engine) ReloadFile(path string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	src, err := os.ReadFile(path)
	if err != nil {
		return e.finish(nil, fmt.Errorf("scoring: reload: %w", err))
	}
	rs, err := Parse(path, src, e.opts...)
	return e.finish(rs, err)
}

// Swap makes rs the current rule set, for callers that compile themselves.
func (e *Engine) Swap(rs *RuleSet) {
	if rs == nil {
		panic("scoring: Engine.Swap(nil)")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_ = e.finish(rs, nil)
}

func (e *Engine) finish(rs *RuleSet, err error) error {
	if err != nil {
		e.failedLoad.Add(1)
		e.lastErr.Store(&reloadErr{err: err})
		return err
	}
	e.cur.Store(rs)
	e.reloads.Add(1)
	e.lastErr.Store(nil)
	return nil
}

// Status reports the current version and hash, how many reloads succeeded
// and failed, and the problem of the last reload when it failed (nil after a
// success).
func (e *Engine) Status() EngineStatus {
	rs := e.cur.Load()
	st := EngineStatus{Version: rs.version, Hash: rs.hash, Reloads: e.reloads.Load(), Failed: e.failedLoad.Load()}
	if le := e.lastErr.Load(); le != nil {
		st.LastError = le.err
	}
	return st
}

// EngineStatus is a snapshot of an Engine.
type EngineStatus struct {
	Version   string
	Hash      string
	Reloads   int64 // successful reloads and swaps
	Failed    int64 // reloads that did not compile
	LastError error // the last reload's problem, nil when it succeeded
}
