package pool

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/revengine/revengine/internal/diag"
)

func TestOrdered(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		var got []int
		err := Ordered(context.Background(), workers, 0,
			func(yield func(int) bool) error {
				for i := 0; i < 500; i++ {
					if !yield(i) {
						return nil
					}
				}
				return nil
			},
			func(_ context.Context, i int) int {
				if i%7 == 0 {
					time.Sleep(time.Microsecond * time.Duration(i%13)) // finish out of order
				}
				return i * i
			},
			func(v int) error { got = append(got, v); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 500 {
			t.Fatalf("workers %d: %d results, want 500", workers, len(got))
		}
		for i, v := range got {
			if v != i*i {
				t.Fatalf("workers %d: result %d is %d, want %d", workers, i, v, i*i)
			}
		}
	}
}

func TestOrderedEmitError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Ordered(context.Background(), 2, 4,
		func(yield func(int) bool) error {
			for i := 0; ; i++ { // endless: must stop when emit fails
				if !yield(i) {
					return nil
				}
			}
		},
		func(_ context.Context, i int) int { return i },
		func(v int) error {
			n++
			if v == 10 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || n != 11 {
		t.Fatalf("err %v after %d emits, want stop after 11", err, n)
	}
}

func TestOrderedPanic(t *testing.T) {
	err := Ordered(context.Background(), 2, 0,
		func(yield func(int) bool) error {
			for i := 0; i < 10; i++ {
				yield(i)
			}
			return nil
		},
		func(_ context.Context, i int) int {
			if i == 3 {
				panic("boom")
			}
			return i
		},
		func(int) error { return nil })
	if !errors.Is(err, diag.ErrInternal) {
		t.Fatalf("err = %v, want ErrInternal", err)
	}
}

func TestOrderedProducerError(t *testing.T) {
	bad := errors.New("read failed")
	var got []int
	err := Ordered(context.Background(), 3, 0,
		func(yield func(int) bool) error {
			yield(1)
			yield(2)
			return bad
		},
		func(_ context.Context, i int) int { return i },
		func(v int) error { got = append(got, v); return nil })
	if !errors.Is(err, bad) || len(got) != 2 {
		t.Fatalf("err %v, got %v", err, got)
	}
}

func TestOrderedCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	err := Ordered(ctx, 2, 0,
		func(yield func(int) bool) error {
			for i := 0; ; i++ {
				if !yield(i) {
					return nil
				}
			}
		},
		func(_ context.Context, i int) int { return i },
		func(v int) error {
			if v == 100 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func BenchmarkOrdered(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Ordered(context.Background(), 2, 0,
			func(yield func(int) bool) error {
				for i := 0; i < 1000; i++ {
					if !yield(i) {
						return nil
					}
				}
				return nil
			},
			func(_ context.Context, i int) int { return i },
			func(int) error { return nil })
	}
}
