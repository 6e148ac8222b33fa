/* tables.c, version 1: two operations, four counters. */
#include <tables.h>

#define NR_OPS 2
#define NCOUNTERS 4
#define ENOSYS 38
#define EINVAL 22

typedef long (*op_fn)(long x);

static long op_inc(long x)
{
	return x + 1;
}

static long op_dbl(long x)
{
	return x * 2;
}

static const op_fn op_table[NR_OPS] = { op_inc, op_dbl };

long table_call(long nr, long x)
{
	if (nr < 0 || nr >= NR_OPS)
		return -ENOSYS;
	return op_table[nr](x);
}

static long counters[NCOUNTERS] = { 1, 2, 3, 4 };

long count_add(long i, long d)
{
	if (i < 0 || i >= NCOUNTERS)
		return -EINVAL;
	counters[i] += d;
	return counters[i];
}

long count_get(long i)
{
	if (i < 0 || i >= NCOUNTERS)
		return -EINVAL;
	return counters[i];
}

struct ops {
	op_fn apply;
};

static struct ops console_ops = { op_inc };

long ops_call(long x)
{
	return console_ops.apply(x);
}
