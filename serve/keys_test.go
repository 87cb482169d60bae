package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"jibao/model"
)

func testPub(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
}

func TestParseKeys(t *testing.T) {
	a, b, c := testPub(t), testPub(t), testPub(t)
	file := "# jibao keys\n\n" +
		`name="张三",role=clerk,units="nanan:水头 nanan:石井" ` + a + " zhangsan@pc\n" +
		`name="市应急局",role=office ` + b + "\n" +
		`name="李四",role=clerk,units="quanzhou-edu:*",encoding=gbk ` + c + "\n"
	people, err := ParseKeys([]byte(file), model.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 3 {
		t.Fatalf("got %d people, want 3", len(people))
	}
	zs, office, ls := people[0], people[1], people[2]
	if zs.Name != "张三" || zs.Role != RoleClerk || zs.Line != 3 || zs.Encoding != "" {
		t.Errorf("张三 = %+v", zs)
	}
	if want := []UnitRef{{"nanan", "水头"}, {"nanan", "石井"}}; !reflect.DeepEqual(zs.Units, want) {
		t.Errorf("units = %v, want %v", zs.Units, want)
	}
	for _, tc := range []struct {
		p             *Person
		variant, unit string
		want          bool
	}{
		{zs, "nanan", "水头", true},
		{zs, "nanan", "英都", false},
		{zs, "quanzhou-edu", "水头", false},
		{office, "nanan", "英都", true},
		{office, "quanzhou-edu", "任何学校", true},
		{ls, "quanzhou-edu", "泉州一中", true},
		{ls, "nanan", "水头", false},
	} {
		if got := tc.p.May(tc.variant, tc.unit); got != tc.want {
			t.Errorf("%s.May(%s, %s) = %v, want %v", tc.p.Name, tc.variant, tc.unit, got, tc.want)
		}
	}
	if zs.ReadOnly() || !office.ReadOnly() || !office.AllUnits() || zs.AllUnits() {
		t.Error("roles: clerk must write, office must only read and see all")
	}
	if ls.Encoding != "gbk" || zs.OnlyVariant() != "nanan" || office.OnlyVariant() != "" {
		t.Errorf("encoding %q, only variant %q/%q", ls.Encoding, zs.OnlyVariant(), office.OnlyVariant())
	}
}

func TestParseKeysErrors(t *testing.T) {
	a := testPub(t)
	for _, tc := range []struct{ line, want string }{
		{"ssh-ed25519 garbage", "无法识别的公钥行"},
		{`role=clerk,units="nanan:水头" ` + a, "缺少 name"},
		{`name="x",role=boss ` + a, "角色"},
		{`name="x",role=clerk ` + a, "units"},
		{`name="x",role=clerk,units="水头" ` + a, "表式版本:单位名"},
		{`name="x",role=clerk,units="nowhere:水头" ` + a, "nowhere"},
		{`name="x",role=office,encoding=latin1 ` + a, "编码"},
		{`name="x",role=office,admin=yes ` + a, "未知选项"},
		{`name="x",role=office ` + a + "\n" + `name="y",role=office ` + a, "重复"},
		{`name="张三\x1b[2J",role=office ` + a, "控制字符"},
	} {
		_, err := ParseKeys([]byte(tc.line), model.DefaultCatalog())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseKeys(%q) error = %v, want it to mention %q", tc.line, err, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), "第 ") {
			t.Errorf("error %v does not name the line", err)
		}
	}
}

func TestCommandArgs(t *testing.T) {
	clerk := &Person{Name: "张三", Role: RoleClerk, Units: []UnitRef{{"nanan", "水头"}}}
	office := &Person{Name: "局", Role: RoleOffice}
	twoUnits := &Person{Name: "李四", Role: RoleClerk, Units: []UnitRef{{"nanan", "水头"}, {"nanan", "英都"}}}
	township := &Person{Name: "王五", Role: RoleClerk, Units: []UnitRef{{"nanan", "*"}}}
	for _, tc := range []struct {
		p    *Person
		cmd  string
		want string // joined args, or "error: text"
	}{
		{clerk, "jibao check --variant nanan --unit 水头 --period 2025Q3", "check --variant nanan --unit 水头 --period 2025Q3"},
		{clerk, "list", "list"},
		// check without --unit: the person's copy of the data holds only their
		// reports, so every other unit would show as 未填报.
		{clerk, "jibao check --period 2025Q3", "check --period 2025Q3 --unit 水头"},
		{twoUnits, "jibao check --period 2025Q3", "error: 请用 --unit 指定单位（李四 可查看：水头、英都）"},
		{twoUnits, "jibao check --unit 英都", "check --unit 英都"},
		{township, "jibao check --period 2025Q3", "check --period 2025Q3"},
		{office, "jibao check --variant nanan --period 2025Q3", "check --variant nanan --period 2025Q3"},
		{clerk, "jibao export --unit 水头 --period 2025Q3", "export --unit 水头 --period 2025Q3 -o -"},
		{clerk, "jibao export --unit=水头 -o -", "export --unit=水头 -o -"},
		{clerk, "jibao export --unit 水头 -o /etc/passwd", "error: -o -"},
		{clerk, "jibao check --unit 英都", "error: 无权查看 英都"},
		{clerk, "jibao check --variant=nanan --unit=英都", "error: 无权查看 英都"},
		{office, "jibao check --variant nanan --unit 英都", "check --variant nanan --unit 英都"},
		{clerk, "jibao check --db /tmp/x.db", "error: --db"},
		{office, "jibao list -catalog=/tmp/c.json", "error: --catalog"},
		{clerk, "rm -rf /", "error: 不允许的命令"},
		{clerk, "jibao import x.xlsx", "error: 不允许的命令"},
		{clerk, "jibao", "error: 没有给出命令"},
		{clerk, "jibao summary --variant nanan --period 2025Q3", "error: 不允许的命令"},
		{office, "jibao summary --variant nanan --period 2025Q3", "summary --variant nanan --period 2025Q3"},
		{office, "jibao progress --variant nanan", "progress --variant nanan"},
		{office, "jibao summary --variant nanan -o x.xlsx", "error: 只能写到标准输出"},
		{office, "jibao summary --variant nanan -o -", "summary --variant nanan -o -"},
		{office, "jibao backup -o -", "backup -o -"},
		{office, "jibao backup", "backup -o -"},
		{office, "jibao backup -o /tmp/x.db", "error: 只能写到标准输出"},
		{clerk, "jibao backup -o -", "error: 不允许的命令"},
		{&Person{Name: "县局", Role: RoleOffice, Units: []UnitRef{{"nanan", "*"}}}, "jibao backup -o -", "error: 不能取整个数据文件的备份"},
		// 催报 and the summaries: an office limited to some units gets the
		// list of those units (the command is told its scope); summing them
		// would read every other unit as 未填报, so it is refused, as in the
		// workstation.
		{office, "jibao remind --variant nanan --period 2025Q3 -o -", "remind --variant nanan --period 2025Q3 -o -"},
		{office, "jibao remind --variant nanan -o 催报.xlsx", "error: 只能写到标准输出"},
		{clerk, "jibao remind --variant nanan", "error: 不允许的命令"},
		{&Person{Name: "片区", Role: RoleOffice, Units: []UnitRef{{"nanan", "水头"}, {"nanan", "英都"}}}, "jibao remind --variant nanan", "remind --variant nanan"},
		{&Person{Name: "片区", Role: RoleOffice, Units: []UnitRef{{"nanan", "水头"}}}, "jibao summary --variant nanan", "error: 需要能查看全部单位的账号"},
		{&Person{Name: "片区", Role: RoleOffice, Units: []UnitRef{{"nanan", "水头"}}}, "jibao progress", "error: 需要能查看全部单位的账号"},
		{&Person{Name: "县局", Role: RoleOffice, Units: []UnitRef{{"nanan", "*"}}}, "jibao summary", "summary"},
	} {
		args, err := CommandArgs(strings.Fields(tc.cmd), tc.p)
		got := strings.Join(args, " ")
		if err != nil {
			got = "error: " + err.Error()
		}
		if strings.HasPrefix(tc.want, "error: ") {
			if err == nil || !strings.Contains(got, strings.TrimPrefix(tc.want, "error: ")) {
				t.Errorf("%s: %q gives %q, want an error mentioning %q", tc.p.Name, tc.cmd, got, tc.want)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%s: %q gives %q, want %q", tc.p.Name, tc.cmd, got, tc.want)
		}
	}
}

// TestKeysFileStrictModes refuses a keys file that group or others may write,
// at load and on a later change, as OpenSSH's StrictModes does.
func TestKeysFileStrictModes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys")
	line := `name="市局",role=office ` + testPub(t) + "\n"
	var logb bytes.Buffer
	log := &logger{w: &logb, now: time.Now}
	for _, mode := range []os.FileMode{0o664, 0o646, 0o666} {
		os.WriteFile(path, []byte(line), 0o600)
		os.Chmod(path, mode)
		if _, err := newKeyring(path, nil, log); err == nil || !strings.Contains(err.Error(), "chmod go-w") {
			t.Errorf("keys file of mode %04o: %v", mode, err)
		}
	}
	os.Chmod(path, 0o644)
	k, err := newKeyring(path, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	gen := k.refresh()
	os.WriteFile(path, []byte(line+`name="外人",role=office `+testPub(t)+"\n"), 0o600)
	os.Chmod(path, 0o666)
	if k.refresh() != gen || !strings.Contains(logb.String(), "chmod go-w") {
		t.Errorf("a group-writable change was installed; log:\n%s", logb.String())
	}
	os.Chmod(dir, 0o777)
	defer os.Chmod(dir, 0o700)
	os.Chmod(path, 0o600)
	if _, err := newKeyring(path, nil, log); err == nil || !strings.Contains(err.Error(), "目录") {
		t.Errorf("keys file in a world-writable folder: %v", err)
	}
}

// TestLogEscapesEveryField: a name or any field with a terminal escape, a
// carriage return or a newline stays one quoted field on one line.
func TestLogEscapesEveryField(t *testing.T) {
	var b bytes.Buffer
	l := &logger{w: &b, now: func() time.Time { return time.Unix(0, 0) }}
	l.line("login", "name", "张三\r2026-01-01 login name=admin", "from", "1.2.3.4:5", "key", "\x1b]0;x\a", "bad", "\xff")
	got := b.String()
	if strings.Count(got, "\n") != 1 || strings.ContainsAny(got, "\r\x1b\a") || strings.Contains(got, "\xff") {
		t.Errorf("log line not escaped: %q", got)
	}
	if !strings.Contains(got, `name="张三\r2026-01-01 login name=admin"`) || !strings.Contains(got, "from=1.2.3.4:5") {
		t.Errorf("log line: %q", got)
	}
}
