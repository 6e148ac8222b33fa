/* kernel.c, version 4 — built against Item_add(self, d, times): an update
 * that retires the adapter the interface change needed. */
#include <items.h>

enum { SYS_MAKE = 1, SYS_ADD, SYS_GET, SYS_SUM, SYS_SPIN, SYS_STOP, SYS_VERSION, SYS_BUMP };
#define EINVAL 22

static long expected;

void kernel_boot(void)
{
	kprintf("items kernel on %d cpus\n", ncpus());
}

long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	ItemRef it;
	long d;
	switch (nr) {
	case SYS_MAKE:
		return items_make(a0);
	case SYS_ADD:
		if ((it = item_at(a0)) == NULL_REF)
			return -EINVAL;
		/* No preemption point between the add and the bookkeeping, so
		 * a concurrent self-check sees both or neither. */
		d = Item_add(it, a1, 1);
		expected += a1;
		return d;
	case SYS_GET:
		if ((it = item_at(a0)) == NULL_REF)
			return -EINVAL;
		return Item_get(it);
	case SYS_SUM:
		return items_sum();
	case SYS_SPIN:
		if ((it = item_at(a0)) == NULL_REF)
			return -EINVAL;
		return Item_spin(it);
	case SYS_STOP:
		stop_spin = 1;
		return 0;
	case SYS_VERSION:
		return item_version();
	case SYS_BUMP:
		d = item_bump(a0);
		if (d > 0)
			expected += d;
		return d;
	}
	return -EINVAL;
}

long kernel_selfcheck(void)
{
	long s = items_sum();
	if (s != expected) {
		kprintf("selfcheck: sum %ld, expected %ld\n", s, expected);
		return 1;
	}
	if (obj_count("Item") != items_count()) {
		kprintf("selfcheck: %ld Item objects, %ld in the table\n", obj_count("Item"), items_count());
		return 2;
	}
	return items_check();
}
