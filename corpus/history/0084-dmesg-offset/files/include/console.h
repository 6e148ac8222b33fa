/*
 * console.h — the system console.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel.h>

#define CONSOLE_LOG	1024

typedef ref_t ConsoleRef;
extern ConsoleRef console;

/* Console_write flags */
#define CON_NOECHO	0x1	/* into the log only; the caller already printed it */

long Console_write(ConsoleRef self, const char *buf, long len, int flags);
void klog(const char *msg);
long Console_read(ConsoleRef self, long off, char *buf, long len);
void console_init(void);

#endif
