package main

// cmdBackup is not written yet.
func (a *app) cmdBackup(args []string) int { return a.fail("命令 %s 尚未实现", "backup") }
