/* Basic kernel types, as a kernel's own header would define them. */
#ifndef TYPES_H
#define TYPES_H

typedef unsigned int uint;
typedef unsigned short ushort;
typedef unsigned char uchar;
typedef unsigned long uint64;
typedef long ssize_t;
typedef unsigned long size_t;

#define NULL ((void *)0)
#define NPROC 64
#define NOFILE 16

struct spinlock {
  uint locked;
  char *name;
  int cpu;
};

void acquire(struct spinlock *lk);
void release(struct spinlock *lk);
int holding(struct spinlock *lk);

static inline uint
readeflags(void)
{
  uint eflags;
  asm volatile("pushfl; popl %0" : "=r" (eflags));
  return eflags;
}

#endif
