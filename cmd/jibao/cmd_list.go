package main

// cmdList is not written yet.
func (a *app) cmdList(args []string) int { return a.fail("命令 %s 尚未实现", "list") }
