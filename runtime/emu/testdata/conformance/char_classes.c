/* Character handling written by hand (no ctype.h): classification,
 * case conversion, number parsing and formatting, and a word counter. */
#include <stdio.h>
#include <string.h>

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int to_upper(int c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

static long parse_long(const char *s, const char **end)
{
	long v = 0;
	int sign = 1;
	while (is_space((unsigned char)*s))
		s++;
	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		int c = (unsigned char)*s, d;
		if (is_digit(c))
			d = c - '0';
		else if (base == 16 && is_alpha(c) && (c | 32) <= 'f')
			d = (c | 32) - 'a' + 10;
		else
			break;
		v = v * base + d;
	}
	*end = s;
	return sign * v;
}

static char *format_long(char *buf, long v, int base)
{
	char tmp[70];
	int n = 0, neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % base];
		u /= base;
	} while (u);
	char *p = buf;
	if (neg)
		*p++ = '-';
	while (n)
		*p++ = tmp[--n];
	*p = 0;
	return buf;
}

int main(void)
{
	const char *text = "  Hello, World!\tThe 42 quick\nfoxes; 0x1F jumped -17 times.  ";
	int words = 0, digits = 0, alphas = 0, spaces = 0, in_word = 0;
	for (const char *p = text; *p; p++) {
		int c = (unsigned char)*p;
		digits += is_digit(c);
		alphas += is_alpha(c);
		spaces += is_space(c);
		if (is_space(c))
			in_word = 0;
		else if (!in_word) {
			in_word = 1;
			words++;
		}
	}
	printf("words=%d digits=%d alphas=%d spaces=%d\n", words, digits, alphas, spaces);
	char upper[80];
	size_t i;
	for (i = 0; text[i]; i++)
		upper[i] = (char)to_upper((unsigned char)text[i]);
	upper[i] = 0;
	printf("upper=[%s]\n", upper);
	const char *nums[] = {"123", "  -456xyz", "+0x1fZ", "0X7fffffff", "-0", "99999999999"};
	for (int k = 0; k < 6; k++) {
		const char *end;
		long v = parse_long(nums[k], &end);
		printf("parse(%s)=%ld rest=[%s]\n", nums[k], v, end);
	}
	char buf[80];
	long vals[] = {0, 255, -255, 1L << 40, -9223372036854775807L - 1};
	int bases[] = {2, 8, 16, 36};
	for (int k = 0; k < 5; k++)
		for (int b = 0; b < 4; b++)
			printf("%ld base %d = %s\n", vals[k], bases[b], format_long(buf, vals[k], bases[b]));
	printf("char arithmetic: %c%c%c %d\n", 'a' + 1, 'Z' - 25, '0' + 7, 'z' - 'a');
	char c = 'y';
	c += 2;
	printf("c=%d\n", c);
	return 0;
}
