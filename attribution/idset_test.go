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
