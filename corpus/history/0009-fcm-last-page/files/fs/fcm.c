/*
 * fcm.c — the file cache manager.
 *
 * Every file keeps its contents in page frames managed by one FCM. The FCM
 * maps a file page index to the frame holding it; pages are created on
 * first write and dropped on truncate.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <mm.h>
#include <fs.h>

OBJECT_TYPE(FCM) {
	struct kobj hdr;
	lock_t lock;
	long cap;		/* entries in page[] */
	long *page;		/* frame per file page, -1 when absent */
	long resident;
	long last_idx;		/* the page asked for last, and its frame: */
	long last_fn;		/* sequential access asks for it again */
	long hits;
};

static void fcm_destroy(FCMRef self);
static FACTORY(FCM, fcm_destroy);

FCMRef FCM_create(void)
{
	FCMRef r = factory_new(&FCM_factory);
	struct FCM *c;
	long i;

	if (r == NULL_REF)
		return NULL_REF;
	c = DREF(FCM, r);
	c->cap = FILE_MAX_PAGES;
	c->page = kalloc(c->cap * sizeof(long));
	if (!c->page) {
		obj_put(r);
		return NULL_REF;
	}
	for (i = 0; i < c->cap; i++)
		c->page[i] = -1;
	c->last_idx = -1;
	return r;
}

static void fcm_destroy(FCMRef self)
{
	struct FCM *c = DREF(FCM, self);

	if (!c->page)
		return;
	FCM_truncate(self, 0);
	kfree(c->page);
	c->page = NULL;
}

void *FCM_getpage(FCMRef self, long idx, bool create)
{
	struct FCM *c = DREF(FCM, self);
	long fn;

	if (idx < 0 || idx >= c->cap)
		return NULL;
	lock_acquire(&c->lock);
	if (idx == c->last_idx) {
		fn = c->last_fn;
		c->hits++;
		lock_release(&c->lock);
		return FrameAllocator_addr(frames, fn);
	}
	fn = c->page[idx];
	if (fn < 0 && create) {
		fn = FrameAllocator_alloc(frames);
		if (fn >= 0) {
			c->page[idx] = fn;
			c->resident++;
		}
	}
	if (fn >= 0) {
		c->last_idx = idx;
		c->last_fn = fn;
	}
	lock_release(&c->lock);
	if (fn < 0)
		return NULL;
	return FrameAllocator_addr(frames, fn);
}

void FCM_truncate(FCMRef self, long npages)
{
	struct FCM *c = DREF(FCM, self);
	long i;

	lock_acquire(&c->lock);
	for (i = npages; i < c->cap; i++) {
		if (c->page[i] >= 0) {
			if (i == c->last_idx)
				c->last_idx = -1;
			FrameAllocator_free(frames, c->page[i]);

			c->page[i] = -1;
			c->resident--;
		}
	}
	lock_release(&c->lock);
}

long FCM_resident(FCMRef self)
{
	return DREF(FCM, self)->resident;
}

long fcm_count_frames(void)
{
	long i, n = 0;
	FCMRef r;

	for (i = 0; (r = factory_instance(&FCM_factory, i)) != NULL_REF; i++)
		n += FCM_resident(r);
	return n;
}
