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
// error rolls the update back.
func before(env *runtime.Env) error {
	retired.Lock()
	retired.arrays = nil
	retired.Unlock()
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

// retired are the old entry arrays of the directories converted so far.
var retired struct {
	sync.Mutex
	arrays []uint64
}

func putUint64(b []byte, v uint64) {
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
}
