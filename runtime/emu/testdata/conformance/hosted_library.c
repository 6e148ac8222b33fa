/* The rest of the hosted library the emulator provides beyond printf and
 * malloc: string search and concatenation, number parsing with end
 * pointers and bases, qsort, snprintf truncation, vsnprintf, stdout
 * stream functions, and ctype classification in the C locale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <ctype.h>

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int format_into(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int main(void)
{
	char buf[64] = "alpha";
	strcat(buf, "-beta");
	strncat(buf, "-gamma-delta", 6);
	printf("cat=%s len=%zu strnlen=%zu\n", buf, strlen(buf), strnlen(buf, 4));
	printf("strrchr=%s strchr=%s strstr=%s missing=%d empty=%s\n", strrchr(buf, '-'), strchr(buf, '-'), strstr(buf, "beta"),
	       strstr(buf, "zeta") == NULL, strstr(buf, ""));
	const char *mem = memchr(buf, 'g', sizeof buf);
	printf("memchr offset=%td none=%d\n", mem - buf, memchr(buf, 'z', 5) == NULL);
	char *dup = strdup(buf);
	dup[0] = 'A';
	printf("strdup=%s original=%s\n", dup, buf);
	free(dup);

	printf("abs=%d %ld %lld\n", abs(-5), labs(-7000000000L), llabs(-9000000000000000000LL));
	printf("atoi=%d %d %d atol=%ld\n", atoi("42"), atoi("  -17xyz"), atoi("+8"), atol("-1234567890123"));
	const char *nums[] = {"0x1fz", "-0755", "  +123abc", "zz", "0", "9223372036854775807", "-9223372036854775808"};
	int bases[] = {0, 0, 10, 36, 0, 10, 10};
	for (int i = 0; i < 7; i++) {
		char *end;
		long v = strtol(nums[i], &end, bases[i]);
		printf("strtol(%s, %d)=%ld rest=[%s]\n", nums[i], bases[i], v, end);
	}
	char *end;
	unsigned long umax = strtoul("18446744073709551615!", &end, 10);
	printf("strtoul=%lu rest=[%s]\n", umax, end);
	printf("strtoul hex=%lx binary=%lu\n", strtoul("DEADbeef", NULL, 16), strtoul("101101", NULL, 2));
	const char *blank = "   ";
	char *none;
	long nv = strtol(blank, &none, 10);
	printf("no digits: %ld consumed=%d\n", nv, (int)(none - blank));

	long vals[] = {5, -3, 99, 0, -100, 42, 7, 8, 6, 1};
	qsort(vals, 10, sizeof vals[0], cmp_long);
	for (int i = 0; i < 10; i++)
		printf("%ld ", vals[i]);
	printf("\n");
	char *names[] = {"mallory", "alice", "trent", "bob", "eve", "carol"};
	qsort(names, 6, sizeof names[0], cmp_name);
	for (int i = 0; i < 6; i++)
		printf("%s ", names[i]);
	printf("\n");
	qsort(vals, 0, sizeof vals[0], cmp_long);

	char small[8];
	int n = snprintf(small, sizeof small, "%s-%d", "truncated", 12345);
	printf("snprintf returned %d wrote [%s]\n", n, small);
	n = snprintf(NULL, 0, "%05d|%x", 42, 255);
	printf("snprintf size query=%d\n", n);
	n = sprintf(buf, "%-6s|%+.2f|%c", "ab", 3.14159, 'z');
	printf("sprintf %d [%s]\n", n, buf);
	n = format_into(small, 5, "%d%d%d", 111, 222, 333);
	printf("vsnprintf %d [%s]\n", n, small);

	fputs("fputs line\n", stdout);
	fputc('F', stdout);
	putc('\n', stdout);
	fwrite("fwrite bytes\n", 1, 13, stdout);
	fprintf(stdout, "fprintf %d\n", 7);
	fflush(stdout);

	int counts[6] = {0};
	for (int c = 0; c < 128; c++) {
		counts[0] += isalpha(c) != 0;
		counts[1] += isdigit(c) != 0;
		counts[2] += isspace(c) != 0;
		counts[3] += isupper(c) != 0;
		counts[4] += ispunct(c) != 0;
		counts[5] += isxdigit(c) != 0;
	}
	printf("ctype counts: alpha=%d digit=%d space=%d upper=%d punct=%d xdigit=%d\n", counts[0], counts[1], counts[2], counts[3], counts[4],
	       counts[5]);
	printf("toupper=%c tolower=%c same=%c\n", toupper('q'), tolower('Q'), toupper('5'));
	return EXIT_SUCCESS;
}
