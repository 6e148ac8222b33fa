/* ++ and -- on every kind of operand: narrow integers that wrap, _Bool
 * (which saturates up and toggles down), pointers to structs, doubles,
 * bitfields, and the pre/post values. Also bitfield promotion: an
 * unsigned bitfield narrower than int promotes to int, a 32-bit one to
 * unsigned int. */
#include <stdio.h>

struct bf {
	unsigned narrow : 31;
	unsigned full : 32;
	signed small : 3;
	unsigned tiny : 2;
};

struct item {
	int id;
	char pad[5];
};

int main(void)
{
	_Bool b = 0;
	b++;
	printf("bool 0++ -> %d\n", b);
	b++;
	printf("bool 1++ -> %d\n", b);
	b--;
	printf("bool 1-- -> %d\n", b);
	b--;
	printf("bool 0-- -> %d\n", b);
	int pre = ++b, post = b++;
	printf("bool pre=%d post=%d now=%d\n", pre, post, b);

	unsigned char uc = 255;
	printf("uc post=%d ", uc++);
	printf("now=%d\n", uc);
	signed char sc = -128;
	sc--;
	printf("sc -128-- -> %d\n", sc);
	unsigned short us = 0;
	--us;
	printf("us 0-- -> %d\n", us);

	double d = 0.5;
	d++;
	++d;
	double dpost = d--;
	printf("double post=%.2f now=%.2f\n", dpost, d);

	struct item items[4] = {{1, ""}, {2, ""}, {3, ""}, {4, ""}};
	struct item *p = items;
	p++;
	int first = p->id;
	int second = (p++)->id;
	int third = (++p)->id;
	printf("p->id=%d (p++)->id=%d (++p)->id=%d\n", first, second, third);
	p--;
	printf("after -- p->id=%d index=%td\n", p->id, p - items);

	struct bf s = {0, 0, 3, 3};
	printf("narrow-1 < 0: %d, full-1 < 0: %d\n", s.narrow - 1 < 0, s.full - 1 < 0);
	printf("sizeof promoted: %zu %zu\n", sizeof(s.narrow + 0), sizeof(s.full + 0));
	s.small++;
	printf("small 3++ -> %d\n", s.small);
	s.tiny++;
	printf("tiny 3++ -> %u\n", s.tiny);
	s.narrow--;
	printf("narrow 0-- -> %u\n", s.narrow);
	s.full--;
	printf("full 0-- -> %u\n", s.full);
	int post_bf = s.small--;
	printf("small post=%d now=%d\n", post_bf, s.small);

	int arr[3] = {10, 20, 30};
	int *ip = arr;
	*ip++ += 5;
	(*ip)++;
	++*ip;
	printf("arr=%d %d %d\n", arr[0], arr[1], arr[2]);
	long l = 0;
	l -= 1;
	l++;
	printf("l=%ld\n", l);
	return 0;
}
