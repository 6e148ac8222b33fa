package cparse

import (
	"regexp"
	"strings"
)

var frontEndLocRE = regexp.MustCompile(` \([a-z0-9_]+\.go:\d+:\w*:\)`)

// ShortFrontEndError shortens cc/v4's error list for a person to read (an
// analysis reason, a plan): the front end's own source locations and
// internal TODO notes dropped, the first two errors kept.
func ShortFrontEndError(msg string) string {
	var keep []string
	more := false
	for _, e := range strings.Split(msg, "; ") {
		e = strings.TrimSpace(frontEndLocRE.ReplaceAllString(e, ""))
		switch {
		case e == "" || strings.HasPrefix(e, "TODO "):
		case e == "..." || len(keep) == 2:
			more = true
		default:
			keep = append(keep, e)
		}
	}
	if len(keep) == 0 {
		return msg
	}
	out := strings.Join(keep, "; ")
	if more {
		out += "; ..."
	}
	return out
}
