/* Variable length arrays (C99): sizes from runtime values, sizeof
 * evaluated at run time, VLA parameters, two-dimensional VLAs, and a
 * fresh size on every loop iteration. */
#include <stdio.h>

static long sum(int n, const int a[n])
{
	long s = 0;
	for (int i = 0; i < n; i++)
		s += a[i];
	return s;
}

static void fill(int rows, int cols, int m[rows][cols])
{
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++)
			m[r][c] = r * cols + c;
}

static long trace(int n, int m[n][n])
{
	long t = 0;
	for (int i = 0; i < n; i++)
		t += m[i][i];
	return t;
}

int main(void)
{
	for (int n = 1; n <= 5; n++) {
		int a[n * 3];
		for (int i = 0; i < n * 3; i++)
			a[i] = i * n;
		printf("n=%d sizeof=%zu sum=%ld\n", n, sizeof a, sum(n * 3, a));
	}
	int rows = 3, cols = 4;
	int m[rows][cols];
	fill(rows, cols, m);
	printf("m[2][3]=%d sizeof m=%zu sizeof m[0]=%zu\n", m[2][3], sizeof m, sizeof m[0]);
	int sq = 4;
	int s[sq][sq];
	fill(sq, sq, s);
	printf("trace=%ld\n", trace(sq, s));
	int k = 2;
	size_t size = sizeof(char[k + 5]);
	printf("sizeof(char[k+5])=%zu\n", size);
	typedef int row_t[cols];
	row_t *rp = m;
	printf("rp[1][1]=%d sizeof(row_t)=%zu\n", rp[1][1], sizeof(row_t));
	return 0;
}
