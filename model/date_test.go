package model

import (
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2025-9-28": "2025-09-28", "2025.9.28": "2025-09-28", "2025/9/28": "2025-09-28",
		"2025年9月28日": "2025-09-28", " 2025 年 9 月 28 日 ": "2025-09-28", "2025-09-28": "2025-09-28",
		"２０２５－９－２８": "2025-09-28", "2024-2-29": "2024-02-29", "2025年12月31日": "2025-12-31",
	} {
		got, err := ParseDate(in)
		if err != nil || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"2025-09-31": "日不对：2025年9月只有 30 天",
		"2025-2-29":  "日不对：2025年2月只有 28 天",
		"2025-13-1":  "月份 13 不对",
		"2025-0-1":   "月份 0 不对",
		"2025-9-0":   "日不对",
		"9/28/2025":  "无法识别",
		"2025-9":     "无法识别",
		"2025年9-28":  "无法识别",
		"昨天":         "无法识别",
		"":           "无法识别",
	} {
		_, err := ParseDate(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDate(%q): %v, want %q", in, err, want)
		}
	}
}
