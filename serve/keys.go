package serve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	gossh "golang.org/x/crypto/ssh"

	"jibao/model"
)

// Role is what a person may do on the server.
type Role string

// Roles: a clerk fills their own units' reports; the office reads every report.
const (
	RoleClerk  Role = "clerk"
	RoleOffice Role = "office"
)

// UnitRef names a unit of a variant; Unit "*" stands for all of the variant's units.
type UnitRef struct {
	Variant string
	Unit    string
}

// String is the keys file form, "nanan:水头".
func (u UnitRef) String() string { return u.Variant + ":" + u.Unit }

// Person is one entry of the keys file: who holds a key and what they may touch.
type Person struct {
	Name     string
	Role     Role
	Units    []UnitRef // for the office, empty means every unit
	Encoding string    // "utf-8" or "gbk" as the keys file says; "" lets the client's LANG decide
	Key      gossh.PublicKey
	Line     int // line in the keys file, for messages
}

// Fingerprint is the key's SHA256 fingerprint as ssh-keygen -l prints it.
func (p *Person) Fingerprint() string { return gossh.FingerprintSHA256(p.Key) }

// May reports whether the person may see the unit's reports at all.
func (p *Person) May(variant, unit string) bool {
	if p.Role == RoleOffice && len(p.Units) == 0 {
		return true
	}
	for _, u := range p.Units {
		if u.Variant == variant && (u.Unit == "*" || u.Unit == unit) {
			return true
		}
	}
	return false
}

// ReadOnly reports whether the person may only look.
func (p *Person) ReadOnly() bool { return p.Role != RoleClerk }

// AllUnits reports whether the person sees every unit of every variant (and so
// may be given the whole store).
func (p *Person) AllUnits() bool { return p.Role == RoleOffice && len(p.Units) == 0 }

// SeesVariant reports whether the person may see every unit of the variant
// (the office, or a grant of "variant:*"): what a summary of it needs.
func (p *Person) SeesVariant(variant string) bool {
	if p.AllUnits() {
		return true
	}
	for _, u := range p.Units {
		if u.Variant == variant && u.Unit == "*" {
			return true
		}
	}
	return false
}

// ParseKeys reads a keys file. Each non-blank line that does not start with # is an
// authorized_keys line whose options say who holds the key:
//
//	name="张三",role=clerk,units="nanan:水头 nanan:石井" ssh-ed25519 AAAA... zhangsan@pc
//	name="市应急局",role=office ssh-ed25519 AAAA...
//	name="李四",role=clerk,units="quanzhou-edu:*",encoding=gbk ssh-rsa AAAA...
//
// Units are separated by spaces or commas (inside the quotes); "variant:*" means
// every unit of the variant. cat, when not nil, checks that variants exist.
func ParseKeys(data []byte, cat *model.Catalog) ([]*Person, error) {
	var people []*Person
	seen := map[string]int{}
	var errs []error
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		p, err := parseKeyLine(line, cat)
		if err != nil {
			errs = append(errs, fmt.Errorf("第 %d 行: %w", i+1, err))
			continue
		}
		p.Line = i + 1
		fp := p.Fingerprint()
		if first, ok := seen[fp]; ok {
			errs = append(errs, fmt.Errorf("第 %d 行: 公钥 %s 与第 %d 行重复", i+1, fp, first))
			continue
		}
		seen[fp] = i + 1
		people = append(people, p)
	}
	return people, errors.Join(errs...)
}

func parseKeyLine(line []byte, cat *model.Catalog) (*Person, error) {
	key, _, options, _, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		return nil, fmt.Errorf("无法识别的公钥行（应为 name=\"姓名\",role=clerk,units=\"nanan:水头\" ssh-ed25519 AAAA...）: %v", err)
	}
	p := &Person{Key: key}
	for _, opt := range options {
		name, value, _ := strings.Cut(opt, "=")
		if uq, err := strconv.Unquote(value); err == nil {
			value = uq
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "name":
			p.Name = value
		case "role":
			p.Role = Role(strings.ToLower(value))
		case "units":
			for _, f := range strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == ',' || r == '，' }) {
				v, u, ok := strings.Cut(f, ":")
				if !ok || v == "" || u == "" {
					return nil, fmt.Errorf("单位 %q 应写成 表式版本:单位名，如 nanan:水头 或 nanan:*", f)
				}
				if cat != nil {
					if _, err := cat.Variant(v); err != nil {
						return nil, fmt.Errorf("单位 %q: %v", f, err)
					}
				}
				p.Units = append(p.Units, UnitRef{v, u})
			}
		case "encoding":
			switch strings.ToLower(value) {
			case "utf-8", "utf8":
				p.Encoding = "utf-8"
			case "gbk", "gb18030":
				p.Encoding = "gbk"
			default:
				return nil, fmt.Errorf("编码 %q 不支持（可用 utf-8 或 gbk）", value)
			}
		default:
			return nil, fmt.Errorf("未知选项 %q（可用 name、role、units、encoding）", name)
		}
	}
	switch {
	case p.Name == "":
		return nil, errors.New("缺少 name=\"姓名\"")
	case strings.IndexFunc(p.Name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return nil, fmt.Errorf("姓名 %q 含控制字符", p.Name)
	case p.Role != RoleClerk && p.Role != RoleOffice:
		return nil, fmt.Errorf("角色 %q 无效（应为 clerk 或 office）", p.Role)
	case p.Role == RoleClerk && len(p.Units) == 0:
		return nil, errors.New("填报员（clerk）须用 units=\"nanan:水头\" 指定可填报的单位")
	}
	return p, nil
}

// keyring is the keys file as last read; it rereads the file when its size or
// modification time changes, so edits take effect at the next login.
type keyring struct {
	path string
	cat  *model.Catalog
	log  *logger

	mu      sync.Mutex
	mtime   time.Time
	size    int64
	byKey   map[string]*Person // by the key's wire form
	gen     int                // versions installed so far
	lastErr string
}

func newKeyring(path string, cat *model.Catalog, log *logger) (*keyring, error) {
	k := &keyring{path: path, cat: cat, log: log}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("密钥文件 %s 无法读取: %w", path, err)
	}
	if err := strictModes(path, st); err != nil {
		return nil, err
	}
	people, err := k.read()
	if err != nil {
		return nil, err
	}
	k.install(people, st)
	return k, nil
}

// strictModes refuses a keys file that someone other than its owner may
// change, as OpenSSH's StrictModes does for authorized_keys: whoever can write
// it can give themselves a key to every unit. The folder counts too, since
// whoever may write there can replace the file.
func strictModes(path string, st os.FileInfo) error {
	if m := st.Mode().Perm(); m&0o022 != 0 {
		return fmt.Errorf("密钥文件 %s 的权限为 %04o：同组或其他用户可以改写它，谁都能给自己登记一把钥匙，因此拒绝使用。请运行 chmod go-w %s", path, m, path)
	}
	dir := filepath.Dir(path)
	if dst, err := os.Stat(dir); err == nil {
		if m := dst.Mode(); m.Perm()&0o022 != 0 && m&os.ModeSticky == 0 {
			return fmt.Errorf("密钥文件 %s 所在的目录 %s 权限为 %04o：同组或其他用户可以在其中替换密钥文件，因此拒绝使用。请运行 chmod go-w %s", path, dir, m.Perm(), dir)
		}
	}
	return nil
}

func (k *keyring) read() ([]*Person, error) {
	data, err := os.ReadFile(k.path)
	if err != nil {
		return nil, fmt.Errorf("密钥文件 %s 无法读取: %w", k.path, err)
	}
	people, err := ParseKeys(data, k.cat)
	if err != nil {
		return nil, fmt.Errorf("密钥文件 %s 有误:\n%w", k.path, err)
	}
	return people, nil
}

func (k *keyring) install(people []*Person, st os.FileInfo) {
	k.byKey = make(map[string]*Person, len(people))
	for _, p := range people {
		k.byKey[string(p.Key.Marshal())] = p
	}
	k.mtime, k.size = st.ModTime(), st.Size()
	k.gen++
}

// lookup finds the person holding key, rereading the file first if it changed.
func (k *keyring) lookup(key gossh.PublicKey) *Person {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refreshLocked()
	return k.byKey[string(key.Marshal())]
}

// current is the person now registered with the key of p, nil if none.
func (k *keyring) current(p *Person) *Person {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.byKey[string(p.Key.Marshal())]
}

// refresh rereads the file if it changed and returns the generation in force:
// it grows with every version installed, whoever read it.
func (k *keyring) refresh() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refreshLocked()
	return k.gen
}

// refreshLocked rereads a changed file. A file that no longer parses is
// reported once and the last good version is kept, so that a typo does not
// lock every clerk out.
func (k *keyring) refreshLocked() bool {
	st, err := os.Stat(k.path)
	if err != nil || (st.ModTime().Equal(k.mtime) && st.Size() == k.size) {
		return false
	}
	people, err := k.read()
	if err == nil {
		err = strictModes(k.path, st)
	}
	if err != nil {
		if msg := err.Error(); msg != k.lastErr {
			k.lastErr = msg
			k.log.line("keys", "status", "沿用旧版本", "error", msg)
		}
		return false
	}
	k.install(people, st)
	k.lastErr = ""
	k.log.line("keys", "status", "已重新读取", "people", strconv.Itoa(len(people)))
	return true
}

// samePerson reports whether two entries grant the same: a session opened under
// a, whose entry now reads b, may go on.
func samePerson(a, b *Person) bool {
	if a.Name != b.Name || a.Role != b.Role || a.Encoding != b.Encoding || len(a.Units) != len(b.Units) {
		return false
	}
	for i := range a.Units {
		if a.Units[i] != b.Units[i] {
			return false
		}
	}
	return true
}
