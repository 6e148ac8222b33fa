/* GCC atomic builtins as kernel code uses them for reference counts,
 * flags and lock-free counters (single-threaded here, so results are
 * deterministic): __sync_* and __atomic_* with their return values. */
#include <stdio.h>

struct ref {
	int count;
	long total;
	unsigned flags;
};

static int get(struct ref *r) { return __sync_add_and_fetch(&r->count, 1); }
static int put(struct ref *r) { return __sync_sub_and_fetch(&r->count, 1) == 0; }

int main(void)
{
	struct ref r = {1, 0, 0};
	int g1 = get(&r);
	int g2 = get(&r);
	printf("get=%d get=%d\n", g1, g2);
	int p1 = put(&r);
	int p2 = put(&r);
	int p3 = put(&r);
	printf("put last=%d put last=%d put last=%d\n", p1, p2, p3);
	long old = __sync_fetch_and_add(&r.total, 10);
	printf("fetch_and_add old=%ld now=%ld\n", old, r.total);
	old = __sync_fetch_and_sub(&r.total, 3);
	printf("fetch_and_sub old=%ld now=%ld\n", old, r.total);
	unsigned prev = __sync_fetch_and_or(&r.flags, 0x5u);
	printf("fetch_and_or prev=%u flags=%u\n", prev, r.flags);
	prev = __sync_fetch_and_and(&r.flags, ~0x1u);
	printf("fetch_and_and prev=%u flags=%u\n", prev, r.flags);
	prev = __sync_fetch_and_xor(&r.flags, 0xffu);
	printf("fetch_and_xor prev=%u flags=%u\n", prev, r.flags);
	int v = 5;
	int swapped = __sync_bool_compare_and_swap(&v, 5, 9);
	int failed = __sync_bool_compare_and_swap(&v, 5, 11);
	printf("cas ok=%d cas fail=%d v=%d\n", swapped, failed, v);
	int seen = __sync_val_compare_and_swap(&v, 9, 12);
	printf("val cas seen=%d v=%d\n", seen, v);
	int lock = 0;
	int was = __sync_lock_test_and_set(&lock, 1);
	printf("test_and_set was=%d lock=%d\n", was, lock);
	__sync_lock_release(&lock);
	printf("released lock=%d\n", lock);
	__sync_synchronize();

	long counter = 0;
	__atomic_store_n(&counter, 40, __ATOMIC_RELEASE);
	long loaded = __atomic_load_n(&counter, __ATOMIC_ACQUIRE);
	long added = __atomic_add_fetch(&counter, 2, __ATOMIC_SEQ_CST);
	long before = __atomic_fetch_sub(&counter, 1, __ATOMIC_RELAXED);
	printf("atomic load=%ld add_fetch=%ld fetch_sub=%ld now=%ld\n", loaded, added, before, counter);
	long expected = 41;
	int ok = __atomic_compare_exchange_n(&counter, &expected, 100, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	printf("cmpxchg ok=%d counter=%ld expected=%ld\n", ok, counter, expected);
	expected = 1;
	ok = __atomic_compare_exchange_n(&counter, &expected, 200, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	printf("cmpxchg ok=%d counter=%ld expected=%ld\n", ok, counter, expected);
	long xchg = __atomic_exchange_n(&counter, 7, __ATOMIC_SEQ_CST);
	printf("exchange old=%ld now=%ld\n", xchg, counter);
	return 0;
}
