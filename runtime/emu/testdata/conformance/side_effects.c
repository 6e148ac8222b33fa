/* Each operand with side effects is evaluated exactly once: compound
 * assignment and ++/-- on subscripted, dereferenced and member lvalues
 * (including bitfields), switch controlling expressions, and the value
 * of an assignment expression, which is the converted stored value. */
#include <stdio.h>

static int calls;
static int idx(int i)
{
	calls++;
	return i;
}

struct s {
	int v;
	unsigned bf : 4;
	long arr[3];
};

static struct s objs[3];
static struct s *obj(int i)
{
	calls++;
	return &objs[i];
}

int main(void)
{
	int a[5] = {0, 10, 20, 30, 40};
	int i = 1;
	a[i++] += 5;
	printf("a[1]=%d i=%d\n", a[1], i);
	calls = 0;
	a[idx(2)] *= 3;
	a[idx(3)]++;
	++a[idx(4)];
	a[idx(0)] -= a[idx(1)];
	printf("a=%d %d %d %d %d calls=%d\n", a[0], a[1], a[2], a[3], a[4], calls);
	int *p = a;
	*p++ |= 0x100;
	*p++ <<= 2;
	printf("a[0]=%d a[1]=%d p-a=%td\n", a[0], a[1], p - a);
	calls = 0;
	obj(1)->v += 7;
	obj(1)->bf += 9;
	obj(1)->bf += 9;
	obj(2)->arr[idx(1)] -= 4;
	obj(0)->bf++;
	--obj(0)->v;
	printf("objs: v=%d,%d bf=%u,%u arr=%ld calls=%d\n", objs[0].v, objs[1].v, objs[0].bf, objs[1].bf, objs[2].arr[1], calls);
	calls = 0;
	switch (idx(2)) {
	case 1:
		printf("one\n");
		break;
	case 2:
		printf("two, calls=%d\n", calls);
		break;
	}
	char c;
	int n = c = 300;
	unsigned char uc;
	printf("n=%d c=%d (uc = 300) == 44: %d\n", n, c, (uc = 300) == 44);
	long l;
	int k;
	l = k = 0x7fffffff;
	printf("l=%ld k=%d\n", l, k);
	double d;
	int t = d = 2.75;
	printf("t=%d d=%.2f\n", t, d);
	unsigned u = 0;
	int neg = (u -= 1) > 0;
	printf("neg=%d u=%u\n", neg, u);
	struct s local = {0};
	local.bf = 20;
	int bfv = (local.bf = 20);
	printf("bitfield assignment value=%d stored=%u\n", bfv, local.bf);
	calls = 0;
	int r = idx(1) ? idx(2) : idx(3);
	int q = idx(0) && idx(1);
	printf("r=%d q=%d calls=%d\n", r, q, calls);
	calls = 0;
	int x = 5;
	x += idx(1) + idx(2);
	printf("x=%d calls=%d\n", x, calls);
	return 0;
}
