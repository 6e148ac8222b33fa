package cparse

// obsoleteDesignatorsForCC rewrites GNU's obsolete array designators
// "[INDEX] value" (no '=') into "[INDEX]=value" for cc/v4, which knows only
// the C99 form; older kernels (xv6's syscall and state-name tables) use the
// GNU one. The '=' replaces a blank after ']', so every offset and position
// stays the same. src is returned as is when there is nothing to rewrite.
func obsoleteDesignatorsForCC(src []byte) []byte {
	toks := lexTokens(src, 0, len(src))
	var out []byte
	for i := 0; i < len(toks); i++ {
		if toks[i].text != "[" || i == 0 || (toks[i-1].text != "{" && toks[i-1].text != ",") {
			continue
		}
		depth := 0
		j := i
		for ; j < len(toks); j++ {
			if toks[j].text == "[" {
				depth++
			} else if toks[j].text == "]" {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j+1 >= len(toks) {
			break
		}
		switch toks[j+1].text {
		case "=", "[", ".", ",", "}", ";", "(", ")":
			continue
		}
		gap := toks[j].end
		if gap >= toks[j+1].start || !isBlank(src[gap]) {
			continue
		}
		if out == nil {
			out = append([]byte(nil), src...)
		}
		out[gap] = '='
		i = j
	}
	if out == nil {
		return src
	}
	return out
}

func isBlank(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r'
}
