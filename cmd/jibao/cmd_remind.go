package main

// cmdRemind is `jibao remind`: filled in by the 催报 step.
func (a *app) cmdRemind(args []string) int { return a.fail("remind: 尚未实现") }
