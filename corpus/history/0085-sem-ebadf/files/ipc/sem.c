/*
 * sem.c — counting semaphores.
 *
 * Semaphores are named by small integers, like descriptors, but are
 * shared by every process: any process that knows the number may use it.
 * down() never blocks; it answers -EAGAIN when the count is zero and the
 * caller retries.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <ipc.h>

#define NSEMS	32

OBJECT_TYPE(Semaphore) {
	struct kobj hdr;
	lock_t lock;
	long count;
};

static FACTORY(Semaphore, NULL);

static SemaphoreRef sem_table[NSEMS];
static lock_t sem_table_lock;

SemaphoreRef Semaphore_create(long count)
{
	SemaphoreRef r = factory_new(&Semaphore_factory);

	if (r == NULL_REF)
		return NULL_REF;
	DREF(Semaphore, r)->count = count;
	return r;
}

long Semaphore_down(SemaphoreRef self)
{
	struct Semaphore *s = DREF(Semaphore, self);

	lock_acquire(&s->lock);
	if (s->count == 0) {
		lock_release(&s->lock);
		return -EAGAIN;
	}
	s->count--;
	lock_release(&s->lock);
	return 0;
}

long Semaphore_up(SemaphoreRef self)
{
	struct Semaphore *s = DREF(Semaphore, self);
	long n;

	lock_acquire(&s->lock);
	n = ++s->count;
	lock_release(&s->lock);
	return n;
}

long Semaphore_value(SemaphoreRef self)
{
	return DREF(Semaphore, self)->count;
}

long sem_open(long count)
{
	long id;

	if (count < 0)
		return -EINVAL;
	lock_acquire(&sem_table_lock);
	for (id = 0; id < NSEMS; id++) {
		if (sem_table[id] == NULL_REF) {
			sem_table[id] = Semaphore_create(count);
			lock_release(&sem_table_lock);
			return sem_table[id] == NULL_REF ? -ENOMEM : id;
		}
	}
	lock_release(&sem_table_lock);
	return -ENOSPC;
}

/* sem_get returns the semaphore numbered id, with a reference the caller
 * puts: -EINVAL for a number that can never be a semaphore, -EBADF for
 * one that is not open. */
long sem_get(long id, SemaphoreRef *out)
{
	SemaphoreRef r;

	if (id < 0 || id >= NSEMS)
		return -EINVAL;
	lock_acquire(&sem_table_lock);
	r = sem_table[id];
	if (r != NULL_REF)
		obj_get(r);
	lock_release(&sem_table_lock);
	if (r == NULL_REF)
		return -EBADF;
	*out = r;
	return 0;
}

/* sem_check_all: the calling CPU, which is between requests, must not
 * hold any semaphore's lock. */
long sem_check_all(void)
{
	long i, bad = 0;
	SemaphoreRef r;

	for (i = 0; (r = factory_instance(&Semaphore_factory, i)) != NULL_REF; i++) {
		struct Semaphore *s = DREF(Semaphore, r);

		if (lock_held(&s->lock)) {
			kprintf("selfcheck: semaphore %lu left locked\n", r);
			bad++;
		}
		if (s->count < 0) {
			kprintf("selfcheck: semaphore %lu count %ld\n", r, s->count);
			bad++;
		}
	}
	return bad;
}

long sem_close(long id)

{
	SemaphoreRef r;

	if (id < 0 || id >= NSEMS)
		return -EINVAL;
	lock_acquire(&sem_table_lock);
	r = sem_table[id];
	sem_table[id] = NULL_REF;
	lock_release(&sem_table_lock);
	if (r == NULL_REF)
		return -EBADF;
	obj_put(r);
	return 0;
}
