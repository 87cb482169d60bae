//go:build race

package main

// raceEnabled: under the race detector everything runs several times slower,
// so the damage campaign runs fewer trials and is not timed.
const raceEnabled = true
