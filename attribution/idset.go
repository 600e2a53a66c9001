package attribution

import "hash/maphash"

// idSet remembers the journey ids a reader has seen and the line each
// started on, exactly (ids are compared byte for byte), in pointer-free
// slices: a million journeys cost a few flat arrays, not a million heap
// strings for the garbage collector to scan.
type idSet struct {
	seed  maphash.Seed
	arena []byte   // all ids, back to back
	offs  []uint32 // offs[i]..offs[i+1] is id i in arena
	lines []int32
	hash  []uint64 // full hash of id i, for rehashing
	table []uint32 // open addressing, linear probing: id index + 1, 0 empty
}

func newIDSet() *idSet {
	return &idSet{seed: maphash.MakeSeed(), offs: []uint32{0}, table: make([]uint32, 1024)}
}

func (s *idSet) id(i uint32) []byte { return s.arena[s.offs[i]:s.offs[i+1]] }

// addOrGet adds id, first seen on line, and returns (line, true); if id was
// already present it returns the line it was first seen on and false.
func (s *idSet) addOrGet(id []byte, line int) (int, bool) {
	h := maphash.Bytes(s.seed, id)
	mask := uint64(len(s.table) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		e := s.table[p]
		if e == 0 {
			i := uint32(len(s.lines))
			s.arena = append(s.arena, id...)
			s.offs = append(s.offs, uint32(len(s.arena)))
			s.lines = append(s.lines, int32(line))
			s.hash = append(s.hash, h)
			s.table[p] = i + 1
			if 2*len(s.lines) > len(s.table) {
				s.grow()
			}
			return line, true
		}
		if s.hash[e-1] == h && string(s.id(e-1)) == string(id) {
			return int(s.lines[e-1]), false
		}
	}
}

func (s *idSet) grow() {
	s.table = make([]uint32, 2*len(s.table))
	mask := uint64(len(s.table) - 1)
	for i, h := range s.hash {
		p := h & mask
		for s.table[p] != 0 {
			p = (p + 1) & mask
		}
		s.table[p] = uint32(i) + 1
	}
}
