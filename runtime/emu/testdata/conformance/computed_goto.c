/* GNU labels as values: &&label, goto *ptr and dispatch tables of label
 * addresses, the threaded-interpreter pattern used by kernel bytecode
 * interpreters. */
#include <stdio.h>

enum { OP_INC, OP_DBL, OP_DEC, OP_PRINT, OP_JNZ, OP_HALT };

static long run(const int *code)
{
	static void *const dispatch[] = {&&inc, &&dbl, &&dec, &&print, &&jnz, &&halt};
	long acc = 0, counter = 3;
	const int *pc = code;
#define NEXT goto *dispatch[*pc++]
	NEXT;
inc:
	acc++;
	NEXT;
dbl:
	acc *= 2;
	NEXT;
dec:
	counter--;
	NEXT;
print:
	printf("acc=%ld counter=%ld\n", acc, counter);
	NEXT;
jnz:
	if (counter) {
		pc = code + *pc;
		NEXT;
	}
	pc++;
	NEXT;
halt:
	return acc;
#undef NEXT
}

int main(void)
{
	const int prog[] = {OP_INC, OP_DBL, OP_PRINT, OP_DEC, OP_JNZ, 0, OP_PRINT, OP_HALT};
	printf("result=%ld\n", run(prog));
	void *target = &&second;
	int visits = 0;
first:
	visits++;
	if (visits < 3)
		goto *target;
	printf("visits=%d\n", visits);
	return 0;
second:
	visits += 10;
	target = &&first;
	goto *target;
}
