/* counter.c — a new module with a new object type, Counter, which the
 * running kernel does not have. item_version (v9/items.c) counts its calls
 * in one Counter. */
#include <kernel.h>

OBJECT_TYPE(Counter) {
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
	return DREF(Counter, self)->n;
}

long counter_calls(void)
{
	if (calls == NULL_REF && (calls = NEW(Counter)) == NULL_REF)
		return -12;
	Counter_inc(calls);
	return Counter_get(calls);
}
