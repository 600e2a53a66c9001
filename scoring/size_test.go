package scoring

import (
	"context"
	"encoding/json"
	"testing"
	"unsafe"
)

// TestResultSizeClass guards the one allocation a result costs. An object
// over 512 bytes that holds pointers carries an 8-byte header in Go's
// allocator, and the size classes around Result are 1152, 1280 and 1408
// bytes (runtime/sizeclasses.go): Result plus the header must stay within
// 1280, or every evaluation allocates 128 bytes more.
func TestResultSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Result{}) + 8; n > 1280 {
		t.Errorf("Result is %d bytes with the malloc header, over the 1280-byte size class: trim recBuf or valBuf", n)
	}
	if n := unsafe.Sizeof(Value{}); n != 24 {
		t.Errorf("Value is %d bytes, want 24", n)
	}
	// str reads p and n as one string header on 64-bit platforms.
	if v := (Value{}); wordIs64 && (unsafe.Offsetof(v.p) != 0 || unsafe.Offsetof(v.n) != 8) {
		t.Errorf("Value lays out p at %d and n at %d, want 0 and 8 (a string header)", unsafe.Offsetof(v.p), unsafe.Offsetof(v.n))
	}
}

// TestAllocations guards the allocation counts the benchmarks report:
// scoring a lead decoded from JSON allocates only its Result, and encoding
// a result into a reused buffer allocates nothing.
func TestAllocations(t *testing.T) {
	if raceEnabled || testing.CoverMode() != "" {
		t.Skip("the race detector and coverage change allocation counts")
	}
	rs := mustRules(t, benchFitRules)
	var lead map[string]any
	if err := json.Unmarshal([]byte(benchLeadJSON), &lead); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var res *Result
	if n := testing.AllocsPerRun(100, func() {
		var err error
		if res, err = rs.Score(ctx, lead, at); err != nil {
			t.Fatal(err)
		}
	}); n != 1 {
		t.Errorf("Score: %v allocations, want 1", n)
	}
	buf := res.AppendJSON(nil)
	if n := testing.AllocsPerRun(100, func() { buf = res.AppendJSON(buf[:0]) }); n != 0 {
		t.Errorf("AppendJSON: %v allocations, want 0", n)
	}
}
