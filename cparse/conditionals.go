package cparse

// conditionals is the conditional-compilation nesting of one file's
// directives (as scanDirectives lists them): which #elif, #else and #endif
// continue which #if, #ifdef or #ifndef, and how deep each directive lies.
// It is the one place that pairs them; the passes that blank conditional
// code or tell whether an #include is conditional read it. An #elif, #else
// or #endif that continues no open conditional is ignored, as is a
// conditional the file does not close.
type conditionals struct {
	// next[i] is the index of the directive continuing the conditional
	// that ds[i] opens or continues (its next #elif, #else or #endif), -1
	// when the file ends first or ds[i] is no conditional directive.
	next []int
	// depth[i] is how many conditionals enclose ds[i]; a conditional's own
	// directives lie at the depth outside it.
	depth []int
}

// nestConditionals pairs the conditional directives of ds.
func nestConditionals(ds []directive) conditionals {
	c := conditionals{next: make([]int, len(ds)), depth: make([]int, len(ds))}
	var open []int // per open conditional, the index of its last directive so far
	for i, d := range ds {
		c.next[i] = -1
		switch directiveName(d) {
		case "if", "ifdef", "ifndef":
			c.depth[i] = len(open)
			open = append(open, i)
		case "else", "elif", "elifdef", "elifndef":
			if len(open) == 0 {
				continue
			}
			c.depth[i] = len(open) - 1
			c.next[open[len(open)-1]] = i
			open[len(open)-1] = i
		case "endif":
			if len(open) == 0 {
				continue
			}
			c.depth[i] = len(open) - 1
			c.next[open[len(open)-1]] = i
			open = open[:len(open)-1]
		default:
			c.depth[i] = len(open)
		}
	}
	return c
}

// end returns the index of the #endif closing the conditional that ds[i]
// opens or continues, -1 when the file ends first.
func (c conditionals) end(ds []directive, i int) int {
	for i = c.next[i]; i >= 0 && directiveName(ds[i]) != "endif"; i = c.next[i] {
	}
	return i
}

func directiveName(d directive) string {
	if len(d.toks) == 0 {
		return ""
	}
	return d.toks[0].text
}
