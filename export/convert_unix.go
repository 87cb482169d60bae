//go:build unix

package export

import (
	"os/exec"
	"syscall"
)

// ownGroup runs a conversion in a process group of its own and makes its
// cancellation kill the whole group: soffice is a script that starts
// oosplash and soffice.bin, which killing the script alone would leave running.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
