package record

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/revengine/revengine/internal/diag"
)

// FuzzRead feeds arbitrary bytes to every reader in both formats: no panic,
// and every problem is a positioned *diag.Error naming the file.
func FuzzRead(f *testing.F) {
	f.Add([]byte("lead_id,to,at\nL1,mql,2026-01-01\n"), false)
	f.Add([]byte(`{"id":"D","created":"2026-01-01","status":"open","amount":1,"touches":[{"at":"2026-01-01","channel":"a","kind":"sales"}]}`), true)
	f.Add([]byte("period,channel,category,amount\n2026-01,a,sales,\"1\"\n"), false)
	f.Fuzz(func(t *testing.T, b []byte, js bool) {
		format := FormatCSV
		if js {
			format = FormatJSONLines
		}
		ctx := context.Background()
		check := func(err error) {
			if err == nil {
				return
			}
			var l diag.List
			if errors.As(err, &l) {
				for _, e := range l {
					if e.File != "f" {
						t.Fatalf("problem without the file: %v", e)
					}
				}
				return
			}
			var e *diag.Error
			if !errors.As(err, &e) {
				t.Fatalf("unpositioned error %T %v", err, err)
			}
		}
		_, err := ReadStageChanges(ctx, bytes.NewReader(b), "f", WithFormat(format))
		check(err)
		_, err = ReadDeals(ctx, bytes.NewReader(b), "f", WithFormat(format))
		check(err)
		_, err = ReadTouches(ctx, bytes.NewReader(b), "f", WithFormat(format))
		check(err)
		_, err = ReadSpend(ctx, bytes.NewReader(b), "f", WithFormat(format))
		check(err)
		_, err = ReadSubscriptionEvents(ctx, bytes.NewReader(b), "f", WithFormat(format))
		check(err)
	})
}
