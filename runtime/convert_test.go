package runtime

import "testing"

func TestConvertInt(t *testing.T) {
	for _, c := range []struct {
		src                  []byte
		srcSigned, dstSigned bool
		dstSize              int
		want                 uint64
		fails                bool
	}{
		{[]byte{0xff}, true, true, 8, ^uint64(0), false},                // -1 widened stays -1
		{[]byte{0xff}, false, true, 8, 0xff, false},                     // 255 widened
		{[]byte{0xff, 0xff, 0xff, 0xff}, true, false, 4, 0, true},       // -1 into unsigned
		{[]byte{0x00, 0x01, 0, 0}, false, false, 1, 0, true},            // 256 narrowed to a byte
		{[]byte{0x7f, 0, 0, 0, 0, 0, 0, 0}, true, true, 1, 0x7f, false}, // 127 narrowed to a signed byte
		{[]byte{0x80, 0, 0, 0, 0, 0, 0, 0}, true, true, 1, 0, true},     // 128 does not fit
	} {
		dst := make([]byte, c.dstSize)
		err := ConvertInt(dst, c.dstSigned, c.src, c.srcSigned, "f")
		if (err != nil) != c.fails {
			t.Errorf("ConvertInt(% x, signed %v -> %d bytes signed %v): error %v, want failure %v", c.src, c.srcSigned, c.dstSize, c.dstSigned, err, c.fails)
			continue
		}
		if !c.fails {
			if got := LoadInt(dst, c.dstSigned); got != c.want {
				t.Errorf("ConvertInt(% x) = %#x, want %#x", c.src, got, c.want)
			}
		}
	}
}

func TestConvertArgAndResult(t *testing.T) {
	if v, err := ConvertArg(uint64(0xffffffff), 4, true, 8, true, "n"); err != nil || int64(v) != -1 {
		t.Errorf("int -1 to long: %#x, %v", v, err)
	}
	if _, err := ConvertArg(1<<40, 8, false, 4, false, "n"); err == nil {
		t.Error("2^40 fits no unsigned int argument")
	}
	if v := ConvertResult(0x1ff, 1, false); v != 0xff {
		t.Errorf("unsigned char result: %#x", v)
	}
	if v := ConvertResult(0x80, 1, true); int64(v) != -128 {
		t.Errorf("signed char result: %d", int64(v))
	}
}

func TestConvertBits(t *testing.T) {
	src := []byte{0xf0} // bits 4..7 hold 0xf: -1 as a signed 4-bit field
	dst := make([]byte, 2)
	if err := ConvertBits(dst, 3, 6, true, src, 4, 4, true, "b"); err != nil {
		t.Fatal(err)
	}
	if got := LoadInt(dst, false); got != 0x3f<<3 {
		t.Errorf("bits: %#x, want %#x", got, 0x3f<<3)
	}
	if err := ConvertBits(dst, 0, 3, false, src, 4, 4, true, "b"); err == nil {
		t.Error("-1 fits no unsigned 3-bit field")
	}
}

func TestFingerprintSeesEveryField(t *testing.T) {
	a := Layout{Name: "T", Size: 16, Fields: []Field{{Name: "x", Offset: 0, Size: 8, Kind: Int}}}
	b := a
	b.Fields = []Field{{Name: "x", Offset: 8, Size: 8, Kind: Int}}
	if a.Fingerprint() == b.Fingerprint() {
		t.Error("moving a field does not change the fingerprint")
	}
	if c := a; c.Fingerprint() != a.Fingerprint() {
		t.Error("equal layouts have different fingerprints")
	}
}
