#include <string.h>
#include "shared.h"

const struct entry table[] = {
	{"alpha", 1},
	{"beta", 2},
	{"gamma", 3},
};
const int table_size = sizeof table / sizeof table[0];
char greeting_buf[32] = "hello from table.c";
const char *greeting = greeting_buf;

static int helper(void) { return 2; }
static int private_count = 200;

int other_helper(void) { return helper(); }
int other_private(void) { return private_count; }

const struct entry *find_entry(const char *name)
{
	for (int i = 0; i < table_size; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}
