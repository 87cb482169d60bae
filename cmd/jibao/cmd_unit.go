package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/text/width"

	"jibao/model"
)

const unitUsage = `用法:
  jibao unit add  --variant V --type T --name NAME   向单位名录添加单位
  jibao unit list --variant V                        列出单位名录（表式自带的和添加的）`

// cmdUnit manages the unit directory: the catalog's units plus those users added
// to the data file.
func (a *app) cmdUnit(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(a.stderr, unitUsage)
		return exitUsage
	}
	switch args[0] {
	case "add":
		return a.cmdUnitAdd(args[1:])
	case "list", "ls":
		return a.cmdUnitList(args[1:])
	default:
		fmt.Fprintf(a.stderr, "jibao unit: 未知操作 %q\n%s\n", args[0], unitUsage)
		return exitUsage
	}
}

func (a *app) cmdUnitAdd(args []string) int {
	var c common
	fs := a.newFlags("unit add", &c)
	typ := fs.String("type", "", "单位类型（如 shizhi、xiangzhen，或其中文名）")
	name := fs.String("name", "", "单位名称")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if *name == "" && fs.NArg() == 1 {
		*name = fs.Arg(0)
	}
	_, v, err := a.catalogVariant(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	if *name == "" || *typ == "" {
		return a.fail("请用 --name 指定单位名称，用 --type 指定单位类型（%s）\n%s", unitTypeChoices(v), unitUsage)
	}
	s, err := a.openStore(&c, false)
	if err != nil {
		return a.fail("%v", err)
	}
	defer s.Close()
	added, err := s.Units(v.ID)
	if err != nil {
		return a.fail("%v", err)
	}
	u, err := v.NewUnit(*name, *typ, added)
	if err != nil {
		return a.fail("%v", err)
	}
	if err := s.AddUnit(v.ID, u); err != nil {
		return a.fail("%v", err)
	}
	t, _ := v.UnitType(u.Type)
	fmt.Fprintf(a.stdout, "已将 %s（%s）添加到%s单位名录\n", u.Name, t.Label, v.Name)
	return exitOK
}

func (a *app) cmdUnitList(args []string) int {
	var c common
	fs := a.newFlags("unit list", &c)
	if !a.parse(fs, args) {
		return exitUsage
	}
	_, v, err := a.catalogVariant(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	var added []model.Unit
	path, err := a.dbPath(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	// No data file yet means nothing was added: the catalog's list is the answer.
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		s, err := a.openStore(&c, true)
		if err != nil {
			return a.fail("%v", err)
		}
		added, err = s.Units(v.ID)
		s.Close()
		if err != nil {
			return a.fail("%v", err)
		}
	}
	a.printUnits(v, added)
	return exitOK
}

func (a *app) printUnits(v *model.Variant, added []model.Unit) {
	w := a.stdout
	fmt.Fprintf(w, "%s单位名录: 表式自带 %d 个，添加 %d 个\n", v.Name, len(v.Units), len(added))
	nameW := unitTextWidth("单位")
	for _, list := range [][]model.Unit{v.Units, added} {
		for _, u := range list {
			nameW = max(nameW, unitTextWidth(u.Name))
		}
	}
	// 附件1's 2024 企业底数, the base a unit's 表一 总数 is held against, when the
	// directory has one (南安's 乡镇).
	bases := false
	for _, u := range v.Units {
		bases = bases || u.Base > 0
	}
	baseCol := func(u *model.Unit) string {
		if !bases {
			return ""
		}
		if u == nil {
			return "  2024年企业底数"
		}
		if u.Base <= 0 {
			return fmt.Sprintf("  %14s", "-")
		}
		return fmt.Sprintf("  %14d", u.Base)
	}
	fmt.Fprintf(w, "%s%s  %s\n", unitPad("单位", nameW), baseCol(nil), "类型")
	for _, t := range v.UnitTypes {
		for _, list := range [][]model.Unit{v.Units, added} {
			for _, u := range list {
				if u.Type != t.ID {
					continue
				}
				line := unitPad(u.Name, nameW) + baseCol(&u) + "  " + t.Label
				if u.Added {
					line += "  （添加）"
				}
				fmt.Fprintln(w, line)
			}
		}
	}
}

// unitTypeChoices lists a variant's unit types for messages: "shizhi=市直单位, ...".
func unitTypeChoices(v *model.Variant) string {
	var ids []string
	for _, t := range v.UnitTypes {
		ids = append(ids, t.ID+"="+t.Label)
	}
	return strings.Join(ids, ", ")
}

// unitTextWidth counts CJK characters as two terminal columns.
func unitTextWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func unitPad(s string, w int) string { return s + strings.Repeat(" ", max(0, w-unitTextWidth(s))) }
