package lineio

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/revengine/revengine/internal/diag"
)

type got struct {
	Line int
	Text string
	Err  string
}

func readAll(t *testing.T, in io.Reader, max int) []got {
	t.Helper()
	r := NewReader(context.Background(), in, "in.txt", max)
	var out []got
	for i := 0; i < 1000; i++ {
		b, err := r.Next()
		if err == io.EOF {
			return out
		}
		g := got{Line: r.Line(), Text: string(b)}
		if err != nil {
			g.Err = err.Error()
			if !errors.Is(err, diag.ErrLineTooLong) {
				t.Fatalf("unexpected error %v", err)
			}
		}
		out = append(out, g)
		if r.Stopped() && err != nil {
			return out
		}
	}
	t.Fatal("reader did not end")
	return nil
}

func TestReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []got
	}{
		{"lf", "a\nb\n", 10, []got{{1, "a", ""}, {2, "b", ""}}},
		{"no final newline", "a\nb", 10, []got{{1, "a", ""}, {2, "b", ""}}},
		{"crlf", "a\r\nb\r\n", 10, []got{{1, "a", ""}, {2, "b", ""}}},
		{"bom", "\xEF\xBB\xBFa\nb\n", 10, []got{{1, "a", ""}, {2, "b", ""}}},
		{"bom only first line", "a\n\xEF\xBB\xBFb\n", 10, []got{{1, "a", ""}, {2, "\xEF\xBB\xBFb", ""}}},
		{"blank lines kept", "a\n\nb\n", 10, []got{{1, "a", ""}, {2, "", ""}, {3, "b", ""}}},
		{"exactly max", "abcd\n", 4, []got{{1, "abcd", ""}}},
		{"exactly max crlf", "abcd\r\n", 4, []got{{1, "abcd", ""}}},
		{"one over max", "abcde\nok\n", 4, []got{{1, "", "in.txt:1: line longer than 4 bytes"}, {2, "ok", ""}}},
		{"too long last line", "ok\nabcdefgh", 4, []got{{1, "ok", ""}, {2, "", "in.txt:2: line longer than 4 bytes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, readAll(t, strings.NewReader(tt.in), tt.max)); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// A long line much larger than the bufio buffer is skipped in bounded
// memory and the next line keeps its number.
func TestReaderHugeLine(t *testing.T) {
	in := strings.Repeat("x", 5<<20) + "\nnext\n"
	r := NewReader(context.Background(), strings.NewReader(in), "big", 1<<20)
	_, err := r.Next()
	if !errors.Is(err, diag.ErrLineTooLong) || r.Stopped() {
		t.Fatalf("first line: err %v stopped %v", err, r.Stopped())
	}
	b, err := r.Next()
	if err != nil || string(b) != "next" || r.Line() != 2 {
		t.Fatalf("second line %q %v at %d", b, err, r.Line())
	}
}

// zeros is an endless input without a newline, like /dev/zero.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

func TestReaderEndlessLine(t *testing.T) {
	z := &zeros{}
	r := NewReader(context.Background(), z, "/dev/zero", 1024)
	_, err := r.Next()
	if !errors.Is(err, diag.ErrLineTooLong) || !r.Stopped() {
		t.Fatalf("err %v stopped %v", err, r.Stopped())
	}
	if z.n > 64*1024+128<<10 {
		t.Errorf("read %d bytes of an endless line, want about 64 × the bound", z.n)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Errorf("after stopping: %v", err2)
	}
}

func TestReaderContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := NewReader(ctx, strings.NewReader(strings.Repeat("a\n", 10000)), "in", 10)
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		_, err = r.Next()
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestResume(t *testing.T) {
	r := NewReader(context.Background(), strings.NewReader("\xEF\xBB\xBFa\nb\n"), "in", 10)
	r.Resume(4)
	b, err := r.Next()
	if err != nil || string(b) != "\xEF\xBB\xBFa" || r.Line() != 5 {
		t.Errorf("got %q %v at line %d; want the mark kept and line 5", b, err, r.Line())
	}
}
