/* Integer and character constants: the type each literal gets (by value,
 * base and suffix), octal and hex forms, character constants with
 * escapes (char is signed), and string concatenation next to escapes. */
#include <stdio.h>

int main(void)
{
	printf("sizes: 2147483647:%zu 2147483648:%zu 0x7fffffff:%zu 0x80000000:%zu 0xffffffff:%zu 0x100000000:%zu\n",
	       sizeof(2147483647), sizeof(2147483648), sizeof(0x7fffffff), sizeof(0x80000000), sizeof(0xffffffff), sizeof(0x100000000));
	printf("signedness: %d %d %d %d\n", 0x80000000 > 0, -0x80000000 > 0, -2147483648 < 0, 0xffffffff + 1 == 0);
	printf("sizeof(-2147483648)=%zu 9223372036854775807:%zu 0x8000000000000000 > 0:%d\n", sizeof(-2147483648), sizeof(9223372036854775807), 0x8000000000000000 > 0);
	printf("suffixes: %zu %zu %zu %zu %zu %d\n", sizeof(1u), sizeof(1l), sizeof(1ul), sizeof(1ll), sizeof(1ULL), -1u > 0);
	printf("octal: %d %d %d %o\n", 010, 0777, 00, 0777);
	printf("hex: %d %d %x\n", 0x10, 0XfF, 0xABCDEFu);
	printf("chars: %d %d %d %d %d\n", 'a', '\0', '\n', '\377', '\x80');
	printf("'\\377' == -1: %d, sizeof 'a' = %zu\n", '\377' == -1, sizeof 'a');
	printf("escapes: %d %d %d %d %d %d %d\n", '\a', '\b', '\f', '\r', '\t', '\v', '\\');
	const char s[] = "\x4" "1" "\101" "\0" "z";
	printf("concat len=%zu bytes=%d %d %d %d %d\n", sizeof s, s[0], s[1], s[2], s[3], s[4]);
	const char *q = "?\?(" "\'" "\"";
	printf("question/quotes: %s\n", q);
	printf("1e3 int=%d .5+.5=%.1f 0x1p4=%.1f 1.5e-1=%.2f\n", (int)1e3, .5 + .5, 0x1p4, 1.5e-1);
	printf("float suffix size %zu %zu\n", sizeof(1.0f), sizeof(1.0));
	long long big = 0x7fffffffffffffffLL;
	unsigned long long ubig = 18446744073709551615ULL;
	printf("big=%lld ubig=%llu\n", big, ubig);
	printf("neg literal ops: %d %d %ld\n", -1 / 2, -(1 / 2), -1L >> 1);
	return 0;
}
