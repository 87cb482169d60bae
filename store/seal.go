package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Every record of schema 3 is sealed: a version byte, the payload, and a
// CRC-32C over a tag naming the kind of record, the record's key and the
// payload. bbolt keeps no checksums of values; without this a flipped byte in a
// cell id or a value would read back as a different number with no error. The
// key is covered too, so that a damaged key (a report under the wrong unit) is
// caught as well.

const sealVersion byte = 2

// Tags of the kinds of record.
const (
	tagReport  byte = 'R'
	tagInfo    byte = 'I'
	tagHistory byte = 'H'
	tagStacks  byte = 'S'
	tagCursor  byte = 'C'
	tagLast    byte = 'L'
	tagUnit    byte = 'U'
	tagCell    byte = 'D'
	tagCount   byte = 'N'
	tagReview  byte = 'A' // the reporting cycle's moves and notes (workflow.go)
	tagForms   byte = 'F' // an added catalog (catalogs.go)
	tagFilled  byte = 'V' // the catalog version a report was written with
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errChecksum says a record's bytes are not the ones written.
var errChecksum = errors.New("校验和不符（记录已损坏）")

func checksum(tag byte, key, body []byte) uint32 {
	c := crc32.Update(0, castagnoli, []byte{tag})
	c = crc32.Update(c, castagnoli, key)
	return crc32.Update(c, castagnoli, body)
}

// seal wraps a payload for storing under key.
func seal(tag byte, key, payload []byte) []byte {
	out := make([]byte, 0, 1+len(payload)+4)
	out = append(out, sealVersion)
	out = append(out, payload...)
	return binary.LittleEndian.AppendUint32(out, checksum(tag, key, out))
}

// unseal checks a stored record and returns its payload (which points into the
// record: decoders copy what they keep).
func unseal(tag byte, key, val []byte) ([]byte, error) {
	if len(val) < 5 {
		return nil, errShort
	}
	if val[0] != sealVersion {
		return nil, fmt.Errorf("记录版本 %d 无法识别", val[0])
	}
	body := val[:len(val)-4]
	if binary.LittleEndian.Uint32(val[len(val)-4:]) != checksum(tag, key, body) {
		return nil, errChecksum
	}
	return body[1:], nil
}
