/*
 * sched.c — the run queue and the timer.
 *
 * The machine has no timer interrupt: every system call is a tick. Runnable
 * processes wait in a FIFO ring; sleeping ones in an unordered list that
 * is scanned on every tick.

 */
#include <kernel.h>
#include <errno.h>
#include <list.h>
#include <obj.h>
#include <proc.h>

#define RQ_MAX	64

struct sleeper {
	struct list link;
	ProcessRef proc;
	unsigned long wake;
};

OBJECT_TYPE(RunQueue) {
	struct kobj hdr;
	lock_t lock;
	ProcessRef ring[RQ_MAX];
	long head;
	long count;
	struct list *sleepers;
	long nsleep;
};

static FACTORY(RunQueue, NULL);

RunQueueRef runqueue;
unsigned long ticks;

void RunQueue_add(RunQueueRef self, ProcessRef p)
{
	struct RunQueue *rq = DREF(RunQueue, self);

	lock_acquire(&rq->lock);
	if (rq->count == RQ_MAX)
		panic("run queue overflow");
	rq->ring[(rq->head + rq->count) % RQ_MAX] = p;
	rq->count++;
	lock_release(&rq->lock);
}

void RunQueue_remove(RunQueueRef self, ProcessRef p)
{
	struct RunQueue *rq = DREF(RunQueue, self);
	struct list *pos;
	long i, j;

	lock_acquire(&rq->lock);
	list_for_each(pos, rq->sleepers) {
		struct sleeper *s = list_entry(pos, struct sleeper);

		if (s->proc == p) {
			list_del(&s->link);
			rq->nsleep--;
			kfree(s);
			lock_release(&rq->lock);
			return;
		}
	}

	for (i = 0; i < rq->count; i++) {
		if (rq->ring[(rq->head + i) % RQ_MAX] == p) {
			for (j = i; j + 1 < rq->count; j++)
				rq->ring[(rq->head + j) % RQ_MAX] =
				    rq->ring[(rq->head + j + 1) % RQ_MAX];

			rq->count--;
			break;
		}
	}
	lock_release(&rq->lock);
}

/* RunQueue_rotate moves the process at the head to the tail and returns
 * it: the next process to run. */

ProcessRef RunQueue_rotate(RunQueueRef self)

{
	struct RunQueue *rq = DREF(RunQueue, self);
	ProcessRef p = NULL_REF;

	lock_acquire(&rq->lock);
	if (rq->count > 0) {
		p = rq->ring[rq->head];
		rq->head = (rq->head + 1) % RQ_MAX;
		rq->ring[(rq->head + rq->count - 1) % RQ_MAX] = p;
	}
	lock_release(&rq->lock);
	return p;
}

long RunQueue_sleep(RunQueueRef self, ProcessRef p, long nticks)
{
	struct RunQueue *rq = DREF(RunQueue, self);
	struct sleeper *s;

	if (nticks <= 0)
		return -EINVAL;
	if (Process_state(p) != PROC_RUNNING)
		return -EINVAL;
	s = kalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	RunQueue_remove(self, p);
	lock_acquire(&rq->lock);
	s->proc = p;
	s->wake = ticks + nticks;
	list_add_tail(&s->link, rq->sleepers);
	rq->nsleep++;
	Process_set_state(p, PROC_SLEEPING);
	lock_release(&rq->lock);
	return 0;
}

void RunQueue_tick(RunQueueRef self)
{
	struct RunQueue *rq = DREF(RunQueue, self);
	struct list *pos, *next;

	lock_acquire(&rq->lock);
	ticks++;
	for (pos = rq->sleepers->next; pos != rq->sleepers; pos = next) {
		struct sleeper *s = list_entry(pos, struct sleeper);

		next = pos->next;
		if (s->wake > ticks)
			continue;
		list_del(&s->link);
		rq->nsleep--;
		Process_set_state(s->proc, PROC_RUNNING);
		rq->ring[(rq->head + rq->count) % RQ_MAX] = s->proc;
		rq->count++;
		kfree(s);
	}
	lock_release(&rq->lock);
}

/* RunQueue_check: every queued process is running, every sleeper is
 * sleeping, and the sleeper list is well formed. */
long RunQueue_check(RunQueueRef self)
{
	struct RunQueue *rq = DREF(RunQueue, self);
	struct list *pos;
	long i, n = 0, bad = 0;

	lock_acquire(&rq->lock);
	for (i = 0; i < rq->count; i++) {
		ProcessRef p = rq->ring[(rq->head + i) % RQ_MAX];

		if (Process_state(p) != PROC_RUNNING) {
			kprintf("selfcheck: runqueue: pid %ld queued but state %ld\n",
				Process_pid(p), Process_state(p));
			bad++;
		}
	}
	list_for_each(pos, rq->sleepers) {
		struct sleeper *s = list_entry(pos, struct sleeper);

		if (pos->next->prev != pos) {
			kprintf("selfcheck: runqueue: sleeper list broken\n");
			bad++;
			break;
		}
		if (Process_state(s->proc) != PROC_SLEEPING)
			bad++;
		n++;
	}
	if (n != rq->nsleep) {
		kprintf("selfcheck: runqueue: %ld sleepers listed, %ld counted\n",
			n, rq->nsleep);
		bad++;
	}
	lock_release(&rq->lock);
	return bad;
}

void sched_init(void)
{
	struct RunQueue *rq;

	runqueue = factory_new(&RunQueue_factory);
	if (runqueue == NULL_REF)
		panic("sched_init: no memory");
	rq = DREF(RunQueue, runqueue);
	rq->sleepers = kalloc(sizeof(struct list));
	if (!rq->sleepers)
		panic("sched_init: no memory");
	list_make(rq->sleepers);
}
