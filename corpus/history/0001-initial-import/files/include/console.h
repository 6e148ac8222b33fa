/*
 * console.h — the system console.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel.h>

#define CONSOLE_LOG	1024

typedef ref_t ConsoleRef;
extern ConsoleRef console;

long Console_write(ConsoleRef self, const char *buf, long len);
long Console_read(ConsoleRef self, char *buf, long len);
long Console_lines(ConsoleRef self);
void console_init(void);

#endif
