package main

// cmdProgress is not written yet.
func (a *app) cmdProgress(args []string) int { return a.fail("命令 %s 尚未实现", "progress") }
