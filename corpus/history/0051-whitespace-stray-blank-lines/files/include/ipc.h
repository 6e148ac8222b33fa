/*
 * ipc.h — pipes.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <kernel.h>

#define PIPE_BUF	1024

typedef ref_t PipeRef;

PipeRef Pipe_create(void);
long Pipe_read(PipeRef self, void *buf, long len);
long Pipe_write(PipeRef self, const void *buf, long len);
void Pipe_open_end(PipeRef self, bool writer);
void Pipe_close_end(PipeRef self, bool writer);
long Pipe_readable(PipeRef self);

/* ---- semaphores (ipc/sem.c) ---- */
typedef ref_t SemaphoreRef;

SemaphoreRef Semaphore_create(long count);
long Semaphore_down(SemaphoreRef self);
long Semaphore_up(SemaphoreRef self);
long Semaphore_value(SemaphoreRef self);
long sem_open(long count);
SemaphoreRef sem_get(long id);
long sem_close(long id);
long sem_check_all(void);

#endif
