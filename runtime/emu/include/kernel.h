/*
 * kernel.h — the target ABI of the upsynth emulated machine.
 *
 * Kernel code running on runtime/emu talks to the machine only through the
 * declarations in this header. Everything here is implemented by the
 * emulator as a builtin; nothing is linked from a host C library.
 *
 * The machine is LP64, little-endian: char 8, short 16, int 32, long and
 * pointers 64 bits.
 */
#ifndef UPSYNTH_KERNEL_H
#define UPSYNTH_KERNEL_H

typedef unsigned long size_t;
typedef long ssize_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long int64_t;
typedef unsigned long uint64_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

/* ---- memory and strings ------------------------------------------------ */

/* kalloc returns zeroed memory, or NULL when the machine's heap is full. */
void *kalloc(size_t size);
void kfree(void *p);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strchr(const char *s, int c);

/* ---- console and faults ------------------------------------------------ */

/* kprintf understands %d %i %u %x %X %o %c %s %p %%, the l and ll length
 * modifiers, '-' and '0' flags and a field width. */
int kprintf(const char *fmt, ...);
/* panic stops the machine with a fault carrying the formatted message. */
void panic(const char *fmt, ...);
#define KASSERT(cond)                                                        \
	do {                                                                 \
		if (!(cond))                                                 \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, \
			      __LINE__);                                     \
	} while (0)

/* ---- CPUs and locks ---------------------------------------------------- */

int cpu_id(void);
int ncpus(void);
/* yield lets the machine's scheduler run another CPU. */
void yield(void);

/* A lock that blocks the emulated CPU, never the host thread. Zeroed
 * memory is an unlocked lock. */
typedef struct lock {
	long owner; /* cpu id + 1 of the holder, 0 when free */
	long depth;
} lock_t;
void lock_init(lock_t *l);
void lock_acquire(lock_t *l);
void lock_release(lock_t *l);
/* lock_held reports whether the calling CPU holds l. */
bool lock_held(lock_t *l);

/* ---- objects, K42 style ------------------------------------------------ */

/*
 * Every object is reached through a ref: a stable index into the object
 * translation table (OTT) kept by the update runtime. An object type T is
 * declared with OBJECT_TYPE(T); its state is `struct T` and its methods are
 * functions named T_name whose first parameter is `TRef self`. Calls to
 * methods are dispatched through the OTT by the instance's version, so that
 * instances of one type may run different versions during a lazy update.
 */
typedef unsigned long ref_t;
#define NULL_REF ((ref_t)0)
#define OBJECT_TYPE(T) typedef ref_t T##Ref; struct T

/* obj_new creates an instance of the named type with zeroed state of the
 * given size and registers it with the type's factory. */
ref_t obj_new(const char *type, size_t size);
/* obj_state returns the instance's state (DREF); it faults on a stale or
 * freed ref. */
void *obj_state(ref_t ref);
void obj_free(ref_t ref);
/* obj_type returns the type name of an instance, or NULL for a bad ref. */
const char *obj_type(ref_t ref);
/* obj_count is the number of live instances of a type (its factory). */
long obj_count(const char *type);

#define NEW(T) ((T##Ref)obj_new(#T, sizeof(struct T)))
#define DREF(T, ref) ((struct T *)obj_state(ref))

/* ---- entry points the kernel defines ----------------------------------- */

/* kernel_boot runs once, on CPU 0, before any request. */
void kernel_boot(void);
/* kernel_syscall is what workloads call: one request, on some CPU. */
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5);
/* kernel_selfcheck verifies the kernel's invariants; 0 when they hold,
 * otherwise a nonzero code (and kprintf says which). Optional. */
long kernel_selfcheck(void);

#endif /* UPSYNTH_KERNEL_H */
