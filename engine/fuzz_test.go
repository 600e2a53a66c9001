package engine

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/revengine/revengine/internal/diag"
)

// FuzzView feeds arbitrary stage changes, deals and spend through Read and
// View: no panic, every read problem positioned, and a view that encodes
// to JSON (which refuses NaN and ±Inf).
func FuzzView(f *testing.F) {
	f.Add([]byte("lead_id,from,to,at,deadline\nL1,,lead,2026-01-01,\nL1,lead,mql,2026-01-02,2026-01-03\n"),
		[]byte(`{"id":"D","created":"2026-01-01","closed":"2026-01-05","status":"won","amount":7,"touches":[{"at":"2026-01-01","channel":"a","kind":"marketing"}]}`),
		[]byte("period,channel,category,amount\n2026-01,a,marketing,3\n"))
	f.Fuzz(func(t *testing.T, sc, deals, spend []byte) {
		dir := t.TempDir()
		files := Files{StageChanges: filepath.Join(dir, "sc.csv"), Deals: filepath.Join(dir, "d.jsonl"), Spend: filepath.Join(dir, "s.csv")}
		for p, b := range map[string][]byte{files.StageChanges: sc, files.Deals: deals, files.Spend: spend} {
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b, err := New(Config{Currency: "USD", SLA: map[string]time.Duration{"mql": time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Read(context.Background(), files, 0); err != nil {
			var l diag.List
			if !errors.As(err, &l) {
				t.Fatalf("unpositioned read error %v", err)
			}
		}
		v, err := b.View(context.Background())
		if err != nil {
			return
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("view does not encode: %v", err)
		}
	})
}
