/*
 * Physical page allocator for the benchmark kernel: buddy lists per
 * zone, per-cpu caches, reclaim hooks. Written for the cparse benchmark;
 * it is shaped like kernel code, not taken from one.
 */
#include <kern/types.h>
#include <kern/spinlock.h>
#include <kern/list.h>
#include <kern/atomic.h>
#include <kern/printk.h>
#include <kern/bug.h>
#include <mm/page.h>
#include <mm/zone.h>

#define MAX_ORDER		11
#define PCP_BATCH		31
#define PCP_HIGH		(PCP_BATCH * 6)
#define ZONE_WMARK_MIN		0
#define ZONE_WMARK_LOW		1
#define ZONE_WMARK_HIGH		2
#define PAGE_BUDDY_MAGIC	0xb0dd1e5u
#define page_order(pg)		((pg)->private)
#define set_page_order(pg, o)	do { (pg)->private = (o); } while (0)
#define pfn_to_page(pfn)	(mem_map + ((pfn) - base_pfn))
#define page_to_pfn(pg)		((unsigned long)((pg) - mem_map) + base_pfn)

enum alloc_flags {
	ALLOC_WMARK_MIN		= 1u << 0,
	ALLOC_WMARK_LOW		= 1u << 1,
	ALLOC_HARDER		= 1u << 2,
	ALLOC_NO_RECLAIM	= 1u << 3,
	ALLOC_ZERO		= 1u << 4,
};

struct free_area {
	struct list_head	free_list;
	unsigned long		nr_free;
};

struct per_cpu_pages {
	int			count;
	int			high;
	int			batch;
	struct list_head	list;
};

struct zone {
	spinlock_t		lock;
	const char		*name;
	unsigned long		zone_start_pfn;
	unsigned long		spanned_pages;
	unsigned long		managed_pages;
	unsigned long		watermark[3];
	atomic_long_t		free_pages;
	struct free_area	free_area[MAX_ORDER];
	struct per_cpu_pages	pcp[NR_CPUS];
	unsigned int		reclaim_failures;
	unsigned long		flags;
};

struct alloc_stats {
	unsigned long	allocs[MAX_ORDER];
	unsigned long	frees[MAX_ORDER];
	unsigned long	fallbacks;
	unsigned long	failures;
};

static struct zone zones[MAX_NR_ZONES];
static int nr_zones;
static struct page *mem_map;
static unsigned long base_pfn;
static struct alloc_stats stats;
static DEFINE_SPINLOCK(stats_lock);
int page_alloc_debug __read_mostly;

typedef int (*reclaim_fn)(struct zone *zone, unsigned int order, gfp_t gfp);
static reclaim_fn reclaim_hooks[4];

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < zone_end_pfn(zone);
}

static inline bool page_is_buddy(struct page *page, struct page *buddy,
				 unsigned int order)
{
	if (buddy->magic != PAGE_BUDDY_MAGIC)
		return false;
	if (page_order(buddy) != order)
		return false;
	if (page_zone(page) != page_zone(buddy))
		return false;
	return true;
}

static void account_alloc(unsigned int order, bool fallback)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	stats.allocs[order]++;
	if (fallback)
		stats.fallbacks++;
	spin_unlock_irqrestore(&stats_lock, flags);
}

static void account_free(unsigned int order)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	stats.frees[order]++;
	spin_unlock_irqrestore(&stats_lock, flags);
}

static void add_to_free_area(struct page *page, struct zone *zone,
			     unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	list_add(&page->lru, &area->free_list);
	page->magic = PAGE_BUDDY_MAGIC;
	set_page_order(page, order);
	area->nr_free++;
}

static void del_from_free_area(struct page *page, struct zone *zone,
			       unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	list_del(&page->lru);
	page->magic = 0;
	set_page_order(page, 0);
	area->nr_free--;
}

/*
 * Split a block of order high down to order low, giving the upper halves
 * back to the free lists as it goes.
 */
static void expand(struct zone *zone, struct page *page, unsigned int low,
		   unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		if (page_alloc_debug > 1)
			pr_debug("expand: %s pfn %lu order %u\n", zone->name,
				 page_to_pfn(&page[size]), high);
		add_to_free_area(&page[size], zone, high);
	}
}

static struct page *take_from_free_list(struct zone *zone, unsigned int order)
{
	unsigned int current_order;
	struct free_area *area;
	struct page *page;

	for (current_order = order; current_order < MAX_ORDER; ++current_order) {
		area = &zone->free_area[current_order];
		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_area(page, zone, current_order);
		expand(zone, page, order, current_order);
		account_alloc(order, current_order != order);
		return page;
	}
	return NULL;
}

static void merge_and_free(struct zone *zone, struct page *page,
			   unsigned long pfn, unsigned int order)
{
	unsigned long buddy_pfn, combined_pfn;
	struct page *buddy;

	while (order < MAX_ORDER - 1) {
		buddy_pfn = pfn ^ (1UL << order);
		if (!zone_spans_pfn(zone, buddy_pfn))
			break;
		buddy = page + (buddy_pfn - pfn);
		if (!page_is_buddy(page, buddy, order))
			break;
		del_from_free_area(buddy, zone, order);
		combined_pfn = buddy_pfn & pfn;
		page = page + (combined_pfn - pfn);
		pfn = combined_pfn;
		order++;
	}
	add_to_free_area(page, zone, order);
}

static bool zone_watermark_ok(struct zone *zone, unsigned int order,
			      unsigned long mark, unsigned int alloc_flags)
{
	long free = atomic_long_read(&zone->free_pages);
	long min = mark;
	unsigned int o;

	free -= (1L << order) - 1;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free <= min)
		return false;
	if (!order)
		return true;
	for (o = order; o < MAX_ORDER; o++) {
		if (zone->free_area[o].nr_free)
			return true;
	}
	return false;
}

static int rmqueue_bulk(struct zone *zone, unsigned int count,
			struct list_head *list)
{
	int i, taken = 0;

	spin_lock(&zone->lock);
	for (i = 0; i < count; ++i) {
		struct page *page = take_from_free_list(zone, 0);

		if (unlikely(page == NULL))
			break;
		list_add_tail(&page->lru, list);
		taken++;
	}
	atomic_long_sub(taken, &zone->free_pages);
	spin_unlock(&zone->lock);
	return taken;
}

static void free_pcp_batch(struct zone *zone, struct per_cpu_pages *pcp,
			   int count)
{
	struct page *page, *next;

	spin_lock(&zone->lock);
	list_for_each_entry_safe(page, next, &pcp->list, lru) {
		if (count-- <= 0)
			break;
		list_del(&page->lru);
		pcp->count--;
		merge_and_free(zone, page, page_to_pfn(page), 0);
		atomic_long_inc(&zone->free_pages);
	}
	spin_unlock(&zone->lock);
}

static struct page *rmqueue_pcp(struct zone *zone, gfp_t gfp)
{
	struct per_cpu_pages *pcp;
	struct page *page = NULL;
	unsigned long flags;

	local_irq_save(flags);
	pcp = &zone->pcp[smp_processor_id()];
	if (list_empty(&pcp->list)) {
		pcp->count += rmqueue_bulk(zone, pcp->batch, &pcp->list);
		if (list_empty(&pcp->list))
			goto out;
	}
	page = list_first_entry(&pcp->list, struct page, lru);
	list_del(&page->lru);
	pcp->count--;
out:
	local_irq_restore(flags);
	return page;
}

static struct page *rmqueue(struct zone *zone, unsigned int order, gfp_t gfp)
{
	unsigned long flags;
	struct page *page;

	if (likely(order == 0))
		return rmqueue_pcp(zone, gfp);

	spin_lock_irqsave(&zone->lock, flags);
	page = take_from_free_list(zone, order);
	if (page)
		atomic_long_sub(1L << order, &zone->free_pages);
	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

static int run_reclaim(struct zone *zone, unsigned int order, gfp_t gfp)
{
	int i, reclaimed = 0;

	for (i = 0; i < ARRAY_SIZE(reclaim_hooks); i++) {
		if (!reclaim_hooks[i])
			continue;
		reclaimed += reclaim_hooks[i](zone, order, gfp);
		if (zone_watermark_ok(zone, order, zone->watermark[ZONE_WMARK_LOW], 0))
			break;
	}
	if (!reclaimed)
		zone->reclaim_failures++;
	else
		zone->reclaim_failures = 0;
	return reclaimed;
}

int register_reclaim_hook(reclaim_fn fn)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(reclaim_hooks); i++) {
		if (reclaim_hooks[i] == NULL) {
			reclaim_hooks[i] = fn;
			return 0;
		}
	}
	return -ENOSPC;
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long i;

	atomic_set(&page->refcount, 1);
	page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
	if (gfp & __GFP_ZERO) {
		for (i = 0; i < (1UL << order); i++)
			clear_page(page_address(page + i));
	}
	if (order)
		set_page_order(page, order);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	struct zone *zone;
	struct page *page;
	int retries = 0, z;

	if (WARN_ON_ONCE(order >= MAX_ORDER))
		return NULL;
	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_HARDER;
retry:
	for (z = nr_zones - 1; z >= 0; z--) {
		zone = &zones[z];
		if (!zone_allowed(zone, gfp))
			continue;
		if (!zone_watermark_ok(zone, order, zone->watermark[ZONE_WMARK_LOW],
				       alloc_flags)) {
			if (gfp & __GFP_NORECLAIM)
				continue;
			if (!run_reclaim(zone, order, gfp))
				continue;
		}
		page = rmqueue(zone, order, gfp);
		if (page) {
			prep_new_page(page, order, gfp);
			return page;
		}
	}
	if (!(gfp & __GFP_NORETRY) && retries++ < 3) {
		cond_resched();
		goto retry;
	}
	spin_lock(&stats_lock);
	stats.failures++;
	spin_unlock(&stats_lock);
	if (!(gfp & __GFP_NOWARN))
		pr_warn("page allocation failure: order:%u, mode:%#x\n", order, gfp);
	return NULL;
}

void __free_pages(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	struct per_cpu_pages *pcp;
	unsigned long flags;

	if (!atomic_dec_and_test(&page->refcount))
		return;
	account_free(order);
	if (order == 0) {
		local_irq_save(flags);
		pcp = &zone->pcp[smp_processor_id()];
		list_add(&page->lru, &pcp->list);
		pcp->count++;
		if (pcp->count >= pcp->high)
			free_pcp_batch(zone, pcp, pcp->batch);
		local_irq_restore(flags);
		return;
	}
	spin_lock_irqsave(&zone->lock, flags);
	merge_and_free(zone, page, page_to_pfn(page), order);
	atomic_long_add(1L << order, &zone->free_pages);
	spin_unlock_irqrestore(&zone->lock, flags);
}

unsigned long get_free_page(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, 0);

	if (!page)
		return 0;
	return (unsigned long)page_address(page);
}

void free_page(unsigned long addr)
{
	if (addr != 0) {
		BUG_ON(!virt_addr_valid(addr));
		__free_pages(virt_to_page(addr), 0);
	}
}

static void setup_zone_pcp(struct zone *zone)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct per_cpu_pages *pcp = &zone->pcp[cpu];

		INIT_LIST_HEAD(&pcp->list);
		pcp->count = 0;
		pcp->batch = PCP_BATCH;
		pcp->high = PCP_HIGH;
	}
}

static void setup_zone_watermarks(struct zone *zone)
{
	unsigned long min = zone->managed_pages / 256;

	if (min < 32)
		min = 32;
	zone->watermark[ZONE_WMARK_MIN] = min;
	zone->watermark[ZONE_WMARK_LOW] = min + min / 4;
	zone->watermark[ZONE_WMARK_HIGH] = min + min / 2;
}

int __init init_zone(const char *name, unsigned long start_pfn,
		     unsigned long nr_pages)
{
	struct zone *zone;
	unsigned long pfn, end;
	unsigned int order;

	if (nr_zones >= MAX_NR_ZONES) {
		pr_err("init_zone: too many zones for %s\n", name);
		return -ENOMEM;
	}
	zone = &zones[nr_zones++];
	spin_lock_init(&zone->lock);
	zone->name = name;
	zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = nr_pages;
	zone->managed_pages = nr_pages;
	for (order = 0; order < MAX_ORDER; order++) {
		INIT_LIST_HEAD(&zone->free_area[order].free_list);
		zone->free_area[order].nr_free = 0;
	}
	setup_zone_pcp(zone);
	setup_zone_watermarks(zone);
	end = start_pfn + nr_pages;
	for (pfn = start_pfn; pfn < end; ) {
		order = MAX_ORDER - 1;
		while (order && ((pfn & ((1UL << order) - 1)) || pfn + (1UL << order) > end))
			order--;
		merge_and_free(zone, pfn_to_page(pfn), pfn, order);
		atomic_long_add(1L << order, &zone->free_pages);
		pfn += 1UL << order;
	}
	pr_info("zone %s: %lu pages from pfn %lu\n", name, nr_pages, start_pfn);
	return 0;
}

void show_free_areas(void)
{
	unsigned long flags;
	unsigned int order;
	int z;

	for (z = 0; z < nr_zones; z++) {
		struct zone *zone = &zones[z];

		spin_lock_irqsave(&zone->lock, flags);
		printk("%s: free %ld min %lu low %lu high %lu\n", zone->name,
		       atomic_long_read(&zone->free_pages),
		       zone->watermark[ZONE_WMARK_MIN],
		       zone->watermark[ZONE_WMARK_LOW],
		       zone->watermark[ZONE_WMARK_HIGH]);
		for (order = 0; order < MAX_ORDER; order++)
			printk("  order %2u: %lu\n", order, zone->free_area[order].nr_free);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	printk("fallbacks %lu failures %lu\n", stats.fallbacks, stats.failures);
}
