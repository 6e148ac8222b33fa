/* The memory functions: memcpy, overlapping memmove in both directions,
 * memset with values beyond a byte, and memcmp comparing unsigned bytes. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static void show(const char *label, const unsigned char *p, size_t n)
{
	printf("%s:", label);
	for (size_t i = 0; i < n; i++)
		printf(" %d", p[i]);
	printf("\n");
}

int main(void)
{
	unsigned char buf[16];
	for (int i = 0; i < 16; i++)
		buf[i] = (unsigned char)i;
	memmove(buf + 2, buf, 8);
	show("move right", buf, 16);
	for (int i = 0; i < 16; i++)
		buf[i] = (unsigned char)i;
	memmove(buf, buf + 3, 10);
	show("move left", buf, 16);
	memset(buf, 0x1ff, 4); /* converted to unsigned char 0xff */
	memset(buf + 4, -2, 2);
	show("memset", buf, 8);
	unsigned char a[4] = {1, 2, 0x80, 4}, b[4] = {1, 2, 0x7f, 5};
	printf("memcmp a>b: %d, b<a: %d, n=2: %d, n=0: %d\n", memcmp(a, b, 4) > 0, memcmp(b, a, 4) < 0, memcmp(a, b, 2), memcmp(a, b, 0));
	char *src = "duplicate me";
	size_t n = strlen(src) + 1;
	char *copy = malloc(n);
	char *ret = memcpy(copy, src, n);
	printf("memcpy=%s returns dst: %d\n", copy, ret == copy);
	printf("memset returns dst: %d\n", memset(copy, 'z', 3) == copy);
	printf("after memset=%s\n", copy);
	free(copy);
	int ints[5] = {1, 2, 3, 4, 5};
	memmove(&ints[1], &ints[0], 4 * sizeof(int));
	printf("ints: %d %d %d %d %d\n", ints[0], ints[1], ints[2], ints[3], ints[4]);
	struct { int x; char c; long y; } s1, s2;
	memset(&s1, 0, sizeof s1);
	memset(&s2, 0, sizeof s2);
	s1.x = s2.x = 5;
	s1.y = s2.y = -9;
	printf("struct memcmp equal: %d\n", memcmp(&s1, &s2, sizeof s1) == 0);
	long *arr = calloc(8, sizeof *arr);
	long zero_sum = 0;
	for (int i = 0; i < 8; i++)
		zero_sum += arr[i];
	printf("calloc zeroed sum=%ld\n", zero_sum);
	arr = realloc(arr, 16 * sizeof *arr);
	for (int i = 8; i < 16; i++)
		arr[i] = i;
	long s = 0;
	for (int i = 0; i < 16; i++)
		s += arr[i];
	printf("after realloc sum=%ld first kept=%ld\n", s, arr[0]);
	free(arr);
	free(NULL);
	char *r = realloc(NULL, 5);
	memcpy(r, "abcd", 5);
	printf("realloc(NULL)=%s\n", r);
	free(r);
	return 0;
}
