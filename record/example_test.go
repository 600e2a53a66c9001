package record_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/revengine/revengine/record"
)

// Every row is validated; problems come back together with file, line and
// column (the rows that did read come back beside the list).
func ExampleReadStageChanges() {
	in := "lead_id,from,to,at,owner\n" +
		"L1,lead,mql,2026-01-05T09:00:00Z,ana\n" +
		"L2,lead,mql,next tuesday,ben\n"
	_, err := record.ReadStageChanges(context.Background(), strings.NewReader(in), "changes.csv")
	fmt.Println(err)
	cs, _ := record.ReadStageChanges(context.Background(), strings.NewReader(in[:strings.LastIndex(in, "L2")]), "changes.csv")
	fmt.Println(cs[0].LeadID, cs[0].From, "→", cs[0].To, cs[0].At.Format("2006-01-02 15:04"), cs[0].Owner)
	// Output:
	// changes.csv:3:4: at: "next tuesday" is not an RFC 3339 time or a YYYY-MM-DD date
	// L1 lead → mql 2026-01-05 09:00 ana
}

// Deals in JSON lines carry their touches.
func ExampleReadDeals() {
	in := `{"id":"D1","created":"2026-01-10","closed":"2026-02-10","status":"won","amount":250000,` +
		`"touches":[{"at":"2026-01-02","channel":"webinar","campaign":"q1","kind":"marketing","lead_created":true}]}`
	ds, err := record.ReadDeals(context.Background(), strings.NewReader(in), "deals.jsonl")
	if err != nil {
		panic(err)
	}
	fmt.Println(ds[0].ID, ds[0].Status, ds[0].Amount, ds[0].Touches[0].Channel, ds[0].Touches[0].Campaign, ds[0].Touches[0].LeadCreated)
	// Output:
	// D1 won USD 2500.00 webinar q1 true
}
