package scoring

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// ErrSameVersion refuses a rules file whose content changed while its
// `version` stayed the same: every result records the version, so two
// different rule sets under one version would make results impossible to
// trace. Engine.Watch keeps the current rule set serving; bump the version.
var ErrSameVersion = errors.New("scoring: rules changed but their version did not")

// WatchKind says what Engine.Watch did about a change of the file.
type WatchKind int

const (
	// WatchReloaded: the new content compiled and now serves.
	WatchReloaded WatchKind = iota + 1
	// WatchFailed: the new content did not compile (Err holds every
	// problem, as Reload returns them); the old rule set keeps serving.
	WatchFailed
	// WatchRefused: the new content compiled but declares the version
	// that is serving (Err matches ErrSameVersion); the old rule set keeps
	// serving.
	WatchRefused
	// WatchUnreadable: the file could not be read (Err says why: removed,
	// permissions, over MaxSourceBytes); the old rule set keeps serving.
	WatchUnreadable
)

// String returns "reloaded", "failed", "refused" or "unreadable".
func (k WatchKind) String() string {
	switch k {
	case WatchReloaded:
		return "reloaded"
	case WatchFailed:
		return "failed"
	case WatchRefused:
		return "refused"
	case WatchUnreadable:
		return "unreadable"
	}
	return fmt.Sprintf("WatchKind(%d)", int(k))
}

// WatchEvent reports one change Engine.Watch acted on.
type WatchEvent struct {
	Kind    WatchKind
	Path    string
	Hash    string // "sha256:" + hex of the content seen; "" when unreadable
	Version string // the version the content declares; "" when it did not compile or was unreadable
	Serving string // the version serving after the event
	Err     error  // nil for WatchReloaded
}

// Watch polls the rules file at path every interval and reloads the
// engine when the file's content changes, until ctx is done; it then
// returns ctx.Err(). report, if not nil, is called from Watch's goroutine
// with every change it acted on; a slow report delays the next poll.
//
// Polling is cheap: each tick stats the file, and reads and hashes it only
// when its size or modification time changed (or the modification time is
// so recent that a write in the same clock tick could hide behind it — the
// "racy clean" case of git, bounded by a two-second file-system time
// granularity). A new content is acted on when two polls in a row read
// it, so a file caught half-written (truncated, not yet rewritten) is not
// loaded; a change takes effect within two intervals. Writers should still
// replace the file atomically (write a temporary file, rename it over the
// old one): two polls can both catch a file being rewritten in a tight
// loop. It is acted on once
// per distinct content, by its sha256:
//
//   - content equal to the rule set serving (a touch, a revert) is ignored;
//   - content that does not compile is WatchFailed and the old rule set
//     keeps serving;
//   - content that compiles but declares the version of the rule set
//     serving is WatchRefused (ErrSameVersion), and the old rule set keeps
//     serving: a version names one rule set, so results stay traceable.
//     Reload and Swap, called explicitly, do not make this check;
//   - otherwise the new rule set serves (WatchReloaded).
//
// A file that cannot be read is WatchUnreadable, reported once until it
// can be read again. Watch reads the file when it starts, so a file
// changed since the engine was built is loaded after the first interval. Failed and
// refused contents count in Status as failed reloads, with their error.
// Times from the ticker are only compared with modification times, never
// used in a result. An interval below one millisecond is an error.
func (e *Engine) Watch(ctx context.Context, path string, interval time.Duration, report func(WatchEvent)) error {
	if interval < time.Millisecond {
		return fmt.Errorf("scoring: Engine.Watch: interval %v, want at least 1ms", interval)
	}
	if report == nil {
		report = func(WatchEvent) {}
	}
	o := defaultOptions()
	for _, opt := range e.opts {
		opt(&o)
	}
	w := &watcher{e: e, path: path, report: report, maxBytes: o.SourceBytes}
	w.poll(time.Time{})
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case now := <-t.C:
			w.poll(now)
		}
	}
}

// racyWindow is the coarsest modification-time granularity we allow for
// (FAT's two seconds): a file modified this close to the last read may
// have changed again without its size or time changing.
const racyWindow = 2 * time.Second

type watcher struct {
	e        *Engine
	path     string
	report   func(WatchEvent)
	maxBytes int

	statOK   bool
	size     int64
	mtime    time.Time
	readAt   time.Time // the tick of the last read; zero before the first tick
	lastHash string    // the content last acted on
	pending  string    // the content last read, acted on when the next poll reads it again
	lastErr  string    // the unreadable error last reported
}

func (w *watcher) poll(tick time.Time) {
	fi, err := os.Stat(w.path)
	if err != nil {
		w.unreadable(err)
		return
	}
	racy := w.readAt.IsZero() || fi.ModTime().After(w.readAt.Add(-racyWindow))
	if w.statOK && fi.Size() == w.size && fi.ModTime().Equal(w.mtime) && !racy && w.pending == w.lastHash {
		return
	}
	if w.maxBytes > 0 && fi.Size() > int64(w.maxBytes) {
		w.unreadable(fmt.Errorf("%s: %d bytes, more than the limit of %d (MaxSourceBytes)", w.path, fi.Size(), w.maxBytes))
		return
	}
	src, err := w.read()
	if err != nil {
		w.unreadable(err)
		return
	}
	w.statOK, w.size, w.mtime, w.readAt, w.lastErr = true, fi.Size(), fi.ModTime(), tick, ""
	sum := sha256.Sum256(src)
	hash := "sha256:" + hex.EncodeToString(sum[:])
	if hash == w.lastHash {
		w.pending = hash
		return
	}
	if hash != w.pending {
		w.pending = hash // not settled: a writer may be half-way through
		return
	}
	w.lastHash = hash
	if ev, acted := w.e.watchReload(w.path, src, hash); acted {
		w.report(ev)
	}
}

// read reads the file, at most maxBytes+1 bytes of it.
func (w *watcher) read() ([]byte, error) {
	f, err := os.Open(w.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	limit := int64(w.maxBytes) + 1
	if w.maxBytes <= 0 {
		limit = 1 << 62
	}
	if _, err := b.ReadFrom(io.LimitReader(f, limit)); err != nil {
		return nil, err
	}
	if w.maxBytes > 0 && b.Len() > w.maxBytes {
		return nil, fmt.Errorf("%s: more than the limit of %d bytes (MaxSourceBytes)", w.path, w.maxBytes)
	}
	return b.Bytes(), nil
}

func (w *watcher) unreadable(err error) {
	w.statOK = false
	w.lastHash, w.pending = "", "" // whatever comes back is looked at afresh
	if msg := err.Error(); msg != w.lastErr {
		w.lastErr = msg
		w.report(WatchEvent{Kind: WatchUnreadable, Path: w.path, Serving: w.e.RuleSet().Version(), Err: err})
	}
}

// watchReload compiles src, seen with the given hash, and makes it the
// current rule set unless it fails to compile or keeps the version of a
// different rule set. It reports whether it acted (content equal to the
// rule set serving is not a change).
func (e *Engine) watchReload(path string, src []byte, hash string) (WatchEvent, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cur := e.cur.Load()
	if hash == cur.Hash() {
		return WatchEvent{}, false
	}
	ev := WatchEvent{Path: path, Hash: hash}
	rs, err := Parse(path, src, e.opts...)
	switch {
	case err != nil:
		ev.Kind, ev.Err = WatchFailed, err
	case rs.Version() == cur.Version():
		ev.Kind, ev.Version = WatchRefused, rs.Version()
		ev.Err = &Error{File: path, Kind: "version", ID: rs.Version(), Code: CodeInvalid, Err: ErrSameVersion,
			Msg: fmt.Sprintf("content changed (%s… → %s…) but the version did not; the old rules keep serving: bump version", short(cur.Hash()), short(hash))}
		err = ev.Err
	default:
		ev.Kind, ev.Version = WatchReloaded, rs.Version()
	}
	if err != nil {
		_ = e.finish(nil, err)
	} else {
		_ = e.finish(rs, nil)
	}
	ev.Serving = e.cur.Load().Version()
	return ev, true
}

// short is the first 12 hex digits of a "sha256:" hash.
func short(h string) string {
	const n = len("sha256:") + 12
	if len(h) > n {
		return h[:n]
	}
	return h
}
