package revenue

import "github.com/revengine/revengine/money"

func usd(a int64) money.Money { return money.New(a, "USD") }
