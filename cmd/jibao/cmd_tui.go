package main

// cmdTUI is not written yet.
func (a *app) cmdTUI(args []string) int { return a.fail("命令 %s 尚未实现", "tui") }
