package main

// cmdCheck is not written yet.
func (a *app) cmdCheck(args []string) int { return a.fail("命令 %s 尚未实现", "check") }
