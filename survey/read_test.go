package survey

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fill yields n bytes of c, then io.EOF; n < 0 yields c forever, an input
// with no line end at all (like /dev/zero).
type fill struct {
	c byte
	n int64
}

func (f *fill) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, io.EOF
	}
	k := len(p)
	if f.n > 0 && int64(k) > f.n {
		k = int(f.n)
	}
	for i := range p[:k] {
		p[i] = f.c
	}
	if f.n > 0 {
		f.n -= int64(k)
	}
	return k, nil
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const row1 = "r1,W1,SDR,London,<1y,9,4,,Approvals,\n"

// readBoth reads src with ReadResponses and with ReadResponsesSeq and
// checks that they agree; it returns the batch (nil on a fatal error) and
// the error.
func readBoth(t *testing.T, s *Survey, src func() io.Reader, opts ...ReadOption) (*Batch, error) {
	t.Helper()
	b, err := s.ReadResponses(context.Background(), src(), "r.csv", opts...)
	var (
		accepted []Response
		rejected []Rejection
		fatal    error
	)
	for resp, err := range s.ReadResponsesSeq(context.Background(), src(), "r.csv", opts...) {
		var rej *Rejection
		switch {
		case errors.As(err, &rej):
			rejected = append(rejected, *rej)
		case err != nil:
			fatal = err
		default:
			accepted = append(accepted, resp)
		}
	}
	if (err == nil) != (fatal == nil) || (err != nil && err.Error() != fatal.Error()) {
		t.Fatalf("ReadResponses err %v, ReadResponsesSeq err %v", err, fatal)
	}
	if b != nil {
		if diff := cmp.Diff(b.Responses(), accepted); diff != "" {
			t.Errorf("Seq accepted (-batch +seq):\n%s", diff)
		}
		if diff := cmp.Diff(b.Rejected(), rejected, sameErr, cmpopts.IgnoreUnexported(Error{})); diff != "" {
			t.Errorf("Seq rejected (-batch +seq):\n%s", diff)
		}
	}
	return b, err
}

// A spreadsheet export: a byte order mark and "\r\n" line ends. The BOM is
// not part of the first column's name, and "\r" not part of the last
// field.
func TestReadResponsesBOMAndCRLF(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	src := "\xEF\xBB\xBF" + strings.ReplaceAll(header+row1+"r2,W1,AE,Austin,3y+,6,2,5,,Fine\n", "\n", "\r\n")
	b, err := readBoth(t, s, func() io.Reader { return strings.NewReader(src) })
	if err != nil || b.Err() != nil {
		t.Fatal(err, b.Err())
	}
	got := b.Responses()
	if len(got) != 2 || got[0].Respondent != "r1" || got[1].Answers["comment"] != "Fine" {
		t.Errorf("responses = %+v", got)
	}
}

// A 5 MB line among good rows is one rejected row with its line number;
// the rows around it are read, and memory stays far below the line's size.
func TestReadResponsesHugeLine(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	const huge = 5 << 20
	src := func() io.Reader {
		return io.MultiReader(strings.NewReader(header+row1+"r2,W1,SDR,London,<1y,7,4,,,"),
			&fill{c: 'x', n: huge}, strings.NewReader("\n"+"r3,W1,AE,Austin,3y+,6,2,5,,Fine\n"))
	}
	var b *Batch
	var err error
	mem := allocated(func() { b, err = s.ReadResponses(context.Background(), src(), "r.csv") })
	if err != nil {
		t.Fatal(err)
	}
	if b.Read() != 3 || b.Accepted() != 2 {
		t.Errorf("read %d, accepted %d; want 3, 2", b.Read(), b.Accepted())
	}
	want := "r.csv:3: line longer than 1048576 bytes"
	if err := b.Err(); err == nil || err.Error() != want || !errors.Is(err, ErrLineTooLong) {
		t.Errorf("err = %v, want %s", err, want)
	}
	var e *Error
	if !errors.As(b.Err(), &e) || e.Line != 3 || e.Code != CodeLimit {
		t.Errorf("error = %+v", e)
	}
	// Memory is bounded by the line bound (1 MiB), not by the line: a
	// reader that kept the line would allocate at least its 5 MB, and for a
	// 50 MB line at least 50 MB.
	if mem > 8<<20 {
		t.Errorf("allocated %d bytes for a %d-byte line", mem, huge)
	}
	mem = allocated(func() {
		r := io.MultiReader(strings.NewReader(header+"r2,"), &fill{c: 'x', n: 50 << 20}, strings.NewReader("\n"+row1))
		if b, err := s.ReadResponses(context.Background(), r, "r.csv"); err != nil || b.Accepted() != 1 {
			t.Errorf("50 MB line: %v", err)
		}
	})
	if mem > 8<<20 {
		t.Errorf("allocated %d bytes for a 50 MB line", mem)
	}
	if _, err := readBoth(t, s, src); err != nil {
		t.Fatal(err)
	}
	// A smaller bound, by option.
	b, err = s.ReadResponses(context.Background(), strings.NewReader(header+row1+"r2,W1,SDR,London,<1y,7,4,,,"+strings.Repeat("y", 200)+"\n"), "r.csv", MaxRecordBytes(100))
	if err != nil || b.Accepted() != 1 || !errors.Is(b.Err(), ErrLineTooLong) {
		t.Errorf("MaxRecordBytes(100): accepted %d, err %v, %v", b.Accepted(), err, b.Err())
	}
}

// Input that never ends a line (such as /dev/zero) ends the read with a
// positioned error, instead of growing or running forever.
func TestReadResponsesEndlessLine(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	for _, tt := range []struct {
		name string
		src  func() io.Reader
		want string
	}{
		{"header", func() io.Reader { return &fill{c: 0, n: -1} },
			"r.csv:1: line longer than 4096 bytes, and no end of line within 262144 bytes: giving up"},
		{"data row", func() io.Reader { return io.MultiReader(strings.NewReader(header+row1), &fill{c: 'x', n: -1}) },
			"r.csv:3: line longer than 4096 bytes, and no end of line within 262144 bytes: giving up"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var b *Batch
			var err error
			go func() {
				defer close(done)
				b, err = readBoth(t, s, tt.src, MaxRecordBytes(4096))
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the read did not end")
			}
			if b != nil || err == nil || err.Error() != tt.want || !errors.Is(err, ErrLineTooLong) {
				t.Errorf("batch %v, err %v; want %s", b, err, tt.want)
			}
		})
	}
	// With the default bound (1 MiB), as `revengine survey /dev/zero` runs.
	mem := allocated(func() {
		_, err := s.ReadResponses(context.Background(), &fill{c: 0, n: -1}, "/dev/zero")
		if !errors.Is(err, ErrLineTooLong) {
			t.Errorf("err = %v", err)
		}
	})
	if mem > 8<<20 {
		t.Errorf("allocated %d bytes reading an endless line", mem)
	}
}

// Cancellation is seen inside the read, not only before it.
func TestReadResponsesCancelMidway(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	r := io.MultiReader(strings.NewReader(header+row1),
		readerFunc(func(p []byte) (int, error) {
			cancel()
			return copy(p, "r2,W1,SDR,London,<1y,9,4,,,\n"), nil
		}), strings.NewReader(strings.Repeat("r3,W2,SDR,London,<1y,9,4,,,\n", 1000)))
	if _, err := s.ReadResponses(ctx, r, "r.csv"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// Errors carry data in their fields: the question id with Kind
// "question", a column name alone, the field number as the column.
func TestReadResponsesErrorFields(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	b, err := s.ReadResponses(context.Background(), strings.NewReader(header+",W1,SDR,London,<1y,9,7,,,\n"), "r.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := Errors{
		{File: "r.csv", Line: 2, Column: 1, ID: "respondent", Code: CodeMissing, Err: ErrRequired, Msg: "empty; a respondent id is required"},
		{File: "r.csv", Line: 2, Column: 7, Kind: "question", ID: "tools", Code: CodeInvalid, Err: ErrOutOfRange, Msg: "value 7 out of range 1–5"},
	}
	var got Errors
	if !errors.As(b.Err(), &got) {
		t.Fatalf("err %T", b.Err())
	}
	if diff := cmp.Diff(want, got, sameErr, cmpopts.IgnoreUnexported(Error{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var one *Error
	if !errors.As(b.Err(), &one) || one.ID != "respondent" {
		t.Errorf("errors.As into *Error: %+v", one)
	}
	// Go values: the subject is the response, by its 1-based index.
	b, err = s.Check(context.Background(), []Response{{Respondent: "a", Wave: "W1", Answers: map[string]string{"enps": "x", "tools": "3"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.As(b.Err(), &one) || one.Kind != "response" || one.ID != "1" || one.File != "" || !errors.Is(one, ErrType) {
		t.Errorf("Check error = %+v", one)
	}
}

// Breaking out of the sequence stops the read; a fatal header problem is
// yielded once.
func TestReadResponsesSeq(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	n := 0
	for resp, err := range s.ReadResponsesSeq(context.Background(), strings.NewReader(header+row1+"r2,W1,AE,Austin,3y+,6,2,5,,Fine\n"), "r.csv") {
		if err != nil || resp.Respondent != "r1" {
			t.Fatalf("first = %+v, %v", resp, err)
		}
		n++
		break
	}
	if n != 1 {
		t.Errorf("%d yields", n)
	}
	var errs []error
	for _, err := range s.ReadResponsesSeq(context.Background(), strings.NewReader("respondent,wave,q7\n"+row1), "r.csv") {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrUnknownQuestion) {
		t.Errorf("errors = %v", errs)
	}
	// A rejected row is a *Rejection with its line and problems.
	for _, err := range s.ReadResponsesSeq(context.Background(), strings.NewReader(header+"r1,W1,SDR,London,<1y,11,4,,,\n"), "r.csv") {
		var rej *Rejection
		if !errors.As(err, &rej) || rej.Line != 2 || rej.Respondent != "r1" || !errors.Is(err, ErrOutOfRange) {
			t.Errorf("rejection = %+v, %v", rej, err)
		}
		if got, want := err.Error(), `r.csv:2:6: question "enps": value 11 out of range 0–10`; got != want {
			t.Errorf("err = %s, want %s", got, want)
		}
	}
}

// A definition with a BOM and "\r\n" line ends loads, with the same
// positions as without them.
func TestParseBOMAndCRLF(t *testing.T) {
	src := "name: Pulse\ncadence: daily\nquestions:\n  - {id: enps, type: enps, text: Recommend}\n"
	want := `p.yaml:2:10: cadence "daily": want weekly, monthly or quarterly`
	for _, in := range []string{src, "\xEF\xBB\xBF" + src, strings.ReplaceAll(src, "\n", "\r\n"), "\xEF\xBB\xBF" + strings.ReplaceAll(src, "\n", "\r\n")} {
		_, err := Parse("p.yaml", []byte(in))
		if err == nil || err.Error() != want {
			t.Errorf("%q: err = %v, want %s", in[:5], err, want)
		}
		var e *Error
		if errors.As(err, &e) && e.Source != "cadence: daily" {
			t.Errorf("source = %q", e.Source)
		}
	}
	good := strings.Replace(src, "daily", "weekly", 1)
	if _, err := Load(strings.NewReader("\xEF\xBB\xBF"+strings.ReplaceAll(good, "\n", "\r\n")), "p.yaml"); err != nil {
		t.Error(err)
	}
}

// A definition with a 5 MB line, or with no line end at all, is refused at
// the size bound, reading no more than the bound.
func TestLoadHugeAndEndlessLine(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    io.Reader
	}{
		{"5 MB line", io.MultiReader(strings.NewReader("name: x\ncadence: weekly\n# "), &fill{c: 'x', n: 5 << 20}, strings.NewReader("\n"))},
		{"endless", io.MultiReader(strings.NewReader("name: x\ncadence: weekly\n# "), &fill{c: 'x', n: -1})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			mem := allocated(func() { _, err = Load(tt.r, "p.yaml", MaxSourceBytes(64<<10)) })
			// The bound falls on line 3, the comment.
			if want := "p.yaml:3: definition larger than 65536 bytes"; err == nil || err.Error() != want || !errors.Is(err, ErrSyntax) {
				t.Errorf("err = %v, want %s", err, want)
			}
			if mem > 1<<20 {
				t.Errorf("allocated %d bytes", mem)
			}
		})
	}
	// Parse applies the same bound to bytes in memory.
	if _, err := Parse("p.yaml", []byte(strings.Repeat("#", 100)), MaxSourceBytes(10)); err == nil || err.Error() != "p.yaml:1: definition larger than 10 bytes" {
		t.Errorf("Parse: %v", err)
	}
}

// Definition errors carry the question id with Kind "question".
func TestParseErrorFields(t *testing.T) {
	_, err := Parse("p.yaml", []byte("name: x\ncadence: weekly\nquestions:\n  - {id: q1, type: slider, text: t}\n"))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err %T", err)
	}
	// Column 20 is the "s" of slider, counted by hand in the line below.
	want := &Error{File: "p.yaml", Line: 4, Column: 20, Kind: "question", ID: "q1", Code: CodeInvalid, Err: ErrDefinition,
		Msg: `type "slider": want enps, likert, choice or text`, Source: "  - {id: q1, type: slider, text: t}"}
	if diff := cmp.Diff(want, e, sameErr, cmpopts.IgnoreUnexported(Error{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := err.Error(); got != `p.yaml:4:20: question "q1": type "slider": want enps, likert, choice or text` {
		t.Errorf("message %s", got)
	}
}

// sameErr compares the Err fields of errors by identity: they hold
// sentinels.
var sameErr = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && sf.Name() == "Err"
}, cmp.Comparer(func(a, b error) bool { return a == b }))
