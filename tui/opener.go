package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// Opener chooses the report: variant, period and unit (a searchable list). The
// report the user opened last is preselected, so Enter reopens it.
type Opener struct {
	keys     OpenerKeyMap
	s        *session
	variants []*model.Variant
	vi       int
	period   model.Period
	field    int // 0 variant, 1 period, 2 unit
	query    []rune
	extra    map[string][]model.Unit
	units    []model.Unit // of the variant, allowed for the user
	hits     []model.Unit
	sel      int
	last     *model.ReportID
	msg      string
}

// openerDataMsg brings what the opener reads from the store.
type openerDataMsg struct {
	last  *model.ReportID
	extra map[string][]model.Unit
	err   error
}

// openReq asks the root to open a report.
type openReq struct {
	v       *model.Variant
	unit    model.Unit
	p       model.Period
	summary bool // the period's summary of every unit, not one report
}

// NewOpener makes the chooser, preselecting what the options name.
func NewOpener(s *session, variant, period string) *Opener {
	o := &Opener{keys: DefaultOpenerKeyMap(), s: s, field: 2, extra: map[string][]model.Unit{}}
	for _, id := range s.cats.VariantIDs() {
		if v, err := s.cats.Find(id); err == nil {
			o.variants = append(o.variants, v)
		}
	}
	if v, err := s.cats.Find(variant); err == nil && variant != "" {
		for i, x := range o.variants {
			if x.ID == v.ID {
				o.vi = i
			}
		}
	}
	if v, p, err := s.cats.Default(o.variants[o.vi].ID, s.now()); err == nil {
		o.variants[o.vi], o.period = v, p
	}
	if p, err := model.ParsePeriod(period); err == nil {
		o.period = p
	}
	o.refresh()
	return o
}

// Init loads the last opened report and the units users added.
func (o *Opener) Init() tea.Cmd {
	s := o.s
	ids := s.cats.VariantIDs()
	return func() tea.Msg {
		m := openerDataMsg{extra: map[string][]model.Unit{}}
		id, ok, err := s.store.LastOpened(s.user)
		switch {
		case err != nil:
			m.err = fmt.Errorf("读取最近打开的报表失败：%w", err)
		case ok:
			m.last = &id
		}
		for _, v := range ids {
			us, err := s.store.Units(v)
			if err != nil {
				m.err = fmt.Errorf("读取单位名录失败：%w", err)
				continue
			}
			m.extra[v] = us
		}
		return m
	}
}

// loaded takes the store's answer; the last report becomes the selection.
func (o *Opener) loaded(m openerDataMsg, preset bool) {
	o.extra = m.extra
	if m.err != nil {
		o.msg = m.err.Error()
	}
	if m.last != nil && !preset {
		o.last = m.last
		for i, v := range o.variants {
			if v.ID == m.last.Variant {
				o.vi = i
				o.period = m.last.Period
			}
		}
	}
	o.refresh()
}

// v is the chosen variant as the chosen period's year defines it (its forms and
// unit directory); the nearest known one when no catalog has that year.
func (o *Opener) v() *model.Variant {
	base := o.variants[o.vi]
	if v, err := o.s.cats.Variant(base.ID, o.period); err == nil {
		return v
	}
	return base
}

// refresh rebuilds the unit list for the variant and the search text.
func (o *Opener) refresh() {
	v := o.v()
	o.units = o.units[:0]
	for _, list := range [][]model.Unit{v.Units, o.extra[v.ID]} {
		for _, u := range list {
			if o.s.mayOpen(v.ID, u.Name) {
				o.units = append(o.units, u)
			}
		}
	}
	o.hits = o.hits[:0]
	q := strings.TrimSpace(string(o.query))
	if o.last != nil && o.last.Variant == v.ID && q == "" {
		for _, u := range o.units {
			if u.Name == o.last.Unit {
				o.hits = append(o.hits, u)
			}
		}
	}
	for _, u := range o.units {
		if (q == "" || strings.Contains(u.Name, q)) && !(len(o.hits) > 0 && o.hits[0].Name == u.Name && q == "") {
			o.hits = append(o.hits, u)
		}
	}
	o.sel = min(o.sel, max(0, len(o.hits)-1))
}

// Update handles a key; it returns a request when the clerk opens a report.
func (o *Opener) Update(k tea.KeyMsg) (*openReq, bool) {
	km := o.keys
	o.msg = ""
	switch {
	case key.Matches(k, km.Quit):
		return nil, true
	case key.Matches(k, km.Field):
		o.field = (o.field + 1) % 3
	case key.Matches(k, km.FieldBack):
		o.field = (o.field + 2) % 3
	case key.Matches(k, km.Up):
		o.sel = max(0, o.sel-1)
	case key.Matches(k, km.Down):
		o.sel = min(max(0, len(o.hits)-1), o.sel+1)
	case key.Matches(k, km.PrevOpt), key.Matches(k, km.NextOpt):
		d := 1
		if key.Matches(k, km.PrevOpt) {
			d = -1
		}
		switch o.field {
		case 0:
			o.vi = (o.vi + d + len(o.variants)) % len(o.variants)
			o.sel = 0
			o.refresh()
			if q := strings.TrimSpace(string(o.query)); q != "" && len(o.hits) == 0 {
				// The search named a unit of the other version: it would leave
				// the list empty (（没有匹配的单位）) with nothing saying why.
				o.query = nil
				o.refresh()
				o.msg = "「" + q + "」不在" + o.v().Name + "的单位名录中，已清除搜索"
			}
		case 1:
			q := o.period.Year*4 + o.period.Quarter - 1 + d
			o.period = model.Period{Year: q / 4, Quarter: q%4 + 1}
			o.refresh() // another year may have another directory
		}
	case key.Matches(k, km.Open), key.Matches(k, km.Summary) && len(o.query) == 0:
		if _, err := o.s.cats.For(o.period); err != nil {
			o.msg = err.Error()
			return nil, false
		}
		if key.Matches(k, km.Summary) {
			return &openReq{v: o.v(), p: o.period, summary: true}, false
		}
		if len(o.hits) == 0 {
			o.msg = "没有匹配的单位"
			return nil, false
		}
		return &openReq{v: o.v(), unit: o.hits[o.sel], p: o.period}, false
	case key.Matches(k, km.Erase):
		if len(o.query) > 0 {
			o.query = o.query[:len(o.query)-1]
			o.sel = 0
			o.refresh()
		}
	case k.Type == tea.KeyRunes:
		o.field = 2
		o.query = append(o.query, k.Runes...)
		o.sel = 0
		o.refresh()
	}
	return nil, false
}

// View renders the chooser.
func (o *Opener) View() string {
	s, st := o.s, o.s.st
	mark := func(i int) string {
		if o.field == i {
			return "> "
		}
		return "  "
	}
	v := o.v()
	lines := []string{paint(st.Title, clip("季报工作台 - 选择报表", s.w)), "",
		mark(0) + "表式版本： < " + v.Name + "（" + v.ID + "） >",
		mark(1) + "期    别： < " + o.period.Label() + " >   截止 " + v.DueDate(o.period).Format("2006-01-02") + "（" + model.DueText(v.DaysLeft(o.period, s.now())) + "）",
		mark(2) + "单    位： " + string(o.query) + "_   （输入文字筛选）", ""}
	n := max(1, s.h-len(lines)-3)
	if len(o.hits) > n { // 47 units and 15 shown: say the list goes on
		lines[len(lines)-1] = clip(fmt.Sprintf("    共 %d 个单位，第 %d 个（上/下 翻看）", len(o.hits), o.sel+1), s.w)
	}
	start := max(0, o.sel-n+1)
	for i := start; i < len(o.hits) && i < start+n; i++ {
		u := o.hits[i]
		t, _ := v.UnitType(u.Type)
		name := fmt.Sprintf("%s（%s）", u.Name, t.Label)
		if o.last != nil && o.last.Variant == v.ID && o.last.Unit == u.Name && o.last.Period == o.period {
			name += "  上次打开"
		}
		if i == o.sel {
			lines = append(lines, paint(st.Selected, clip("  > "+name, s.w)))
		} else {
			lines = append(lines, clip("    "+name, s.w))
		}
	}
	if len(o.hits) == 0 {
		lines = append(lines, "    （没有匹配的单位）")
	}
	lines = padLines(lines, s.w, s.h-2)
	msg := ""
	if o.msg != "" {
		msg = paint(st.Bad, "! "+o.msg)
	}
	lines = append(lines, clip(msg, s.w), paint(st.Dim, hintLine(o.keys.ShortHelp(), s.w)))
	return strings.Join(lines, "\n")
}
