//go:build race

package export

// raceEnabled: the race detector makes byte loops some 50 times slower and
// adds its shadow memory, so the bounds of TestBombsAreBounded are not asserted.
const raceEnabled = true
