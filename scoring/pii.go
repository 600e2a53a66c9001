package scoring

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Protected personal data. A field declared `pii: true` (an email, a name,
// a phone number) is read by rules like any other, but its value never
// leaves the package: explanations and traces (Contribution.Inputs,
// Result.StageInputs, and the result's trace itself, which keeps the mask), error messages about it, and everything built from them —
// the CLI's output, rule-test failures, decision logs — show a mask
// instead:
//
//   - "***" by default;
//   - with WithPIIKey(key), "pii:" and the first 16 hex digits of
//     HMAC-SHA256(key, value): stable for one key, so two records of the
//     same person can be matched in a log without revealing who it is, and
//     not reversible without the key.
//
// The package stores nothing: what a caller logs (decision logs included)
// is the caller's to retain and delete.

// Mask is the mask of a personal value without a key.
const Mask = "***"

// WithPIIKey masks personal values with a keyed hash instead of "***"
// (see Mask). Keep the key secret; rotating it unlinks old logs.
func WithPIIKey(key []byte) Option {
	k := append([]byte(nil), key...)
	return func(o *options) { o.piiKey = k }
}

// mask returns the masked form of a personal value.
func (rs *RuleSet) mask(v Value) Value {
	text := v.String()
	if v.kind == KindString {
		text = v.str()
	}
	return strVal(rs.maskText(text))
}

func (rs *RuleSet) maskText(text string) string {
	if len(rs.opts.piiKey) == 0 {
		return Mask
	}
	m := hmac.New(sha256.New, rs.opts.piiKey)
	m.Write([]byte(text))
	return "pii:" + hex.EncodeToString(m.Sum(nil))[:16]
}

// Redact returns x as outputs show the value of field: its mask when the
// field is declared pii (a string), else x itself. For callers that print
// lead data of their own beside results — rule-test reports, logs.
func (rs *RuleSet) Redact(field string, x any) any {
	if !rs.IsPII(field) || x == nil {
		return x
	}
	if s, ok := x.(string); ok {
		return rs.maskText(s)
	}
	return rs.maskText(fmt.Sprint(x))
}

// IsPII reports whether the field is declared pii.
func (rs *RuleSet) IsPII(field string) bool {
	i, ok := rs.fieldIdx[field]
	return ok && rs.fields[i].pii
}
