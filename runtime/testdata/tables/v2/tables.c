/* tables.c, version 2: a third operation, eight counters, and op_triple,
 * which a hook puts into console_ops (the running ops table keeps its
 * storage: its size does not change). */
#include <tables.h>

#define NR_OPS 3
#define NCOUNTERS 8
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

static long op_neg(long x)
{
	return -x;
}

static long op_triple(long x)
{
	return x * 3;
}

static const op_fn op_table[NR_OPS] = { op_inc, op_dbl, op_neg };

long table_call(long nr, long x)
{
	if (nr < 0 || nr >= NR_OPS)
		return -ENOSYS;
	return op_table[nr](x);
}

static long counters[NCOUNTERS] = { 1, 2, 3, 4, 5, 6, 7, 8 };

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

static struct ops console_ops = { op_triple };

long ops_call(long x)
{
	return console_ops.apply(x);
}
