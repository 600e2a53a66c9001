package scoring

import (
	"bufio"
	"encoding/json"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Decision logs. A DecisionLog records one Decision per evaluation as a JSON
// line: when, which lead, which rules (name, version, hash), the input as
// the rules saw it — with pii fields masked — and the result with its
// contributions. A rules change can then be judged on production traffic
// (backtest.Replay, `revengine replay`), and a lead's score history rebuilt
// (History).
//
// Writing never slows scoring down: Score hands the decision to a bounded
// buffer and returns; one goroutine encodes and writes. When the writer is
// slower than scoring and the buffer is full, the decision is dropped and
// counted (Dropped) — scoring never blocks on a slow disk or network — unless
// the log was made with LogBlocking, which makes Score wait for room
// instead (no decision lost, scoring as slow as the writer). Close drains
// the buffer, flushes and reports the first write error.

// Decision is one logged evaluation.
type Decision struct {
	At      time.Time      `json:"at"`
	LeadID  string         `json:"lead_id,omitempty"`
	RuleSet string         `json:"rule_set,omitempty"`
	Version string         `json:"version"`
	Hash    string         `json:"hash"`
	Input   map[string]any `json:"input"` // lead data Score accepts: declared fields (pii masked), events, state
	Result  *Result        `json:"result"`
}

// DecisionLog is a bounded, non-blocking writer of decisions; safe for
// concurrent use.
type DecisionLog struct {
	ch       chan []byte // encoded decisions: the caller owns the Result once Score returns
	blocking bool
	done     chan struct{}
	dropped  atomic.Int64
	written  atomic.Int64
	mu       sync.Mutex // guards closed and err
	closed   bool
	err      error
}

// LogOption configures a DecisionLog.
type LogOption func(*logConfig)

type logConfig struct {
	buffer   int
	blocking bool
}

// LogBuffer sets how many decisions may wait to be written (default 4096).
func LogBuffer(n int) LogOption { return func(c *logConfig) { c.buffer = n } }

// LogBlocking makes Score wait when the buffer is full instead of dropping
// the decision.
func LogBlocking() LogOption { return func(c *logConfig) { c.blocking = true } }

// NewDecisionLog starts a log writing JSON lines to w. Close it to flush.
func NewDecisionLog(w io.Writer, opts ...LogOption) *DecisionLog {
	cfg := logConfig{buffer: 4096}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.buffer < 1 {
		cfg.buffer = 1
	}
	l := &DecisionLog{ch: make(chan []byte, cfg.buffer), blocking: cfg.blocking, done: make(chan struct{})}
	go l.run(w)
	return l
}

func (l *DecisionLog) run(w io.Writer) {
	defer close(l.done)
	bw := bufio.NewWriter(w)
	for line := range l.ch {
		if _, err := bw.Write(line); err != nil {
			l.fail(err)
			continue
		}
		l.written.Add(1)
		if len(l.ch) == 0 {
			if err := bw.Flush(); err != nil {
				l.fail(err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		l.fail(err)
	}
}

func (l *DecisionLog) fail(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
}

// log encodes d — now, on the scoring goroutine, so that the record is
// what Score returned even if the caller changes the result later — and
// hands it to the writer; it never blocks unless the log is blocking.
func (l *DecisionLog) log(d *Decision) {
	line, err := json.Marshal(d)
	if err != nil {
		l.fail(err)
		l.dropped.Add(1)
		return
	}
	line = append(line, '\n')
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		l.dropped.Add(1)
		return
	}
	if l.blocking {
		defer func() {
			if recover() != nil { // closed while waiting
				l.dropped.Add(1)
			}
		}()
		l.ch <- line
		return
	}
	select {
	case l.ch <- line:
	default:
		l.dropped.Add(1)
	}
}

// Dropped is the number of decisions dropped because the buffer was full
// (or the log closed).
func (l *DecisionLog) Dropped() int64 { return l.dropped.Load() }

// Written is the number of decisions written.
func (l *DecisionLog) Written() int64 { return l.written.Load() }

// Close stops the log: decisions in the buffer are written, the writer
// flushed, and the first write error returned. Later decisions are dropped.
func (l *DecisionLog) Close() error {
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.ch)
	}
	l.mu.Unlock()
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// WithDecisionLog records this evaluation in l.
func WithDecisionLog(l *DecisionLog) EvalOption { return func(c *evalConfig) { c.log = l } }

// decision builds the record of the evaluation held in s.
func (s *evalState) decision(res *Result, given State) *Decision {
	rs := s.rs
	in := make(map[string]any, len(rs.fields)+3)
	for i := range rs.fields {
		f := &rs.fields[i]
		v := s.vals[f.slot]
		if f.pii {
			v = rs.mask(v)
		}
		in[f.name] = v
	}
	if s.id != "" {
		in["id"] = s.id
	}
	if given.Stage != "" {
		st := map[string]any{"stage": given.Stage}
		if !given.EnteredAt.IsZero() {
			st["entered_at"] = given.EnteredAt
		}
		in["state"] = st
	}
	if len(s.events) > 0 {
		evs := make([]any, len(s.events))
		for i := range s.events {
			ev := &s.events[i]
			m := map[string]any{"type": ev.typ, "time": ev.t}
			for j, p := range ev.props {
				if rs.props[j].pii {
					p = rs.mask(p)
				}
				m[rs.props[j].name] = p
			}
			evs[i] = m
		}
		in["events"] = evs
	}
	return &Decision{At: res.At, LeadID: res.LeadID, RuleSet: res.RuleSet, Version: res.Version, Hash: res.Hash, Input: in, Result: res}
}

// HistoryPoint is a lead's scores, grade and stage at one evaluation.
type HistoryPoint struct {
	At     time.Time          `json:"at"`
	Scores map[string]float64 `json:"scores"`
	Grade  string             `json:"grade,omitempty"`
	Stage  string             `json:"stage,omitempty"`
	Rule   string             `json:"rule,omitempty"` // the rule that moved the stage, when it moved
	Hash   string             `json:"hash"`           // the rules it was scored with
}

// History returns the score, grade and stage over time of the lead with
// the given id, from its logged decisions, oldest first.
func History(decisions []Decision, leadID string) []HistoryPoint {
	var out []HistoryPoint
	for _, d := range decisions {
		if d.LeadID != leadID || d.Result == nil {
			continue
		}
		p := HistoryPoint{At: d.At, Scores: map[string]float64{}, Grade: d.Result.Grade, Stage: d.Result.Stage, Hash: d.Hash}
		for _, s := range d.Result.Scores {
			p.Scores[s.Name] = s.Value
		}
		if d.Result.StageChanged {
			p.Rule = d.Result.StageRule
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}
