/* Pointer arithmetic scales by the pointee size; differences are in
 * elements; pointers to arrays and multi-dimensional arrays. */
#include <stdio.h>
#include <stddef.h>

struct rec {
	int id;
	char tag[6];
	double w;
};

int main(void)
{
	int a[10];
	for (int i = 0; i < 10; i++)
		a[i] = i * i;
	int *p = a, *q = &a[7];
	printf("q - p = %td, p - q = %td\n", q - p, p - q);
	printf("*(p + 3) = %d, 3[a] = %d, q[-2] = %d\n", *(p + 3), 3[a], q[-2]);
	printf("byte distance = %td\n", (char *)q - (char *)p);
	printf("p < q: %d, q >= a + 7: %d, p + 10 == a + 10: %d\n", p < q, q >= a + 7, p + 10 == a + 10);
	int *end = a + 10;
	int sum = 0;
	for (int *it = a; it != end; ++it)
		sum += *it;
	printf("sum = %d\n", sum);
	p += 4;
	p--;
	printf("*p after += 4, -- = %d\n", *p);
	int first = *p++;
	printf("*p++ = %d, then *p = %d\n", first, *p);
	printf("*++p = %d\n", *++p);

	struct rec rs[4];
	struct rec *r = rs;
	printf("sizeof(struct rec) = %zu\n", sizeof(struct rec));
	printf("(char *)(r + 3) - (char *)r = %td\n", (char *)(r + 3) - (char *)r);
	printf("&rs[2].w - &rs[0].w = %td\n", &rs[2].w - &rs[0].w);

	int m[3][4];
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			m[i][j] = i * 10 + j;
	int (*row)[4] = m;
	printf("row[2][3] = %d, *(*(row + 1) + 2) = %d\n", row[2][3], *(*(row + 1) + 2));
	printf("sizeof m = %zu, sizeof m[0] = %zu, sizeof *row = %zu\n", sizeof m, sizeof m[0], sizeof *row);
	printf("(row + 1) - row = %td, bytes = %td\n", (row + 1) - row, (char *)(row + 1) - (char *)row);
	int *flat = &m[0][0];
	printf("flat[9] = %d\n", flat[9]);

	char *strs[] = {"alpha", "beta", "gamma"};
	char **sp = strs;
	printf("%s %c %c\n", *(sp + 1), *(*(sp + 2) + 1), sp[0][4]);
	void *v = a;
	printf("void* distance = %td\n", (char *)v + 8 - (char *)a);
	ptrdiff_t d = &a[9] - &a[1];
	printf("ptrdiff %td\n", d);
	const char *s = "hello";
	const char *e = s;
	while (*e)
		e++;
	printf("strlen by pointers %td\n", e - s);
	long la[5] = {1, 2, 3, 4, 5};
	long *lp = &la[4];
	printf("lp[-4] = %ld, lp - la = %td\n", lp[-4], lp - la);
	return 0;
}
