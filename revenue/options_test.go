package revenue

import (
	"reflect"
	"testing"
)

// TestOptionsAreTyped: an option of one calculator is not an option of
// another. Passing CACMarketingOnly to ROI, or a win-rate variant to
// EmailEngagement, does not compile; this test states the same with the
// type system's own answer (Implements), so that the guarantee cannot be
// lost by widening an interface.
func TestOptionsAreTyped(t *testing.T) {
	iface := func(p any) reflect.Type { return reflect.TypeOf(p).Elem() }
	cac, roi, ltv, mon, win, email := iface((*CACOption)(nil)), iface((*ROIOption)(nil)), iface((*LTVOption)(nil)),
		iface((*MoneyOption)(nil)), iface((*WinRateOption)(nil)), iface((*EmailOption)(nil))
	tests := []struct {
		name   string
		option any
		is     []reflect.Type
		isNot  []reflect.Type
	}{
		{"CAC variant", CACMarketingOnly, []reflect.Type{cac}, []reflect.Type{roi, ltv, mon, win, email}},
		{"win-rate variant", WinRateAll, []reflect.Type{win}, []reflect.Type{cac, roi, ltv, mon, email}},
		{"email variant", EmailOverSent, []reflect.Type{email}, []reflect.Type{cac, roi, ltv, mon, win}},
		{"rounding", WithRounding(0), []reflect.Type{cac, ltv, mon}, []reflect.Type{roi, win, email}},
		{"gross margin", WithGrossMargin(0.5), []reflect.Type{roi, ltv}, []reflect.Type{cac, mon, win, email}},
		{"baseline", WithBaseline(usd(1)), []reflect.Type{roi}, []reflect.Type{cac, ltv, mon, win, email}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ := reflect.TypeOf(tt.option)
			for _, i := range tt.is {
				if !typ.Implements(i) {
					t.Errorf("%v is not a %v", typ, i)
				}
			}
			for _, i := range tt.isNot {
				if typ.Implements(i) {
					t.Errorf("%v is a %v", typ, i)
				}
			}
		})
	}
}
