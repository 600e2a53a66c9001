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
	table   []uint32 // open addressing, linear probing: entry index + 1, 0 empty
}

type idEntry struct {
	hash     uint64
	off, end uint32 // the id is arena[off:end]
	line     int32
}

func newIDSet() *idSet {
	return &idSet{seed: maphash.MakeSeed(), table: make([]uint32, 1024)}
}

// addOrGet adds id, first seen on line, and returns (line, true); if id was
// already present it returns the line it was first seen on and false.
func (s *idSet) addOrGet(id []byte, line int) (int, bool) {
	h := maphash.Bytes(s.seed, id)
	mask := uint64(len(s.table) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		e := s.table[p]
		if e == 0 {
			if len(s.arena)+len(id) > cap(s.arena) {
				s.arena = append(make([]byte, 0, 2*cap(s.arena)+len(id)+4096), s.arena...)
			}
			if len(s.entries) == cap(s.entries) {
				s.entries = append(make([]idEntry, 0, 2*cap(s.entries)+256), s.entries...)
			}
			off := uint32(len(s.arena))
			s.arena = append(s.arena, id...)
			s.entries = append(s.entries, idEntry{hash: h, off: off, end: uint32(len(s.arena)), line: int32(line)})
			s.table[p] = uint32(len(s.entries))
			if 2*len(s.entries) > len(s.table) {
				s.grow()
			}
			return line, true
		}
		if en := &s.entries[e-1]; en.hash == h && string(s.arena[en.off:en.end]) == string(id) {
			return int(en.line), false
		}
	}
}

func (s *idSet) grow() {
	s.table = make([]uint32, 2*len(s.table))
	mask := uint64(len(s.table) - 1)
	for i := range s.entries {
		p := s.entries[i].hash & mask
		for s.table[p] != 0 {
			p = (p + 1) & mask
		}
		s.table[p] = uint32(i) + 1
	}
}

// get returns the line id was first seen on, and whether it is present.
func (s *idSet) get(id []byte) (int, bool) {
	h := maphash.Bytes(s.seed, id)
	mask := uint64(len(s.table) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		e := s.table[p]
		if e == 0 {
			return 0, false
		}
		if en := &s.entries[e-1]; en.hash == h && string(s.arena[en.off:en.end]) == string(id) {
			return int(en.line), true
		}
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
// when fewer than n journeys started in between — the latest n to 2n
// journeys are remembered, in two generations of n. Memory is then bounded
// by the window, not the input: about 40 bytes plus the id length per
// remembered journey (a few MiB by default), at any number of journeys.
// Detecting every regroup of an input exactly needs memory for every id
// (no streaming check can do it in less); n < 0 asks for that, the
// remembered set growing with the journeys. n = 0 keeps DefaultRegroupWindow.
// Input that may be regrouped further back belongs in the default
// AnyOrder mode, which sorts and is exact in bounded memory.
func WithRegroupWindow(n int) Option { return func(c *config) { c.regroup = n } }

// recentIDs is the Grouped reader's memory of journey ids: two
// generations of up to window ids each (window < 0: one, unbounded).
type recentIDs struct {
	cur, prev *idSet
	window    int
}

func newRecentIDs(window int) *recentIDs {
	if window == 0 {
		window = DefaultRegroupWindow
	}
	return &recentIDs{cur: newIDSet(), window: window}
}

// addOrGet is idSet.addOrGet over both generations.
func (r *recentIDs) addOrGet(id []byte, line int) (int, bool) {
	if r.prev != nil {
		if l, ok := r.prev.get(id); ok {
			return l, false
		}
	}
	l, isNew := r.cur.addOrGet(id, line)
	if isNew && r.window > 0 && r.cur.len() >= r.window {
		if r.prev == nil {
			r.prev = newIDSet()
		}
		r.prev.reset()
		r.cur, r.prev = r.prev, r.cur
	}
	return l, isNew
}
