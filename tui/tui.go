// Package tui is the 季报 workstation: choose a report, see its four forms at a
// glance, and fill them from the keyboard in a grid or a list. It is a leaf: only
// cmd/jibao (and the SSH server) use it, through New and Run.
package tui

import (
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"jibao/internal/framediff"
	"jibao/model"
)

// Store is the part of *store.Store the workstation uses; declared here so tests
// can use a fake and the SSH server can share one store between sessions.
type Store interface {
	Get(id model.ReportID) (*model.Report, error)
	Ensure(id model.ReportID, unitType string, by string) (*model.Report, error)
	SetCells(id model.ReportID, changes []model.Change, by string) (*model.Report, error)
	SetHeader(id model.ReportID, h model.Header, by string) error
	SetComment(id model.ReportID, k model.CellKey, text, by string) error
	Confirm(id model.ReportID, findingKey string, c *model.Confirmation) error
	SetState(id model.ReportID, st model.State, by string) error
	History(id model.ReportID, k model.CellKey) ([]model.Event, error)
	Undo(id model.ReportID, user string) ([]model.Event, error)
	Redo(id model.ReportID, user string) ([]model.Event, error)
	SetCursor(id model.ReportID, user string, c model.Cursor) error
	Cursor(id model.ReportID, user string) (model.Cursor, bool, error)
	LastOpened(user string) (model.ReportID, bool, error)
	Units(variant string) ([]model.Unit, error)
	// List is the period's reports, for the summary.
	List(variant string, period *model.Period) ([]model.ReportInfo, error)
	// Move, SetNotes, Review and Reviews are the reporting cycle (cycle.go).
	Move(id model.ReportID, a model.Action, who model.Actor, by, reason string, notes map[model.CellKey]string) (model.State, error)
	SetNotes(id model.ReportID, notes map[model.CellKey]string, by string) error
	Review(id model.ReportID) (model.Review, error)
	Reviews(ids []model.ReportID) (map[model.ReportID]model.Review, error)
}

// Options configure one workstation session.
type Options struct {
	// Catalogs are every year's forms (a period opens with its year's);
	// nil means Catalog alone.
	Catalogs *model.Catalogs
	Catalog  *model.Catalog
	Store    Store
	User     string
	// Variant, Unit and Period open that report directly when all three are set;
	// otherwise they preselect the opener.
	Variant, Unit, Period string
	// AllowedUnits limits which units the user may open; nil allows all.
	AllowedUnits func(variant, unit string) bool
	ReadOnly     bool
	// Reviewer is the office's side of the reporting cycle: accept, return,
	// unlock and notes (A, R, K, N) and the board of the period (B in the chooser).
	Reviewer bool
	Now      func() time.Time
	// Renderer decides the colour profile; nil means lipgloss's default (stdout).
	// The SSH server passes one per session.
	Renderer *lipgloss.Renderer
	// Exporter and SummaryExporter make the workbooks E exports; Dir is where a
	// local export goes (the directory jibao was started in).
	Exporter        Exporter
	SummaryExporter SummaryExporter
	RemindExporter  RemindExporter // E on the office's board: the 催报 list
	Dir             string
	// Transfer sends and receives files through the terminal (ZMODEM); the SSH
	// middleware sets it. Importer stores an uploaded workbook (I).
	Transfer Transfer
	Importer Importer
	// Notice makes the 退回通知 the office's R writes (notice.go); nil makes none.
	Notice NoticeMaker
}

// session is what every component of one workstation shares: nothing here is
// package-level, so many SSH sessions can run in one process.
type session struct {
	cats     *model.Catalogs
	store    Store
	user     string
	now      func() time.Time
	st       *Styles
	allowed  func(variant, unit string) bool
	readOnly bool
	reviewer bool
	w, h     int
}

func (s *session) mayOpen(variant, unit string) bool {
	return s.allowed == nil || s.allowed(variant, unit)
}

// New makes the root model of a session.
func New(o Options) tea.Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Renderer == nil {
		o.Renderer = lipgloss.DefaultRenderer()
	}
	if o.Catalog == nil {
		o.Catalog = model.DefaultCatalog()
	}
	if o.Catalogs == nil {
		o.Catalogs = model.Single(o.Catalog)
	}
	if o.User == "" {
		o.User = "unknown"
	}
	s := &session{cats: o.Catalogs, store: o.Store, user: o.User, now: o.Now,
		st: DefaultStyles(o.Renderer), allowed: o.AllowedUnits, readOnly: o.ReadOnly, reviewer: o.Reviewer, w: 80, h: 24}
	return newRoot(s, o)
}

// Run runs a session full-screen on the given streams until the clerk quits.
func Run(o Options, in io.Reader, out io.Writer) error {
	if o.Renderer == nil {
		o.Renderer = lipgloss.NewRenderer(out)
	}
	pin, pastes := newPasteInput(in)
	// framediff sends only the changed cells of each repainted line.
	p := tea.NewProgram(New(o), tea.WithInput(pin), tea.WithOutput(framediff.Wrap(out)), tea.WithAltScreen())
	pastes.setSend(p.Send)
	_, err := p.Run()
	return err
}
