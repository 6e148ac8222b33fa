/* A program that writes a lot of output through several functions, to
 * check that nothing is lost, reordered or duplicated. */
#include <stdio.h>

int main(void)
{
	unsigned long h = 0;
	for (int i = 0; i < 20000; i++) {
		switch (i % 4) {
		case 0:
			printf("line %d: %08x %s\n", i, (unsigned)i * 2654435761u, i % 3 ? "odd" : "three");
			break;
		case 1:
			puts("a puts line");
			break;
		case 2:
			for (int k = 0; k < 10; k++)
				putchar('a' + (i + k) % 26);
			putchar('\n');
			break;
		default:
			printf("%*d|%-*s|\n", i % 17, i, i % 13, "x");
		}
		h = h * 31 + (unsigned)i;
	}
	printf("done %lu\n", h);
	return 0;
}
