/* Recursion: classic functions, mutual recursion, deep-ish recursion,
 * and backtracking. */
#include <stdio.h>

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned long ack(unsigned long m, unsigned long n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static int moves;
static void hanoi(int n, char from, char to, char via)
{
	if (n == 0)
		return;
	hanoi(n - 1, from, via, to);
	moves++;
	if (n >= 4)
		printf("move disk %d %c->%c\n", n, from, to);
	hanoi(n - 1, via, to, from);
}

static int queens(int row, int n, int *cols)
{
	if (row == n)
		return 1;
	int count = 0;
	for (int c = 0; c < n; c++) {
		int ok = 1;
		for (int r = 0; r < row; r++) {
			int d = cols[r] - c;
			if (d == 0 || d == row - r || d == r - row) {
				ok = 0;
				break;
			}
		}
		if (ok) {
			cols[row] = c;
			count += queens(row + 1, n, cols);
		}
	}
	return count;
}

static void permute(char *s, int k, int n)
{
	if (k == n) {
		printf("%s ", s);
		return;
	}
	for (int i = k; i < n; i++) {
		char t = s[k];
		s[k] = s[i];
		s[i] = t;
		permute(s, k + 1, n);
		s[i] = s[k];
		s[k] = t;
	}
}

static long depth_sum(int n) { return n == 0 ? 0 : n + depth_sum(n - 1); }

static int gcd(int a, int b) { return b ? gcd(b, a % b) : a; }

int main(void)
{
	printf("fib(24)=%ld\n", fib(24));
	printf("ack(2,3)=%lu ack(3,3)=%lu\n", ack(2, 3), ack(3, 3));
	printf("even(1001)=%d odd(1001)=%d\n", is_even(1001), is_odd(1001));
	hanoi(6, 'A', 'C', 'B');
	printf("hanoi moves=%d\n", moves);
	int cols[8];
	for (int n = 1; n <= 8; n++)
		printf("queens(%d)=%d\n", n, queens(0, n, cols));
	char s[] = "abcd";
	permute(s, 0, 4);
	printf("\nafter=%s\n", s);
	printf("depth_sum(5000)=%ld\n", depth_sum(5000));
	printf("gcd(1071,462)=%d gcd(17,5)=%d\n", gcd(1071, 462), gcd(17, 5));
	return 0;
}
