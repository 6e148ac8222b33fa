/* kernel.c — a small kernel for the emulator's tests: files (objects in
 * the OTT), a shared counter under a lock, and a self-check. */
#include <fs.h>

enum { SYS_OPEN = 1, SYS_WRITE, SYS_READ, SYS_CLOSE, SYS_INC, SYS_GET, SYS_SIZE, SYS_PANIC, SYS_NULL, SYS_LOOP };
#define EINVAL 22
#define EMFILE 24

OBJECT_TYPE(Counter) {
	long value;
	long incs;
	lock_t lock;
};

static CounterRef counter;
static long booted;

long Counter_add(CounterRef self, long d)
{
	struct Counter *c = DREF(Counter, self);
	lock_acquire(&c->lock);
	long v = c->value;
	yield(); /* a preemption point inside the critical section */
	c->value = v + d;
	c->incs++;
	lock_release(&c->lock);
	return c->value;
}

long Counter_get(CounterRef self)
{
	return DREF(Counter, self)->value;
}

void kernel_boot(void)
{
	counter = NEW(Counter);
	booted = 1;
	kprintf("boot: %d cpus\n", ncpus());
}

static long sys_open(const char *name)
{
	lock_acquire(&files_lock);
	for (int fd = 0; fd < NFILES; fd++) {
		if (files[fd] == NULL_REF) {
			files[fd] = File_create(name);
			lock_release(&files_lock);
			return fd;
		}
	}
	lock_release(&files_lock);
	return -EMFILE;
}

static FileRef file(long fd)
{
	if (fd < 0 || fd >= NFILES)
		return NULL_REF;
	return files[fd];
}

long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	FileRef f;
	switch (nr) {
	case SYS_OPEN:
		return sys_open((const char *)a0);
	case SYS_WRITE:
	case SYS_READ:
	case SYS_SIZE:
		if ((f = file(a0)) == NULL_REF)
			return -EINVAL;
		if (nr == SYS_WRITE)
			return File_write(f, (const char *)a1, a2);
		if (nr == SYS_READ)
			return File_read(f, (char *)a1, a2);
		return File_size(f);
	case SYS_CLOSE:
		if ((f = file(a0)) == NULL_REF)
			return -EINVAL;
		lock_acquire(&files_lock);
		files[a0] = NULL_REF;
		lock_release(&files_lock);
		File_destroy(f);
		return 0;
	case SYS_INC:
		return Counter_add(counter, a0);
	case SYS_GET:
		kprintf("counter=%ld on cpu %d\n", Counter_get(counter), cpu_id());
		return Counter_get(counter);
	case SYS_PANIC:
		panic("requested panic %ld", a0);
	case SYS_NULL:
		return *(long *)a0;
	case SYS_LOOP:
		for (;;)
			;
	}
	return -EINVAL;
}

long kernel_selfcheck(void)
{
	struct Counter *c = DREF(Counter, counter);
	if (!booted) {
		kprintf("selfcheck: not booted\n");
		return 1;
	}
	if (c->value < 0 || c->lock.owner != 0) {
		kprintf("selfcheck: counter broken\n");
		return 2;
	}
	long open = 0;
	for (int fd = 0; fd < NFILES; fd++)
		if (files[fd] != NULL_REF)
			open++;
	if (obj_count("File") != open) {
		kprintf("selfcheck: %ld files open, %ld File objects\n", open, obj_count("File"));
		return 3;
	}
	return 0;
}
