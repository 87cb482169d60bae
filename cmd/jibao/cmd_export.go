package main

// cmdExport is not written yet.
func (a *app) cmdExport(args []string) int { return a.fail("命令 %s 尚未实现", "export") }
