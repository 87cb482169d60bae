package main

// cmdSummary is not written yet.
func (a *app) cmdSummary(args []string) int { return a.fail("命令 %s 尚未实现", "summary") }
