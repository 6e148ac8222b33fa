#ifndef SHARED_H
#define SHARED_H

#include <stddef.h>

struct entry {
	const char *name;
	int value;
};

extern const struct entry table[];
extern const int table_size;
extern const char *greeting;
extern char greeting_buf[32];
extern int tentative;
extern int shared_counter;
extern int (*const ops[3])(int);

int other_helper(void);
int other_private(void);
void bump_tentative(void);
void increment(int by);
int increment_calls(void);
const struct entry *find_entry(const char *name);

#endif
