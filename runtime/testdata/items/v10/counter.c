/* counter.c, version 2 — Counter also counts its reads: a new version of a
 * type an earlier update added. */
#include <kernel.h>

OBJECT_TYPE(Counter) {
	long reads;
	long n;
};

long Counter_inc(CounterRef self);
long Counter_get(CounterRef self);
long counter_calls(void);

static CounterRef calls;

long Counter_inc(CounterRef self)
{
	yield();
	return ++DREF(Counter, self)->n;
}

long Counter_get(CounterRef self)
{
	struct Counter *c = DREF(Counter, self);
	c->reads++;
	return c->n;
}

long counter_calls(void)
{
	if (calls == NULL_REF && (calls = NEW(Counter)) == NULL_REF)
		return -12;
	Counter_inc(calls);
	return Counter_get(calls);
}
