package scoring

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// watchRules is versionRules with a separate version string and points,
// so a test can change the content while keeping the version.
func watchRules(version string, points int) []byte {
	return []byte("version: \"" + version + "\"\nfields: {n: int}\nscores:\n  s:\n    rules:\n      - {id: r, points: " + itoa(points) + "}\n")
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// startWatch runs e.Watch on path in the background and returns its
// events and, after stop, its result.
func startWatch(t *testing.T, e *Engine, path string) (events chan WatchEvent, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	events = make(chan WatchEvent, 16)
	done := make(chan error, 1)
	go func() { done <- e.Watch(ctx, path, 2*time.Millisecond, func(ev WatchEvent) { events <- ev }) }()
	return events, func() error { cancel(); return <-done }
}

func next(t *testing.T, events chan WatchEvent) WatchEvent {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no watch event in 10s")
	}
	return WatchEvent{}
}

// write replaces the file atomically, the way a deploy should (a
// temporary file renamed over it), so that no poll sees it half-written.
func write(t *testing.T, path string, b []byte) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func scoreOf(t *testing.T, e *Engine) (float64, string) {
	t.Helper()
	res, err := e.Score(context.Background(), map[string]any{}, at)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := res.Score("s")
	return s, res.Version
}

func TestEngineWatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	write(t, path, watchRules("v1", 1))
	rs, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(rs)
	events, stop := startWatch(t, e, path)

	// A new version: reloaded. The file has the same size as before, and
	// likely the same modification time: found through the racy check.
	write(t, path, watchRules("v2", 2))
	ev := next(t, events)
	if ev.Kind != WatchReloaded || ev.Version != "v2" || ev.Serving != "v2" || ev.Err != nil || ev.Path != path {
		t.Fatalf("event %+v, want reloaded v2", ev)
	}
	if s, v := scoreOf(t, e); s != 2 || v != "v2" {
		t.Errorf("after reload: %v points on %s, want 2 on v2", s, v)
	}

	// Content that does not compile: failed, v2 keeps serving.
	write(t, path, []byte("version: \"v3\"\nscores: [\n"))
	ev = next(t, events)
	var errs Errors
	if ev.Kind != WatchFailed || ev.Serving != "v2" || !errors.As(ev.Err, &errs) {
		t.Fatalf("event %+v, want failed with Errors", ev)
	}
	if s, _ := scoreOf(t, e); s != 2 {
		t.Errorf("after a failed reload: %v points, want v2's 2", s)
	}

	// New rules under the serving version: refused, v2 keeps serving.
	write(t, path, watchRules("v2", 7))
	ev = next(t, events)
	if ev.Kind != WatchRefused || !errors.Is(ev.Err, ErrSameVersion) || ev.Version != "v2" || ev.Serving != "v2" {
		t.Fatalf("event %+v, want refused with ErrSameVersion", ev)
	}
	if s, _ := scoreOf(t, e); s != 2 {
		t.Errorf("after a refused reload: %v points, want v2's 2", s)
	}

	// Back to the serving content (a revert), then the same bytes again
	// (a touch): no event. The next event is the next real change.
	write(t, path, watchRules("v2", 2))
	write(t, path, watchRules("v2", 2))
	write(t, path, watchRules("v3", 3))
	ev = next(t, events)
	if ev.Kind != WatchReloaded || ev.Version != "v3" {
		t.Fatalf("event %+v, want reloaded v3 (no event for a revert or a touch)", ev)
	}

	// The file goes away: unreadable, once; v3 serves on. It comes back
	// with a new version: reloaded.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	ev = next(t, events)
	if ev.Kind != WatchUnreadable || !errors.Is(ev.Err, os.ErrNotExist) || ev.Serving != "v3" {
		t.Fatalf("event %+v, want unreadable", ev)
	}
	write(t, path, watchRules("v4", 4))
	ev = next(t, events)
	if ev.Kind != WatchReloaded || ev.Version != "v4" {
		t.Fatalf("event %+v, want reloaded v4 (and one unreadable event only)", ev)
	}
	if s, v := scoreOf(t, e); s != 4 || v != "v4" {
		t.Errorf("%v points on %s, want 4 on v4", s, v)
	}

	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Watch returned %v, want context.Canceled", err)
	}
	// Reloads: v2, v3, v4. Failed: the broken file and the refused one.
	st := e.Status()
	if st.Reloads != 3 || st.Failed != 2 || st.Version != "v4" || st.LastError != nil {
		t.Errorf("status %+v, want 3 reloads, 2 failed, v4, no error", st)
	}
	select {
	case ev := <-events:
		t.Errorf("unexpected event %+v", ev)
	default:
	}
}

// TestEngineWatchStart: a file changed before Watch starts is loaded at
// once; a file already serving is not reported.
func TestEngineWatchStart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.yaml")
	write(t, path, watchRules("v5", 5))
	e := NewEngine(mustRules(t, string(watchRules("v1", 1))))
	events, stop := startWatch(t, e, path)
	if ev := next(t, events); ev.Kind != WatchReloaded || ev.Version != "v5" {
		t.Fatalf("event %+v, want reloaded v5", ev)
	}
	stop()

	// Over MaxSourceBytes: unreadable, without reading the file.
	big := filepath.Join(dir, "big.yaml")
	write(t, big, append(watchRules("v6", 6), make([]byte, 200)...))
	e = NewEngine(mustRules(t, string(watchRules("v1", 1))), MaxSourceBytes(100))
	events, stop = startWatch(t, e, big)
	if ev := next(t, events); ev.Kind != WatchUnreadable || ev.Err == nil || ev.Serving != "v1" {
		t.Fatalf("event %+v, want unreadable (over the limit)", ev)
	}
	stop()

	if err := e.Watch(context.Background(), path, 0, nil); err == nil {
		t.Error("Watch with interval 0 returned nil")
	}
}

func ExampleEngine_Watch() {
	dir, _ := os.MkdirTemp("", "rules")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "rules.yaml")
	replace := func(src string) { // atomically, as a deploy should
		os.WriteFile(path+".tmp", []byte(src), 0o644)
		os.Rename(path+".tmp", path)
	}
	replace("version: \"1\"\nscores: {fit: {rules: [{id: base, points: 10}]}}\n")
	rs, err := LoadFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	e := NewEngine(rs)

	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan WatchEvent)
	go e.Watch(ctx, path, 10*time.Millisecond, func(ev WatchEvent) { events <- ev })
	defer cancel()

	replace("version: \"2\"\nscores: {fit: {rules: [{id: base, points: 20}]}}\n")
	ev := <-events
	fmt.Println(ev.Kind, ev.Version)

	replace("version: \"2\"\nscores: {fit: {rules: [{id: base, points: 30}]}}\n")
	ev = <-events
	fmt.Println(ev.Kind, errors.Is(ev.Err, ErrSameVersion), "serving", ev.Serving)
	// Output:
	// reloaded 2
	// refused true serving 2
}
