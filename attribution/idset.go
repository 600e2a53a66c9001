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
