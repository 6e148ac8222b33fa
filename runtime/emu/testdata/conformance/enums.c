/* Enumerations: implicit and explicit values, negative and repeated
 * constants, use as array indices and in switches, and their size. */
#include <stdio.h>

enum weekday { MON, TUE, WED = 10, THU, FRI = WED + 10, SAT = -1, SUN };
enum flags { F_READ = 1 << 0, F_WRITE = 1 << 1, F_EXEC = 1 << 2, F_ALL = F_READ | F_WRITE | F_EXEC };
enum dup { A = 1, B = 1, C };
enum state { IDLE, RUNNING, BLOCKED, NSTATES };

static const char *state_names[NSTATES] = {"idle", "running", "blocked"};

static enum state step(enum state s, int event)
{
	switch (s) {
	case IDLE:
		return event ? RUNNING : IDLE;
	case RUNNING:
		return event == 2 ? BLOCKED : event ? IDLE : RUNNING;
	case BLOCKED:
		return event == 3 ? RUNNING : BLOCKED;
	default:
		return IDLE;
	}
}

int main(void)
{
	printf("MON=%d TUE=%d WED=%d THU=%d FRI=%d SAT=%d SUN=%d\n", MON, TUE, WED, THU, FRI, SAT, SUN);
	printf("flags all=%d exec=%d\n", F_ALL, F_EXEC);
	printf("dup A=%d B=%d C=%d\n", A, B, C);
	printf("sizeof enum=%zu\n", sizeof(enum weekday));
	enum flags f = F_READ | F_EXEC;
	printf("f=%d has write=%d\n", f, (f & F_WRITE) != 0);
	f |= F_WRITE;
	printf("f=%d is all=%d\n", f, f == F_ALL);
	enum weekday d = SAT;
	printf("SAT < MON: %d\n", d < MON);
	d++;
	printf("after SAT: %d (SUN=%d)\n", d, SUN);
	enum state s = IDLE;
	int events[] = {0, 1, 0, 2, 0, 3, 1, 1};
	for (unsigned i = 0; i < sizeof events / sizeof events[0]; i++) {
		s = step(s, events[i]);
		printf("event %d -> %s\n", events[i], state_names[s]);
	}
	int counts[NSTATES] = {0};
	for (int i = 0; i < 10; i++)
		counts[i % NSTATES]++;
	printf("counts %d %d %d\n", counts[IDLE], counts[RUNNING], counts[BLOCKED]);
	enum { LOCAL_X = 5, LOCAL_Y = LOCAL_X * 2 } local = LOCAL_Y;
	printf("local=%d\n", local);
	return 0;
}
