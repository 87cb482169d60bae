//go:build !unix

package export

import "os/exec"

// ownGroup leaves the conversion as it is where there are no process groups.
func ownGroup(cmd *exec.Cmd) {}
