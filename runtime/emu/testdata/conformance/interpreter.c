/* A small stack-machine interpreter: an opcode switch in a loop,
 * a jump table of handlers, and a program with loops and calls. */
#include <stdio.h>

enum op { PUSH, ADD, SUB, MUL, DUP, SWAP, JZ, JMP, PRINT, CALL, RET, HALT, DEC, OVER, DROP };

struct vm {
	long stack[64];
	int sp;
	int rstack[16];
	int rsp;
	int pc;
	long steps;
};

static void push(struct vm *vm, long v) { vm->stack[vm->sp++] = v; }
static long pop(struct vm *vm) { return vm->stack[--vm->sp]; }

static void op_add(struct vm *vm) { long b = pop(vm); push(vm, pop(vm) + b); }
static void op_sub(struct vm *vm) { long b = pop(vm); push(vm, pop(vm) - b); }
static void op_mul(struct vm *vm) { long b = pop(vm); push(vm, pop(vm) * b); }

static void (*const arith[])(struct vm *) = {[ADD] = op_add, [SUB] = op_sub, [MUL] = op_mul};

static long run(const int *code)
{
	struct vm vm = {.sp = 0};
	for (;;) {
		int op = code[vm.pc++];
		vm.steps++;
		switch (op) {
		case PUSH:
			push(&vm, code[vm.pc++]);
			break;
		case ADD:
		case SUB:
		case MUL:
			arith[op](&vm);
			break;
		case DUP:
			push(&vm, vm.stack[vm.sp - 1]);
			break;
		case OVER:
			push(&vm, vm.stack[vm.sp - 2]);
			break;
		case DROP:
			vm.sp--;
			break;
		case SWAP: {
			long t = vm.stack[vm.sp - 1];
			vm.stack[vm.sp - 1] = vm.stack[vm.sp - 2];
			vm.stack[vm.sp - 2] = t;
			break;
		}
		case DEC:
			vm.stack[vm.sp - 1]--;
			break;
		case JZ: {
			int target = code[vm.pc++];
			if (pop(&vm) == 0)
				vm.pc = target;
			break;
		}
		case JMP:
			vm.pc = code[vm.pc];
			break;
		case CALL:
			vm.rstack[vm.rsp++] = vm.pc + 1;
			vm.pc = code[vm.pc];
			break;
		case RET:
			vm.pc = vm.rstack[--vm.rsp];
			break;
		case PRINT:
			printf("vm: %ld\n", pop(&vm));
			break;
		case HALT:
			printf("halt after %ld steps, depth %d\n", vm.steps, vm.sp);
			return vm.sp ? vm.stack[vm.sp - 1] : 0;
		default:
			printf("bad opcode %d\n", op);
			return -1;
		}
	}
}

int main(void)
{
	/* factorial(15): keeps "acc n" on the stack and loops until n is 0. */
	const int fact[] = {
		PUSH, 1, PUSH, 15, /* 0: acc n */
		DUP, JZ, 16,       /* 4: if n == 0 goto 16 */
		CALL, 20,          /* 7: a subroutine that only returns */
		SWAP, OVER, MUL,   /* 9: n acc*n */
		SWAP, DEC,         /* 12: acc*n n-1 */
		JMP, 4,            /* 14 */
		DROP, DUP, PRINT,  /* 16: acc */
		HALT,              /* 19 */
		RET,               /* 20 */
	};
	printf("result=%ld\n", run(fact));
	const int arith_prog[] = {PUSH, 6, PUSH, 7, MUL, PUSH, 2, SUB, DUP, PRINT, PUSH, 100, ADD, HALT};
	printf("result=%ld\n", run(arith_prog));
	const int bad[] = {PUSH, 1, 99};
	printf("result=%ld\n", run(bad));
	return 0;
}
