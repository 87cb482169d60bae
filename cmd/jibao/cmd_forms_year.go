package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/export"
	"jibao/model"
	"jibao/store"
)

// formsSubcommand runs the steps by which an office adopts next year's forms
// without a developer: draft them from this year's (next-year) or from its own
// template (from-xlsx), then check the draft until nothing is left to decide.
func (a *app) formsSubcommand(args []string) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	switch args[0] {
	case "next-year":
		return a.cmdFormsNextYear(args[1:]), true
	case "from-xlsx":
		return a.cmdFormsFromXLSX(args[1:]), true
	case "check":
		return a.cmdFormsCheck(args[1:]), true
	case "add":
		return a.cmdFormsAdd(args[1:]), true
	case "list":
		return a.cmdFormsList(args[1:]), true
	}
	return 0, false
}

// cmdFormsNextYear writes next year's draft from the loaded catalog and prints
// what changed, with the new year's due dates.
func (a *app) cmdFormsNextYear(args []string) int {
	var c common
	fs := a.newFlags("forms next-year", &c)
	year := fs.Int("year", 0, "新年度，如 2026")
	out := fs.String("o", "", "草稿写到此文件（默认 forms-<年度>.json）")
	force := fs.Bool("force", false, "覆盖已有文件")
	if !a.parse(fs, args) {
		return exitUsage
	}
	cat, err := a.loadCatalog(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	if *year == 0 {
		*year = cat.Year + 1
	}
	draft, err := model.NextYear(cat, *year)
	if err != nil {
		return a.fail("%v", err)
	}
	old, err := cat.CatalogJSON()
	if err != nil {
		return a.fail("%v", err)
	}
	diff, err := model.DiffCatalogs(old, draft)
	if err != nil {
		return a.fail("%v", err)
	}
	if *out == "" {
		*out = fmt.Sprintf("forms-%d.json", *year)
	}
	if err := export.WriteFile(*out, draft, *force); err != nil {
		return a.fail("%v", err)
	}
	w := a.screen()
	say(w, "已写出 %d 年表式草稿：%s\n与 %d 年表式相比（%d 处）：", *year, *out, cat.Year, len(diff))
	for _, l := range foldDiff(diff) {
		fmt.Fprintln(w, wrapText(l, outWidth, 4))
	}
	d, err := model.ParseCatalog(bytes.NewReader(draft))
	if err != nil {
		return a.fail("%v", err)
	}
	for _, id := range d.VariantIDs() {
		v, _ := d.Variant(id)
		var due []string
		for q := 1; q <= 4; q++ {
			due = append(due, fmt.Sprintf("Q%d %s", q, v.DueDate(model.Period{Year: *year, Quarter: q}).Format("2006-01-02")))
		}
		say(w, "%s 上报截止：%s", v.Name, strings.Join(due, "  "))
	}
	say(w, "目标已清空，请按新一年方案填写；改好后用 jibao forms check %s 检查。", *out)
	return exitOK
}

// foldDiff keeps a diff readable: lines that differ only in an array index
// (every unit's targets emptied) print once, with how many there are.
func foldDiff(lines []string) []string {
	index := regexp.MustCompile(`\[\d+\]`)
	value := regexp.MustCompile(`: .*$`)
	count := map[string]int{}
	for _, l := range lines {
		count[value.ReplaceAllString(index.ReplaceAllString(l, "[*]"), "")]++
	}
	var out []string
	shown := map[string]bool{}
	for _, l := range lines {
		k := value.ReplaceAllString(index.ReplaceAllString(l, "[*]"), "")
		switch {
		case count[k] <= 3:
			out = append(out, l)
		case !shown[k]:
			shown[k] = true
			out = append(out, fmt.Sprintf("%s（共 %d 处同类）", k, count[k]))
		}
	}
	return out
}

// cmdFormsFromXLSX reads the office's own template into a catalog draft and
// lists what is left to decide.
func (a *app) cmdFormsFromXLSX(args []string) int {
	var c common
	fs := a.newFlags("forms from-xlsx", &c)
	year := fs.Int("year", 0, "表式年度（默认取标题中的年份）")
	out := fs.String("o", "", "草稿写到此文件（默认 forms-<年度>.json）")
	force := fs.Bool("force", false, "覆盖已有文件")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return a.fail("用法: jibao forms from-xlsx 表样.xlsx [--year 2026] [-o FILE]")
	}
	path := args[0]
	if !a.parse(fs, args[1:]) {
		return exitUsage
	}
	x, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return a.fail("%s 不是可读的 xlsx 工作簿（请在 Excel 或 WPS 中另存为 .xlsx）", path)
	}
	defer x.Close()
	if *year == 0 {
		*year = yearOfWorkbook(x)
	}
	if *year == 0 {
		return a.fail("%s 的标题中没有年份：请用 --year 指定", path)
	}
	cat, notes, err := export.CatalogDraft(x, *year)
	if err != nil {
		return a.fail("%v", err)
	}
	b, err := cat.CatalogJSON()
	if err != nil {
		return a.fail("%v", err)
	}
	if *out == "" {
		*out = fmt.Sprintf("forms-%d.json", *year)
	}
	if err := export.WriteFile(*out, b, *force); err != nil {
		return a.fail("%v", err)
	}
	w := a.screen()
	say(w, "已从 %s 读出 %d 张表，写出草稿：%s", path, len(cat.Forms), *out)
	for _, n := range notes {
		fmt.Fprintln(w, "  "+n)
	}
	a.printDecisions(cat, b)
	say(w, "改好后用 jibao forms check %s 检查。", *out)
	return exitOK
}

// yearOfWorkbook is the year the first sheet's title names.
func yearOfWorkbook(x *excelize.File) int {
	for _, s := range x.GetSheetList() {
		for r := 1; r <= 3; r++ {
			for c := 1; c <= 3; c++ {
				ref, _ := excelize.CoordinatesToCellName(c, r)
				v, _ := x.GetCellValue(s, ref)
				var y int
				if i := strings.Index(v, "年"); i >= 4 {
					if _, err := fmt.Sscanf(v[i-4:i], "%d", &y); err == nil && y >= 2000 && y <= 2100 {
						return y
					}
				}
			}
		}
	}
	return 0
}

// cmdFormsCheck lists what a person must still decide in a catalog draft and
// refuses one that cannot work, naming the place; exit 0 only when the file
// can be added as it is.
func (a *app) cmdFormsCheck(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return a.fail("用法: jibao forms check 表式.json")
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return a.fail("表式文件无法打开: %v", err)
	}
	var cat model.Catalog
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cat); err != nil {
		return a.fail("%s 格式错误: %v", args[0], err)
	}
	w := a.screen()
	if n := a.printDecisions(&cat, b); n > 0 {
		say(w, "%s：还有 %d 处待定，暂不能使用。", args[0], n)
		return exitFail
	}
	if _, err := model.ParseCatalog(bytes.NewReader(b)); err != nil {
		say(w, "%s 不能使用：%v", args[0], err)
		return exitFail
	}
	say(w, "%s 可以使用：%d 年，%d 张表，%d 个版本。", args[0], cat.Year, len(cat.Forms), len(cat.Variants))
	return exitOK
}

// printDecisions lists the places that still say 待定 (they block the catalog)
// and what is advisable to fill (rules, the unit directory, targets); it
// returns how many places block.
func (a *app) printDecisions(cat *model.Catalog, file []byte) int {
	w := a.screen()
	flat, err := model.DiffCatalogs([]byte("{}"), file)
	if err != nil {
		return 0
	}
	blocking := 0
	for _, l := range flat {
		if strings.HasSuffix(l, fmt.Sprintf("%q", export.Undecided)) {
			if blocking == 0 {
				fmt.Fprintln(w, "待定（须填写）：")
			}
			blocking++
			path := strings.TrimSuffix(strings.TrimPrefix(l, "+ "), ": \""+export.Undecided+"\"")
			key := path[strings.LastIndex(path, ".")+1:]
			fmt.Fprintln(w, wrapText("  "+path+"  "+undecidedHint[key], outWidth, 4))
		}
	}
	var advice []string
	for _, f := range cat.Forms {
		if len(f.Rules) == 0 {
			advice = append(advice, fmt.Sprintf("表%s（%s）没有校验规则：可从上一年表式的 rules 抄来", f.Number, f.ID))
		}
	}
	for _, v := range cat.Variants {
		if len(v.Units) == 0 {
			advice = append(advice, fmt.Sprintf("版本 %s 的单位名录为空：在 units 中列出，或之后用 jibao unit add", v.ID))
		}
		for _, t := range v.Targets {
			if t.Total == 0 {
				advice = append(advice, fmt.Sprintf("版本 %s 的目标 %s（%s）数值为 0：请按新一年方案填写", v.ID, t.ID, t.Name))
			}
		}
	}
	if len(advice) > 0 {
		fmt.Fprintln(w, "建议补充：")
		for _, s := range advice {
			fmt.Fprintln(w, wrapText("  "+s, outWidth, 4))
		}
	}
	return blocking
}

// undecidedHint says, per key, what a person writes in place of 待定.
var undecidedHint = map[string]string{
	"since":   "起算时间：stock（底数）或 YYYY-MM（从该月起累计）；可在 columns 中按栏分别写",
	"id":      "版本代号，如 nanan（命令行 --variant 用它）",
	"name":    "简称，如 南安",
	"region":  "辖区，如 南安市",
	"issuer":  "印发单位，如 南安市安委会",
	"office":  "汇总单位，如 南安市安委办",
	"subject": "填报对象：企业 或 学校",
	"kind":    "上报截止：quarterEndMonth（季度末月）或 nextQuarterFirstMonth（下季度首月），day 为日",
}

// say prints one message line wrapped to the terminal's 80 columns (paths are long).
func say(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, wrapText(fmt.Sprintf(format, args...), outWidth, 2))
}

// cmdFormsAdd adds a checked catalog file to the data file as the next version
// of its year, after showing what it changes against the catalog it replaces.
func (a *app) cmdFormsAdd(args []string) int {
	var c common
	fs := a.newFlags("forms add", &c)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return a.fail("用法: jibao forms add 表式.json [--db PATH]")
	}
	file := args[0]
	if !a.parse(fs, args[1:]) {
		return exitUsage
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return a.fail("表式文件无法打开: %v", err)
	}
	nc, err := model.ParseCatalog(bytes.NewReader(b))
	if err != nil {
		return a.fail("表式文件 %s 不能使用：%v（jibao forms check %s 列出须改的地方）", file, err, file)
	}
	var cat model.Catalog
	if json.Unmarshal(b, &cat) == nil && a.printDecisions(&cat, b) > 0 {
		return a.fail("表式文件 %s 还有待定之处，未加入", file)
	}
	s, err := a.openStore(&c, false)
	if err != nil {
		return a.failStore(err)
	}
	defer s.Close()
	w := a.screen()
	if old, ok := s.Catalogs().Year(nc.Year); ok {
		ob, _ := old.CatalogJSON()
		nb, _ := nc.CatalogJSON()
		diff, err := model.DiffCatalogs(ob, nb)
		if err == nil {
			say(w, "与现用的 %d 年表式相比（%d 处）：", nc.Year, len(diff))
			for _, l := range foldDiff(diff) {
				fmt.Fprintln(w, wrapText(l, outWidth, 4))
			}
		}
	}
	sc, err := s.AddCatalog(b, a.user())
	if err != nil {
		return a.fail("%v", err)
	}
	say(w, "已加入 %d 年表式第 %d 版（%s）；jibao serve 与各命令此后自动使用。", sc.Year, sc.Version, nc.Name)
	return exitOK
}

// cmdFormsList lists the years whose forms this data file knows, and every
// added version.
func (a *app) cmdFormsList(args []string) int {
	var c common
	fs := a.newFlags("forms list", &c)
	if !a.parse(fs, args) {
		return exitUsage
	}
	cats, err := a.catalogs(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	var stored []store.StoredCatalog
	if a.dataFileExists(&c) {
		s, err := a.openStore(&c, true)
		if err != nil {
			return a.failStore(err)
		}
		stored, err = s.StoredCatalogs()
		s.Close()
		if err != nil {
			return a.failStore(err)
		}
	}
	w := a.screen()
	for _, y := range cats.Years() {
		cat, _ := cats.Year(y)
		src := "内置"
		for _, sc := range stored {
			if sc.Year == y {
				src = fmt.Sprintf("第 %d 版，%s 由 %s 加入", sc.Version, sc.At.Format("2006-01-02 15:04"), sc.By)
			}
		}
		say(w, "%d年  %s", y, cat.Name)
		say(w, "    版本：%s；%s", strings.Join(cat.VariantIDs(), "、"), src)
	}
	return exitOK
}
