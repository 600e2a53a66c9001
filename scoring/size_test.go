package scoring

import (
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
}
