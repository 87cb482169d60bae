package export

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestNumericText: a number cell reaches the parser as the clerk typed it (so a
// message quotes 1.5, not 1.50), without binary float noise, and with every real
// digit kept (12.345 must still be refused as three decimals).
func TestNumericText(t *testing.T) {
	for raw, want := range map[string]string{
		"1.5":                 "1.5",
		"-3":                  "-3",
		"12":                  "12",
		"12.3":                "12.3",
		"0.30000000000000004": "0.3",
		"12.345":              "12.345",
		"1e-05":               "0.00001",
		"123456789.12":        "123456789.12",
	} {
		if got := numericText(raw, excelize.CellTypeNumber); got != want {
			t.Errorf("numericText(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := numericText(" 1.50 ", excelize.CellTypeSharedString); got != " 1.50 " {
		t.Errorf("text cells pass unchanged, got %q", got)
	}
}
