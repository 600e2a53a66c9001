package attribution

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// parseInt parses a decimal int64 without allocating.
func parseInt(b []byte) (int64, error) {
	s := b
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return strconv.ParseInt(string(b), 10, 64) // errors, and 19-digit values
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, strconv.ErrSyntax
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

func (tr *TouchReader) internStr(b []byte) string {
	// A few channel and campaign names make up most rows: a small cache
	// in front of the map saves most lookups.
	k := nameSlot(b)
	if s := tr.icache[k]; s == string(b) {
		return s
	}
	s, ok := tr.intern[string(b)]
	if !ok {
		s = string(b)
		tr.intern[s] = s
	}
	tr.icache[k] = s
	return s
}

// nameSlot is the slot of a non-empty name in a 64-entry cache.
func nameSlot(b []byte) int {
	return int((uint(len(b))*131 + uint(b[0])*31 + uint(b[len(b)-1])) & 63)
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func parse01(b []byte) (bool, error) {
	if len(b) == 1 && (b[0] == '0' || b[0] == '1') {
		return b[0] == '1', nil
	}
	return false, fmt.Errorf("%q is not 0 or 1", b)
}

// parseTime parses an RFC 3339 timestamp. The common shape
// YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm) is parsed without allocating; anything
// else goes through time.Parse for its error message.
func parseTime(b []byte) (time.Time, error) {
	if t, ok := fastRFC3339(b); ok {
		return t, nil
	}
	if len(b) == 0 {
		return time.Time{}, errors.New("empty timestamp (want RFC 3339)")
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp", b)
	}
	return t, nil
}

func fastRFC3339(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if rest[0] == '.' {
		i := 1
		scale := 100000000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			if i <= 9 {
				nsec += int(rest[i]-'0') * scale
				scale /= 10
			}
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(rest[1:3])
		om, ok2 := num(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	unix := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec-offset)
	return time.Unix(unix, int64(nsec)).UTC(), true
}

// daysFromCivil is the number of days from 1970-01-01 to the date in the
// proleptic Gregorian calendar (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms", days_from_civil): what time.Date computes, without
// its normalisation of out-of-range fields, which fastRFC3339 has
// rejected.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400 // [0, 399]
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return int64(era)*146097 + int64(doe) - 719468
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
