package scoring

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// prescan bounds an expression before expr's recursive-descent parser sees
// it: its length, its tokens and its nesting depth (brackets and chains of
// unary operators, each a level of the parser's recursion). It is one linear
// pass and allocates nothing, so a hostile megabyte of "((((" costs a
// microsecond per kilobyte instead of the parser's stack. It reports the
// 0-based byte offset of the first problem.
func prescan(src string, lim Limits) (off int, msg string, ok bool) {
	if len(src) > lim.ExprBytes {
		return 0, fmt.Sprintf("expression is %d bytes, more than the limit of %d (MaxExprBytes)", len(src), lim.ExprBytes), false
	}
	tokens, depth, unary := 0, 0, 0
	prefix := true // the next token starts an operand: a - or ! there is unary
	tok := func(i int) bool {
		tokens++
		return tokens <= lim.Tokens
	}
	tooMany := func(i int) (int, string, bool) {
		return i, fmt.Sprintf("expression has more than %d tokens (MaxTokens)", lim.Tokens), false
	}
	tooDeep := func(i int) (int, string, bool) {
		return i, fmt.Sprintf("expression nests deeper than %d levels (MaxDepth)", lim.Depth), false
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '"' || c == '\'' || c == '`' || ((c == 'b' || c == 'B') && i+1 < len(src) && (src[i+1] == '"' || src[i+1] == '\'')):
			start := i
			if c == 'b' || c == 'B' {
				i++
				c = src[i]
			}
			i++
			for i < len(src) && src[i] != c {
				if src[i] == '\\' && c != '`' {
					i++
				}
				i++
			}
			i++ // the closing quote; an unterminated string is the parser's to report
			if !tok(start) {
				return tooMany(start)
			}
			prefix, unary = false, 0
		case isIdentStart(c):
			start := i
			for i < len(src) && isIdentPart(src[i]) {
				i++
			}
			if !tok(start) {
				return tooMany(start)
			}
			word := src[start:i]
			switch word {
			case "not":
				if prefix {
					unary++
					if depth+unary > lim.Depth {
						return tooDeep(start)
					}
				}
				// "not in" is a binary operator; either way an operand follows.
				prefix = true
			case "and", "or", "in", "contains", "matches", "startsWith", "endsWith", "let", "if", "else":
				prefix, unary = true, 0
			default:
				prefix, unary = false, 0
			}
		case c >= '0' && c <= '9':
			start := i
			for i < len(src) && (isIdentPart(src[i]) || (src[i] == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9') ||
				((src[i] == '+' || src[i] == '-') && (src[i-1] == 'e' || src[i-1] == 'E'))) {
				i++
			}
			if !tok(start) {
				return tooMany(start)
			}
			prefix, unary = false, 0
		case c == '(' || c == '[' || c == '{':
			if !tok(i) {
				return tooMany(i)
			}
			depth++
			if depth+unary > lim.Depth {
				return tooDeep(i)
			}
			i++
			prefix = true
		case c == ')' || c == ']' || c == '}':
			if !tok(i) {
				return tooMany(i)
			}
			if depth > 0 {
				depth--
			}
			i++
			prefix, unary = false, 0
		default:
			start := i
			if !tok(start) {
				return tooMany(start)
			}
			if i+1 < len(src) && twoCharOp(c, src[i+1]) {
				i += 2
				prefix, unary = true, 0
				if c == '?' && src[i-1] == '.' {
					prefix = false // ?. is member access
				}
				continue
			}
			i++
			if prefix && (c == '!' || c == '-' || c == '+') {
				unary++
				if depth+unary > lim.Depth {
					return tooDeep(start)
				}
				continue
			}
			// '.' and '#' start or continue an operand; everything else is
			// an operator after which an operand follows.
			prefix = !(c == '.' || c == '#')
			if !prefix {
				unary = 0
			}
		}
	}
	return 0, "", true
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= utf8.RuneSelf
}

func isIdentPart(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

func twoCharOp(a, b byte) bool {
	switch string([]byte{a, b}) {
	case "==", "!=", "<=", ">=", "&&", "||", "**", "..", "??", "?.":
		return true
	}
	return false
}

// posIndex maps rune offsets of an expression (what expr's syntax tree
// records) to 1-based lines and 0-based rune columns, in O(log n) per
// lookup after one O(n) pass — so that reporting many problems in one long
// expression stays linear.
type posIndex struct {
	src        string
	built      bool
	lineStarts []int // rune offset of the first rune of each line
}

func (p *posIndex) build() {
	p.built = true
	p.lineStarts = append(p.lineStarts[:0], 0)
	i := 0
	for _, r := range p.src {
		i++
		if r == '\n' {
			p.lineStarts = append(p.lineStarts, i)
		}
	}
}

// at returns the line and column of rune offset off.
func (p *posIndex) at(off int) (line, col int) {
	if !p.built {
		p.build()
	}
	k := sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > off }) - 1
	if k < 0 {
		k = 0
	}
	return k + 1, off - p.lineStarts[k]
}

// byteAt returns the line and rune column of byte offset off.
func (p *posIndex) byteAt(off int) (line, col int) {
	if off > len(p.src) {
		off = len(p.src)
	}
	return p.at(utf8.RuneCountInString(p.src[:off]))
}
