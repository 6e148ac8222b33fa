/*
 * frame.c — the physical frame allocator.
 *
 * Frames are PAGE_SIZE pieces of one pool carved out at boot. Owners
 * (regions, file caches) hold frame numbers, never addresses, so the pool
 * can be moved or grown without chasing pointers.

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
	uint64_t *bitmap;	/* one bit per frame, set when allocated */
	long hint;		/* where the last search ended */
	char *pool;
};

static FACTORY(FrameAllocator, NULL);

FrameAllocatorRef frames;

long FrameAllocator_alloc(FrameAllocatorRef self, int flags)
{
	struct FrameAllocator *fa = DREF(FrameAllocator, self);
	long i;

	long n, nwords = (fa->nframes + 63) / 64;

	lock_acquire(&fa->lock);
	/* next fit: start where the last search ended, skip full words
	 * 64 frames at a time */
	for (n = 0; n < nwords; n++) {
		long word = (fa->hint + n) % nwords;
		uint64_t w = fa->bitmap[word];
		long b;

		i = word * 64;
		if (w == ~(uint64_t)0)
			continue;
		for (b = 0; b < 64 && i + b < fa->nframes; b++) {
			if (!(w & ((uint64_t)1 << b))) {
				fa->bitmap[word] = w | ((uint64_t)1 << b);
				fa->nfree--;
				fa->hint = word;
				lock_release(&fa->lock);

				if (flags & FA_ZERO)
					memset(fa->pool + (i + b) * PAGE_SIZE, 0,
					       PAGE_SIZE);
				return i + b;
			}
		}
	}
	lock_release(&fa->lock);
	return -ENOMEM;
}

void FrameAllocator_free(FrameAllocatorRef self, long fn)
{
	struct FrameAllocator *fa = DREF(FrameAllocator, self);

	if (fn < 0 || fn >= fa->nframes)
		panic("frame_free: bad frame %ld", fn);
	lock_acquire(&fa->lock);
	if (!(fa->bitmap[fn / 64] & ((uint64_t)1 << (fn % 64))))
		panic("frame_free: frame %ld is not allocated", fn);
	fa->bitmap[fn / 64] &= ~((uint64_t)1 << (fn % 64));

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
	fa->bitmap = kalloc((NFRAMES + 63) / 64 * sizeof(uint64_t));
	fa->pool = kalloc(NFRAMES * PAGE_SIZE);
	if (!fa->bitmap || !fa->pool)
		panic("mm_init: no memory for %d frames", NFRAMES);
	kprintf("mm: %d frames of %d bytes\n", NFRAMES, PAGE_SIZE);
}
