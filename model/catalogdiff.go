package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// CatalogJSON returns the whole catalog file, every variant, in the format the
// loader reads (Only is the same for one variant).
func (c *Catalog) CatalogJSON() ([]byte, error) { return encodeCatalog(c) }

// encodeCatalog writes a catalog file as people read and edit it: indented,
// Chinese as it is.
func encodeCatalog(c *Catalog) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DiffCatalogs lists what differs between two catalog files as lines a person
// can read: "路径: 旧 → 新", "+ 路径: 新", "- 路径: 旧". Paths name array
// elements by their "id" where they have one (forms[t2].columns…), so a column
// added in the middle reads as one addition, not as every later column changed.
// Cost is linear in the size of the two files.
func DiffCatalogs(old, new []byte) ([]string, error) {
	a, err := flattenJSON(old)
	if err != nil {
		return nil, fmt.Errorf("旧表式: %w", err)
	}
	b, err := flattenJSON(new)
	if err != nil {
		return nil, fmt.Errorf("新表式: %w", err)
	}
	av := make(map[string]string, len(a))
	for _, kv := range a {
		av[kv[0]] = kv[1]
	}
	bv := make(map[string]string, len(b))
	for _, kv := range b {
		bv[kv[0]] = kv[1]
	}
	var out []string
	for _, kv := range b {
		old, ok := av[kv[0]]
		switch {
		case !ok:
			out = append(out, "+ "+kv[0]+": "+kv[1])
		case old != kv[1]:
			out = append(out, "  "+kv[0]+": "+changeText(old, kv[1]))
		}
	}
	for _, kv := range a {
		if _, ok := bv[kv[0]]; !ok {
			out = append(out, "- "+kv[0]+": "+kv[1])
		}
	}
	return out, nil
}

// flattenJSON turns a JSON document into (path, scalar) pairs in file order.
func flattenJSON(b []byte) ([][2]string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	// Object keys come back unordered from a map; order them as in the file by
	// re-reading the token stream for each object's key order.
	order, err := keyOrder(b)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range order.of(x) {
				walk(join(path, k), x[k])
			}
		case []any:
			for i, e := range x {
				name := fmt.Sprintf("[%d]", i)
				if m, ok := e.(map[string]any); ok {
					if id, ok := m["id"].(string); ok && id != "" {
						name = "[" + id + "]"
					}
				}
				walk(path+name, e)
			}
		case string:
			out = append(out, [2]string{path, fmt.Sprintf("%q", x)})
		case nil:
			out = append(out, [2]string{path, "null"})
		default:
			out = append(out, [2]string{path, fmt.Sprint(x)})
		}
	}
	walk("", v)
	return out, nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// keys remembers, for every object key seen, the position of its first
// appearance in the file, which orders every object's keys as written.
type keys map[string]int

func (o keys) of(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	// insertion sort by first appearance: objects are small
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && o.less(ks[j], ks[j-1]); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

func (o keys) less(a, b string) bool {
	pa, oka := o[a]
	pb, okb := o[b]
	if oka && okb && pa != pb {
		return pa < pb
	}
	return strings.Compare(a, b) < 0
}

func keyOrder(b []byte) (keys, error) {
	o := keys{}
	dec := json.NewDecoder(bytes.NewReader(b))
	// A key is a string token read where an object expects a key: track that
	// with a stack of "in object, expecting key" flags.
	type frame struct{ obj, wantKey bool }
	var stack []frame
	n := 0
	for {
		t, err := dec.Token()
		if err == io.EOF {
			return o, nil
		}
		if err != nil {
			return nil, err
		}
		top := len(stack) - 1
		switch d := t.(type) {
		case json.Delim:
			switch d {
			case '{', '[':
				if top >= 0 && stack[top].obj {
					stack[top].wantKey = true
				}
				stack = append(stack, frame{obj: d == '{', wantKey: d == '{'})
			default:
				stack = stack[:top]
			}
		default:
			if top >= 0 && stack[top].obj {
				if stack[top].wantKey {
					if s, ok := d.(string); ok {
						if _, seen := o[s]; !seen {
							o[s] = n
							n++
						}
					}
					stack[top].wantKey = false
				} else {
					stack[top].wantKey = true
				}
			}
		}
	}
}

// changeText says how a value changed: whole for a short one, and for a long
// text (a form's notes) only the changed stretches with a little context, so a
// year moved inside 300 characters of notes reads as 2025年1月 → 2026年1月.
func changeText(old, new string) string {
	a, b := []rune(old), []rune(new)
	if len(a)+len(b) < 80 || len(a)*len(b) > 4_000_000 {
		return old + " → " + new
	}
	// Longest common subsequence over runes: the texts are a few hundred
	// runes, so the quadratic table is small.
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	const context = 6
	var parts []string
	i, j := 0, 0
	for i < n || j < m {
		if i < n && j < m && a[i] == b[j] {
			i, j = i+1, j+1
			continue
		}
		i0, j0 := i, j
		for (i < n || j < m) && !(i < n && j < m && a[i] == b[j]) {
			if j >= m || (i < n && lcs[i+1][j] >= lcs[i][j+1]) {
				i++
			} else {
				j++
			}
		}
		pre := string(a[max(0, i0-context):i0])
		post := string(a[i:min(n, i+context)])
		parts = append(parts, "..."+pre+"「"+string(a[i0:i])+" → "+string(b[j0:j])+"」"+post+"...")
	}
	return strings.Join(parts, " ")
}
