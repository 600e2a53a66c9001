package scoring

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends the JSON encoding of r to b: byte for byte what
// json.Marshal(r) gives (a test holds the two equal over random results),
// without reflection — batch scoring encodes every result with it, on the
// worker that scored it.
func (r *Result) AppendJSON(b []byte) []byte {
	if !r.encodable() {
		out, err := json.Marshal(r)
		if err != nil {
			return append(b, "null"...)
		}
		return append(b, out...)
	}
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
	}
	str := func(k, v string, omitEmpty bool) {
		if omitEmpty && v == "" {
			return
		}
		key(k)
		b = appendJSONString(b, v)
	}
	tm := func(k string, t time.Time, omitZero bool) {
		if omitZero && t.IsZero() {
			return
		}
		key(k)
		b = appendJSONTime(b, t)
	}
	strs := func(k string, v []string, omitEmpty bool) {
		if omitEmpty && len(v) == 0 {
			return
		}
		key(k)
		b = appendJSONStrings(b, v)
	}
	str("lead_id", r.LeadID, true)
	str("rule_set", r.RuleSet, true)
	str("version", r.Version, false)
	str("hash", r.Hash, false)
	tm("at", r.At, false)
	key("scores")
	if r.Scores == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Scores {
			s := &r.Scores[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = s.appendJSON(b)
		}
		b = append(b, ']')
	}
	str("grade", r.Grade, true)
	str("stage", r.Stage, true)
	str("previous_stage", r.PreviousStage, true)
	key("stage_changed")
	b = strconv.AppendBool(b, r.StageChanged)
	str("stage_rule", r.StageRule, true)
	if r.tr.dec != nil && len(r.tr.dec.stage) > 0 {
		key("stage_inputs")
		b = appendInputs(b, r.tr.dec.stage)
	} else if reads := r.tr.stageReadsOf(); len(reads) > 0 {
		key("stage_inputs")
		b = r.tr.appendReads(b, reads)
	}
	if r.SLA != (SLA{}) {
		key("sla")
		b = append(b, `{"within":`...)
		b = appendJSONString(b, r.SLA.Within)
		b = append(b, `,"entered_at":`...)
		b = appendJSONTime(b, r.SLA.EnteredAt)
		b = append(b, `,"deadline":`...)
		b = appendJSONTime(b, r.SLA.Deadline)
		b = append(b, `,"breached":`...)
		b = strconv.AppendBool(b, r.SLA.Breached)
		b = append(b, '}')
	}
	tm("stage_entered_at", r.StageEnteredAt, true)
	if v := r.Left; v != nil {
		key("left")
		b = append(b, `{"stage":`...)
		b = appendJSONString(b, v.Stage)
		if !v.EnteredAt.IsZero() {
			b = append(b, `,"entered_at":`...)
			b = appendJSONTime(b, v.EnteredAt)
		}
		b = append(b, `,"left_at":`...)
		b = appendJSONTime(b, v.LeftAt)
		if v.Within != "" {
			b = append(b, `,"within":`...)
			b = appendJSONString(b, v.Within)
		}
		if !v.Deadline.IsZero() {
			b = append(b, `,"deadline":`...)
			b = appendJSONTime(b, v.Deadline)
		}
		if v.SLA != "" {
			b = append(b, `,"sla":`...)
			b = appendJSONString(b, v.SLA)
		}
		b = append(b, '}')
	}
	if r.State != (State{}) {
		key("state")
		b = append(b, `{"stage":`...)
		b = appendJSONString(b, r.State.Stage)
		if !r.State.EnteredAt.IsZero() {
			b = append(b, `,"entered_at":`...)
			b = appendJSONTime(b, r.State.EnteredAt)
		}
		b = append(b, '}')
	}
	tm("next_change_at", r.NextChangeAt, true)
	str("next_change", r.NextChange, true)
	strs("segments", r.Segments, true)
	if r.Route != (Route{}) {
		key("route")
		b = append(b, `{"id":`...)
		b = appendJSONString(b, r.Route.ID)
		if r.Route.Queue != "" {
			b = append(b, `,"queue":`...)
			b = appendJSONString(b, r.Route.Queue)
		}
		if r.Route.Owner != "" {
			b = append(b, `,"owner":`...)
			b = appendJSONString(b, r.Route.Owner)
		}
		if r.Route.Reason != "" {
			b = append(b, `,"reason":`...)
			b = appendJSONString(b, r.Route.Reason)
		}
		b = append(b, '}')
	}
	strs("roles", r.Roles, true)
	strs("ignored", r.Ignored, true)
	return append(b, '}')
}

// appendJSON appends the JSON object of s.
func (s *Score) appendJSON(b []byte) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, s.Name)
	b = append(b, `,"value":`...)
	b = appendJSONFloat(b, s.Value)
	b = append(b, `,"raw":`...)
	b = appendJSONFloat(b, s.Raw)
	b = append(b, `,"contributions":`...)
	b = s.appendContributions(b)
	return append(b, '}')
}

// appendContributions appends the JSON array of the contributions of s
// ("null" for a Score made by hand).
func (s *Score) appendContributions(b []byte) []byte {
	t := s.tr
	if t == nil {
		return append(b, "null"...)
	}
	if t.dec != nil || t.rs == nil {
		var cs []Contribution
		if t.dec != nil && int(s.c0) < len(t.dec.scores) {
			cs = t.dec.scores[s.c0]
		}
		if cs == nil {
			return append(b, "null"...)
		}
		b = append(b, '[')
		for j := range cs {
			if j > 0 {
				b = append(b, ',')
			}
			b = cs[j].appendHead(b)
			if len(cs[j].Inputs) > 0 {
				b = append(b, `,"inputs":`...)
				b = appendInputs(b, cs[j].Inputs)
			}
			b = append(b, '}')
		}
		return append(b, ']')
	}
	b = append(b, '[')
	for j := s.c0; j < s.c1; j++ {
		if j > s.c0 {
			b = append(b, ',')
		}
		c := &t.recs[j]
		if c.rule < 0 {
			b = append(b, `{"score":`...)
			b = appendJSONString(b, t.rs.models[-1-c.rule].name)
			b = append(b, `,"points":`...)
			b = appendJSONFloat(b, c.points)
		} else {
			r := &t.rs.models[c.model].rules[c.rule]
			b = append(b, `{"rule":`...)
			b = appendJSONString(b, r.id)
			b = append(b, `,"points":`...)
			b = appendJSONFloat(b, c.points)
			if c.capped {
				b = append(b, `,"capped":true`...)
			}
			if r.halfLife > 0 {
				b = append(b, `,"decayed":true`...)
			}
			if c.events != 0 {
				b = append(b, `,"events":`...)
				b = strconv.AppendInt(b, int64(c.events), 10)
			}
		}
		if reads := t.reads(c); len(reads) > 0 {
			b = append(b, `,"inputs":`...)
			b = t.appendReads(b, reads)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendReads appends the JSON array of the inputs reads saw.
func (t *trace) appendReads(b []byte, reads []traceRead) []byte {
	b = append(b, '[')
	for k := range reads {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":`...)
		b = appendJSONString(b, t.rs.refs[reads[k].ref].name)
		b = append(b, `,"value":`...)
		v := t.value(&reads[k])
		b = v.appendJSON(b)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendHead appends the JSON object of c up to its inputs, without the
// closing brace.
func (c *Contribution) appendHead(b []byte) []byte {
	b = append(b, '{')
	if c.Rule != "" {
		b = append(b, `"rule":`...)
		b = appendJSONString(b, c.Rule)
		b = append(b, ',')
	}
	if c.Score != "" {
		b = append(b, `"score":`...)
		b = appendJSONString(b, c.Score)
		b = append(b, ',')
	}
	b = append(b, `"points":`...)
	b = appendJSONFloat(b, c.Points)
	if c.Capped {
		b = append(b, `,"capped":true`...)
	}
	if c.Decayed {
		b = append(b, `,"decayed":true`...)
	}
	if c.Events != 0 {
		b = append(b, `,"events":`...)
		b = strconv.AppendInt(b, int64(c.Events), 10)
	}
	return b
}

// appendInputs appends the JSON array of in ("null" when nil).
func appendInputs(b []byte, in []Input) []byte {
	if in == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range in {
		if i > 0 {
			b = append(b, ',')
		}
		b = in[i].appendJSON(b)
	}
	return append(b, ']')
}

// appendJSON appends the JSON object of x.
func (x Input) appendJSON(b []byte) []byte {
	b = append(b, `{"field":`...)
	b = appendJSONString(b, x.Field)
	b = append(b, `,"value":`...)
	b = x.Value.appendJSON(b)
	return append(b, '}')
}

// encodable reports whether every time of r has a year json can encode
// (0 to 9999) and every float is finite; otherwise AppendJSON falls back to
// encoding/json, which reports the problem.
func (r *Result) encodable() bool {
	okT := func(t time.Time) bool { y := t.Year(); return y >= 0 && y <= 9999 }
	okF := func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
	if !okT(r.At) || !okT(r.SLA.EnteredAt) || !okT(r.SLA.Deadline) || !okT(r.StageEnteredAt) || !okT(r.State.EnteredAt) || !okT(r.NextChangeAt) {
		return false
	}
	if r.Left != nil && (!okT(r.Left.EnteredAt) || !okT(r.Left.LeftAt) || !okT(r.Left.Deadline)) {
		return false
	}
	for i := range r.Scores {
		s := &r.Scores[i]
		if !okF(s.Value) || !okF(s.Raw) {
			return false
		}
		if s.tr != nil && s.tr != &r.tr && !s.tr.encodable() {
			return false // a score moved here from another result
		}
	}
	return r.tr.encodable()
}

// encodable reports whether json can encode v: a time of year 0 to 9999, a
// finite float.
func (v *Value) encodable() bool {
	switch v.kind {
	case KindTime:
		y := v.time().Year()
		return y >= 0 && y <= 9999
	case KindFloat:
		return finite(v.float())
	}
	return true
}

// appendJSON appends the value as Value.MarshalJSON encodes it.
func (v Value) appendJSON(b []byte) []byte {
	switch v.kind {
	case KindString:
		return appendJSONString(b, v.str())
	case KindInt:
		return strconv.AppendInt(b, int64(v.int()), 10)
	case KindFloat:
		return appendJSONFloat(b, v.float())
	case KindBool:
		return strconv.AppendBool(b, v.bool())
	case KindTime:
		return appendJSONTime(b, v.time())
	case KindList:
		b = append(b, '[')
		for i := range v.listLen() { // in place: no []string built for a list as JSON decodes it
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v.listAt(i))
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

func appendJSONStrings(b []byte, v []string) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONTime appends t as time.Time.MarshalJSON does (RFC 3339 with
// nanoseconds, quoted).
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json formats a float64: the
// shortest decimal, in exponent form below 1e-6 and from 1e21, with a
// one-digit negative exponent written without its leading zero.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does with HTML
// escaping (its default): <, > and & as \u003c, \u003e, \u0026, U+2028 and
// U+2029 escaped, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
