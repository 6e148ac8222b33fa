/* main(argc, argv): the arguments after the program name, and the
 * terminating null pointer. The test runs it with these arguments:
 * args: alpha "two words" 42 -x ""
 */
#include <stdio.h>
#include <string.h>

static long parse(const char *s)
{
	long v = 0;
	int neg = *s == '-';
	if (neg)
		s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=\"%s\" len=%zu num=%ld\n", i, argv[i], strlen(argv[i]), parse(argv[i]));
	printf("argv[argc] is null: %d\n", argv[argc] == NULL);
	int flags = 0;
	for (char **a = argv + 1; *a; a++)
		if ((*a)[0] == '-')
			flags++;
	printf("flags=%d\n", flags);
	return argc;
}
