package store

// stacks are a user's undo and redo stacks for one report: batch IDs, newest last.
type stacks struct{ undo, redo []uint64 }
