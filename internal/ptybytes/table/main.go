// Command table prints the bytes-per-key table of the README: `make bytes`, or
// go run ./internal/ptybytes/table -bin bin/jibao.
package main

import (
	"flag"
	"fmt"
	"os"

	"jibao/internal/ptybytes"
)

func main() {
	bin := flag.String("bin", "bin/jibao", "the jibao binary to measure")
	flag.Parse()
	fmt.Printf("Bytes written to the terminal per key (TERM=xterm-256color; sc and visidata for scale):\n\n")
	if err := ptybytes.Table(os.Stdout, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "bytes:", err)
		os.Exit(1)
	}
}
