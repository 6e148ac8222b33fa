/* Loops: while, do-while (runs at least once), for with empty parts,
 * break and continue in nested loops, and loops that never iterate. */
#include <stdio.h>

int main(void)
{
	int n = 0;
	do {
		n++;
	} while (0);
	printf("do-while once: %d\n", n);
	n = 10;
	do
		n -= 3;
	while (n > 0);
	printf("n=%d\n", n);
	int i = 0, sum = 0;
	while (1) {
		if (++i > 100)
			break;
		if (i % 3)
			continue;
		sum += i;
	}
	printf("sum of multiples of 3 = %d\n", sum);
	int j = 0;
	for (;;) {
		if (j++ == 5)
			break;
	}
	printf("j=%d\n", j);
	int primes = 0;
	for (int k = 2; k < 200; k++) {
		int d;
		for (d = 2; d * d <= k; d++)
			if (k % d == 0)
				break;
		if (d * d <= k)
			continue;
		primes++;
	}
	printf("primes below 200: %d\n", primes);
	int pairs = 0;
	for (int a = 0; a < 10; a++) {
		for (int b = 0; b < 10; b++) {
			if (b > a)
				break;
			if ((a + b) % 2)
				continue;
			pairs++;
		}
	}
	printf("pairs=%d\n", pairs);
	int never = 0;
	for (int k = 0; k < 0; k++)
		never++;
	while (never)
		never--;
	printf("never=%d\n", never);
	/* continue in do-while jumps to the condition. */
	int c = 0, evens = 0;
	do {
		c++;
		if (c % 2)
			continue;
		evens++;
	} while (c < 10);
	printf("evens=%d c=%d\n", evens, c);
	/* Loop variables in for scopes shadow outer ones. */
	int k = 100;
	for (int k = 0; k < 3; k++)
		printf("inner k=%d ", k);
	printf("outer k=%d\n", k);
	unsigned char uc = 250;
	int steps = 0;
	while (uc != 4) {
		uc++;
		steps++;
	}
	printf("uc wrapped after %d steps\n", steps);
	long long big = 0;
	for (long long x = 1; x < 1000000000000LL; x *= 7)
		big += x;
	printf("big=%lld\n", big);
	return 0;
}
