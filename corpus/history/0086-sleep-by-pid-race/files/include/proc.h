/*
 * proc.h — processes and the scheduler.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <kernel.h>
#include <mm.h>

#define NFDS		32
#define NREGIONS	8
#define MAXCPUS		8
#define USER_BASE_PAGE	16

#define PROC_RUNNING	1
#define PROC_SLEEPING	2
#define PROC_ZOMBIE	3

typedef ref_t ProcessRef;
typedef ref_t RunQueueRef;

/* ---- processes (kernel/proc.c) ---- */
ProcessRef Process_create(ref_t parent, const char *name);
long Process_pid(ProcessRef self);
long Process_ppid(ProcessRef self);
long Process_state(ProcessRef self);
void Process_set_state(ProcessRef self, int state);
long Process_fd_install(ProcessRef self, ref_t of);
ref_t Process_fd_get(ProcessRef self, long fd);
long Process_fd_dup(ProcessRef self, long fd);
long Process_fd_close(ProcessRef self, long fd);

long Process_mmap(ProcessRef self, long npages, int prot);
long Process_munmap(ProcessRef self, long addr);
RegionRef Process_region(ProcessRef self, long addr);
void Process_exit(ProcessRef self, long code);
long Process_exitcode(ProcessRef self);
ProcessRef proc_lookup(long pid);
ProcessRef current(void);
long proc_check_all(void);
void proc_init(void);

/* ---- run queue and timer (kernel/sched.c) ---- */
extern RunQueueRef runqueue;
extern unsigned long ticks;
extern long sleep_max;

void RunQueue_add(RunQueueRef self, ProcessRef p);
void RunQueue_remove(RunQueueRef self, ProcessRef p);
ProcessRef RunQueue_rotate(RunQueueRef self);
long RunQueue_sleep(RunQueueRef self, long pid, long nticks);
void RunQueue_tick(RunQueueRef self);
long RunQueue_check(RunQueueRef self);
void sched_init(void);

#endif
