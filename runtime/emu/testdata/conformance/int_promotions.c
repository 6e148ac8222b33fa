/* Integer promotions: char is signed, narrow types promote to int. */
#include <stdio.h>

int main(void)
{
	char c = (char)200;
	signed char sc = -128;
	unsigned char uc = 200, uc2 = 100;
	short s = -32768;
	unsigned short us = 65535, us2 = 2;

	printf("char 200 -> %d\n", c);
	printf("char is signed: %d\n", (char)-1 < 0);
	printf("uc+uc2 = %d (int, no wrap)\n", uc + uc2);
	printf("(unsigned char)(uc+uc2) = %d\n", (unsigned char)(uc + uc2));
	printf("~uc = %d\n", ~uc);
	printf("-uc = %d\n", -uc);
	printf("sc-1 = %d\n", sc - 1);
	printf("s*2 = %d\n", s * 2);
	printf("us*us = %u (promoted to int, then converted)\n", (unsigned)(us * 1u * us));
	printf("us+1 = %d\n", us + 1);
	printf("us2-3 = %d\n", us2 - 3);
	printf("(unsigned short)(us2-3) = %d\n", (unsigned short)(us2 - 3));
	printf("sizeof(uc+uc) = %zu, sizeof(+c) = %zu, sizeof(c) = %zu\n", sizeof(uc + uc), sizeof(+c), sizeof(c));
	printf("sizeof(us<<1) = %zu\n", sizeof(us << 1));
	printf("uc == 200: %d, c == 200: %d, c == -56: %d\n", uc == 200, c == 200, c == -56);
	printf("'\\xff' = %d\n", '\xff');
	printf("(unsigned char)'\\xff' = %d\n", (unsigned char)'\xff');

	/* Compound assignment converts back to the narrow type. */
	uc = 250;
	uc += 10;
	printf("uc += 10 -> %d\n", uc);
	sc = 127;
	sc += 1;
	printf("sc += 1 -> %d\n", sc);
	us = 0;
	us--;
	printf("us-- -> %d\n", us);
	s = 32767;
	s++;
	printf("s++ -> %d\n", s);

	/* Increment of char in a loop wraps through negative values. */
	int count = 0;
	for (c = 120; c != -120; c++)
		count++;
	printf("loop count %d\n", count);

	/* Bit operations on promoted values. */
	uc = 0x80;
	printf("uc << 1 = %d, (uc << 24) >> 24 as unsigned = %u\n", uc << 1, ((unsigned)uc << 24) >> 24);
	sc = -1;
	printf("sc & 0xff = %d, sc >> 1 = %d\n", sc & 0xff, sc >> 1);
	return 0;
}
