/* main's return value is the exit status; only its low 8 bits survive. */
#include <stdio.h>

static int compute(void)
{
	int s = 0;
	for (int i = 1; i <= 10; i++)
		s += i;
	return s; /* 55 */
}

int main(void)
{
	int status = compute() * 7; /* 385 -> 385 & 0xff = 129 */
	printf("returning %d\n", status);
	return status;
}
