package model

import (
	"fmt"
	"strings"
)

// Column is a number column of a form: where it sits, what it counts and since when.
type Column struct {
	ID      string
	Index   int      // position among the form's number columns
	Display int      // position among all leaves (label columns included)
	Path    []string // header texts from the top group down to the leaf
	Name    string   // the leaf's text without its unit suffix
	Unit    string
	Kind    Kind
	Since   string // "stock" or YYYY-MM
	Scope   string
	Group   int // index of the top-level header group, for jumping by group
	Leaf    *Node
	// DistributionOf is the total this figure is a part of when the parts may move
	// between quarters (a company changes colour or level); "" otherwise.
	DistributionOf string
}

// PathText is the header path as one line, e.g. "落实全员安全生产责任制数量/健全三张清单/自查隐患数量（条）".
func (c *Column) PathText() string { return strings.Join(c.Path, "/") }

// ShortName is the leaf with its nearest group when the leaf alone is ambiguous
// ("企业数量（家）" says little without "健全三张清单").
func (c *Column) ShortName() string {
	if len(c.Path) >= 2 {
		return c.Path[len(c.Path)-2] + "/" + c.Name
	}
	return c.Name
}

// SinceText says in words from when the figure is counted.
func (c *Column) SinceText() string {
	if c.Since == "stock" {
		return "底数（以2024年底数为基数）"
	}
	var y, m int
	if _, err := fmt.Sscanf(c.Since, "%d-%d", &y, &m); err == nil {
		return fmt.Sprintf("%d年%d月以来累计", y, m)
	}
	return c.Since
}

// Cumulative reports whether the figure is a running total that may not shrink
// within a year: not a stock, and not a part of a split that may move.
func (c *Column) Cumulative() bool { return c.Since != "stock" && c.DistributionOf == "" }
