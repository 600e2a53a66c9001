package scoring

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func versionRules(v int) []byte {
	// Version v gives every lead exactly v points, so a result's score
	// tells which rule set made it.
	return []byte(fmt.Sprintf("version: \"v%d\"\nfields: {n: int}\nscores:\n  s:\n    rules:\n      - {id: r, points: %d}\n", v, v))
}

// TestEngineReloadUnderLoad: many scorers and repeated reloads, some of
// them broken. Nothing is dropped, and every result is tagged with exactly
// one version whose rules produced it.
func TestEngineReloadUnderLoad(t *testing.T) {
	e := NewEngine(mustRules(t, string(versionRules(1))))
	ctx, cancel := context.WithCancel(context.Background())
	var scored, mismatched atomic.Int64
	var wg, ready sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			first := true
			defer func() {
				if first { // failed before its first result: do not block the test
					ready.Done()
				}
			}()
			for first || ctx.Err() == nil {
				res, err := e.Score(context.Background(), map[string]any{"n": 1.0}, at)
				if err != nil {
					t.Error(err)
					return
				}
				scored.Add(1)
				if got, _ := res.Score("s"); fmt.Sprintf("v%d", int(got)) != res.Version {
					mismatched.Add(1)
				}
				if first {
					first = false
					ready.Done()
				}
			}
		}()
	}
	ready.Wait() // every scorer is running before the reloads start
	failures := 0
	for i := 2; i <= 60; i++ {
		if i%5 == 0 {
			err := e.Reload("broken.yaml", []byte("version: \"x\"\nscores: {s: {rules: [{id: r, when: nope, points: 1}]}}"))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("broken reload: err = %v", err)
			}
			failures++
			if e.Status().LastError == nil {
				t.Error("Status().LastError is nil after a failed reload")
			}
			continue
		}
		if err := e.Reload("rules.yaml", versionRules(i)); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	wg.Wait()
	if mismatched.Load() != 0 {
		t.Errorf("%d results carried a version other than the one that scored them", mismatched.Load())
	}
	if scored.Load() == 0 {
		t.Error("nothing scored")
	}
	st := e.Status()
	// 59 reloads (i = 2..60): 12 broken (the multiples of 5 from 5 to 60),
	// 47 good; the last good one is v59 and the last reload (60) failed.
	if st.Version != "v59" || st.Reloads != 47 || st.Failed != int64(failures) || st.Failed != 12 || st.LastError == nil {
		t.Errorf("status = %+v", st)
	}
}

func TestEngineKeepsServingOnBadFile(t *testing.T) {
	e := NewEngine(mustRules(t, string(versionRules(1))))
	if err := e.ReloadFile("testdata/does-not-exist.yaml"); err == nil {
		t.Fatal("want an error")
	}
	if e.RuleSet().Version() != "v1" {
		t.Errorf("version = %s after a failed reload, want v1", e.RuleSet().Version())
	}
	e.Swap(mustRules(t, string(versionRules(7))))
	res, err := e.Score(context.Background(), map[string]any{}, at)
	if err != nil || res.Version != "v7" {
		t.Errorf("after Swap: %v, %v", res, err)
	}
}
