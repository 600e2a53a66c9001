package attribution

import (
	"fmt"
	"testing"
)

func TestIDSet(t *testing.T) {
	s := newIDSet()
	// Enough ids to grow the table several times; each is new on first
	// sight and reports its first line afterwards.
	for i := 0; i < 5000; i++ {
		if line, isNew := s.addOrGet([]byte(fmt.Sprint("id", i)), i+2); !isNew || line != i+2 {
			t.Fatalf("id%d: line %d, new %v", i, line, isNew)
		}
	}
	for i := 0; i < 5000; i += 7 {
		if line, isNew := s.addOrGet([]byte(fmt.Sprint("id", i)), 99999); isNew || line != i+2 {
			t.Fatalf("id%d again: line %d, new %v", i, line, isNew)
		}
	}
	if _, isNew := s.addOrGet([]byte(""), 1); !isNew {
		t.Error("empty id not new")
	}
}

// TestRecentIDsWindow checks the documented guarantee of WithRegroupWindow
// against brute force: for windows 1..5 and every gap 0..12, a journey that
// resumes after gap other journeys, at every alignment with the window's
// generations, is detected whenever gap < window.
func TestRecentIDsWindow(t *testing.T) {
	for window := 1; window <= 5; window++ {
		for offset := 0; offset < 2*window; offset++ {
			for gap := 0; gap <= 12; gap++ {
				r := newRecentIDs(window)
				id := 0
				next := func() []byte { id++; return []byte(fmt.Sprintf("j%d", id)) }
				for range offset {
					if _, isNew := r.addOrGet(next(), id); !isNew {
						t.Fatal("fresh id reported seen")
					}
				}
				r.addOrGet([]byte("x"), 1)
				for range gap {
					r.addOrGet(next(), id)
				}
				line, isNew := r.addOrGet([]byte("x"), 99)
				if gap < window && (isNew || line != 1) {
					t.Errorf("window %d offset %d gap %d: regroup not detected", window, offset, gap)
				}
				if n := r.cur.len(); n >= window {
					t.Errorf("window %d: current generation holds %d ids", window, n)
				}
			}
		}
	}
	// Unbounded (n < 0): every regroup is detected.
	r := newRecentIDs(-1)
	r.addOrGet([]byte("x"), 1)
	for i := range 100_000 {
		r.addOrGet([]byte(fmt.Sprint(i)), i+2)
	}
	if line, isNew := r.addOrGet([]byte("x"), 0); isNew || line != 1 {
		t.Errorf("unbounded set forgot x")
	}
}
