package termcheck

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jibao/export"
	"jibao/model"
	"jibao/termenc"
)

// TestGB18030Arguments types `jibao check --unit 水头` in a pseudo-terminal whose
// locale is zh_CN.GBK, as Xshell left at its default sends it: the unit name
// arrives as GB18030 bytes (CB AE CD B7, also valid UTF-8 for "ˮͷ") and must be
// read as 水头, as the output is written in GB18030.
func TestGB18030Arguments(t *testing.T) {
	bin := buildJibao(t)
	db := screenStore(t)
	for _, env := range [][]string{{"LANG=zh_CN.GBK"}, {"LANG=C.UTF-8", "JIBAO_ENCODING=gbk"}} {
		p := startPty(t, bin, termenc.GB18030, append([]string{"JIBAO_DB=" + db, "TERM=xterm"}, env...),
			"check", "--variant", "nanan", "--unit", gbString(t, "水头"), "--period", "2025Q3")
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			t.Fatal("jibao check did not finish in 20s")
		}
		text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(p.bytesSoFar())
		if err != nil || !bytes.Contains(text, []byte("南安 2025年第3季度 水头")) || bytes.Contains(text, []byte("名录")) {
			t.Errorf("%v: jibao check --unit 水头 (GBK) wrote:\n%s", env, text)
		}
	}

	// A file named in Chinese, typed in the GBK terminal: found, read, and its
	// name echoed back in GB18030.
	v, err := model.DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := v.Unit("溪美")
	r := export.Sample(v, u, model.Period{Year: 2025, Quarter: 3}, 7)
	wb, err := export.Workbook(v, r, false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := export.Save(wb, filepath.Join(dir, "溪美季报.xlsx"), false); err != nil {
		t.Fatal(err)
	}
	p := startPty(t, bin, termenc.GB18030, []string{"JIBAO_DB=" + db, "TERM=xterm", "LANG=zh_CN.GBK"},
		"import", filepath.Join(dir, gbString(t, "溪美季报.xlsx")), "--period", "2025Q3", "--dry-run")
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		t.Fatal("jibao import did not finish in 20s")
	}
	text, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(p.bytesSoFar())
	if !bytes.Contains(text, []byte("溪美季报.xlsx：")) || !bytes.Contains(text, []byte("南安 溪美 2025年第3季度")) || bytes.Contains(text, []byte("不存在")) {
		t.Errorf("jibao import 溪美季报.xlsx (GBK) wrote:\n%s", text)
	}
}
