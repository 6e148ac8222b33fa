/* switch: fallthrough, default in the middle, nested switches, Duff's
 * device, and switching on char, negative and long values. */
#include <stdio.h>

static const char *classify(int n)
{
	switch (n) {
	case -1:
		return "minus one";
	case 0:
		return "zero";
	default:
		return "other";
	case 1:
	case 2:
	case 3:
		return "small";
	case 100:
		return "hundred";
	}
}

static int fall(int n)
{
	int r = 0;
	switch (n) {
	case 0:
		r += 1;
	case 1:
		r += 10;
	case 2:
		r += 100;
		break;
	case 3:
		r += 1000;
	default:
		r += 10000;
	}
	return r;
}

static void copy_duff(char *to, const char *from, int count)
{
	int n = (count + 7) / 8;
	switch (count % 8) {
	case 0: do { *to++ = *from++;
	case 7:      *to++ = *from++;
	case 6:      *to++ = *from++;
	case 5:      *to++ = *from++;
	case 4:      *to++ = *from++;
	case 3:      *to++ = *from++;
	case 2:      *to++ = *from++;
	case 1:      *to++ = *from++;
		} while (--n > 0);
	}
}

static int vowels(const char *s)
{
	int n = 0;
	for (; *s; s++) {
		switch (*s) {
		case 'a': case 'e': case 'i': case 'o': case 'u':
		case 'A': case 'E': case 'I': case 'O': case 'U':
			n++;
			break;
		case ' ':
			continue;
		default:
			break;
		}
	}
	return n;
}

static const char *big(long v)
{
	switch (v) {
	case 10000000000L:
		return "ten billion";
	case -10000000000L:
		return "minus ten billion";
	case 4294967296L:
		return "2^32";
	}
	return "none";
}

int main(void)
{
	int probe[] = {-2, -1, 0, 1, 2, 3, 4, 99, 100, 101};
	for (unsigned i = 0; i < sizeof probe / sizeof probe[0]; i++)
		printf("%d: %s\n", probe[i], classify(probe[i]));
	for (int i = 0; i < 6; i++)
		printf("fall(%d)=%d\n", i, fall(i));
	const char *src = "0123456789abcdefghijklmnopq";
	for (int c = 0; c <= 19; c += 3) {
		char buf[32] = {0};
		copy_duff(buf, src, c);
		printf("duff %d: %s\n", c, buf);
	}
	printf("vowels=%d\n", vowels("An Emulator Is Quite Useful"));
	printf("%s, %s, %s, %s\n", big(10000000000L), big(-10000000000L), big(1L << 32), big(5));
	int outer = 0;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			switch (i) {
			case 0:
				switch (j) {
				case 0: outer += 1; break;
				case 1: outer += 2; break;
				default: outer += 4;
				}
				break;
			case 1:
				if (j == 1)
					break;
				outer += 100;
				break;
			default:
				outer += 1000;
			}
	printf("nested=%d\n", outer);
	unsigned char uc = 200;
	switch (uc) {
	case 200:
		printf("uc matched 200\n");
		break;
	case -56:
		printf("wrong\n");
	}
	char sc = (char)200;
	switch (sc) {
	case -56:
		printf("char matched -56\n");
		break;
	default:
		printf("char default\n");
	}
	switch (3) {
	default:
		printf("only default\n");
	}
	switch (1)
		;
	return 0;
}
