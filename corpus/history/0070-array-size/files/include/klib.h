/*
 * klib.h — small helpers shared by the whole kernel.
 */
#ifndef KERNEL_KLIB_H
#define KERNEL_KLIB_H

#include <kernel.h>

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

size_t kstrlcpy(char *dst, const char *src, size_t size);
long copy_path(char *dst, const char *upath);
long kernel_selfcheck(void);

#endif
