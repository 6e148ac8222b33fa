/* items.c, version 9 — item_version counts its calls in a Counter, an
 * object type of the new module counter.c. */
#include <items.h>

long counter_calls(void);

struct Item {
	long key;
	long value;
	long hits;
};

static ItemRef items[NITEMS_MAX];
static long nitems;
long stop_spin;

long Item_add(ItemRef self, long d)
{
	yield(); /* a preemption point: calls are in flight on several CPUs */
	struct Item *it = DREF(Item, self);
	it->value += d;
	it->hits++;
	return it->value;
}

long Item_get(ItemRef self)
{
	return DREF(Item, self)->value;
}

long Item_init(ItemRef self, long key)
{
	DREF(Item, self)->key = key;
	return key;
}

long Item_key(ItemRef self)
{
	return DREF(Item, self)->key;
}

long Item_spin(ItemRef self)
{
	while (!stop_spin)
		yield();
	return DREF(Item, self)->key;
}

long items_make(long n)
{
	for (long i = 0; i < n && nitems < NITEMS_MAX; i++) {
		ItemRef r = (ItemRef)obj_new("Item", sizeof(struct Item));
		if (r == NULL_REF)
			return -12;
		Item_init(r, nitems);
		items[nitems++] = r;
	}
	return nitems;
}

ItemRef item_at(long i)
{
	if (i < 0 || i >= nitems)
		return NULL_REF;
	return items[i];
}

long items_count(void)
{
	return nitems;
}

long items_sum(void)
{
	long s = 0;
	for (long i = 0; i < nitems; i++)
		s += Item_get(items[i]);
	return s;
}

long items_check(void)
{
	for (long i = 0; i < nitems; i++) {
		if (Item_key(items[i]) != i) {
			kprintf("selfcheck: item %ld has key %ld\n", i, Item_key(items[i]));
			return 3;
		}
	}
	return 0;
}

long item_version(void)
{
	return counter_calls();
}

long item_bump(long i)
{
	ItemRef it = item_at(i);
	if (it == NULL_REF)
		return 0;
	Item_add(it, 1);
	return 1;
}
