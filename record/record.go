package record

import (
	"time"

	"github.com/revengine/revengine/money"
)

// Account is a company buying from us: the unit of ARR, NRR and CAC.
type Account struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Segment string `json:"segment,omitempty"` // e.g. "enterprise", "smb"
}

// Lead is a person (a lead or contact) at an account, with the channel and
// campaign that brought them and the owner sales assigned.
type Lead struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id,omitempty"`
	Channel   string    `json:"channel,omitempty"`
	Campaign  string    `json:"campaign,omitempty"`
	Owner     string    `json:"owner,omitempty"`
	Created   time.Time `json:"created,omitzero"`
}

// TouchKind says who made a touch: marketing (ads, email, webinars, content)
// or sales (calls, outbound sequences, meetings).
type TouchKind string

// Touch kinds.
const (
	TouchMarketing TouchKind = "marketing"
	TouchSales     TouchKind = "sales"
)

// Touch is one interaction of a buyer with the company: when, through which
// channel and campaign, made by marketing or sales, and whether it was a
// milestone of the journey (the touch that created the lead or the
// opportunity, which W-shaped and full-path attribution weight).
type Touch struct {
	At          time.Time `json:"at"`
	Channel     string    `json:"channel"` // e.g. "paid_search", "webinar", "outbound"
	Campaign    string    `json:"campaign,omitempty"`
	Kind        TouchKind `json:"kind"`
	LeadCreated bool      `json:"lead_created,omitempty"`
	OppCreated  bool      `json:"opp_created,omitempty"`
	LeadID      string    `json:"lead_id,omitempty"`
	DealID      string    `json:"deal_id,omitempty"`
	Line        int       `json:"line,omitempty"` // source line when read from a file
}

// StageChange records that a lead moved from one funnel stage to another:
// at a time, by a rule (a stage, disqualify or recycle rule id of the
// scoring rules, or a CRM user), with the owner and route it was handed to
// and, for a stage with a handoff SLA, the deadline by which the next stage
// change was due.
type StageChange struct {
	LeadID   string    `json:"lead_id"`
	From     string    `json:"from,omitempty"` // "" for the lead's first stage
	To       string    `json:"to"`
	At       time.Time `json:"at"`
	Rule     string    `json:"rule,omitempty"`
	Owner    string    `json:"owner,omitempty"`
	Route    string    `json:"route,omitempty"`
	Channel  string    `json:"channel,omitempty"` // the lead's source channel, for funnels by channel
	Deadline time.Time `json:"deadline,omitzero"` // SLA deadline of To; zero when it has none
	Line     int       `json:"line,omitempty"`    // source line when read from a file
}

// DealStatus is where a deal (opportunity) stands: open, won or lost.
type DealStatus string

// Deal statuses.
const (
	DealOpen DealStatus = "open"
	DealWon  DealStatus = "won"
	DealLost DealStatus = "lost"
)

// Deal is an opportunity: created on a date, closed (won or lost) on
// another, or still open; its amount in one currency; the channel that
// sourced it and the touches that led to it, in any order.
type Deal struct {
	ID        string      `json:"id"`
	AccountID string      `json:"account_id,omitempty"`
	LeadID    string      `json:"lead_id,omitempty"`
	Created   time.Time   `json:"created"`
	Closed    time.Time   `json:"closed,omitzero"` // zero while open
	Status    DealStatus  `json:"status"`
	Stage     string      `json:"stage,omitempty"` // CRM stage name, informational
	Amount    money.Money `json:"amount"`
	Channel   string      `json:"channel,omitempty"` // source channel
	Campaign  string      `json:"campaign,omitempty"`
	Touches   []Touch     `json:"touches,omitempty"`
	Line      int         `json:"line,omitempty"` // source line when read from a file
}

// SpendCategory separates marketing from sales cost, for CAC.
type SpendCategory string

// Spend categories.
const (
	SpendMarketing SpendCategory = "marketing"
	SpendSales     SpendCategory = "sales"
)

// Spend is money spent in a period on a channel (and campaign, when known).
type Spend struct {
	Period   Period        `json:"period"` // "2024-01" for a month
	Channel  string        `json:"channel"`
	Campaign string        `json:"campaign,omitempty"`
	Category SpendCategory `json:"category"`
	Amount   money.Money   `json:"amount"`
	Line     int           `json:"line,omitempty"`
}

// SubscriptionEvent is one row of a subscription event log: from Date on,
// the customer's monthly-normalised MRR is MRR; an MRR of zero means no paid
// subscription. Before a customer's first event its MRR is zero.
type SubscriptionEvent struct {
	CustomerID string      `json:"customer_id"`
	Date       time.Time   `json:"date"` // a calendar day, midnight UTC
	MRR        money.Money `json:"mrr"`
	Line       int         `json:"line,omitempty"` // source line when read from a file, else 0
}
