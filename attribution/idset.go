package attribution

import "hash/maphash"

// idSet remembers the journey ids a reader has seen and the line each
// started on, exactly (ids are compared byte for byte), in pointer-free
// slices: a million journeys cost a few flat arrays, not a million heap
// strings for the garbage collector to scan. The slices grow by doubling
// (append grows large slices by only 1.25×, which would allocate several
// times their final size on the way).
type idSet struct {
	seed    maphash.Seed
	arena   []byte // all ids, back to back
	entries []idEntry
	// table is open addressing with linear probing: a slot holds the top
	// 32 bits of the id's hash above its entry index + 1 (0: empty), so a
	// probe that misses does not read the entry.
	table []uint64
}

type idEntry struct {
	hash     uint64
	off, end uint32 // the id is arena[off:end]
	line     int32
	event    int64 // recentIDs: the event number of the latest occurrence
}

func newIDSet() *idSet {
	return &idSet{seed: maphash.MakeSeed(), table: make([]uint64, 1024)}
}

// addOrGet adds id, first seen on line, and returns (line, true); if id was
// already present it returns the line it was first seen on and false.
func (s *idSet) addOrGet(id []byte, line int) (int, bool) {
	h := maphash.Bytes(s.seed, id)
	e, p := s.find(h, id)
	if e >= 0 {
		return int(s.entries[e].line), false
	}
	s.insertAt(p, h, id, line, 0)
	return line, true
}

// find returns the index in entries of id, whose hash is h, or -1 and
// the empty slot where id would go (for insertAt).
func (s *idSet) find(h uint64, id []byte) (int, uint64) {
	mask := uint64(len(s.table) - 1)
	tag := h >> 32
	for p := h & mask; ; p = (p + 1) & mask {
		e := s.table[p]
		if e == 0 {
			return -1, p
		}
		if e>>32 != tag {
			continue
		}
		if en := &s.entries[uint32(e)-1]; en.hash == h && string(s.arena[en.off:en.end]) == string(id) {
			return int(uint32(e) - 1), p
		}
	}
}

// insertAt adds id, which is not present, with hash h, at the empty slot
// p that find returned.
func (s *idSet) insertAt(p, h uint64, id []byte, line int, event int64) {
	if len(s.arena)+len(id) > cap(s.arena) {
		s.arena = append(make([]byte, 0, 2*cap(s.arena)+len(id)+4096), s.arena...)
	}
	if len(s.entries) == cap(s.entries) {
		s.entries = append(make([]idEntry, 0, 2*cap(s.entries)+256), s.entries...)
	}
	off := uint32(len(s.arena))
	s.arena = append(s.arena, id...)
	s.entries = append(s.entries, idEntry{hash: h, off: off, end: uint32(len(s.arena)), line: int32(line), event: event})
	s.table[p] = h>>32<<32 | uint64(len(s.entries))
	if 2*len(s.entries) > len(s.table) {
		s.grow()
	}
}

func (s *idSet) grow() {
	s.table = make([]uint64, 2*len(s.table))
	mask := uint64(len(s.table) - 1)
	for i := range s.entries {
		h := s.entries[i].hash
		p := h & mask
		for s.table[p] != 0 {
			p = (p + 1) & mask
		}
		s.table[p] = h>>32<<32 | uint64(i+1)
	}
}

// len is the number of ids in the set.
func (s *idSet) len() int { return len(s.entries) }

// reset empties the set, keeping its memory.
func (s *idSet) reset() {
	s.arena, s.entries = s.arena[:0], s.entries[:0]
	clear(s.table)
}

// DefaultRegroupWindow is how many of the latest journeys the Grouped
// reader remembers to detect a journey whose rows resume after another
// journey (see WithRegroupWindow).
const DefaultRegroupWindow = 1 << 16

// WithRegroupWindow sets how many journeys back the Grouped reader (and
// NewTouchReader) detects a regrouped journey: a journey whose rows resume
// after other journeys is an error, exactly (ids compared byte for byte),
// when fewer than n journeys started in between, and never when n or more
// did (so the answer depends only on the two rows' distance, not on where
// in the file they are; the error names the line where the journey's
// rows last started). Memory is then bounded
// by the window, not the input: about 48 bytes plus the id length for
// each of the latest n to 2n journeys (a few MiB by default), at any
// number of journeys.
// Detecting every regroup of an input exactly needs memory for every id
// (no streaming check can do it in less); n < 0 asks for that, the
// remembered set growing with the journeys. n = 0 keeps DefaultRegroupWindow.
// Input that may be regrouped further back belongs in the default
// AnyOrder mode, which sorts and is exact in bounded memory.
func WithRegroupWindow(n int) Option { return func(c *config) { c.regroup = n } }

// recentIDs is the Grouped reader's memory of journey ids: the latest
// occurrence of each id (its event number and line) in two generations
// of up to window events each (window < 0: one, unbounded). An event is
// one call of addOrGet: a journey's first row, or a rejected row starting
// another journey. Journey k is a regroup when its id occurred at an event
// i with k − i ≤ window (fewer than window journeys started in between):
// exactly that, whatever the alignment of the generations, which always
// cover the latest window events. The result therefore depends only on
// the distance between two rows, not on where the counting started, so
// the two halves of a split file find the same regroups as one reader
// (see split.go).
type recentIDs struct {
	cur, prev *idSet
	window    int
	events    int64 // addOrGet calls so far
	since     int   // events recorded in cur
	// log, when logMax > 0, records the first logMax events: the second
	// part of a split file checks them against the first part's latest.
	logMax   int
	log      []loggedEvent
	logArena []byte
}

type loggedEvent struct {
	off, end int  // the id is logArena[off:end]
	isNew    bool // not a regroup within this reader's own events
}

func newRecentIDs(window int) *recentIDs {
	if window == 0 {
		window = DefaultRegroupWindow
	}
	return &recentIDs{cur: newIDSet(), window: window}
}

// addOrGet records the event of id on line. It returns (line, true) when
// id did not occur within the window, else the line of its latest
// occurrence and false.
func (r *recentIDs) addOrGet(id []byte, line int) (int, bool) {
	k := r.events
	r.events++
	h := maphash.Bytes(r.cur.seed, id) // both generations share the seed
	e, slot := r.cur.find(h, id)
	var last *idEntry
	if e >= 0 {
		last = &r.cur.entries[e]
	} else if r.prev != nil {
		if p, _ := r.prev.find(h, id); p >= 0 {
			last = &r.prev.entries[p]
		}
	}
	seen, isNew := line, true
	if last != nil && (r.window < 0 || k-last.event <= int64(r.window)) {
		seen, isNew = int(last.line), false
	}
	if len(r.log) < r.logMax {
		off := len(r.logArena)
		r.logArena = append(r.logArena, id...)
		r.log = append(r.log, loggedEvent{off: off, end: len(r.logArena), isNew: isNew})
	}
	if e >= 0 {
		r.cur.entries[e].event, r.cur.entries[e].line = k, int32(line)
	} else {
		r.cur.insertAt(slot, h, id, line, k)
	}
	if r.window > 0 {
		if r.since++; r.since >= r.window {
			if r.prev == nil {
				r.prev = &idSet{seed: r.cur.seed, table: make([]uint64, 1024)}
			}
			r.prev.reset()
			r.cur, r.prev = r.prev, r.cur
			r.since = 0
		}
	}
	return seen, isNew
}

// lastEvent returns the event number of id's latest occurrence among the
// events the generations hold.
func (r *recentIDs) lastEvent(id []byte) (int64, bool) {
	h := maphash.Bytes(r.cur.seed, id)
	if e, _ := r.cur.find(h, id); e >= 0 {
		return r.cur.entries[e].event, true
	}
	if r.prev != nil {
		if e, _ := r.prev.find(h, id); e >= 0 {
			return r.prev.entries[e].event, true
		}
	}
	return 0, false
}
