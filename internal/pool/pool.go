// Package pool is the ordered worker pool of the module: items produced on
// one goroutine are processed on several and delivered in input order on
// the caller's goroutine, with a bounded number in flight so that memory
// does not grow with the input.
package pool

import (
	"context"
	"runtime"
	"sync"

	"github.com/revengine/revengine/internal/diag"
)

type seqIn[In any] struct {
	seq int
	in  In
}

type seqOut[Out any] struct {
	seq int
	out Out
}

// Ordered runs produce on its own goroutine; every item it yields is
// passed to work on one of workers goroutines (<= 0: GOMAXPROCS), and emit
// receives the results in the order the items were produced, on the
// calling goroutine. At most window items (<= 0: 4 × workers) are in
// flight between produce and emit.
//
// yield returns false when the run is stopping; produce should then return.
// Ordered returns emit's first error (after which nothing more is emitted),
// else produce's error, else ctx's error. A panic in work or produce is
// returned as a diag.ErrInternal error, never re-raised.
func Ordered[In, Out any](ctx context.Context, workers, window int,
	produce func(yield func(In) bool) error,
	work func(ctx context.Context, in In) Out,
	emit func(Out) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if window <= 0 {
		window = 4 * workers
	}
	if window < workers {
		window = workers
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan seqIn[In], window)
	results := make(chan seqOut[Out], window)
	slots := make(chan struct{}, window)
	var prodErr error
	var mu sync.Mutex
	var panicErr error
	fail := func(where string, r any) {
		mu.Lock()
		if panicErr == nil {
			panicErr = diag.Internal(where, r)
		}
		mu.Unlock()
		cancel()
	}
	panicked := func() error {
		mu.Lock()
		defer mu.Unlock()
		return panicErr
	}

	produced := make(chan struct{})
	go func() {
		defer close(produced)
		defer close(jobs)
		defer func() {
			if r := recover(); r != nil {
				fail("read", r)
			}
		}()
		seq := 0
		prodErr = produce(func(in In) bool {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- seqIn[In]{seq, in}:
				seq++
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				var out Out
				func() {
					defer func() {
						if r := recover(); r != nil {
							fail("work", r)
						}
					}()
					out = work(ctx, j.in)
				}()
				select {
				case results <- seqOut[Out]{j.seq, out}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	pending := make(map[int]Out, window)
	next := 0
	var emitErr error
	for r := range results {
		pending[r.seq] = r.out
		for {
			out, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			if emitErr != nil || panicked() != nil {
				continue
			}
			if err := emit(out); err != nil {
				emitErr = err
				cancel()
			}
		}
	}
	// Workers stop at cancellation without draining jobs, so the producer
	// may still be returning; wait for it, so that it no longer touches its
	// input once Ordered returns and its error is safe to read.
	cancel()
	<-produced
	switch {
	case emitErr != nil:
		return emitErr
	case panicked() != nil:
		return panicked()
	case prodErr != nil:
		return prodErr
	}
	return parent.Err()
}
