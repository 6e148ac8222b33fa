/*
 * frame.c — the physical frame allocator.
 *
 * Frames are PAGE_SIZE pieces of one pool carved out at boot. Owners
 * (regions, file caches) hold frame numbers, never addresses, so the pool
 * could be moved or grown without chasing pointers.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <mm.h>

OBJECT_TYPE(FrameAllocator) {
	struct kobj hdr;
	lock_t lock;
	long nframes;
	long nfree;
	uint8_t *used;		/* one byte per frame, 1 when allocated */
	char *pool;
};

static FACTORY(FrameAllocator, NULL);

FrameAllocatorRef frames;

long FrameAllocator_alloc(FrameAllocatorRef self)
{
	struct FrameAllocator *fa = DREF(FrameAllocator, self);
	long i;

	lock_acquire(&fa->lock);
	for (i = 0; i < fa->nframes; i++) {
		if (!fa->used[i]) {
			fa->used[i] = 1;
			fa->nfree--;
			lock_release(&fa->lock);
			return i;
		}
	}
	lock_release(&fa->lock);
	return -ENOMEM;
}

void FrameAllocator_free(FrameAllocatorRef self, long fn)
{
	struct FrameAllocator *fa = DREF(FrameAllocator, self);

	if (fn < 0 || fn > fa->nframes)
		panic("frame_free: bad frame %ld", fn);
	lock_acquire(&fa->lock);
	fa->used[fn] = 0;
	fa->nfree++;
	lock_release(&fa->lock);
}

void *FrameAllocator_addr(FrameAllocatorRef self, long fn)
{
	struct FrameAllocator *fa = DREF(FrameAllocator, self);

	if (fn < 0 || fn >= fa->nframes)
		return NULL;
	return fa->pool + fn * PAGE_SIZE;
}

long FrameAllocator_nfree(FrameAllocatorRef self)
{
	return DREF(FrameAllocator, self)->nfree;
}

long FrameAllocator_nframes(FrameAllocatorRef self)
{
	return DREF(FrameAllocator, self)->nframes;
}

void mm_init(void)
{
	struct FrameAllocator *fa;

	frames = factory_new(&FrameAllocator_factory);
	if (frames == NULL_REF)
		panic("mm_init: no memory for the frame allocator");
	fa = DREF(FrameAllocator, frames);
	fa->nframes = NFRAMES;
	fa->nfree = NFRAMES;
	fa->used = kalloc(NFRAMES);
	fa->pool = kalloc(NFRAMES * PAGE_SIZE);
	if (!fa->used || !fa->pool)
		panic("mm_init: no memory for %d frames", NFRAMES);
	kprintf("mm: %d frames of %d bytes\n", NFRAMES, PAGE_SIZE);
}
