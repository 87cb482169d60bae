package serve

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"jibao/model"
	"jibao/store"
)

// commandsAllowed are the jibao commands a session may run without a terminal:
// they only read, and write nothing but their answer to the session. The office
// also gets the city-wide figures.
var commandsAllowed = map[string]Role{"check": RoleClerk, "list": RoleClerk, "export": RoleClerk,
	"summary": RoleOffice, "progress": RoleOffice, "remind": RoleOffice, "backup": RoleOffice}

// CommandArgs checks what `ssh host jibao CMD ...` asked for and returns the
// arguments to run jibao with. Only check, list and export (to the session's
// stdout) are allowed; flags that name files on the server are refused, and so is
// a unit the person may not see. export and the office's summary and 催报 list
// write their workbook to stdout (-o -).
func CommandArgs(cmd []string, p *Person) ([]string, error) {
	if len(cmd) > 0 && cmd[0] == "jibao" {
		cmd = cmd[1:]
	}
	if len(cmd) == 0 {
		return nil, fmt.Errorf("没有给出命令")
	}
	role, ok := commandsAllowed[cmd[0]]
	if r, cycle := cycleCommands[cmd[0]]; cycle {
		return cycleArgs(cmd, p, r)
	}
	if !ok || (role == RoleOffice && p.Role != RoleOffice) {
		also := ""
		if p.Role == RoleOffice {
			also = "、jibao summary、jibao progress、jibao remind、jibao backup -o -"
		}
		return nil, fmt.Errorf("不允许的命令 %q：通过 ssh 只能运行 jibao check、jibao list、jibao export ... -o -%s%s", strings.Join(cmd, " "), also, cycleHelp(p))
	}
	args := append([]string(nil), cmd...)
	var variant, unit, out string
	hasOut := false
	for i := 1; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || args[i] == "-" {
			continue
		}
		takeValue := func() string {
			if hasValue {
				return value
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch name {
		case "db", "catalog":
			return nil, fmt.Errorf("通过 ssh 不能指定 --%s：服务器只用它自己的数据文件和表式", name)
		case "o", "out", "output":
			hasOut = true
			out = takeValue()
		case "variant":
			variant = takeValue()
		case "unit":
			unit = takeValue()
		case "period":
			takeValue()
		}
	}
	if args[0] == "backup" {
		// The whole file, streamed: only for an office that sees every unit.
		switch {
		case !p.AllUnits():
			return nil, fmt.Errorf("%s 只能查看部分单位，不能取整个数据文件的备份", p.Name)
		case hasOut && out != "-", len(args) > 1 && !hasOut:
			return nil, fmt.Errorf("通过 ssh 备份只能写到标准输出：ssh 服务器 jibao backup -o - > 备份.db")
		}
		return []string{"backup", "-o", "-"}, nil
	}
	if hasOut && args[0] == "summary" && out != "-" {
		return nil, fmt.Errorf("通过 ssh 汇总工作簿只能写到标准输出：请用 -o -，例如 ssh 服务器 jibao summary ... -o - > 汇总.xlsx")
	}
	if hasOut && args[0] == "remind" && out != "-" {
		return nil, fmt.Errorf("通过 ssh 催报名单只能写到标准输出：请用 -o -，例如 ssh 服务器 jibao remind ... -o - > 催报名单.xlsx")
	}
	if hasOut && args[0] != "export" && args[0] != "summary" && args[0] != "remind" {
		return nil, fmt.Errorf("通过 ssh 运行 %s 不能用 -o：结果直接显示在终端", args[0])
	}
	if args[0] == "export" {
		switch {
		case !hasOut:
			args = append(args, "-o", "-")
		case out != "-":
			return nil, fmt.Errorf("通过 ssh 导出只能写到标准输出：请用 -o -，例如 ssh 服务器 jibao export ... -o - > 季报.xlsx")
		}
	}
	if variant == "" {
		variant = p.OnlyVariant()
	}
	if (args[0] == "summary" || args[0] == "progress") && !p.SeesVariant(variant) {
		// Its copy of the data holds only the person's units: the others
		// would be summed as 未填报. The workstation refuses it alike.
		return nil, fmt.Errorf("%s 只能查看部分单位：汇总和目标进度需要能查看全部单位的账号", p.Name)
	}
	if unit != "" && variant != "" && !p.May(variant, unit) {
		return nil, fmt.Errorf("%s 无权查看 %s 的报表", p.Name, unit)
	}
	if args[0] == "check" && unit == "" && !p.AllUnits() {
		return checkOwnUnits(args, p, variant)
	}
	return args, nil
}

// checkOwnUnits narrows `check` without --unit to the person's units. Checking
// every unit runs over the directory, and the person's copy of the data holds
// only their own reports: everyone else would be listed as 未填报.
func checkOwnUnits(args []string, p *Person, variant string) ([]string, error) {
	var mine []string
	for _, u := range p.Units {
		if variant != "" && u.Variant != variant {
			continue
		}
		if u.Unit == "*" {
			return args, nil // every unit of the variant is in the copy
		}
		mine = append(mine, u.Unit)
	}
	if len(mine) == 1 {
		return append(args, "--unit", mine[0]), nil
	}
	return nil, fmt.Errorf("通过 ssh 检查时请用 --unit 指定单位（%s 可查看：%s）", p.Name, strings.Join(mine, "、"))
}

// OnlyVariant is the variant of the person's units when they are all of one
// variant, so that command mode needs no --variant; "" otherwise.
func (p *Person) OnlyVariant() string {
	v := ""
	for _, u := range p.Units {
		if v != "" && u.Variant != v {
			return ""
		}
		v = u.Variant
	}
	return v
}

// Snapshot writes to path a data file holding only what p may see, for a
// command-mode run: the server holds the real file's lock, and a command given
// a copy cannot read, let alone change, another unit's report. For a person
// who sees everything it is a plain hot backup.
func Snapshot(st *store.Store, cat *model.Catalog, p *Person, path string) error {
	if p.AllUnits() {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := st.Backup(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	var at time.Time
	// The copy is thrown away when the command ends, so it needs no fsync; the
	// clock replays each report's own time so that list shows when it was edited.
	snap, err := store.Open(path, store.Options{NoSync: true, Catalog: cat, Now: func() time.Time { return at }})
	if err != nil {
		return err
	}
	defer snap.Close()
	// Every year's forms the server knows, before the reports filled with them.
	stored, err := st.StoredCatalogs()
	if err != nil {
		return err
	}
	for _, sc := range stored {
		if _, err := snap.AddCatalog(sc.File, sc.By); err != nil {
			return fmt.Errorf("复制 %d 年表式: %w", sc.Year, err)
		}
	}
	variants := map[string]bool{}
	for _, u := range p.Units {
		variants[u.Variant] = true
	}
	for v := range variants {
		units, err := st.Units(v)
		if err != nil {
			return err
		}
		for _, u := range units {
			if p.May(v, u.Name) {
				if err := snap.AddUnit(v, u); err != nil {
					return err
				}
			}
		}
		// Another unit's damaged entry must not stop this person's commands.
		infos, err := st.ListDamaged(v, nil)
		if err != nil {
			return err
		}
		// Earlier quarters first: whether a report may be complete depends on the
		// quarter before it.
		sort.SliceStable(infos, func(i, j int) bool { return infos[i].ID.Period.Less(infos[j].ID.Period) })
		for _, in := range infos {
			if !p.May(in.ID.Variant, in.ID.Unit) {
				continue
			}
			if in.Damage != "" {
				return st.Damaged([]string{in.Damage})
			}
			r, err := st.Get(in.ID)
			if err != nil {
				return err
			}
			at = r.Updated
			if err := snap.PutReport(r, r.UpdatedBy); err != nil {
				return fmt.Errorf("复制报表 %s: %w", in.ID, err)
			}
			rev, err := st.Review(in.ID)
			if err == nil {
				err = snap.PutReview(in.ID, rev) // the clerk's check shows the office's reason
			}
			if err != nil {
				return fmt.Errorf("复制报表 %s 的审核记录: %w", in.ID, err)
			}
		}
	}
	return snap.Close()
}
