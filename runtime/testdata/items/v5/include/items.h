/* items.h — the interface of the items module of the runtime's test kernel. */
#ifndef ITEMS_H
#define ITEMS_H
#include <kernel.h>

#define NITEMS_MAX 131072

typedef ref_t ItemRef; /* object type Item; its state is private to items.c */

long Item_add(ItemRef self, long d);
long Item_get(ItemRef self);
long Item_spin(ItemRef self);
long Item_init(ItemRef self, long key);
long Item_key(ItemRef self);

long items_make(long n);
ItemRef item_at(long i);
long items_count(void);
long items_sum(void);
long items_check(void);
long item_version(void);
long item_bump(long i, long times);
extern long stop_spin;

#endif
