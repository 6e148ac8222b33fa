/* Struct rvalues: members and array elements of returned structs, of
 * conditional, comma and assignment expressions, and returned structs
 * passed straight into other calls. */
#include <stdio.h>

struct vec {
	int v[4];
	const char *name;
};

static struct vec make(int base, const char *name)
{
	struct vec r = {{base, base + 1, base + 2, base + 3}, name};
	return r;
}

static struct vec add(struct vec a, struct vec b)
{
	for (int i = 0; i < 4; i++)
		a.v[i] += b.v[i];
	a.name = "sum";
	return a;
}

static int total(struct vec a) { return a.v[0] + a.v[1] + a.v[2] + a.v[3]; }

int main(void)
{
	printf("make(5).v[2]=%d name=%s\n", make(5, "five").v[2], make(5, "five").name);
	printf("total(add(make(1), make(10)))=%d\n", total(add(make(1, "a"), make(10, "b"))));
	struct vec s1 = make(100, "s1"), s2 = make(200, "s2");
	int pick = 1;
	printf("ternary member=%d %s\n", (pick ? s1 : s2).v[3], (!pick ? s1 : s2).name);
	printf("comma member=%d\n", (pick++, s2).v[0]);
	int assigned = (s1 = s2).v[1];
	printf("assignment member=%d s1.name=%s\n", assigned, s1.name);
	struct vec chained = add(add(make(0, "x"), make(1, "y")), add(make(2, "z"), s2));
	printf("chained=%d %d %d %d %s\n", chained.v[0], chained.v[1], chained.v[2], chained.v[3], chained.name);
	int sum = 0;
	for (int i = 0; i < 4; i++)
		sum += make(i * 10, "loop").v[i];
	printf("loop sum=%d pick=%d\n", sum, pick);
	return 0;
}
