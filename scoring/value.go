package scoring

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unsafe"
)

// Kind is the type of a declared lead field.
type Kind uint8

// The field types a rules file can declare.
const (
	KindInvalid Kind = iota
	KindString       // "string"
	KindInt          // "int": a whole number (Go int)
	KindFloat        // "float": float64
	KindBool         // "bool"
	KindTime         // "time": RFC 3339 in JSON, or a YYYY-MM-DD date at midnight UTC
	KindList         // "list": a list of strings
)

var kindNames = [...]string{"invalid", "string", "int", "float", "bool", "time", "list"}

// String returns the name used in rules files.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

func parseKind(s string) Kind {
	switch s {
	case "string":
		return KindString
	case "int", "integer":
		return KindInt
	case "float", "number":
		return KindFloat
	case "bool", "boolean":
		return KindBool
	case "time", "datetime":
		return KindTime
	case "list", "[]string", "list<string>", "strings":
		return KindList
	}
	return KindInvalid
}

var (
	typeString = reflect.TypeOf("")
	typeInt    = reflect.TypeOf(0)
	typeFloat  = reflect.TypeOf(0.0)
	typeBool   = reflect.TypeOf(false)
	typeTime   = reflect.TypeOf(time.Time{})
	typeList   = reflect.TypeOf([]string(nil))
)

func (k Kind) goType() reflect.Type {
	switch k {
	case KindString:
		return typeString
	case KindInt:
		return typeInt
	case KindFloat:
		return typeFloat
	case KindBool:
		return typeBool
	case KindTime:
		return typeTime
	case KindList:
		return typeList
	}
	return nil
}

func kindOf(t reflect.Type) Kind {
	switch t {
	case typeString:
		return KindString
	case typeInt:
		return KindInt
	case typeFloat:
		return KindFloat
	case typeBool:
		return KindBool
	case typeTime:
		return KindTime
	case typeList:
		return KindList
	}
	return KindInvalid
}

// Value is one typed field value, as a rule read it. It is shown in
// explanations and encodes to JSON as the plain value (a string, number,
// boolean, RFC 3339 time or list of strings).
//
// It is a compact union (24 bytes, one pointer): numbers, booleans and the
// seconds of a time in n; a string or list as its data pointer and length
// — pointing into the very string or slice lead data held, so normalising
// a lead decoded from JSON copies no string or list — and a time's
// location as the pointer.
type Value struct {
	// p and n, in this order, are a string header on 64-bit platforms
	// (str reads them as one).
	p       unsafe.Pointer // string: its bytes; list: its elements; time: *time.Location
	valBits                // the rest, which holds no pointer: set copies it in one move
}

type valBits struct {
	n    uint64 // int (two's complement), float64 bits, bool (0, 1), time: Unix seconds; string, list: length
	kind Kind
	anys bool  // list: p is the data of a []any of strings (as decoded from JSON), not of a []string
	nsec int32 // time: nanoseconds within the second
}

// kindVal is a Value of kind k with no data: a missing field's default.
func kindVal(k Kind) Value { return Value{valBits: valBits{kind: k}} }

// wordIs64 is whether a string header is two 64-bit words, as p and n.
const wordIs64 = unsafe.Sizeof(uintptr(0)) == 8 && unsafe.Sizeof("") == 16

func strVal(s string) Value {
	return Value{p: unsafe.Pointer(unsafe.StringData(s)), valBits: valBits{kind: KindString, n: uint64(len(s))}}
}
func intVal(i int) Value { return Value{valBits: valBits{kind: KindInt, n: uint64(int64(i))}} }
func floatVal(f float64) Value {
	return Value{valBits: valBits{kind: KindFloat, n: math.Float64bits(f)}}
}
func timeVal(t time.Time) Value {
	return Value{p: unsafe.Pointer(t.Location()), valBits: valBits{kind: KindTime, n: uint64(t.Unix()), nsec: int32(t.Nanosecond())}}
}
func listVal(l []string) Value {
	return Value{p: unsafe.Pointer(unsafe.SliceData(l)), valBits: valBits{kind: KindList, n: uint64(len(l))}}
}

// anyListVal is a list held as JSON decodes it; every element must be a
// string (convert checks).
func anyListVal(l []any) Value {
	return Value{p: unsafe.Pointer(unsafe.SliceData(l)), valBits: valBits{kind: KindList, anys: true, n: uint64(len(l))}}
}
func boolVal(b bool) Value {
	v := kindVal(KindBool)
	if b {
		v.n = 1
	}
	return v
}

// set stores o in v: the pointer-free part in one move, then the pointer.
// A whole-Value store, while the GC marks, goes through the runtime (zero
// the old value, then copy, each with a bulk barrier); this is one inline
// barrier for the pointer, and none when neither value holds one.
func (v *Value) set(o Value) {
	v.valBits = o.valBits
	if o.p != nil || v.p != nil {
		v.p = o.p
	}
}

// str returns a string value; "" for a Value that holds none.
func (v *Value) str() string {
	if v.kind != KindString {
		return ""
	}
	if wordIs64 {
		return *(*string)(unsafe.Pointer(v)) // p and n: the header strVal took apart
	}
	return unsafe.String((*byte)(v.p), int(v.n))
}
func (v *Value) int() int       { return int(int64(v.n)) }
func (v *Value) float() float64 { return math.Float64frombits(v.n) }
func (v *Value) bool() bool     { return v.n != 0 }

// time returns a time value; the zero time for a Value that holds none.
func (v *Value) time() time.Time {
	if v.kind != KindTime || v.p == nil {
		return time.Time{}
	}
	return time.Unix(int64(v.n), int64(v.nsec)).In((*time.Location)(v.p))
}

// anyList and strList return the elements of a list value as it holds
// them (nil for the other form, and for a Value that holds no list).
func (v *Value) anyList() []any {
	if v.kind != KindList || !v.anys {
		return nil
	}
	return unsafe.Slice((*any)(v.p), int(v.n))
}

func (v *Value) strList() []string {
	if v.kind != KindList || v.anys {
		return nil
	}
	return unsafe.Slice((*string)(v.p), int(v.n))
}

func (v *Value) listLen() int {
	if v.kind != KindList {
		return 0
	}
	return int(v.n)
}

func (v *Value) listAt(i int) string {
	if v.anys {
		str, _ := v.anyList()[i].(string) // checked when loaded; the caller may have changed it since
		return str
	}
	return v.strList()[i]
}

// strings returns a list value as []string.
func (v Value) strings() []string {
	if v.kind != KindList {
		return nil
	}
	if !v.anys {
		return v.strList()
	}
	l := v.anyList()
	out := make([]string, len(l))
	for i, x := range l {
		out[i], _ = x.(string)
	}
	return out
}

// Equal reports whether v and o are the same value (times compared with
// time.Time.Equal, lists element by element).
func (v Value) Equal(o Value) bool {
	if v.kind != o.kind {
		return false
	}
	switch v.kind {
	case KindString:
		return v.str() == o.str()
	case KindInt, KindBool:
		return v.n == o.n
	case KindFloat:
		return v.float() == o.float()
	case KindTime:
		return v.time().Equal(o.time())
	case KindList:
		if v.listLen() != o.listLen() {
			return false
		}
		for i := 0; i < v.listLen(); i++ {
			if v.listAt(i) != o.listAt(i) {
				return false
			}
		}
	}
	return true
}

// Kind returns the value's type.
func (v Value) Kind() Kind { return v.kind }

// Interface returns the value as a Go value: string, int, float64, bool,
// time.Time or []string; nil for the zero Value.
func (v Value) Interface() any {
	switch v.kind {
	case KindString:
		return v.str()
	case KindInt:
		return v.int()
	case KindFloat:
		return v.float()
	case KindBool:
		return v.bool()
	case KindTime:
		return v.time()
	case KindList:
		return v.strings()
	}
	return nil
}

// String formats the value for people.
func (v Value) String() string {
	switch v.kind {
	case KindString:
		return strconv.Quote(v.str())
	case KindInt:
		return strconv.Itoa(v.int())
	case KindFloat:
		return strconv.FormatFloat(v.float(), 'g', -1, 64)
	case KindBool:
		return strconv.FormatBool(v.bool())
	case KindTime:
		return v.time().Format(time.RFC3339Nano)
	case KindList:
		b, _ := json.Marshal(v.strings())
		return string(b)
	}
	return "null"
}

// MarshalJSON encodes the plain value.
func (v Value) MarshalJSON() ([]byte, error) {
	if v.kind == KindList && v.listLen() == 0 {
		return []byte("[]"), nil
	}
	return json.Marshal(v.Interface())
}

// UnmarshalJSON decodes a plain JSON value. Numbers become float unless
// integral; strings stay strings (times are not guessed).
func (v *Value) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	switch x := x.(type) {
	case nil:
		*v = Value{}
	case string:
		*v = strVal(x)
	case bool:
		*v = boolVal(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			*v = intVal(int(x))
		} else {
			*v = floatVal(x)
		}
	case []any:
		l := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("scoring: value: list element %v is not a string", e)
			}
			l = append(l, s)
		}
		*v = listVal(l)
	default:
		return fmt.Errorf("scoring: value: unsupported JSON value %s", b)
	}
	return nil
}

// convert turns a Go value from lead data into kind k. It accepts what
// encoding/json produces (float64 for numbers, []any for arrays, strings for
// times) as well as native Go types. ok is false for a nil value (treated
// as missing).
func convert(k Kind, x any) (v Value, ok bool, err error) {
	if x == nil {
		return Value{}, false, nil
	}
	v.kind = k
	switch k {
	case KindString:
		if str, isStr := x.(string); isStr {
			return strVal(str), true, nil // the caller's string: no copy, no allocation
		}
	case KindBool:
		if b, isBool := x.(bool); isBool {
			return boolVal(b), true, nil
		}
	case KindInt:
		switch n := x.(type) {
		case float64:
			if n != math.Trunc(n) || math.IsInf(n, 0) || n >= 1<<63 || n < -(1<<63) {
				return v, false, fmt.Errorf("want int, got %v", n)
			}
			return intVal(int(n)), true, nil
		case int:
			return intVal(n), true, nil
		case json.Number:
			i, perr := strconv.ParseInt(string(n), 10, 64)
			if perr != nil {
				return v, false, fmt.Errorf("want int, got %s", n)
			}
			return intVal(int(i)), true, nil
		}
		if i, isInt := reflectInt(x); isInt {
			return intVal(i), true, nil
		}
	case KindFloat:
		var f float64
		var isNum bool
		switch n := x.(type) {
		case float64:
			f, isNum = n, true
		case int:
			f, isNum = float64(n), true
		case json.Number:
			var perr error
			f, perr = strconv.ParseFloat(string(n), 64)
			isNum = perr == nil
		default:
			f, isNum = reflectFloat(x)
		}
		if isNum {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return v, false, fmt.Errorf("want a finite float, got %v", f)
			}
			return floatVal(f), true, nil
		}
	case KindTime:
		switch x.(type) {
		case time.Time, *time.Time, string:
			tm, ok, err := toTime(x)
			if !ok || err != nil {
				return Value{}, ok, err
			}
			return timeVal(tm), true, nil
		}
	case KindList:
		switch l := x.(type) {
		case []string:
			return listVal(l), true, nil
		case []any:
			for i, e := range l {
				if _, isStr := e.(string); !isStr {
					return v, false, fmt.Errorf("want a list of strings, element %d is %s", i, describe(e))
				}
			}
			return anyListVal(l), true, nil // checked, not copied
		}
	}
	return v, false, fmt.Errorf("want %s, got %s", k, describe(x))
}

// toTime reads a time from lead data: a time.Time, a *time.Time (nil is
// missing) or a string in RFC 3339 or YYYY-MM-DD.
func toTime(x any) (t time.Time, ok bool, err error) {
	switch t := x.(type) {
	case time.Time:
		return t, true, nil
	case *time.Time:
		if t == nil {
			return time.Time{}, false, nil
		}
		return *t, true, nil
	case string:
		pt, err := parseTime(t)
		return pt, err == nil, err
	case nil:
		return time.Time{}, false, nil
	}
	return time.Time{}, false, fmt.Errorf("want time, got %s", describe(x))
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("want time (RFC 3339 or YYYY-MM-DD), got %q", s)
}

func reflectInt(x any) (int, bool) {
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return 0, false
		}
		return int(u), true
	}
	return 0, false
}

func reflectFloat(x any) (float64, bool) {
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	if i, ok := reflectInt(x); ok {
		return float64(i), true
	}
	return 0, false
}

// describe names a value's JSON-ish type for error messages.
func describe(x any) string {
	switch x := x.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return "string " + strconv.Quote(x)
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return "bool " + strconv.FormatBool(x)
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", x)
}
