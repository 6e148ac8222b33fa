/* stddef.h — upsynth emulated target, hosted subset (LP64). */
#ifndef _UPSYNTH_STDDEF_H
#define _UPSYNTH_STDDEF_H
typedef unsigned long size_t;
typedef long ptrdiff_t;
typedef int wchar_t;
typedef long max_align_t;
#define NULL ((void *)0)
#define offsetof(type, member) ((size_t)&(((type *)0)->member))
#endif
