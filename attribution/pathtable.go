package attribution

import (
	"encoding/binary"
	"math/rand/v2"
)

// pathTable maps a path's key (2 bytes per touch, see pathStat) to its
// index in Aggregate.paths. It replaces a map[string]int32 on a hot line
// of reading: a Go map lookup on a table of many paths misses the cache
// on its group, its slot and the key string it compares, while a slot
// here is 16 bytes holding the key's first 8 bytes (4 touches) and 24
// bits of its hash, so that a lookup of a path that short reads one slot,
// and growing reads no key. Longer keys are compared with the path's key.
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
	a    uint64 // the key's first 8 bytes, little-endian, zero-padded
	tag  uint32 // the hash's top 24 bits and the key's length (255 for 255 or more)
	idx1 int32  // the index in paths + 1; 0 for an empty slot
}

// pathHash hashes key with seed and returns its first 8 bytes as a word.
func pathHash[K string | []byte](key K, seed uint64) (h, a uint64) {
	var w [8]byte
	copy(w[:], key)
	a = binary.LittleEndian.Uint64(w[:])
	h = mix(a^seed, uint64(len(key)))
	for k := 8; k < len(key); k += 8 {
		var c [8]byte
		copy(c[:], key[k:])
		h = mix(h, binary.LittleEndian.Uint64(c[:]))
	}
	return h, a
}

func pathTag(h uint64, n int) uint32 { return uint32(h>>40)<<8 | uint32(min(n, 255)) }

// get returns the index of key in paths.
func (t *pathTable) get(key []byte, paths []pathStat) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	h, a := pathHash(key, t.seed)
	tag := pathTag(h, len(key))
	mask := uint64(len(t.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		s := &t.slots[p]
		if s.idx1 == 0 {
			return 0, false
		}
		if s.tag == tag && s.a == a && (len(key) <= 8 || paths[s.idx1-1].key == string(key)) {
			return s.idx1 - 1, true
		}
	}
}

// put records that key, not in the table, is at index i of paths (whose
// earlier keys the table holds).
func (t *pathTable) put(key string, i int32, paths []pathStat) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow(max(1024, 2*len(t.slots)), paths)
	}
	h, a := pathHash(key, t.seed)
	t.insert(pathSlot{a: a, tag: pathTag(h, len(key)), idx1: i + 1}, h)
}

func (t *pathTable) insert(s pathSlot, h uint64) {
	mask := uint64(len(t.slots) - 1)
	p := h & mask
	for t.slots[p].idx1 != 0 {
		p = (p + 1) & mask
	}
	t.slots[p] = s
	t.n++
}

// grow rehashes the table into size slots. The hash of a key of up to 8
// bytes (4 touches) is computed from its slot; a longer one is read from
// paths.
func (t *pathTable) grow(size int, paths []pathStat) {
	if t.seed == 0 {
		t.seed = rand.Uint64() | 1
	}
	old := t.slots
	t.slots, t.n = make([]pathSlot, size), 0
	for _, s := range old {
		if s.idx1 == 0 {
			continue
		}
		var h uint64
		if n := s.tag & 0xff; n <= 8 {
			h = mix(s.a^t.seed, uint64(n))
		} else {
			h, _ = pathHash(paths[s.idx1-1].key, t.seed)
		}
		t.insert(s, h)
	}
}
