/*
 * region.c — memory regions of a process address space.
 *
 * A region covers npages consecutive virtual pages starting at page
 * `start`. Frames are allocated on first touch (Region_fault), so mapping a
 * large region is cheap until it is used.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <mm.h>

OBJECT_TYPE(Region) {
	struct kobj hdr;
	lock_t lock;
	long start;
	long npages;
	int prot;		/* PROT_READ | PROT_WRITE */
	long *frame;		/* frame per page, -1 until touched */
};

static void region_destroy(RegionRef self);
static FACTORY(Region, region_destroy);

RegionRef Region_create(long start, long npages, int prot)
{
	RegionRef r;
	struct Region *rg;
	long i;

	if (npages <= 0)
		return NULL_REF;
	r = factory_new(&Region_factory);
	if (r == NULL_REF)
		return NULL_REF;
	rg = DREF(Region, r);
	rg->start = start;
	rg->npages = npages;
	rg->prot = prot;
	rg->frame = kalloc(npages * sizeof(long));
	if (!rg->frame) {
		obj_put(r);
		return NULL_REF;
	}
	for (i = 0; i < npages; i++)
		rg->frame[i] = -1;
	return r;
}

static void region_destroy(RegionRef self)
{
	struct Region *rg = DREF(Region, self);
	long i;

	if (!rg->frame)
		return;
	for (i = 0; i < rg->npages; i++)
		if (rg->frame[i] >= 0)
			FrameAllocator_free(frames, rg->frame[i]);
	kfree(rg->frame);
	rg->frame = NULL;
}

long Region_fault(RegionRef self, long page)
{
	struct Region *rg = DREF(Region, self);
	long fn;

	if (page < 0 || page >= rg->npages)
		return -EFAULT;
	lock_acquire(&rg->lock);
	fn = rg->frame[page];
	if (fn < 0) {
		fn = FrameAllocator_alloc(frames, FA_ZERO);
		if (fn >= 0)
			rg->frame[page] = fn;
	}
	lock_release(&rg->lock);
	return fn;
}

long Region_read(RegionRef self, long off, void *buf, long len)
{
	struct Region *rg = DREF(Region, self);
	char *dst = buf;
	long done = 0;

	if (off < 0 || len < 0 || off + len > rg->npages * PAGE_SIZE)
		return -EFAULT;
	if (!(rg->prot & PROT_READ))
		return -EFAULT;
	while (done < len) {
		long page = (off + done) / PAGE_SIZE;
		long po = (off + done) % PAGE_SIZE;
		long n = PAGE_SIZE - po;
		long fn;

		if (n > len - done)
			n = len - done;
		fn = rg->frame[page];
		if (fn < 0)
			memset(dst + done, 0, n);
		else
			memcpy(dst + done,
			       (char *)FrameAllocator_addr(frames, fn) + po, n);
		done += n;
	}
	return done;
}

long Region_write(RegionRef self, long off, const void *buf, long len)
{
	struct Region *rg = DREF(Region, self);
	const char *src = buf;
	long done = 0;

	if (off < 0 || len < 0 || off + len > rg->npages * PAGE_SIZE)
		return -EFAULT;
	if (!(rg->prot & PROT_WRITE))
		return -EFAULT;
	while (done < len) {
		long page = (off + done) / PAGE_SIZE;
		long po = (off + done) % PAGE_SIZE;
		long n = PAGE_SIZE - po;
		long fn = Region_fault(self, page);

		if (fn < 0)
			return done ? done : fn;
		if (n > len - done)
			n = len - done;
		memcpy((char *)FrameAllocator_addr(frames, fn) + po,
		       src + done, n);

		done += n;
	}
	return done;
}

long Region_start(RegionRef self)
{
	return DREF(Region, self)->start;
}

long Region_npages(RegionRef self)
{
	return DREF(Region, self)->npages;
}

/* Region_offset is addr's offset inside the region, or -EFAULT when the
 * region does not contain addr. */
long Region_offset(RegionRef self, long addr)
{
	struct Region *rg = DREF(Region, self);
	long off = addr - rg->start * PAGE_SIZE;

	if (off < 0 || off >= rg->npages * PAGE_SIZE)
		return -EFAULT;
	return off;
}

long Region_frames(RegionRef self)
{
	struct Region *rg = DREF(Region, self);
	long i, n = 0;

	for (i = 0; i < rg->npages; i++)
		if (rg->frame[i] >= 0)
			n++;
	return n;
}

/* region_count_frames is the number of frames held by all regions. */
long region_count_frames(void)
{
	long i, n = 0;
	RegionRef r;

	for (i = 0; (r = factory_instance(&Region_factory, i)) != NULL_REF; i++)
		n += Region_frames(r);
	return n;
}
