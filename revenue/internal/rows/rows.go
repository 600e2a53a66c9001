// Package rows is the revenue packages' name for the module's shared table
// layer, internal/rows: every name here is that package's, so that the
// revenue readers and package record parse headers, rows and amounts with
// one implementation. New code imports internal/rows directly; this
// package goes once revenue's readers do.
package rows

import (
	"context"
	"io"
	"iter"
	"time"

	"github.com/revengine/revengine/internal/rows"
)

// Config, Spec and Row are internal/rows' types.
type (
	Config = rows.Config
	Spec   = rows.Spec
	Row    = rows.Row
)

// DefaultMaxErrors and DefaultCurrency are internal/rows' defaults.
const (
	DefaultMaxErrors = rows.DefaultMaxErrors
	DefaultCurrency  = rows.DefaultCurrency
)

// All is rows.All.
func All[T any](ctx context.Context, src io.Reader, name string, cfg Config, spec Spec, parse func(*Row) (T, bool)) iter.Seq2[T, error] {
	return rows.All(ctx, src, name, cfg, spec, parse)
}

// Collect is rows.Collect.
func Collect[T any](name string, cfg Config, seq iter.Seq2[T, error]) ([]T, error) {
	return rows.Collect(name, cfg, seq)
}

// Configure is rows.Configure.
func Configure[O ~func(*Config)](opts []O) (Config, error) { return rows.Configure(opts) }

// ParseDate is rows.ParseDate.
func ParseDate(s string) (time.Time, error) { return rows.ParseDate(s) }

// ParseSigned is rows.ParseSigned.
func ParseSigned(s string) (int64, error) { return rows.ParseSigned(s) }

// ParseMinor is rows.ParseMinor.
func ParseMinor(s string) (int64, error) { return rows.ParseMinor(s) }
