/*
 * struct page and its helpers for the benchmark kernel. Written for the
 * cparse benchmark.
 */
#ifndef _MM_PAGE_H
#define _MM_PAGE_H

#include <kern/types.h>
#include <kern/atomic.h>
#include <kern/list.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PG_locked		0
#define PG_dirty		1
#define PG_reserved		2
#define PAGE_FLAGS_CHECK_AT_PREP	((1UL << PG_locked) | (1UL << PG_dirty))
#define __GFP_HIGH		0x20u
#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u
#define __GFP_NORETRY		0x1000u
#define __GFP_NORECLAIM		0x2000u
#define GFP_KERNEL		0x0cc0u

typedef unsigned int gfp_t;
struct zone;

struct page {
	unsigned long		flags;
	atomic_t		refcount;
	unsigned int		magic;
	unsigned long		private;
	struct list_head	lru;
	void			*virtual;
} __aligned(sizeof(unsigned long) * 2);

extern struct page *alloc_pages(gfp_t gfp, unsigned int order);
extern void __free_pages(struct page *page, unsigned int order);
extern unsigned long get_free_page(gfp_t gfp);
extern void free_page(unsigned long addr);
extern struct zone *page_zone(const struct page *page);
extern int register_reclaim_hook(int (*fn)(struct zone *, unsigned int, gfp_t));

static inline void *page_address(const struct page *page)
{
	return page->virtual;
}

static inline bool PageLocked(const struct page *page)
{
	return test_bit(PG_locked, &page->flags);
}

static inline void get_page(struct page *page)
{
	WARN_ON_ONCE(atomic_read(&page->refcount) <= 0);
	atomic_inc(&page->refcount);
}

static inline void put_page(struct page *page)
{
	__free_pages(page, 0);
}

#endif /* _MM_PAGE_H */
