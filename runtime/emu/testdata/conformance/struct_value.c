/* Structs are values: assignment copies, parameters are copies, and
 * functions return them, including large ones and ones with arrays. */
#include <stdio.h>

struct pair {
	int a;
	long b;
};

struct big {
	int v[20];
	char name[9];
	struct pair p;
};

struct tiny {
	char c;
};

static struct pair make_pair(int a, long b)
{
	struct pair p = {a, b};
	return p;
}

static struct pair swap_pair(struct pair p)
{
	long t = p.a;
	p.a = (int)p.b;
	p.b = t;
	return p;
}

static void clobber(struct big b)
{
	for (int i = 0; i < 20; i++)
		b.v[i] = -1;
	b.name[0] = 'X';
}

static struct big fill(int base)
{
	struct big b;
	for (int i = 0; i < 20; i++)
		b.v[i] = base + i;
	for (int i = 0; i < 8; i++)
		b.name[i] = (char)('a' + (base + i) % 26);
	b.name[8] = 0;
	b.p = make_pair(base, base * 1000L);
	return b;
}

static struct tiny next(struct tiny t)
{
	t.c++;
	return t;
}

static long sum_big(const struct big *b)
{
	long s = b->p.a + b->p.b;
	for (int i = 0; i < 20; i++)
		s += b->v[i];
	return s;
}

int main(void)
{
	struct pair x = make_pair(1, 2), y;
	y = x;
	y.a = 100;
	printf("x=(%d,%ld) y=(%d,%ld)\n", x.a, x.b, y.a, y.b);
	struct pair z = swap_pair(x);
	printf("swapped=(%d,%ld) orig=(%d,%ld)\n", z.a, z.b, x.a, x.b);
	printf("field of call: %ld\n", make_pair(7, 8).b);

	struct big b = fill(3);
	clobber(b);
	printf("after clobber: v[0]=%d name=%s sum=%ld\n", b.v[0], b.name, sum_big(&b));
	struct big c = b;
	c.v[19] = 0;
	printf("copy independent: b.v[19]=%d c.v[19]=%d\n", b.v[19], c.v[19]);
	b = fill(10);
	printf("reassigned: name=%s sum=%ld p=(%d,%ld)\n", b.name, sum_big(&b), b.p.a, b.p.b);

	struct tiny t = {'a'};
	for (int i = 0; i < 5; i++)
		t = next(t);
	printf("tiny=%c\n", t.c);

	/* Chained assignment and struct in a conditional expression. */
	struct pair p1 = {1, 1}, p2 = {2, 2}, p3;
	p3 = p1 = p2;
	printf("chained: %d %d\n", p1.a, p3.a);
	struct pair pick = (p1.a > 1) ? make_pair(9, 9) : p2;
	printf("pick=%d\n", pick.a);

	/* Array of structs copied element-wise by struct assignment. */
	struct pair arr[3] = {{1, 10}, {2, 20}, {3, 30}}, out[3];
	for (int i = 0; i < 3; i++)
		out[2 - i] = swap_pair(arr[i]);
	for (int i = 0; i < 3; i++)
		printf("out[%d]=(%d,%ld)\n", i, out[i].a, out[i].b);

	/* Self-assignment through pointers. */
	struct big *pb = &b;
	*pb = *pb;
	printf("self-assign sum=%ld\n", sum_big(pb));
	return 0;
}
