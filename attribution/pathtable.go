package attribution

import (
	"encoding/binary"
	"math/rand/v2"
)

// pathTable maps a path's key (2 bytes per touch, see pathStat) to its
// index in Aggregate.paths. It replaces a map[string]int32 on a hot line
// of reading: a Go map lookup on a table of many paths misses the cache
// on its group, its slot and the key string it compares, while a slot
// here holds the key's first 16 bytes (8 touches) and its hash, so that
// a lookup of a path that short reads one slot, and growing reads no key.
// Longer keys are compared with the path's key.
//
// Open addressing with linear probing, at most half full. The hash is
// seeded at random per table, so that no input can be made to collide on
// purpose; no result depends on it. The zero value is an empty table.
type pathTable struct {
	slots []pathSlot // len a power of two, or 0
	n     int
	seed  uint64
}

type pathSlot struct {
	a, b uint64 // the key's first 16 bytes, little-endian, zero-padded
	h    uint64 // the hash
	n    int32  // the key's length
	idx1 int32  // the index in paths + 1; 0 for an empty slot
}

// pathHash hashes key with seed and returns its first 16 bytes as two
// words.
func pathHash[K string | []byte](key K, seed uint64) (h, a, b uint64) {
	var w [16]byte
	copy(w[:], key)
	a = binary.LittleEndian.Uint64(w[:8])
	b = binary.LittleEndian.Uint64(w[8:])
	h = mix(a^seed, b^uint64(len(key)))
	for k := 16; k < len(key); k += 8 {
		var c [8]byte
		copy(c[:], key[k:])
		h = mix(h, binary.LittleEndian.Uint64(c[:]))
	}
	return h, a, b
}

// get returns the index of key in paths.
func (t *pathTable) get(key []byte, paths []pathStat) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	h, a, b := pathHash(key, t.seed)
	mask := uint64(len(t.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		s := &t.slots[p]
		if s.idx1 == 0 {
			return 0, false
		}
		if s.h == h && int(s.n) == len(key) && s.a == a && s.b == b && (len(key) <= 16 || paths[s.idx1-1].key == string(key)) {
			return s.idx1 - 1, true
		}
	}
}

// put records that key, not in the table, is at index i of paths.
func (t *pathTable) put(key string, i int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow(max(1024, 2*len(t.slots)))
	}
	t.insert(key, i)
}

func (t *pathTable) insert(key string, i int32) {
	h, a, b := pathHash(key, t.seed)
	mask := uint64(len(t.slots) - 1)
	p := h & mask
	for t.slots[p].idx1 != 0 {
		p = (p + 1) & mask
	}
	t.slots[p] = pathSlot{a: a, b: b, h: h, n: int32(len(key)), idx1: i + 1}
	t.n++
}

// grow rehashes the table into size slots.
func (t *pathTable) grow(size int) {
	if t.seed == 0 {
		t.seed = rand.Uint64() | 1
	}
	old := t.slots
	t.slots, t.n = make([]pathSlot, size), 0
	mask := uint64(size - 1)
	for _, s := range old {
		if s.idx1 != 0 {
			p := s.h & mask
			for t.slots[p].idx1 != 0 {
				p = (p + 1) & mask
			}
			t.slots[p] = s
			t.n++
		}
	}
}
