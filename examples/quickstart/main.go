// Command quickstart scores the sample leads with the sample rules.
package main

import "fmt"

func main() { fmt.Println("quickstart: scoring core not built yet") }
