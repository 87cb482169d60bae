package main

// cmdUnit is not written yet.
func (a *app) cmdUnit(args []string) int { return a.fail("命令 %s 尚未实现", "unit") }
