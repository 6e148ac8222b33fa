/* Function pointers: tables, callbacks, returning and storing them. */
#include <stdio.h>

typedef int (*binop)(int, int);

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int maxi(int a, int b) { return a > b ? a : b; }

struct op {
	const char *name;
	binop fn;
};

static const struct op ops[] = {
	{"add", add},
	{"sub", sub},
	{"mul", mul},
	{"max", maxi},
};

static int fold(const int *v, int n, int init, binop f)
{
	for (int i = 0; i < n; i++)
		init = f(init, v[i]);
	return init;
}

static binop lookup(const char *name)
{
	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		const char *a = ops[i].name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return ops[i].fn;
	}
	return 0;
}

static void apply(void (*cb)(int, void *), void *ctx, int n)
{
	for (int i = 0; i < n; i++)
		cb(i, ctx);
}

static void accumulate(int i, void *ctx)
{
	*(long *)ctx += i * i;
}

static int (*choose(int which))(int, int)
{
	return which ? mul : add;
}

struct device {
	int state;
	void (*on)(struct device *);
	void (*off)(struct device *);
};

static void dev_on(struct device *d) { d->state = 1; printf("on\n"); }
static void dev_off(struct device *d) { d->state = 0; printf("off\n"); }

int main(void)
{
	int v[] = {3, 1, 4, 1, 5, 9, 2, 6};
	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
		printf("%s: %d\n", ops[i].name, fold(v + 1, 7, v[0], ops[i].fn));
	binop f = lookup("mul");
	printf("lookup mul(6,7)=%d, lookup nope=%d\n", f(6, 7), lookup("nope") == 0);
	printf("(*f)(2,3)=%d\n", (*f)(2, 3));
	long acc = 0;
	apply(accumulate, &acc, 10);
	printf("acc=%ld\n", acc);
	printf("choose(0)(5,6)=%d choose(1)(5,6)=%d\n", choose(0)(5, 6), choose(1)(5, 6));
	binop table[2][2] = {{add, sub}, {mul, maxi}};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			printf("table[%d][%d](10,3)=%d\n", i, j, table[i][j](10, 3));
	struct device d = {0, dev_on, dev_off};
	d.on(&d);
	printf("state=%d\n", d.state);
	d.off(&d);
	printf("state=%d\n", d.state);
	printf("same fn: %d, different: %d\n", f == mul, f == add);
	void (*fp)(struct device *) = d.state ? dev_off : dev_on;
	fp(&d);
	printf("state=%d\n", d.state);
	return 0;
}
