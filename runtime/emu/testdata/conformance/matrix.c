/* Two-dimensional arrays: passing them to functions, multiplication,
 * transposition in place, and a heap-allocated matrix of row pointers. */
#include <stdio.h>
#include <stdlib.h>

#define N 4

static void mul(const int a[N][N], const int b[N][N], int out[N][N])
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int s = 0;
			for (int k = 0; k < N; k++)
				s += a[i][k] * b[k][j];
			out[i][j] = s;
		}
}

static void transpose(int m[N][N])
{
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++) {
			int t = m[i][j];
			m[i][j] = m[j][i];
			m[j][i] = t;
		}
}

static void print(const char *label, int m[N][N])
{
	printf("%s:\n", label);
	for (int i = 0; i < N; i++) {
		for (int j = 0; j < N; j++)
			printf("%5d", m[i][j]);
		printf("\n");
	}
}

static long det3(long m[3][3])
{
	return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
	       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

int main(void)
{
	int a[N][N], b[N][N], c[N][N];
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = i * N + j;
			b[i][j] = (i == j) * 2 - (i + j == N - 1);
		}
	mul((const int (*)[N])a, (const int (*)[N])b, c);
	print("a*b", c);
	transpose(c);
	print("transposed", c);
	long m[3][3] = {{2, -3, 1}, {2, 0, -1}, {1, 4, 5}};
	printf("det=%ld\n", det3(m));

	int rows = 5, cols = 7;
	int **grid = malloc(rows * sizeof *grid);
	for (int i = 0; i < rows; i++) {
		grid[i] = malloc(cols * sizeof **grid);
		for (int j = 0; j < cols; j++)
			grid[i][j] = (i + 1) * (j + 1);
	}
	long total = 0;
	for (int i = 0; i < rows; i++)
		for (int j = 0; j < cols; j++)
			total += grid[i][j];
	printf("grid total=%ld corner=%d\n", total, grid[rows - 1][cols - 1]);
	int *tmp = grid[0];
	grid[0] = grid[rows - 1];
	grid[rows - 1] = tmp;
	printf("swapped rows: %d %d\n", grid[0][1], grid[rows - 1][1]);
	for (int i = 0; i < rows; i++)
		free(grid[i]);
	free(grid);

	char board[3][4] = {"x.o", ".x.", "o.x"};
	int diag = 1;
	for (int i = 0; i < 3; i++)
		diag &= board[i][i] == 'x';
	printf("diagonal win=%d row1=%s\n", diag, board[1]);
	return 0;
}
