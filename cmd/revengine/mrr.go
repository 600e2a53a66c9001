package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/mrr"
)

func init() {
	register(&command{Name: "mrr", Summary: "monthly MRR movements (new, expansion, contraction, churn, reactivation) from an event log", Run: runMRR})
}

const mrrSynopsis = `[--method event|net] [--currency USD] [--json] EVENTS.csv|-

Reads a subscription event log, CSV with the columns customer_id,date,mrr
(header optional). Each row sets that customer's monthly-normalised MRR, in
integer minor units, from its date (YYYY-MM-DD) on; 0 means no paid
subscription. Two rows for one customer on one date: the later row wins.
Prints one row per calendar month from the first event's month through the
last: starting MRR (before the month's first day), new, expansion,
contraction, churn, reactivation, ending MRR (after the month's last
event), net new MRR and paying customers at start and end.

--method event classifies each change on its own (a customer who starts and
cancels in one month is new and churn); --method net compares each
customer's MRR at the month's start and end (the same customer nets to
nothing). 0→x is reactivation when the customer had paid MRR at any earlier
time, else new.`

func runMRR(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "mrr", mrrSynopsis)
	method := fs.String("method", "event", "classification of movements: event (each change) or net (month start vs end per customer)")
	currency := fs.String("currency", "USD", "ISO 4217 currency of the mrr column")
	asJSON := fs.Bool("json", false, "print JSON (money in minor units) instead of a table")
	// Flags may follow the file too ("mrr events.csv --json").
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	files := fs.Args()
	if len(files) != 1 {
		return usageError(fs, "want exactly one EVENTS.csv (or - for standard input), got %d arguments", len(files))
	}
	m := mrr.Method(*method)
	if m != mrr.MethodEvent && m != mrr.MethodNet {
		return usageError(fs, "--method %q: want event or net", *method)
	}
	cur := money.Currency(*currency)
	if err := cur.Validate(); err != nil {
		return usageError(fs, "--currency %q: want an ISO 4217 code such as USD", *currency)
	}
	r, name, err := openInput(env, files[0])
	if err != nil {
		errorf(env, "mrr", "%v", err)
		return exitFindings
	}
	defer r.Close()
	events, err := mrr.ReadEvents(ctx, r, name, revenue.WithCurrency(cur))
	if err != nil {
		var pe revenue.Errors
		if errors.As(err, &pe) {
			for _, e := range pe {
				errorf(env, "mrr", "%v", e)
			}
			errorf(env, "mrr", "%d rows rejected, %d read; no report printed", len(pe), len(events))
			return exitFindings
		}
		errorf(env, "mrr", "%s: %v", name, err)
		return exitFindings
	}
	b, err := mrr.NewBridge(ctx, events, m, cur)
	if err != nil {
		errorf(env, "mrr", "%s: %v", name, err)
		return exitFindings
	}
	if *asJSON {
		// The library's own encoding of the bridge (mrr.Bridge), nothing else.
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(b); err != nil {
			errorf(env, "mrr", "%v", err)
			return exitFindings
		}
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "MRR movements (method %s, %s)\n\n", b.Method, b.Currency)
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tstarting\tnew\texpansion\tcontraction\tchurn\treactivation\tending\tnet new\tcust start\tcust end\t")
	for _, mo := range b.Months {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t\n", mo.Period,
			amount(mo.StartingMRR), amount(mo.New), amount(mo.Expansion), amount(mo.Contraction),
			amount(mo.Churn), amount(mo.Reactivation), amount(mo.EndingMRR), amount(mo.NetNewMRR),
			mo.CustomersStart, mo.CustomersEnd)
	}
	if err := tw.Flush(); err != nil {
		errorf(env, "mrr", "%v", err)
		return exitFindings
	}
	return exitOK
}

// amount formats money without its currency code, e.g. "1234.56".
func amount(m money.Money) string {
	return strings.TrimPrefix(m.String(), string(m.Currency)+" ")
}
