package money_test

import (
	"errors"
	"fmt"

	"github.com/revengine/revengine/money"
)

func ExampleMoney_Allocate() {
	budget := money.New(10000, "USD") // USD 100.00
	months, err := budget.Allocate(1, 1, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(months)

	_, err = budget.Add(money.New(500, "EUR"))
	fmt.Println(errors.Is(err, money.ErrCurrencyMismatch))
	// Output:
	// [USD 33.34 USD 33.33 USD 33.33]
	// true
}
