package scoring

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeFast decodes one JSON object into the map encoding/json's
// Unmarshal would make of it (objects as map[string]any, arrays as []any,
// numbers as float64, later duplicate keys winning), in one pass and
// without reflection. It handles the input leads are made of; for anything
// else — invalid JSON, invalid UTF-8, a number out of range, nesting deeper
// than encoding/json allows — it reports false, and the caller decodes
// with encoding/json, whose result and error messages are then the
// reference. A fuzz test holds the two equal wherever decodeFast answers.
func decodeFast(data []byte) (map[string]any, bool) {
	d := fastDecoder{data: data}
	d.ws()
	if d.i >= len(d.data) || d.data[d.i] != '{' {
		return nil, false
	}
	v, ok := d.value(0)
	if !ok {
		return nil, false
	}
	d.ws()
	if d.i != len(d.data) {
		return nil, false
	}
	m, _ := v.(map[string]any)
	return m, m != nil
}

// maxFastDepth is encoding/json's nesting limit; deeper input goes to it.
const maxFastDepth = 10000

type fastDecoder struct {
	data []byte
	i    int
}

func (d *fastDecoder) ws() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) value(depth int) (any, bool) {
	if depth >= maxFastDepth {
		return nil, false
	}
	d.ws()
	if d.i >= len(d.data) {
		return nil, false
	}
	switch c := d.data[d.i]; {
	case c == '{':
		d.i++
		m := make(map[string]any)
		d.ws()
		if d.i < len(d.data) && d.data[d.i] == '}' {
			d.i++
			return m, true
		}
		for {
			d.ws()
			if d.i >= len(d.data) || d.data[d.i] != '"' {
				return nil, false
			}
			k, ok := d.str()
			if !ok {
				return nil, false
			}
			d.ws()
			if d.i >= len(d.data) || d.data[d.i] != ':' {
				return nil, false
			}
			d.i++
			v, ok := d.value(depth + 1)
			if !ok {
				return nil, false
			}
			m[k] = v
			d.ws()
			if d.i >= len(d.data) {
				return nil, false
			}
			if d.data[d.i] == ',' {
				d.i++
				continue
			}
			if d.data[d.i] == '}' {
				d.i++
				return m, true
			}
			return nil, false
		}
	case c == '[':
		d.i++
		a := []any{}
		d.ws()
		if d.i < len(d.data) && d.data[d.i] == ']' {
			d.i++
			return a, true
		}
		for {
			v, ok := d.value(depth + 1)
			if !ok {
				return nil, false
			}
			a = append(a, v)
			d.ws()
			if d.i >= len(d.data) {
				return nil, false
			}
			if d.data[d.i] == ',' {
				d.i++
				continue
			}
			if d.data[d.i] == ']' {
				d.i++
				return a, true
			}
			return nil, false
		}
	case c == '"':
		return d.str()
	case c == 't':
		return true, d.lit("true")
	case c == 'f':
		return false, d.lit("false")
	case c == 'n':
		return nil, d.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.num()
	}
	return nil, false
}

func (d *fastDecoder) lit(s string) bool {
	if len(d.data)-d.i < len(s) || string(d.data[d.i:d.i+len(s)]) != s {
		return false
	}
	d.i += len(s)
	return true
}

// num reads a number by JSON's grammar and parses it as encoding/json
// does (strconv.ParseFloat of the literal; out of range is not ours).
func (d *fastDecoder) num() (any, bool) {
	start := d.i
	if d.data[d.i] == '-' {
		d.i++
	}
	digits := func() int {
		n := 0
		for d.i < len(d.data) && d.data[d.i] >= '0' && d.data[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.i >= len(d.data) {
		return nil, false
	}
	if d.data[d.i] == '0' {
		d.i++
	} else if digits() == 0 {
		return nil, false
	}
	if d.i < len(d.data) && d.data[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if d.i < len(d.data) && (d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		d.i++
		if d.i < len(d.data) && (d.data[d.i] == '+' || d.data[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	f, err := strconv.ParseFloat(string(d.data[start:d.i]), 64)
	if err != nil {
		return nil, false
	}
	return f, true
}

// str reads a string. Invalid UTF-8 and lone surrogates are left to
// encoding/json (it replaces them; the result is then its).
func (d *fastDecoder) str() (string, bool) {
	d.i++ // the opening quote
	start := d.i
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			s := string(d.data[start:d.i])
			d.i++
			return s, true
		case c == '\\':
			return d.strEscaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.data[d.i:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
			d.i += size
		default:
			d.i++
		}
	}
	return "", false
}

func (d *fastDecoder) strEscaped(start int) (string, bool) {
	b := append([]byte(nil), d.data[start:d.i]...)
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			return string(b), true
		case c == '\\':
			d.i++
			if d.i >= len(d.data) {
				return "", false
			}
			switch e := d.data[d.i]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := d.hex4(d.i + 1)
				if !ok {
					return "", false
				}
				d.i += 4
				if utf16.IsSurrogate(r) {
					// A pair, or it is encoding/json's to replace.
					if d.i+6 >= len(d.data) || d.data[d.i+1] != '\\' || d.data[d.i+2] != 'u' {
						return "", false
					}
					r2, ok := d.hex4(d.i + 3)
					if !ok {
						return "", false
					}
					r = utf16.DecodeRune(r, r2)
					if r == utf8.RuneError {
						return "", false
					}
					d.i += 6
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", false
			}
			d.i++
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.data[d.i:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
			b = append(b, d.data[d.i:d.i+size]...)
			d.i += size
		default:
			b = append(b, c)
			d.i++
		}
	}
	return "", false
}

func (d *fastDecoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[at : at+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
