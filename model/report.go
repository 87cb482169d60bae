package model

import (
	"fmt"
	"strings"
	"time"
)

// CellKey addresses a cell of a unit's report: form, row within the unit's block,
// number column. Block-wide cells are kept under the block's first row.
type CellKey struct {
	Form string
	Row  string
	Col  string
}

// String is the stable text form "t1/guobiao/c5", used as a storage key.
func (k CellKey) String() string { return k.Form + "/" + k.Row + "/" + k.Col }

// ParseCellKey reads the String form back.
func ParseCellKey(s string) (CellKey, error) {
	p := strings.Split(s, "/")
	if len(p) != 3 || p[0] == "" || p[1] == "" || p[2] == "" {
		return CellKey{}, fmt.Errorf("单元格标识 %q 无效", s)
	}
	return CellKey{p[0], p[1], p[2]}, nil
}

// State is where a report is in its life.
type State string

// StateDraft is a report the clerk fills; the other states of the reporting cycle
// are in workflow.go.
const StateDraft State = "draft"

// The two-state life before the reporting cycle, kept as names so that code
// written against it still reads right: "complete" is now 已上报, and a reopened
// report is a draft again (MigrateState reads old data files so).
const (
	StateComplete = StateSubmitted
	StateReopened = StateDraft
)

// Label is the state in Chinese.
func (s State) Label() string {
	switch MigrateState(string(s)) {
	case StateSubmitted:
		return "已上报"
	case StateReturned:
		return "已退回"
	case StateAccepted:
		return "已审核"
	default:
		return "草稿"
	}
}

// Header is the line above every form: 填报单位（盖章）, 填表人, 联系电话, date.
type Header struct {
	Unit   string `json:"unit"`
	Filler string `json:"filler"`
	Phone  string `json:"phone"`
	Date   string `json:"date"` // YYYY-MM-DD
}

// Confirmation is a clerk's word that a warning is right as it stands.
type Confirmation struct {
	Comment string    `json:"comment"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Report is one unit's quarterly report: every value it has, and what the clerk said
// about them.
type Report struct {
	Variant   string
	Unit      string
	UnitType  string
	Period    Period
	Header    Header
	Values    map[CellKey]Number
	Comments  map[CellKey]string
	Confirmed map[string]Confirmation // by Finding.Key
	State     State
	Updated   time.Time
	UpdatedBy string
}

// NewReport makes an empty draft for a unit.
func NewReport(variant string, u Unit, p Period) *Report {
	return &Report{Variant: variant, Unit: u.Name, UnitType: u.Type, Period: p,
		Header: Header{Unit: u.Name}, Values: map[CellKey]Number{}, Comments: map[CellKey]string{},
		Confirmed: map[string]Confirmation{}, State: StateDraft}
}

// Value returns a cell's value and whether it is filled.
func (r *Report) Value(k CellKey) (Number, bool) {
	if r == nil {
		return 0, false
	}
	n, ok := r.Values[k]
	return n, ok
}

// Clone is a deep copy, so a view can hold a report while the store changes another.
func (r *Report) Clone() *Report {
	c := *r
	c.Values = make(map[CellKey]Number, len(r.Values))
	for k, v := range r.Values {
		c.Values[k] = v
	}
	c.Comments = make(map[CellKey]string, len(r.Comments))
	for k, v := range r.Comments {
		c.Comments[k] = v
	}
	c.Confirmed = make(map[string]Confirmation, len(r.Confirmed))
	for k, v := range r.Confirmed {
		c.Confirmed[k] = v
	}
	return &c
}

// ReportID is the key of a report: variant, unit, period.
type ReportID struct {
	Variant string
	Unit    string
	Period  Period
}

// ID returns the report's key.
func (r *Report) ID() ReportID { return ReportID{r.Variant, r.Unit, r.Period} }

// String is "nanan/水头/2025Q3".
func (id ReportID) String() string { return id.Variant + "/" + id.Unit + "/" + id.Period.String() }
