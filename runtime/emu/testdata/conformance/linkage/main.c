/* Several translation units linked together: extern variables and
 * arrays defined elsewhere, static functions and variables with the same
 * names in different units, tentative definitions, and function pointers
 * that cross units. */
#include <stdio.h>
#include "shared.h"

int tentative;
int tentative;
static int helper(void) { return 1; }
static int private_count = 100;

int main(void)
{
	printf("main helper=%d other helper=%d\n", helper(), other_helper());
	printf("private main=%d other=%d\n", private_count, other_private());
	int before = tentative;
	bump_tentative();
	printf("tentative=%d after bump=%d\n", before, tentative);
	printf("table size=%d:", table_size);
	for (int i = 0; i < table_size; i++)
		printf(" %s=%d", table[i].name, table[i].value);
	printf("\n");
	printf("greeting=%s len=%zu\n", greeting, sizeof greeting_buf);
	for (int i = 0; i < 3; i++)
		printf("op %d -> %d\n", i, ops[i](10));
	shared_counter = 5;
	increment(3);
	printf("shared_counter=%d calls=%d\n", shared_counter, increment_calls());
	const struct entry *e = find_entry("beta");
	printf("find beta=%d missing=%d\n", e ? e->value : -1, find_entry("zeta") == NULL);
	return shared_counter;
}
