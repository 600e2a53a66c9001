package scoring

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDecisionLog(t *testing.T) {
	rs := mustRules(t, piiRules)
	var buf bytes.Buffer
	log := NewDecisionLog(&buf)
	at2 := at.Add(24 * time.Hour)
	for i, lead := range []map[string]any{
		{"id": "L1", "email": planted, "company_size": 500},
		{"id": "L1", "email": planted, "company_size": 50, "stage": "mql", "stage_entered_at": at.Format(time.RFC3339)},
	} {
		when := at
		if i == 1 {
			when = at2
		}
		if _, err := rs.Score(context.Background(), lead, when, WithDecisionLog(log)); err != nil {
			t.Fatal(err)
		}
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	if log.Written() != 2 || log.Dropped() != 0 {
		t.Fatalf("written %d dropped %d", log.Written(), log.Dropped())
	}
	if strings.Contains(buf.String(), "planted") {
		t.Fatalf("the log holds the pii value:\n%s", buf.String())
	}
	var ds []Decision
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var d Decision
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	if len(ds) != 2 || ds[0].LeadID != "L1" || ds[0].Hash != rs.Hash() || ds[0].Version != "1" || ds[0].Input["email"] != Mask || ds[0].Result.Stage != "mql" {
		t.Fatalf("decisions %+v", ds)
	}
	// The second decision carries the state it was given.
	if st, _ := ds[1].Input["state"].(map[string]any); st["stage"] != "mql" {
		t.Fatalf("state not logged: %+v", ds[1].Input)
	}
	// Score history, oldest first: 15 then 10 (company 50: bank only).
	h := History(ds, "L1")
	if len(h) != 2 || h[0].Scores["fit"] != 15 || h[1].Scores["fit"] != 10 || !h[1].At.Equal(at2) || h[0].Stage != "mql" {
		t.Fatalf("history %+v", h)
	}
}

// A writer slower than scoring: with the default the decisions that do not
// fit the buffer are dropped and counted, and Score never waits; with
// LogBlocking none is lost.
func TestDecisionLogSlowWriter(t *testing.T) {
	rs := mustRules(t, piiRules)
	for _, blocking := range []bool{false, true} {
		w := &slowWriter{delay: 2 * time.Millisecond}
		opts := []LogOption{LogBuffer(4)}
		if blocking {
			opts = append(opts, LogBlocking())
		}
		log := NewDecisionLog(w, opts...)
		start := time.Now()
		const n = 200
		for range n {
			if _, err := rs.Score(context.Background(), map[string]any{"company_size": 500}, at, WithDecisionLog(log)); err != nil {
				t.Fatal(err)
			}
		}
		scoring := time.Since(start)
		if err := log.Close(); err != nil {
			t.Fatal(err)
		}
		if log.Written()+log.Dropped() != n {
			t.Fatalf("written %d + dropped %d != %d", log.Written(), log.Dropped(), n)
		}
		if !blocking && (log.Dropped() == 0 || scoring > 200*time.Millisecond) {
			t.Errorf("non-blocking: dropped %d, scoring took %v", log.Dropped(), scoring)
		}
		if blocking && log.Dropped() != 0 {
			t.Errorf("blocking: dropped %d", log.Dropped())
		}
		if got := w.lines(); int64(got) != log.Written() {
			t.Errorf("writer got %d lines, log says %d written", got, log.Written())
		}
	}
}

type slowWriter struct {
	mu    sync.Mutex
	delay time.Duration
	buf   bytes.Buffer
}

func (w *slowWriter) Write(p []byte) (int, error) {
	time.Sleep(w.delay)
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *slowWriter) lines() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Count(w.buf.String(), "\n")
}
