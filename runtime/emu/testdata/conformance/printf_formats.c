/* printf's conversions as a program sees them: flags, widths,
 * precisions, * arguments, length modifiers and the return value. */
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

int main(void)
{
	printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.3d]\n", 42, 42, 42, 42, 42, 42, 7, -7);
	printf("[%u] [%x] [%X] [%#x] [%o] [%#o] [%#X]\n", 3000000000u, 0xbeefu, 0xbeefu, 255u, 8u, 8u, 0u);
	printf("[%hhd] [%hhu] [%hd] [%hu]\n", 300, 300, 70000, 70000);
	printf("[%ld] [%lu] [%lld] [%llu] [%lx]\n", -1L, 1UL << 63, -9000000000LL, 18000000000000000000ULL, 0xdeadbeefcafeUL);
	printf("[%zu] [%zd] [%td] [%jd] [%ju]\n", sizeof(long), (ptrdiff_t)-5, (ptrdiff_t)12, (intmax_t)-77, (uintmax_t)77);
	printf("[%c] [%3c] [%-3c] [%%]\n", 'A', 'B', 'C');
	printf("[%s] [%10s] [%-10s] [%.2s] [%*s] [%-*s] [%.*s]\n", "str", "right", "left", "trunc", 6, "star", 6, "star", 3, "precision");
	printf("[%*d] [%-*d] [%*d] [%.*d]\n", 6, 1, 6, 2, -6, 3, 4, 5);
	printf("[%p] [%p]\n", (void *)0, (void *)0x1000);
	printf("[%f] [%.2f] [%10.4f] [%-10.1f] [%+.1f] [%e] [%.2E] [%g] [%G] [%#.0f]\n", 3.14159, 2.675, -1.5, 9.99, 0.05, 123456.789, 0.000456, 0.0000123, 1e20, 3.0);
	printf("[%a] [%.2a]\n", 1.0, 0.1);
	int n = printf("%s-%d-%c\n", "count", 12345, 'x');
	printf("returned %d\n", n);
	n = printf("");
	printf("empty returned %d\n", n);
	int8_t i8 = -5;
	uint16_t u16 = 65535;
	printf("[%d] [%u] [%d]\n", i8, u16, (int16_t)u16);
	printf("[%05.1f] [%-+6d] [%+05d] [% 05d] [%#08x] [%#-8o|]\n", 2.25, 3, 3, 3, 0x2au, 9u);
	return 0;
}
