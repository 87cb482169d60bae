package main

// cmdImport is not written yet.
func (a *app) cmdImport(args []string) int { return a.fail("命令 %s 尚未实现", "import") }
