/* kernel.c — syscalls of the globals test kernel. It is never replaced:
 * its calls reach whatever code tables.c has at the time. */
#include <tables.h>

enum { SYS_TABLE = 1, SYS_ADD, SYS_GET, SYS_OPS };

void kernel_boot(void)
{
}

long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	switch (nr) {
	case SYS_TABLE:
		return table_call(a0, a1);
	case SYS_ADD:
		return count_add(a0, a1);
	case SYS_GET:
		return count_get(a0);
	case SYS_OPS:
		return ops_call(a0);
	}
	return -38;
}
