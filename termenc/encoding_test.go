package termenc

import "testing"

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestChoose(t *testing.T) {
	tests := []struct {
		name string
		flag string
		env  map[string]string
		want Encoding
	}{
		{"nothing set", "", nil, UTF8},
		{"flag gbk", "gbk", map[string]string{"LANG": "zh_CN.UTF-8"}, GB18030},
		{"flag GB18030", "GB18030", nil, GB18030},
		{"flag utf-8 beats env", "utf-8", map[string]string{"JIBAO_ENCODING": "gbk", "LANG": "zh_CN.GBK"}, UTF8},
		{"flag utf8", "UTF8", nil, UTF8},
		{"JIBAO_ENCODING beats locale", "", map[string]string{"JIBAO_ENCODING": "gbk", "LANG": "zh_CN.UTF-8"}, GB18030},
		{"JIBAO_ENCODING utf-8 beats GBK locale", "", map[string]string{"JIBAO_ENCODING": "utf-8", "LANG": "zh_CN.GBK"}, UTF8},
		{"LANG zh_CN.GBK", "", map[string]string{"LANG": "zh_CN.GBK"}, GB18030},
		{"LANG zh_CN.gbk", "", map[string]string{"LANG": "zh_CN.gbk"}, GB18030},
		{"LANG zh_CN.GB18030", "", map[string]string{"LANG": "zh_CN.GB18030"}, GB18030},
		{"LANG zh_CN.gb2312", "", map[string]string{"LANG": "zh_CN.gb2312"}, GB18030},
		{"LANG zh_CN.GB2312 with modifier", "", map[string]string{"LANG": "zh_CN.GB2312@stroke"}, GB18030},
		{"LANG zh_CN bare is GB2312 in glibc", "", map[string]string{"LANG": "zh_CN"}, GB18030},
		{"LANG zh_CN.UTF-8", "", map[string]string{"LANG": "zh_CN.UTF-8"}, UTF8},
		{"LANG zh_CN.utf8", "", map[string]string{"LANG": "zh_CN.utf8"}, UTF8},
		{"LANG C", "", map[string]string{"LANG": "C"}, UTF8},
		{"LANG en_US bare", "", map[string]string{"LANG": "en_US"}, UTF8},
		{"LANG unknown charset", "", map[string]string{"LANG": "zh_TW.Big5"}, UTF8},
		{"LC_ALL beats LANG", "", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "zh_CN.GBK"}, UTF8},
		{"LC_ALL GBK beats LANG", "", map[string]string{"LC_ALL": "zh_CN.GBK", "LANG": "en_US.UTF-8"}, GB18030},
		{"LC_CTYPE beats LANG", "", map[string]string{"LC_CTYPE": "zh_CN.GB18030", "LANG": "en_US.UTF-8"}, GB18030},
		{"LC_ALL beats LC_CTYPE", "", map[string]string{"LC_ALL": "en_US.UTF-8", "LC_CTYPE": "zh_CN.GBK"}, UTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Choose(tt.flag, env(tt.env))
			if err != nil {
				t.Fatalf("Choose: %v", err)
			}
			if got != tt.want {
				t.Errorf("Choose(%q, %v) = %v, want %v", tt.flag, tt.env, got, tt.want)
			}
		})
	}
}

func TestChooseRejectsUnknownNames(t *testing.T) {
	if _, err := Choose("latin1", env(nil)); err == nil {
		t.Error("Choose accepted --encoding latin1")
	}
	_, err := Choose("", env(map[string]string{"JIBAO_ENCODING": "big5"}))
	if err == nil {
		t.Fatal("Choose accepted JIBAO_ENCODING=big5")
	}
	if got := err.Error(); got != `JIBAO_ENCODING: 不认识的终端编码 "big5"（可用 utf-8、gbk、gb18030）` {
		t.Errorf("message = %q", got)
	}
}

func TestParseRoundTripsString(t *testing.T) {
	for _, e := range []Encoding{UTF8, GB18030} {
		got, err := Parse(e.String())
		if err != nil || got != e {
			t.Errorf("Parse(%q) = %v, %v; want %v", e.String(), got, err, e)
		}
	}
}

func TestFromSessionEnv(t *testing.T) {
	tests := []struct {
		env  []string
		want Encoding
	}{
		{nil, UTF8},
		{[]string{"TERM=xterm"}, UTF8},
		{[]string{"LANG=zh_CN.GBK"}, GB18030},
		{[]string{"LANG=zh_CN.UTF-8"}, UTF8},
		{[]string{"LANG=zh_CN.UTF-8", "LC_ALL=zh_CN.GB18030"}, GB18030},
		{[]string{"LANG=zh_CN.GBK", "JIBAO_ENCODING=utf-8"}, UTF8},
		{[]string{"JIBAO_ENCODING=gbk"}, GB18030},
		{[]string{"JIBAO_ENCODING=nonsense", "LANG=zh_CN.GBK"}, GB18030},
		{[]string{"JIBAO_ENCODING=nonsense"}, UTF8},
		{[]string{"LANG=zh_CN.UTF-8", "LANG=zh_CN.GBK"}, GB18030},
		{[]string{"LANG"}, UTF8},
	}
	for _, tt := range tests {
		if got := FromSessionEnv(tt.env); got != tt.want {
			t.Errorf("FromSessionEnv(%q) = %v, want %v", tt.env, got, tt.want)
		}
	}
}
