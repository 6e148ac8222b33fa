package emu

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Workload is a parsed workload file (format: WORKLOAD.md): streams of
// requests run concurrently on the machine's CPUs.
type Workload struct {
	Name    string
	Streams []*Stream
}

// Stream is a sequence of lines run in order, one request at a time.
type Stream struct {
	Name  string
	Lines []*Line
}

// Line kinds.
const (
	LineSys   = "sys"
	LineOut   = "out"
	LineCheck = "check"
)

// Line is one request or check of a workload.
type Line struct {
	Pos    string // file:line
	Kind   string
	Bind   string // name bound to the result ("" for none)
	Nr     Arg
	Args   []Arg
	Expect Expect
	Buf    *string // expected bytes of the buf argument
	Text   string  // for out
	I      int64   // value of $i (the repeat iteration)
}

// Arg is one syscall argument.
type Arg struct {
	Kind  string // "int", "var", "str", "buf"
	Int   int64
	Name  string
	Str   string
	Bytes int64 // buf size
}

// Expect is what a request's result must be.
type Expect struct {
	Op  string // "", "*", "==", ">=", "!="
	Val int64
}

func (e Expect) ok(v int64) bool {
	switch e.Op {
	case "==":
		return v == e.Val
	case ">=":
		return v >= e.Val
	case "!=":
		return v != e.Val
	}
	return true
}

func (e Expect) String() string {
	switch e.Op {
	case "==":
		return strconv.FormatInt(e.Val, 10)
	case "", "*":
		return "*"
	}
	return e.Op + strconv.FormatInt(e.Val, 10)
}

// maxWorkloadLines bounds the lines a workload expands to (repeat bodies
// are expanded when parsed).
const maxWorkloadLines = 1 << 20

// ParseWorkload parses a workload file. Errors name the file and line.
func ParseWorkload(name string, src []byte) (*Workload, error) {
	p := &wparser{name: name, consts: map[string]int64{}}
	lines := strings.Split(string(src), "\n")
	main := &Stream{Name: "main"}
	w := &Workload{Name: name}
	type frame struct {
		kind   string // "repeat" or "stream"
		count  int64
		body   []*Line
		stream *Stream
		line   int
	}
	var stack []*frame
	emit := func(l *Line) error {
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			top.body = append(top.body, l)
			return nil
		}
		main.Lines = append(main.Lines, l)
		return nil
	}
	total := 0
	for i, raw := range lines {
		p.line = i + 1
		toks, err := tokenize(stripComment(raw))
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		if len(toks) == 0 {
			continue
		}
		switch toks[0] {
		case "const":
			if len(toks) != 3 {
				return nil, p.errorf("const needs a name and a value")
			}
			v, err := p.number(toks[2])
			if err != nil {
				return nil, err
			}
			p.consts[toks[1]] = v
			continue
		case "repeat":
			if len(toks) != 2 {
				return nil, p.errorf("repeat needs a count")
			}
			n, err := p.number(toks[1])
			if err != nil {
				return nil, err
			}
			if n < 0 || n > maxWorkloadLines {
				return nil, p.errorf("repeat count %d out of range", n)
			}
			stack = append(stack, &frame{kind: "repeat", count: n, line: p.line})
			continue
		case "stream":
			if len(toks) != 2 {
				return nil, p.errorf("stream needs a name")
			}
			for _, f := range stack {
				if f.kind == "stream" {
					return nil, p.errorf("streams cannot nest")
				}
			}
			st := &Stream{Name: toks[1]}
			stack = append(stack, &frame{kind: "stream", stream: st, line: p.line})
			continue
		case "end":
			if len(stack) == 0 {
				return nil, p.errorf("end without repeat or stream")
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			var out []*Line
			if top.kind == "repeat" {
				total += len(top.body) * int(top.count)
				if total > maxWorkloadLines {
					return nil, p.errorf("workload expands to more than %d lines", maxWorkloadLines)
				}
				for k := int64(0); k < top.count; k++ {
					for _, l := range top.body {
						c := *l
						c.I = k
						out = append(out, &c)
					}
				}
			} else {
				top.stream.Lines = top.body
				w.Streams = append(w.Streams, top.stream)
				continue
			}
			for _, l := range out {
				emit(l)
			}
			continue
		}
		l, err := p.parseLine(toks)
		if err != nil {
			return nil, err
		}
		emit(l)
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("%s:%d: %s without end", name, stack[len(stack)-1].line, stack[len(stack)-1].kind)
	}
	if len(main.Lines) > 0 {
		w.Streams = append([]*Stream{main}, w.Streams...)
	}
	return w, nil
}

type wparser struct {
	name   string
	line   int
	consts map[string]int64
}

func (p *wparser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.name, p.line, fmt.Sprintf(format, args...))
}

func (p *wparser) number(s string) (int64, error) {
	if v, ok := p.consts[s]; ok {
		return v, nil
	}
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		return v, nil
	}
	if v, err := strconv.ParseUint(s, 0, 64); err == nil {
		return int64(v), nil
	}
	return 0, p.errorf("%q is not a number or a known constant", s)
}

func (p *wparser) arg(s string) (Arg, error) {
	switch {
	case strings.HasPrefix(s, "$"):
		if len(s) == 1 {
			return Arg{}, p.errorf("empty variable name")
		}
		return Arg{Kind: "var", Name: s[1:]}, nil
	case strings.HasPrefix(s, `"`):
		return Arg{Kind: "str", Str: s[1:]}, nil
	case strings.HasPrefix(s, "buf:"):
		n, err := p.number(s[4:])
		if err != nil {
			return Arg{}, err
		}
		if n < 0 || n > 1<<24 {
			return Arg{}, p.errorf("buffer size %d out of range", n)
		}
		return Arg{Kind: "buf", Bytes: n}, nil
	}
	v, err := p.number(s)
	if err != nil {
		return Arg{}, err
	}
	return Arg{Kind: "int", Int: v}, nil
}

func (p *wparser) parseLine(toks []string) (*Line, error) {
	l := &Line{Pos: fmt.Sprintf("%s:%d", p.name, p.line)}
	switch toks[0] {
	case "out":
		if len(toks) != 2 || !strings.HasPrefix(toks[1], `"`) {
			return nil, p.errorf(`out needs one "text"`)
		}
		l.Kind, l.Text = LineOut, toks[1][1:]
		return l, nil
	case "check":
		if len(toks) != 1 {
			return nil, p.errorf("check takes no arguments")
		}
		l.Kind = LineCheck
		return l, nil
	}
	if len(toks) >= 3 && toks[1] == "=" {
		l.Bind = toks[0]
		toks = toks[2:]
	}
	if len(toks) < 2 || toks[0] != "sys" {
		return nil, p.errorf("unknown request %q (want sys, out, check, const, repeat, stream or end)", toks[0])
	}
	l.Kind = LineSys
	rest := toks[1:]
	arrow := len(rest)
	for i, t := range rest {
		if t == "->" {
			arrow = i
			break
		}
	}
	var err error
	if l.Nr, err = p.arg(rest[0]); err != nil {
		return nil, err
	}
	for _, t := range rest[1:arrow] {
		a, err := p.arg(t)
		if err != nil {
			return nil, err
		}
		l.Args = append(l.Args, a)
	}
	if len(l.Args) > 6 {
		return nil, p.errorf("at most 6 syscall arguments")
	}
	if arrow < len(rest) {
		exp := rest[arrow+1:]
		if len(exp) == 0 {
			return nil, p.errorf("-> needs an expectation")
		}
		switch e := exp[0]; {
		case e == "*":
			l.Expect.Op = "*"
		case strings.HasPrefix(e, ">="):
			l.Expect.Op = ">="
			l.Expect.Val, err = p.number(e[2:])
		case strings.HasPrefix(e, "!="):
			l.Expect.Op = "!="
			l.Expect.Val, err = p.number(e[2:])
		default:
			l.Expect.Op = "=="
			l.Expect.Val, err = p.number(e)
		}
		if err != nil {
			return nil, err
		}
		exp = exp[1:]
		if len(exp) > 0 {
			if len(exp) != 2 || exp[0] != "buf" || !strings.HasPrefix(exp[1], `"`) {
				return nil, p.errorf(`after the expectation only buf "bytes" may follow`)
			}
			s := exp[1][1:]
			l.Buf = &s
		}
	}
	return l, nil
}

func stripComment(s string) string {
	inStr := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if inStr {
				i++
			}
		case '"':
			inStr = !inStr
		case '#':
			if !inStr {
				return s[:i]
			}
		}
	}
	return s
}

// tokenize splits a line into words; a quoted string becomes one token
// starting with `"` (unquoted, escapes resolved).
func tokenize(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			v, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("bad string %s", s[i:j+1])
			}
			out = append(out, `"`+v)
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '"' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out, nil
}

// RequestResult is what one workload line did.
type RequestResult struct {
	Stream string
	Pos    string
	Kind   string
	Nr     int64
	Args   []int64
	Result int64
	Steps  int64
	CPU    int
	Output string
	Failed string // why the expectation failed, "" when it held
}

// WorkloadResult summarizes a workload run.
type WorkloadResult struct {
	Requests []RequestResult
	Failures int
	Fault    *Fault
	Stats    Stats
}

// RunWorkload runs a workload on the booted machine. Failed expectations are
// recorded and the run goes on; a fault stops the machine and is returned in
// the result (and as the error).
func (m *Machine) RunWorkload(w *Workload) (*WorkloadResult, error) {
	sys := m.img.symbols["kernel_syscall"]
	if sys == nil || sys.fn == nil || sys.fn.body == nil {
		return nil, fmt.Errorf("the kernel defines no kernel_syscall")
	}
	lines := 0
	for _, s := range w.Streams {
		lines += len(s.Lines)
	}
	// Sized once here: growing the result while the workload runs (maybe
	// with an update in progress) would stop the machine to copy it and
	// make work for the host's garbage collector.
	r := &workloadRun{w: w, res: &WorkloadResult{Requests: make([]RequestResult, 0, lines)}, vars: map[string]int64{}, sys: sys.fn}
	if s := m.img.symbols["kernel_selfcheck"]; s != nil && s.fn != nil && s.fn.body != nil {
		r.check = s.fn
	}
	for _, s := range w.Streams {
		r.streams = append(r.streams, &streamRun{s: s})
	}
	err := m.schedule(r)
	r.res.Stats = m.Stats()
	if err != nil {
		if f, ok := err.(*Fault); ok {
			r.res.Fault = f
		}
		return r.res, err
	}
	if r.err != nil {
		return r.res, r.err
	}
	return r.res, nil
}

type streamRun struct {
	s       *Stream
	next    int
	busy    bool
	lastOut []byte
	cur     *Line
	job     *job
	mem     []uint64 // argument memory of the request in flight
	bufArg  uint64
	bufLen  int64
	args    []int64
}

type workloadRun struct {
	w       *Workload
	res     *WorkloadResult
	vars    map[string]int64
	sys     *Func
	check   *Func
	streams []*streamRun
	slab    []int64 // see argSlab
	err     error
}

func (r *workloadRun) done() bool {
	for _, s := range r.streams {
		if s.busy || s.next < len(s.s.Lines) {
			return false
		}
	}
	return true
}

func (r *workloadRun) next(m *Machine) *job {
	for {
		var ready []*streamRun
		for _, s := range r.streams {
			if !s.busy && s.next < len(s.s.Lines) {
				ready = append(ready, s)
			}
		}
		if len(ready) == 0 || r.err != nil {
			return nil
		}
		s := ready[0]
		if len(ready) > 1 {
			s = ready[m.rng.IntN(len(ready))]
		}
		l := s.s.Lines[s.next]
		s.next++
		if j := r.start(m, s, l); j != nil {
			return j
		}
	}
}

func (r *workloadRun) fail(rr *RequestResult, format string, args ...any) {
	rr.Failed = fmt.Sprintf(format, args...)
	r.res.Failures++
}

// start turns a line into a job, or handles it at once (out).
func (r *workloadRun) start(m *Machine, s *streamRun, l *Line) *job {
	switch l.Kind {
	case LineOut:
		rr := RequestResult{Stream: s.s.Name, Pos: l.Pos, Kind: l.Kind, Output: string(s.lastOut)}
		if !bytes.Contains(s.lastOut, []byte(l.Text)) {
			r.fail(&rr, "output %q does not contain %q", s.lastOut, l.Text)
		}
		r.res.Requests = append(r.res.Requests, rr)
		return nil
	case LineCheck:
		if r.check == nil {
			rr := RequestResult{Stream: s.s.Name, Pos: l.Pos, Kind: l.Kind}
			r.fail(&rr, "the kernel defines no kernel_selfcheck")
			r.res.Requests = append(r.res.Requests, rr)
			return nil
		}
		s.busy, s.cur = true, l
		s.job = &job{fn: r.check}
		return s.job
	}
	value := func(a Arg) (uint64, bool) {
		switch a.Kind {
		case "int":
			return uint64(a.Int), true
		case "var":
			if a.Name == "i" {
				return uint64(l.I), true
			}
			v, ok := r.vars[a.Name]
			return uint64(v), ok
		case "str":
			p := m.alloc(uint64(len(a.Str)) + 1)
			if p == 0 {
				return 0, false
			}
			copy(m.mem[p:], a.Str)
			s.mem = append(s.mem, p)
			return p, true
		case "buf":
			p := m.alloc(uint64(a.Bytes))
			if p == 0 {
				return 0, false
			}
			s.mem = append(s.mem, p)
			s.bufArg, s.bufLen = p, a.Bytes
			return p, true
		}
		return 0, false
	}
	s.mem, s.bufArg, s.args = nil, 0, nil
	nr, ok := value(l.Nr)
	args := []uint64{nr, 0, 0, 0, 0, 0, 0}
	for i, a := range l.Args {
		v, okA := value(a)
		ok = ok && okA
		args[i+1] = v
	}
	if !ok {
		rr := RequestResult{Stream: s.s.Name, Pos: l.Pos, Kind: l.Kind}
		r.fail(&rr, "an argument is an unbound variable, or memory is exhausted")
		r.res.Requests = append(r.res.Requests, rr)
		r.freeArgs(m, s)
		return nil
	}
	s.args = r.argSlab(len(args))
	for i, a := range args {
		s.args[i] = int64(a)
	}
	s.busy, s.cur = true, l
	s.job = &job{fn: r.sys, args: args}
	return s.job
}

// argSlab returns n int64s for a request's recorded arguments, cut from a
// shared slab: one allocation per few hundred requests rather than one each.
func (r *workloadRun) argSlab(n int) []int64 {
	if len(r.slab) < n {
		r.slab = make([]int64, max(n, 4096))
	}
	a := r.slab[:n:n]
	r.slab = r.slab[n:]
	return a
}

func (r *workloadRun) freeArgs(m *Machine, s *streamRun) {
	for _, p := range s.mem {
		m.release(p)
	}
	s.mem = nil
}

func (r *workloadRun) complete(m *Machine, j *job) {
	var s *streamRun
	for _, st := range r.streams {
		if st.busy {
			if st.cur != nil && r.jobOf(st, j) {
				s = st
				break
			}
		}
	}
	if s == nil {
		return
	}
	l := s.cur
	s.busy, s.cur = false, nil
	s.lastOut = j.out
	rr := RequestResult{Stream: s.s.Name, Pos: l.Pos, Kind: l.Kind, Result: int64(j.result), Steps: j.steps, CPU: j.cpu, Output: string(j.out)}
	if len(s.args) > 0 {
		rr.Nr, rr.Args = s.args[0], s.args[1:1+len(l.Args)]
	}
	if j.err != nil {
		rr.Failed = j.err.Error()
		r.res.Failures++
	} else if l.Kind == LineCheck {
		if j.result != 0 {
			r.fail(&rr, "kernel_selfcheck returned %d", int64(j.result))
		}
	} else {
		if !l.Expect.ok(int64(j.result)) {
			r.fail(&rr, "result %d, want %s", int64(j.result), l.Expect)
		}
		if l.Bind != "" {
			r.vars[l.Bind] = int64(j.result)
		}
		if l.Buf != nil && s.bufArg != 0 {
			got := m.mem[s.bufArg : s.bufArg+uint64(s.bufLen)]
			if !bytes.HasPrefix(got, []byte(*l.Buf)) {
				r.fail(&rr, "buffer %q does not start with %q", bytes.TrimRight(got, "\x00"), *l.Buf)
			}
		}
	}
	if m.halted == nil {
		r.freeArgs(m, s)
	}
	r.res.Requests = append(r.res.Requests, rr)
}

// jobOf reports whether j is the request a stream has in flight.
func (r *workloadRun) jobOf(s *streamRun, j *job) bool { return s.job == j }
