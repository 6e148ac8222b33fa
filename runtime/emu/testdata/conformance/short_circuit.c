/* && and || evaluate left to right and stop early; ! yields 0 or 1;
 * the results are ints 0 or 1. */
#include <stdio.h>

static int trace[32], ntrace;

static int t(int id, int v)
{
	trace[ntrace++] = id;
	return v;
}

static void show(const char *label, int r)
{
	printf("%s = %d; evaluated:", label, r);
	for (int i = 0; i < ntrace; i++)
		printf(" %d", trace[i]);
	printf("\n");
	ntrace = 0;
}

int main(void)
{
	show("1 && 2", t(1, 1) && t(2, 1));
	show("0 && 2", t(1, 0) && t(2, 1));
	show("1 || 2", t(1, 1) || t(2, 0));
	show("0 || 2", t(1, 0) || t(2, 0));
	show("0 || 0 && 3", t(1, 0) || t(2, 0) && t(3, 1));
	show("(0 || 5) && 3", (t(1, 0) || t(2, 5)) && t(3, 7));
	show("1 && 0 || 3", t(1, 1) && t(2, 0) || t(3, 1));
	show("!0", !t(1, 0));
	show("!!42", !!t(1, 42));
	show("5 && -3 value", t(1, 5) && t(2, -3));
	int *p = 0;
	int v = 3;
	if (p && *p)
		printf("never\n");
	else
		printf("null guarded\n");
	p = &v;
	if (p && *p == 3)
		printf("deref ok\n");
	int i = 0;
	while (i < 10 && i * i < 30)
		i++;
	printf("i=%d\n", i);
	int count = 0;
	for (int k = 0; k < 20; k++)
		if (k % 2 == 0 || (count++, 0))
			continue;
	printf("odd count=%d\n", count);
	double d = 0.0;
	printf("!0.0=%d !0.5=%d\n", !d, !(d + 0.5));
	printf("ptr truth %d %d\n", !p, !!p);
	int x = 0;
	int r = (x++ || x++) && x++;
	printf("r=%d x=%d\n", r, x);
	printf("sizeof(1 && 2)=%zu\n", sizeof(1 && 2));
	return 0;
}
