package revenue

import "fmt"

// EmailVariant selects the base of the email engagement rates; it is an
// option of EmailEngagement only.
type EmailVariant string

// The email engagement variants.
const (
	// EmailOverDelivered divides opens, clicks and unsubscribes by emails
	// delivered (sent − bounced): the default, as Mailchimp and HubSpot report.
	EmailOverDelivered EmailVariant = "over_delivered"
	// EmailOverSent divides them by emails sent.
	EmailOverSent EmailVariant = "over_sent"
)

// Names of the other email definitions.
const (
	// ClickToOpenVariant names unique clicks / unique opens.
	ClickToOpenVariant Variant = "clicks_over_opens"
	// BounceOverSent names bounces / sent.
	BounceOverSent Variant = "bounces_over_sent"
	// DeliveredOverSent names delivered / sent.
	DeliveredOverSent Variant = "delivered_over_sent"
)

// EmailStats are the counts of one send (or a sum of sends). Opens and
// clicks are unique (one per recipient).
type EmailStats struct {
	Sent         int64 `json:"sent"`
	Delivered    int64 `json:"delivered"`
	Bounced      int64 `json:"bounced"`
	Opens        int64 `json:"opens"`
	Clicks       int64 `json:"clicks"`
	Unsubscribes int64 `json:"unsubscribes"`
}

// EmailRates are the engagement rates of a send.
type EmailRates struct {
	Open         Metric  `json:"open"`          // opens / base
	ClickThrough Metric  `json:"click_through"` // clicks / base
	ClickToOpen  *Metric `json:"click_to_open"` // clicks / opens; nil (null) when there are no opens
	Unsubscribe  Metric  `json:"unsubscribe"`   // unsubscribes / base
	Bounce       Metric  `json:"bounce"`        // bounced / sent
	Delivery     Metric  `json:"delivery"`      // delivered / sent
}

// EmailEngagement returns the email engagement rates (Mailchimp's and
// HubSpot's definitions):
//
//	open rate          = opens / delivered
//	click-through rate = clicks / delivered
//	click-to-open rate = clicks / opens
//	unsubscribe rate   = unsubscribes / delivered
//	bounce rate        = bounced / sent
//	delivery rate      = delivered / sent
//
// The EmailOverSent option divides open, click-through and unsubscribe by
// sent instead of delivered. Click-to-open is over opens and bounce over
// sent in both variants: bounces are by definition not delivered, and each
// Metric names its own definition.
// Errors: any count negative (ErrNegativeAmount); delivered + bounced
// above sent, opens, clicks or unsubscribes above delivered
// (ErrInconsistentInput); a zero base — nothing
// delivered or sent (ErrDivisionByZero). With no opens, click-to-open is
// undefined and ClickToOpen is nil rather than an error, so that the other
// rates of a send nobody opened are still reported.
func EmailEngagement(s EmailStats, opts ...EmailOption) (EmailRates, error) {
	const kpi = "email engagement"
	c, err := newConfig(kpi, func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyEmail(c)
			}
		}
	}, Variant(EmailOverDelivered), Variant(EmailOverDelivered), Variant(EmailOverSent))
	if err != nil {
		return EmailRates{}, err
	}
	for _, f := range []struct {
		n string
		v int64
	}{{"sent", s.Sent}, {"delivered", s.Delivered}, {"bounced", s.Bounced}, {"opens", s.Opens}, {"clicks", s.Clicks}, {"unsubscribes", s.Unsubscribes}} {
		if err := op.Count(kpi, f.n, f.v); err != nil {
			return EmailRates{}, err
		}
	}
	switch {
	case s.Delivered > s.Sent-s.Bounced:
		return EmailRates{}, fmt.Errorf("revenue: %s: %w: delivered %d + bounced %d exceed sent %d", kpi, errInconsistent, s.Delivered, s.Bounced, s.Sent)
	case s.Opens > s.Delivered, s.Clicks > s.Delivered, s.Unsubscribes > s.Delivered:
		return EmailRates{}, fmt.Errorf("revenue: %s: %w: opens, clicks and unsubscribes cannot exceed delivered %d", kpi, errInconsistent, s.Delivered)
	}
	base, name := s.Delivered, "delivered"
	if c.variant == Variant(EmailOverSent) {
		base, name = s.Sent, "sent"
	}
	var r EmailRates
	if r.Open, err = newMetric("open_rate", c.variant, "opens / "+name, float64(s.Opens), float64(base)); err != nil {
		return EmailRates{}, err
	}
	if r.ClickThrough, err = newMetric("click_through_rate", c.variant, "clicks / "+name, float64(s.Clicks), float64(base)); err != nil {
		return EmailRates{}, err
	}
	if s.Opens > 0 {
		cto, err := newMetric("click_to_open_rate", ClickToOpenVariant, "clicks / opens", float64(s.Clicks), float64(s.Opens))
		if err != nil {
			return EmailRates{}, err
		}
		r.ClickToOpen = &cto
	}
	if r.Unsubscribe, err = newMetric("unsubscribe_rate", c.variant, "unsubscribes / "+name, float64(s.Unsubscribes), float64(base)); err != nil {
		return EmailRates{}, err
	}
	if r.Bounce, err = newMetric("bounce_rate", BounceOverSent, "bounced / sent", float64(s.Bounced), float64(s.Sent)); err != nil {
		return EmailRates{}, err
	}
	if r.Delivery, err = newMetric("delivery_rate", DeliveredOverSent, "delivered / sent", float64(s.Delivered), float64(s.Sent)); err != nil {
		return EmailRates{}, err
	}
	return r, nil
}
