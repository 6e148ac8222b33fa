/*
 * pipe.c — pipes: a bounded byte queue between writers and readers.
 *
 * Reads and writes never block: an empty pipe with writers left answers
 * -EAGAIN, an empty pipe without writers is at end of file.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <ipc.h>

OBJECT_TYPE(Pipe) {
	struct kobj hdr;
	lock_t lock;
	char *buf;
	long rpos;	/* index of the next byte to read */
	long count;	/* bytes queued */

	int readers;
	int writers;
};

static void pipe_destroy(PipeRef self);
static FACTORY(Pipe, pipe_destroy);

PipeRef Pipe_create(void)
{
	PipeRef r = factory_new(&Pipe_factory);
	struct Pipe *p;

	if (r == NULL_REF)
		return NULL_REF;
	p = DREF(Pipe, r);
	p->buf = kalloc(PIPE_BUF);
	if (!p->buf) {
		obj_put(r);
		return NULL_REF;
	}
	return r;
}

static void pipe_destroy(PipeRef self)
{
	struct Pipe *p = DREF(Pipe, self);

	kfree(p->buf);
	p->buf = NULL;
}

long Pipe_read(PipeRef self, void *buf, long len)
{
	struct Pipe *p = DREF(Pipe, self);
	char *dst = buf;
	long n = 0;

	lock_acquire(&p->lock);
	if (p->count == 0) {
		long ret = p->writers ? -EAGAIN : 0;

		lock_release(&p->lock);
		return ret;
	}
	/* at most two copies: up to the end of the ring, then from its
	 * start */
	while (n < len && p->count > 0) {
		long chunk = PIPE_BUF - p->rpos;

		if (chunk > p->count)
			chunk = p->count;
		if (chunk > len - n)
			chunk = len - n;
		memcpy(dst + n, p->buf + p->rpos, chunk);
		n += chunk;
		p->rpos = (p->rpos + chunk) % PIPE_BUF;
		p->count -= chunk;
	}
	lock_release(&p->lock);
	return n;
}

long Pipe_write(PipeRef self, const void *buf, long len)
{
	struct Pipe *p = DREF(Pipe, self);
	const char *src = buf;
	long n = 0;

	lock_acquire(&p->lock);
	if (p->readers == 0) {
		lock_release(&p->lock);
		return -EPIPE;
	}

	while (n < len && p->count < PIPE_BUF) {
		long wpos = (p->rpos + p->count) % PIPE_BUF;
		long chunk = PIPE_BUF - wpos;

		if (chunk > PIPE_BUF - p->count)
			chunk = PIPE_BUF - p->count;
		if (chunk > len - n)
			chunk = len - n;
		memcpy(p->buf + wpos, src + n, chunk);
		n += chunk;
		p->count += chunk;
	}
	lock_release(&p->lock);
	if (n == 0 && len > 0)
		return -EAGAIN;
	return n;
}

void Pipe_open_end(PipeRef self, int ends)
{
	struct Pipe *p = DREF(Pipe, self);

	lock_acquire(&p->lock);
	if (ends & PIPE_WRITE)
		p->writers++;
	if (ends & PIPE_READ)
		p->readers++;
	lock_release(&p->lock);
}

void Pipe_close_end(PipeRef self, int ends)
{
	struct Pipe *p = DREF(Pipe, self);

	lock_acquire(&p->lock);
	if (ends & PIPE_WRITE)
		p->writers--;
	if (ends & PIPE_READ)
		p->readers--;
	lock_release(&p->lock);
}

long Pipe_readable(PipeRef self)
{
	return DREF(Pipe, self)->count;
}
