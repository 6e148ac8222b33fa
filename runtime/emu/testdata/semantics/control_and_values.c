/* Control flow and values: Duff's device, goto into a loop, va_copy,
 * structs by value, promotions, evaluation order of arguments (gcc's). */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
static int duff(char *to, const char *from, int count) {
	int n = (count + 7) / 8, copied = 0;
	switch (count % 8) {
	case 0: do { *to++ = *from++; copied++;
	case 7: *to++ = *from++; copied++;
	case 6: *to++ = *from++; copied++;
	case 5: *to++ = *from++; copied++;
	case 4: *to++ = *from++; copied++;
	case 3: *to++ = *from++; copied++;
	case 2: *to++ = *from++; copied++;
	case 1: *to++ = *from++; copied++;
		} while (--n > 0);
	}
	return copied;
}
static int gotoloop(int n) {
	int i = 0, s = 0;
	goto inside;
	for (i = 0; i < n; i++) {
		s += 100;
	inside:
		s += i;
		if (s > 1000) goto out;
	}
out:
	return s;
}
static long sum(int n, ...) {
	va_list ap, ap2;
	va_start(ap, n);
	va_copy(ap2, ap);
	long s = 0;
	for (int i = 0; i < n; i++) s += va_arg(ap, long);
	double d = va_arg(ap, double);
	s += (long)(d * 10);
	s += va_arg(ap2, long) * 1000;
	va_end(ap); va_end(ap2);
	return s;
}
struct pt { int x, y; };
static struct pt mk(int x, int y) { struct pt p = {x, y}; return p; }
static struct pt add(struct pt a, struct pt b) { a.x += b.x; a.y += b.y; return a; }
int main(void) {
	char buf[40] = {0};
	int c = duff(buf, "abcdefghijklmnopqrstuvwxyz0123456789", 29);
	printf("duff %d %s\n", c, buf);
	printf("goto %d %d\n", gotoloop(5), gotoloop(50));
	printf("va %ld\n", sum(3, 1L, 2L, 3L, 2.5));
	struct pt p = add(mk(1, 2), mk(10, 20));
	printf("pt %d %d %d\n", p.x, p.y, add(p, p).y);
	unsigned char uc = 200; signed char sc = -3; unsigned short us = 65535;
	printf("%d %d %u %d %ld\n", uc + sc, (unsigned char)(uc * 2), us * us, sc >> 1, (long)(unsigned)sc);
	long long big = 0x7fffffffffffffffLL; unsigned long ub = (unsigned long)big + 2;
	printf("%lld %lu %d\n", big + 0 - 1, ub, (int)(ub >> 60));
	int a[5] = {1,2,3,4,5}, *q = a + 4;
	printf("%td %d %d\n", q - a, *--q, q[-2]);
	float f = 1.0f / 3; double d = f;
	printf("%.10f %.3e %g\n", d, 1e300 * 10, (double)(float)0.1);
	int i = 7; i = i++ + 1; printf("%d\n", i);
	printf("%d %d\n", -7 / 2, -7 % 2);
	unsigned u = 1; printf("%u %u\n", u << 31, (u << 31) >> 31);
	char s[] = "hi"; printf("%zu %zu\n", sizeof s, strlen(s));
	static int cnt; for (int k = 0; k < 3; k++) { static int z = 10; z++; cnt += z; } printf("%d\n", cnt);
	return 0;
}
