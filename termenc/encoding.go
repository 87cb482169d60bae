// Package termenc lets jibao talk to terminals that are not set to UTF-8: Xshell,
// SecureCRT and PuTTY on Chinese Windows default to the system code page (GBK).
// It picks the encoding from a flag, JIBAO_ENCODING or the locale, and wraps a
// session's streams so that the program inside keeps thinking in UTF-8.
package termenc

import (
	"fmt"
	"strings"
)

// Encoding is the byte encoding a terminal speaks.
type Encoding int

// The encodings jibao speaks. GBK terminals get GB18030, its superset: every
// character GBK has is encoded the same way, and nothing is ever unencodable.
const (
	UTF8 Encoding = iota
	GB18030
)

// String is the name --encoding accepts for e.
func (e Encoding) String() string {
	if e == GB18030 {
		return "gb18030"
	}
	return "utf-8"
}

// Parse reads an encoding name as written in --encoding, JIBAO_ENCODING or a
// keys file: utf-8, gbk, gb18030 (also gb2312, cp936; any case).
func Parse(name string) (Encoding, error) {
	if e, ok := charset(name); ok {
		return e, nil
	}
	return UTF8, fmt.Errorf("不认识的终端编码 %q（可用 utf-8、gbk、gb18030）", name)
}

// charset maps a charset name (the part of a locale after the dot) to an
// encoding; ok is false for names jibao does not know.
func charset(name string) (Encoding, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("-", "", "_", "").Replace(n)
	switch n {
	case "utf8":
		return UTF8, true
	case "gbk", "gb18030", "gb2312", "cp936", "euccn", "936":
		return GB18030, true
	}
	return UTF8, false
}

// Choose decides the encoding of the local terminal: the --encoding flag if
// given, else JIBAO_ENCODING, else the locale (LC_ALL, LC_CTYPE, LANG in the
// order the C library reads them). An unknown name in the flag or in
// JIBAO_ENCODING is an error, since somebody asked for it on purpose.
func Choose(flag string, getenv func(string) string) (Encoding, error) {
	if flag != "" {
		return Parse(flag)
	}
	if v := getenv("JIBAO_ENCODING"); v != "" {
		e, err := Parse(v)
		if err != nil {
			return UTF8, fmt.Errorf("JIBAO_ENCODING: %w", err)
		}
		return e, nil
	}
	return fromLocale(getenv), nil
}

// FromSessionEnv decides the encoding of an SSH session from the environment
// the client sent (ssh -o SendEnv=LANG, or SetEnv JIBAO_ENCODING=gbk). It never
// fails: a name it does not know leaves the session in UTF-8.
func FromSessionEnv(env []string) Encoding {
	get := func(key string) string {
		v := ""
		for _, kv := range env {
			if k, val, ok := strings.Cut(kv, "="); ok && k == key {
				v = val // the last one wins, as with a shell's environment
			}
		}
		return v
	}
	if v := get("JIBAO_ENCODING"); v != "" {
		if e, ok := charset(v); ok {
			return e
		}
	}
	return fromLocale(get)
}

// fromLocale reads the charset of the first locale variable that is set, as
// the C library does. A locale without a charset means the C library's
// default for it: GB2312 for zh_CN and zh_SG, UTF-8 for everything else we
// could display.
func fromLocale(getenv func(string) string) Encoding {
	for _, key := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		loc := getenv(key)
		if loc == "" {
			continue
		}
		loc, _, _ = strings.Cut(loc, "@")
		lang, cs, hasCharset := strings.Cut(loc, ".")
		if !hasCharset {
			if lang == "zh_CN" || lang == "zh_SG" {
				return GB18030
			}
			return UTF8
		}
		e, _ := charset(cs)
		return e
	}
	return UTF8
}
