/*
 * mm.h — physical frames and memory regions.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <kernel.h>

#define PAGE_SIZE	256
#define NFRAMES		256

/* ---- frame allocator (mm/frame.c) ---- */
typedef ref_t FrameAllocatorRef;
extern FrameAllocatorRef frames;

/* FrameAllocator_alloc flags */
#define FA_ZERO		0x1	/* clear the frame before handing it out */

long FrameAllocator_alloc(FrameAllocatorRef self, int flags);
void FrameAllocator_free(FrameAllocatorRef self, long fn);
void *FrameAllocator_addr(FrameAllocatorRef self, long fn);
long FrameAllocator_nfree(FrameAllocatorRef self);
long FrameAllocator_nframes(FrameAllocatorRef self);
void mm_init(void);

/* ---- regions (mm/region.c) ---- */
typedef ref_t RegionRef;

#define PROT_READ	0x1
#define PROT_WRITE	0x2

RegionRef Region_create(long start, long npages, int prot);
long Region_fault(RegionRef self, long page);
long Region_read(RegionRef self, long off, void *buf, long len);
long Region_write(RegionRef self, long off, const void *buf, long len);
long Region_start(RegionRef self);
long Region_npages(RegionRef self);
long Region_frames(RegionRef self);
long region_count_frames(void);

#endif
