package emu

import "strconv"

// MaxCapturedOutput bounds the console output kept for one request (the
// output a workload's checks compare): a program that prints without end
// must not grow the host's memory with it. What comes after the cap is
// counted, not kept, and the captured text says so.
const MaxCapturedOutput = 1 << 20

// capturedOutput is the console output of one request, capped at
// MaxCapturedOutput bytes.
type capturedOutput struct {
	buf     []byte
	dropped int64
}

func (o *capturedOutput) Write(b []byte) {
	room := MaxCapturedOutput - len(o.buf)
	if len(b) > room {
		o.dropped += int64(len(b) - room)
		b = b[:room]
	}
	o.buf = append(o.buf, b...)
}

// Reset empties the output, keeping a small buffer for the next request.
func (o *capturedOutput) Reset() {
	if cap(o.buf) > 64<<10 {
		o.buf = nil
	}
	o.buf = o.buf[:0]
	o.dropped = 0
}

// Bytes returns a copy of the output, ending with a note of how much was
// dropped when the cap was reached.
func (o *capturedOutput) Bytes() []byte {
	out := append([]byte(nil), o.buf...)
	if o.dropped > 0 {
		out = append(out, "\n[output truncated: "+strconv.FormatInt(o.dropped, 10)+" more bytes not kept]\n"...)
	}
	return out
}
