/* String literals: escapes, concatenation, char arrays initialised from
 * strings, sizeof, and the string functions of the hosted subset. */
#include <stdio.h>
#include <string.h>

static const char *const greetings[] = {"hello", "bonjour", "hallo", ""};

int main(void)
{
	char buf[64];
	char arr[] = "abc";
	char exact[3] = "xyz"; /* no terminator */
	char padded[8] = "hi";
	const char *lit = "concat" "enated" " literal";

	printf("sizeof arr=%zu strlen=%zu\n", sizeof arr, strlen(arr));
	printf("exact=%c%c%c sizeof=%zu\n", exact[0], exact[1], exact[2], sizeof exact);
	printf("padded tail zeros=%d%d%d\n", padded[2], padded[5], padded[7]);
	printf("%s (%zu)\n", lit, strlen(lit));
	printf("sizeof \"abc\"=%zu sizeof \"\"=%zu\n", sizeof "abc", sizeof "");
	printf("escapes: [\t] [\\] [\"] [\'] [\x41\102] [%d] [%d]\n", '\0', '\n');
	printf("octal/hex: %d %d %d\n", "\377"[0], "\x7f"[0], "\1"[0]);
	printf("index literal: %c\n", "xyz"[1]);
	printf("embedded nul length=%zu sizeof=%zu\n", strlen("ab\0cd"), sizeof "ab\0cd");

	strcpy(buf, "one");
	printf("strcpy=%s\n", buf);
	strncpy(buf, "two", 2);
	printf("strncpy partial=%s\n", buf);
	strncpy(buf, "xy", 6);
	printf("strncpy pads: %d %d %d\n", buf[2], buf[3], buf[5]);
	printf("strcmp: %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
	printf("strcmp unsigned: %d\n", strcmp("\xff", "a") > 0);
	printf("strncmp: %d %d\n", strncmp("abcdef", "abcxyz", 3), strncmp("abcdef", "abcxyz", 4) < 0);
	const char *h = "hello, world";
	printf("strchr o=%s, nul=%d, missing=%d\n", strchr(h, 'o'), strchr(h, 0) == h + strlen(h), strchr(h, 'z') == NULL);
	for (int i = 0; greetings[i][0]; i++)
		printf("%d:%s:%zu\n", i, greetings[i], strlen(greetings[i]));
	puts("puts adds a newline");
	puts("");
	putchar('o');
	putchar('k');
	putchar('\n');
	int n = printf("%s", "counted\n");
	printf("printf returned %d\n", n);
	char two[2][6] = {"ab", "cdefg"};
	printf("two: %s %s\n", two[0], two[1]);
	const char *p = "literal";
	printf("same literal content: %d\n", strcmp(p, "literal") == 0);
	return 0;
}
