package main

// cmdServe is not written yet.
func (a *app) cmdServe(args []string) int { return a.fail("命令 %s 尚未实现", "serve") }
