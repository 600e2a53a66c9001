package report

import (
	"math"
	"strconv"
)

// Okabe and Ito's colour-blind-safe palette ("Color Universal Design",
// 2008), without yellow, which is too light on white.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"}

const (
	colourTotal = "#0072B2" // blue: totals (starting, ending MRR; counts)
	colourUp    = "#009E73" // bluish green: increases
	colourDown  = "#D55E00" // vermillion: decreases
	colourMuted = "#767676" // grey, 4.5:1 on white: suppressed, reference
)

// chart is one SVG figure, in pixels; every coordinate is already a string
// with fixed precision so that the same input gives the same bytes.
type chart struct {
	ID, Title, Desc string
	Width, Height   int
	Rects           []rect
	Lines           []line
	Texts           []text
}

type rect struct {
	X, Y, W, H, Fill, Tip string
}

type line struct {
	X1, Y1, X2, Y2, Stroke string
	Dash                   bool
}

type text struct {
	X, Y, Anchor, Class, Text string
}

// num formats a coordinate with one decimal; anything not finite (which
// the callers never produce) becomes 0 rather than an invalid attribute.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	if x == 0 {
		return "0" // no "-0.0"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// hbars is a horizontal bar chart: one bar per label, scaled to the
// largest value (a chart of zeros draws no bars, only labels).
func hbars(id, title, desc string, labels []string, values []float64, valueText []string, fill string) chart {
	const left, right, rowH, top = 150.0, 150.0, 28.0, 10.0
	width := 640.0
	c := chart{ID: id, Title: title, Desc: desc, Width: int(width), Height: int(top*2 + rowH*float64(len(labels)))}
	maxV := 0.0
	for _, v := range values {
		maxV = math.Max(maxV, v)
	}
	plot := width - left - right
	for i, l := range labels {
		y := top + rowH*float64(i)
		w := 0.0
		if maxV > 0 && values[i] > 0 {
			w = plot * values[i] / maxV
		}
		c.Texts = append(c.Texts, text{X: num(left - 8), Y: num(y + rowH*0.65), Anchor: "end", Text: l})
		c.Rects = append(c.Rects, rect{X: num(left), Y: num(y + 4), W: num(math.Max(w, 1)), H: num(rowH - 8), Fill: fill, Tip: l + ": " + valueText[i]})
		c.Texts = append(c.Texts, text{X: num(left + w + 6), Y: num(y + rowH*0.65), Anchor: "start", Text: valueText[i]})
	}
	return c
}

// groupedBars is a vertical bar chart of groups (x) by series (colour),
// with a legend; values are non-negative magnitudes.
func groupedBars(id, title, desc string, groups, series []string, values [][]float64, valueText [][]string) chart {
	const top, bottom, left = 30.0, 40.0, 20.0
	barW := 22.0
	gap := 18.0
	groupW := barW*float64(len(series)) + gap
	// The legend advances by each name's length (about 7 px a character
	// at 11 px), so long model or rule-set names do not overlap.
	legendW := 0.0
	for _, name := range series {
		legendW += 16 + 7*float64(len([]rune(name))) + 14
	}
	width := math.Max(math.Max(left*2+groupW*float64(len(groups)), left*2+legendW), 320)
	height := 260.0
	c := chart{ID: id, Title: title, Desc: desc, Width: int(width), Height: int(height)}
	maxV := 0.0
	for _, row := range values {
		for _, v := range row {
			maxV = math.Max(maxV, v)
		}
	}
	plotH := height - top - bottom
	base := height - bottom
	c.Lines = append(c.Lines, line{X1: num(left), Y1: num(base), X2: num(width - left), Y2: num(base), Stroke: colourMuted})
	x := left
	for s, name := range series {
		c.Rects = append(c.Rects, rect{X: num(x), Y: "8", W: "12", H: "12", Fill: palette[s%len(palette)], Tip: name})
		c.Texts = append(c.Texts, text{X: num(x + 16), Y: "18", Anchor: "start", Class: "small", Text: name})
		x += 16 + 7*float64(len([]rune(name))) + 14
	}
	for g, name := range groups {
		x0 := left + groupW*float64(g) + gap/2
		for s := range series {
			v := values[g][s]
			h := 0.0
			if maxV > 0 && v > 0 {
				h = plotH * v / maxV
			}
			x := x0 + barW*float64(s)
			c.Rects = append(c.Rects, rect{X: num(x), Y: num(base - math.Max(h, 1)), W: num(barW - 2), H: num(math.Max(h, 1)), Fill: palette[s%len(palette)],
				Tip: name + ", " + series[s] + ": " + valueText[g][s]})
		}
		c.Texts = append(c.Texts, text{X: num(x0 + barW*float64(len(series))/2), Y: num(base + 16), Anchor: "middle", Class: "small", Text: name})
	}
	return c
}

// step is one bar of a waterfall: a total (drawn from zero) or a change
// (drawn from the running level), in minor units.
type step struct {
	Label string
	Value int64 // the total, or the signed change
	Total bool
	Text  string
}

// waterfall draws a bridge: totals from zero, changes floating from the
// running level, green up and vermillion down, with a connector line.
func waterfall(id, title, desc string, steps []step) chart {
	const top, bottom, left = 20.0, 40.0, 10.0
	barW, gap := 60.0, 24.0
	width := left*2 + (barW+gap)*float64(len(steps))
	height := 240.0
	c := chart{ID: id, Title: title, Desc: desc, Width: int(width), Height: int(height)}
	// The scale spans every running level and zero.
	lo, hi, level := 0.0, 0.0, 0.0
	for _, s := range steps {
		if s.Total {
			level = float64(s.Value)
		} else {
			level += float64(s.Value)
		}
		lo, hi = math.Min(lo, level), math.Max(hi, level)
	}
	if hi == lo {
		hi = lo + 1
	}
	plotH := height - top - bottom
	y := func(v float64) float64 { return top + plotH*(hi-v)/(hi-lo) }
	c.Lines = append(c.Lines, line{X1: num(left), Y1: num(y(0)), X2: num(width - left), Y2: num(y(0)), Stroke: colourMuted})
	level = 0
	for i, s := range steps {
		from, to := 0.0, float64(s.Value)
		fill := colourTotal
		if !s.Total {
			from, to = level, level+float64(s.Value)
			fill = colourUp
			if s.Value < 0 {
				fill = colourDown
			}
		}
		level = to
		x := left + gap/2 + (barW+gap)*float64(i)
		y0, y1 := math.Min(y(from), y(to)), math.Max(y(from), y(to))
		c.Rects = append(c.Rects, rect{X: num(x), Y: num(y0), W: num(barW), H: num(math.Max(y1-y0, 1)), Fill: fill, Tip: s.Label + ": " + s.Text})
		c.Texts = append(c.Texts, text{X: num(x + barW/2), Y: num(y0 - 4), Anchor: "middle", Class: "small", Text: s.Text})
		c.Texts = append(c.Texts, text{X: num(x + barW/2), Y: num(height - bottom + 16), Anchor: "middle", Class: "small", Text: s.Label})
		if i+1 < len(steps) {
			c.Lines = append(c.Lines, line{X1: num(x + barW), Y1: num(y(to)), X2: num(x + barW + gap), Y2: num(y(to)), Stroke: colourMuted, Dash: true})
		}
	}
	return c
}

// point is one wave of an eNPS trend with its interval; a suppressed wave
// has only its label.
type point struct {
	Label               string
	Score, Lower, Upper float64
	Suppressed          string
	Text                string
}

// intervals draws points with interval whiskers on the eNPS scale
// (−100…100, bounds beyond it clipped to the plot), with a zero line.
func intervals(id, title, desc string, pts []point) chart {
	const top, bottom, left = 20.0, 40.0, 40.0
	colW := 90.0
	width := math.Max(left*2+colW*float64(len(pts)), 320)
	height := 260.0
	c := chart{ID: id, Title: title, Desc: desc, Width: int(width), Height: int(height)}
	plotH := height - top - bottom
	y := func(v float64) float64 {
		v = math.Max(-100, math.Min(100, v))
		return top + plotH*(100-v)/200
	}
	for _, g := range []float64{-100, 0, 100} {
		c.Lines = append(c.Lines, line{X1: num(left), Y1: num(y(g)), X2: num(width - 10), Y2: num(y(g)), Stroke: colourMuted, Dash: g != 0})
		c.Texts = append(c.Texts, text{X: num(left - 4), Y: num(y(g) + 4), Anchor: "end", Class: "small", Text: strconv.Itoa(int(g))})
	}
	for i, p := range pts {
		x := left + colW*(float64(i)+0.5)
		c.Texts = append(c.Texts, text{X: num(x), Y: num(height - bottom + 16), Anchor: "middle", Class: "small", Text: p.Label})
		if p.Suppressed != "" {
			c.Texts = append(c.Texts, text{X: num(x), Y: num(y(0) - 6), Anchor: "middle", Class: "small muted", Text: "suppressed"})
			continue
		}
		c.Lines = append(c.Lines, line{X1: num(x), Y1: num(y(p.Upper)), X2: num(x), Y2: num(y(p.Lower)), Stroke: palette[0]})
		c.Lines = append(c.Lines, line{X1: num(x - 8), Y1: num(y(p.Upper)), X2: num(x + 8), Y2: num(y(p.Upper)), Stroke: palette[0]})
		c.Lines = append(c.Lines, line{X1: num(x - 8), Y1: num(y(p.Lower)), X2: num(x + 8), Y2: num(y(p.Lower)), Stroke: palette[0]})
		c.Rects = append(c.Rects, rect{X: num(x - 5), Y: num(y(p.Score) - 5), W: "10", H: "10", Fill: palette[1], Tip: p.Label + ": " + p.Text})
		c.Texts = append(c.Texts, text{X: num(x + 12), Y: num(y(p.Score) + 4), Anchor: "start", Class: "small", Text: p.Text})
	}
	return c
}

// pacing draws actual against target as a bar on the target's scale with
// the expected-to-date mark as a dashed line.
func pacing(id, title, desc string, target, actual, expected int64, actualText, expectedText, targetText string) chart {
	const left, right, width, height = 20.0, 20.0, 640.0, 90.0
	c := chart{ID: id, Title: title, Desc: desc, Width: int(width), Height: int(height)}
	scale := math.Max(float64(max(target, actual, expected)), 1)
	plot := width - left - right
	x := func(v int64) float64 { return left + plot*math.Max(float64(v), 0)/scale }
	c.Rects = append(c.Rects, rect{X: num(left), Y: "20", W: num(x(target) - left), H: "30", Fill: "#E8E8E8", Tip: "target: " + targetText})
	c.Rects = append(c.Rects, rect{X: num(left), Y: "26", W: num(math.Max(x(actual)-left, 1)), H: "18", Fill: colourTotal, Tip: "actual: " + actualText})
	c.Lines = append(c.Lines, line{X1: num(x(expected)), Y1: "14", X2: num(x(expected)), Y2: "56", Stroke: "#000000", Dash: true})
	c.Texts = append(c.Texts, text{X: num(left), Y: "72", Anchor: "start", Class: "small", Text: "actual " + actualText})
	c.Texts = append(c.Texts, text{X: num(x(expected)), Y: "10", Anchor: "middle", Class: "small", Text: "expected to date " + expectedText})
	c.Texts = append(c.Texts, text{X: num(width - right), Y: "72", Anchor: "end", Class: "small", Text: "target " + targetText})
	return c
}
