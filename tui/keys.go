package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// Every function has a plain key; F2 and the arrows have letter alternatives, and
// nothing needs Alt, F10/F11 or a mouse.

func kb(keys []string, k, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
}

// GridKeyMap are the keys of the grid and the list view (the same keys in both).
type GridKeyMap struct {
	Up, Down, Left, Right       key.Binding
	Next, Prev                  key.Binding
	Home, End                   key.Binding
	PageLeft, PageRight         key.Binding
	GroupPrev, GroupNext        key.Binding
	Edit, Commit, Cancel, Clear key.Binding
	View, Search, Rules, Blank  key.Binding
	FormPrev, FormNext, FormN   key.Binding
	Fill, CopyPrev, Undo, Redo  key.Binding
	Comment, History, Complete  key.Binding
	EnterDir, Help, Back, Quit  key.Binding
	Export, Upload              key.Binding
}

// DefaultGridKeyMap is the Excel-like key set.
func DefaultGridKeyMap() GridKeyMap {
	return GridKeyMap{
		Up:        kb([]string{"up", "k"}, "上/k", "上移"),
		Down:      kb([]string{"down", "j"}, "下/j", "下移"),
		Left:      kb([]string{"left", "h"}, "左/h", "左移"),
		Right:     kb([]string{"right", "l"}, "右/l", "右移"),
		Next:      kb([]string{"tab"}, "Tab", "下一格（向右）"),
		Prev:      kb([]string{"shift+tab"}, "Shift+Tab", "上一格（向左）"),
		Home:      kb([]string{"home", "^"}, "Home/^", "本行第一格"),
		End:       kb([]string{"end", "$"}, "End/$", "本行最后一格"),
		PageLeft:  kb([]string{"pgup", "H"}, "PgUp/H", "向左翻一屏"),
		PageRight: kb([]string{"pgdown", "L"}, "PgDn/L", "向右翻一屏"),
		GroupPrev: kb([]string{"["}, "[", "上一个表头分组"),
		GroupNext: kb([]string{"]"}, "]", "下一个表头分组"),
		Edit:      kb([]string{"f2", "e"}, "F2/e", "修改本格（保留原值）"),
		Commit:    kb([]string{"enter"}, "Enter", "确认并下移（o 改为右移）"),
		Cancel:    kb([]string{"esc"}, "Esc", "取消输入"),
		Clear:     kb([]string{"delete", "backspace", "ctrl+h", "x"}, "Del/x", "清空本格"),
		View:      kb([]string{"v"}, "v", "切换表格/列表视图"),
		Search:    kb([]string{"/"}, "/", "按表头查找并跳转"),
		Rules:     kb([]string{"r"}, "r", "审核结果（错误、提醒）"),
		Blank:     kb([]string{"b"}, "b", "跳到下一个空白格"),
		FormPrev:  kb([]string{"<", ","}, "<", "上一张表"),
		FormNext:  kb([]string{">", "."}, ">", "下一张表"),
		FormN:     kb([]string{"t"}, "t1-t4", "切换到表一至表四"),
		Fill:      kb([]string{"z"}, "z", "本表空白格全部填 0"),
		CopyPrev:  kb([]string{"C"}, "C", "复制上季度数据到空白格"),
		Undo:      kb([]string{"u", "ctrl+z"}, "u", "撤销"),
		Redo:      kb([]string{"U", "ctrl+y"}, "U", "重做"),
		Comment:   kb([]string{"c"}, "c", "本格批注"),
		History:   kb([]string{"i"}, "i", "本格修改记录"),
		Complete:  kb([]string{"m"}, "m", "上报 / 撤回"),
		EnterDir:  kb([]string{"o"}, "o", "Enter 后下移/右移"),
		Help:      kb([]string{"?"}, "?", "全部按键"),
		Back:      kb([]string{"q"}, "q", "返回报表概览"),
		Quit:      kb([]string{"ctrl+c"}, "Ctrl+C", "退出"),
		Export:    exportKey(),
		Upload:    uploadKey(),
	}
}

// exportKey and uploadKey are the same in the grid and the overview.
func exportKey() key.Binding { return kb([]string{"E"}, "E", "导出") }
func uploadKey() key.Binding {
	return kb([]string{"I"}, "I", "上传 xlsx 并导入")
}

// ShortHelp is the hint line under the grid.
func (k GridKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Edit, k.View, k.Search, k.Rules, k.Undo, k.Export, k.Help, k.Back}
}

// FullHelp is what ? shows.
func (k GridKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.Next, k.Prev, k.Home, k.End, k.PageLeft, k.PageRight, k.GroupPrev, k.GroupNext, k.Blank, k.Search},
		{k.Edit, k.Commit, k.Cancel, k.Clear, k.EnterDir, k.Fill, k.CopyPrev, k.Undo, k.Redo, k.Comment, k.History},
		{k.View, k.Rules, k.FormPrev, k.FormNext, k.FormN, k.Complete, k.Export, k.Upload, k.Help, k.Back, k.Quit},
	}
}

// OverviewKeyMap are the keys of the report overview.
type OverviewKeyMap struct {
	Up, Down, Open, FormN, Rules, Complete, Header, Summary, Back, Help, Quit key.Binding
	Export, Upload                                                            key.Binding
}

// DefaultOverviewKeyMap is the overview's key set.
func DefaultOverviewKeyMap() OverviewKeyMap {
	return OverviewKeyMap{
		Up:       kb([]string{"up", "k"}, "上/k", "上一张表"),
		Down:     kb([]string{"down", "j"}, "下/j", "下一张表"),
		Open:     kb([]string{"enter"}, "Enter", "打开所选的表"),
		FormN:    kb([]string{"1", "2", "3", "4"}, "1-4", "打开表一至表四"),
		Rules:    kb([]string{"r"}, "r", "审核结果"),
		Complete: kb([]string{"m"}, "m", "上报 / 撤回"),
		Header:   kb([]string{"e"}, "e", "填写填表人、联系电话、日期"),
		Summary:  kb([]string{"S"}, "S", "本期汇总（全部单位）"),
		Back:     kb([]string{"q", "esc"}, "q", "换一份报表"),
		Help:     kb([]string{"?"}, "?", "全部按键"),
		Quit:     kb([]string{"ctrl+c"}, "Ctrl+C", "退出"),
		Export:   exportKey(),
		Upload:   uploadKey(),
	}
}

// ShortHelp is the overview's hint line.
func (k OverviewKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.FormN, k.Open, k.Header, k.Rules, k.Complete, k.Export, k.Back, k.Help}
}

// FullHelp lists every overview key.
func (k OverviewKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Open, k.FormN, k.Header}, {k.Rules, k.Complete, k.Export, k.Upload, k.Summary, k.Back, k.Help, k.Quit}}
}

// OpenerKeyMap are the keys of the report chooser.
type OpenerKeyMap struct {
	Up, Down, Field, FieldBack, PrevOpt, NextOpt, Open, Summary, Erase, Help, Quit key.Binding
}

// DefaultOpenerKeyMap is the chooser's key set; typing filters the unit list.
func DefaultOpenerKeyMap() OpenerKeyMap {
	return OpenerKeyMap{
		Up:        kb([]string{"up", "ctrl+p"}, "上", "上一个单位"),
		Down:      kb([]string{"down", "ctrl+n"}, "下", "下一个单位"),
		Field:     kb([]string{"tab"}, "Tab", "下一项（版本/期别/单位）"),
		FieldBack: kb([]string{"shift+tab"}, "Shift+Tab", "上一项"),
		PrevOpt:   kb([]string{"left"}, "左", "上一个版本/期别"),
		NextOpt:   kb([]string{"right"}, "右", "下一个版本/期别"),
		Open:      kb([]string{"enter"}, "Enter", "打开报表"),
		Summary:   kb([]string{"S"}, "S", "本期汇总（搜索框为空时）"),
		Erase:     kb([]string{"backspace", "ctrl+h"}, "Backspace", "删除搜索字"),
		Help:      kb([]string{"?"}, "?", "全部按键"),
		Quit:      kb([]string{"ctrl+c", "esc"}, "Esc", "退出"),
	}
}

// ShortHelp is the chooser's hint line.
func (k OpenerKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Field, k.PrevOpt, k.Down, k.Open, k.Help, k.Quit}
}

// FullHelp lists every chooser key.
func (k OpenerKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Field, k.FieldBack, k.PrevOpt, k.NextOpt}, {k.Open, k.Summary, k.Erase, k.Help, k.Quit}}
}

// shortHelpLine renders a hint line from bindings.
func shortHelpLine(bs []key.Binding) string {
	var parts []string
	for _, b := range bs {
		h := b.Help()
		parts = append(parts, h.Key+" "+h.Desc)
	}
	return strings.Join(parts, "  ")
}

// fullHelpLines lays out every binding, one per line, group after group.
func fullHelpLines(groups [][]key.Binding) []string {
	kw := 0
	for _, g := range groups {
		for _, b := range g {
			if w := textWidth(b.Help().Key); w > kw {
				kw = w
			}
		}
	}
	var out []string
	for i, g := range groups {
		if i > 0 {
			out = append(out, "")
		}
		for _, b := range g {
			out = append(out, "  "+fit(b.Help().Key, kw)+"  "+b.Help().Desc)
		}
	}
	return out
}
