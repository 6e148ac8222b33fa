package class

import (
	"reflect"
	"testing"
)

func TestOrder(t *testing.T) {
	if !reflect.DeepEqual(Names(), []string{"none", "code", "state", "interface", "unsupported"}) {
		t.Errorf("Names() = %v", Names())
	}
	for i, c := range All {
		if c.Rank() != i {
			t.Errorf("%s: rank %d", c, c.Rank())
		}
		for _, d := range All[:i] {
			if !c.Stronger(d) || d.Stronger(c) {
				t.Errorf("%s vs %s", c, d)
			}
		}
	}
	if Class("bogus").Valid() {
		t.Error("bogus is a class")
	}
	if _, err := Parse("bogus"); err == nil {
		t.Error("Parse(bogus)")
	}
	if c, err := Parse("state"); err != nil || c != State {
		t.Errorf("Parse(state) = %v, %v", c, err)
	}
}
