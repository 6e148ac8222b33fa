// hooks.go is generated once by upsynth and never overwritten: write here what no
// tool can infer. Each hook is compiled and called; the generated default is
// in place.

package update

import (
	"fmt"
	"sync"

	"github.com/upsynth/upsynth/runtime"
)

// before runs once the new code is loaded, before any of it is visible. An
// error rolls the update back; a before that fails undoes what it did itself.
func before(env *runtime.Env) error {
	retired.Lock()
	retired.arrays = nil
	retired.Unlock()
	return nil
}

// undoBefore reverses what before did when the update rolls back after before
// returned nil (a transfer or hook failed, or quiescence timed out): it runs
// once, after every instance went back to the old layout, before the old code
// is restored. An error is reported; the rollback goes on.
//
// before only resets the list of retired arrays: each directory's
// undoDirectory has given its array back already.
func undoBefore(env *runtime.Env) error {
	return nil
}

// after runs when everything is switched, before held calls are released.
// Globals whose declaration changed keep their running value by default:
//
//	Directory_factory (fs/dir.c): init initializer constants changed: the new values are written (each checked to still hold its initial value)
//
// Write a new value with env.Global("path:name") and env.WriteUint if it must change.
//
// Every Directory is converted when it runs (no CPU is inside one, none
// can roll back but this hook): the old entry arrays go.
func after(env *runtime.Env) error {
	retired.Lock()
	defer retired.Unlock()
	for _, a := range retired.arrays {
		if err := env.Free(a); err != nil {
			return fmt.Errorf("freeing an old entry array: %w", err)
		}
	}
	retired.arrays = nil
	return nil
}

// A directory's entries move from one array (struct dirent *ent, nent used
// of cap) to DIR_HASH chained buckets. struct dirent is private to
// fs/dir.c and not an object type, so its layouts are written here, from
// the C (NAME_MAX 27, LP64):
//
//	old: char name[28]; ref_t obj; int type;                       48 bytes
//	new: struct dirent *next; char name[28]; ref_t obj; int type;  56 bytes
const (
	nameLen = 28 // NAME_MAX + 1

	oldDirentSize = 48
	oldNameOff    = 0
	oldObjOff     = 32
	oldTypeOff    = 40

	newDirentSize = 56
	newNextOff    = 0
	newNameOff    = 8
	newObjOff     = 40
	newTypeOff    = 48

	dirHash = 16 // DIR_HASH
)

var (
	oldEnt    = layoutOldDirectory.F("ent")
	oldNent   = layoutOldDirectory.F("nent")
	oldCap    = layoutOldDirectory.F("cap")
	newBucket = layoutNewDirectory.F("bucket")
)

// nameHash is the new kernel's name_hash (djb2 modulo DIR_HASH): the
// buckets must be the ones its dir_find searches, which dir_check_all
// verifies entry by entry.
func nameHash(name []byte) uint64 {
	h := uint64(5381)
	for _, c := range name {
		if c == 0 {
			break
		}
		h = h*33 + uint64(c)
	}
	return h % dirHash
}

// hookDirectory runs after the generated transfer of each Directory instance; new is
// complete except for what only a person knows.
// New fields, zero by default: bucket.
// Removed fields, still readable in old: ent, cap.
//
// Each entry of the old array becomes a chained dirent in its bucket,
// pushed at the chain's head as Directory_add does. The entries keep their
// reference on the object they name (it moves with them: no obj_get). The
// old array stays with the old state, which a rollback restores as it was;
// after frees it once every directory is converted.
func hookDirectory(old, new runtime.State) error {
	env := new.Env()
	if env == nil {
		return fmt.Errorf("directory %d: no target to allocate entries in", new.Ref)
	}
	arr, n := old.Uint(oldEnt), old.Int(oldNent)
	if n < 0 || (n > 0 && arr == 0) {
		return fmt.Errorf("directory %d: %d entries at %#x", new.Ref, n, arr)
	}
	var heads [dirHash]uint64
	var made []uint64
	fail := func(err error) error {
		for _, e := range made {
			_ = env.Free(e)
		}
		return fmt.Errorf("directory %d: %w", new.Ref, err)
	}
	for i := int64(0); i < n; i++ {
		src, err := env.Read(arr+uint64(i)*oldDirentSize, oldDirentSize)
		if err != nil {
			return fail(err)
		}
		e := env.Alloc(newDirentSize)
		if e == 0 {
			return fail(fmt.Errorf("no memory for entry %d", i))
		}
		made = append(made, e)
		name := src[oldNameOff : oldNameOff+nameLen]
		h := nameHash(name)
		dst := make([]byte, newDirentSize)
		putUint64(dst[newNextOff:], heads[h])
		copy(dst[newNameOff:newNameOff+nameLen], name)
		copy(dst[newObjOff:newObjOff+8], src[oldObjOff:oldObjOff+8])
		copy(dst[newTypeOff:newTypeOff+4], src[oldTypeOff:oldTypeOff+4])
		if err := env.Write(e, dst); err != nil {
			return fail(err)
		}
		heads[h] = e
	}
	if arr != 0 {
		retired.Lock()
		retired.arrays = append(retired.arrays, arr)
		retired.Unlock()
	}
	buckets := new.Bytes(newBucket)
	for h, e := range heads {
		putUint64(buckets[8*h:], e)
	}
	return nil
}

// undoDirectory undoes hookDirectory when the update rolls back: it runs after the generated
// reverse transfer of each Directory instance going back to the old layout. old is
// the state the instance had before the update (kept as it was, the reverse
// steps written over it) or, for an instance the new code created, a fresh
// one; new is still readable. Free or unlink here what hookDirectory built.
//
// The chains are the directory's truth: the new code may have added and
// removed entries since the conversion. They go back into an entry array
// as the old Directory_add keeps it — the kept array when it holds them
// all, else one of twice the capacity (as Directory_add grows it) — the
// entries that were there before the update first, in their old order,
// then the others; the chained dirents are freed. The entries keep their
// references (no obj_get or obj_put). Nothing is written into old until
// the array is ready, so a failure leaves the directory as it was kept.
func undoDirectory(new, old runtime.State) error {
	env := new.Env()
	if env == nil {
		return fmt.Errorf("directory %d: no target", new.Ref)
	}
	// The entries of the chains, by name, in old-layout form.
	var chained []uint64
	byName := map[string][]byte{}
	var order []string // chain order, for the entries the update added
	buckets := new.Bytes(newBucket)
	for h := 0; h < dirHash; h++ {
		for e := getUint64(buckets[8*h:]); e != 0; {
			if len(chained) > 1<<20 {
				return fmt.Errorf("directory %d: bucket %d does not end", new.Ref, h)
			}
			b, err := env.Read(e, newDirentSize)
			if err != nil {
				return fmt.Errorf("directory %d: %w", new.Ref, err)
			}
			d := make([]byte, oldDirentSize)
			copy(d[oldNameOff:oldNameOff+nameLen], b[newNameOff:newNameOff+nameLen])
			copy(d[oldObjOff:oldObjOff+8], b[newObjOff:newObjOff+8])
			copy(d[oldTypeOff:oldTypeOff+4], b[newTypeOff:newTypeOff+4])
			name := string(d[oldNameOff : oldNameOff+nameLen])
			byName[name] = d
			order = append(order, name)
			chained = append(chained, e)
			e = getUint64(b[newNextOff:])
		}
	}
	// The old array's order first.
	arr, capacity, n := old.Uint(oldEnt), old.Int(oldCap), old.Int(oldNent)
	if n < 0 || n > capacity || (capacity > 0 && arr == 0) {
		n = 0 // a fresh state (created by the new code): nothing kept
	}
	var ents [][]byte
	if n > 0 {
		kept, err := env.Read(arr, uint64(n)*oldDirentSize)
		if err != nil {
			return fmt.Errorf("directory %d: %w", new.Ref, err)
		}
		for i := int64(0); i < n; i++ {
			name := string(kept[i*oldDirentSize+oldNameOff : i*oldDirentSize+oldNameOff+nameLen])
			if d, ok := byName[name]; ok {
				ents = append(ents, d)
				delete(byName, name)
			}
		}
	}
	for i := len(order) - 1; i >= 0; i-- { // chains push at the head
		if d, ok := byName[order[i]]; ok {
			ents = append(ents, d)
			delete(byName, order[i])
		}
	}
	into, ncap := arr, capacity
	if int64(len(ents)) > capacity || arr == 0 && len(ents) > 0 {
		ncap = max(capacity, 8)
		for ncap < int64(len(ents)) {
			ncap *= 2
		}
		if into = env.Alloc(uint64(ncap) * oldDirentSize); into == 0 {
			return fmt.Errorf("directory %d: no memory for %d entries", new.Ref, ncap)
		}
	}
	buf := make([]byte, 0, len(ents)*oldDirentSize)
	for _, d := range ents {
		buf = append(buf, d...)
	}
	if len(buf) > 0 {
		if err := env.Write(into, buf); err != nil {
			if into != arr {
				_ = env.Free(into)
			}
			return fmt.Errorf("directory %d: %w", new.Ref, err)
		}
	}
	old.SetUint(oldEnt, into)
	old.SetInt(oldCap, ncap)
	old.SetInt(oldNent, int64(len(ents)))
	if into != arr && arr != 0 {
		retired.Lock()
		for i, a := range retired.arrays {
			if a == arr {
				retired.arrays = append(retired.arrays[:i], retired.arrays[i+1:]...)
				break
			}
		}
		retired.Unlock()
		_ = env.Free(arr)
	}
	for _, e := range chained {
		_ = env.Free(e)
	}
	return nil
}

// retired are the old entry arrays of the directories converted so far.
var retired struct {
	sync.Mutex
	arrays []uint64
}

func getUint64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func putUint64(b []byte, v uint64) {
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
}
