/* acct.c — an account object, version 1. */
#include <kernel.h>

struct hist {
	int when;
	short amount;
};

OBJECT_TYPE(Acct) {
	long id;
	int balance;		/* widened to long in v2 */
	long limit;		/* narrowed to int in v2 */
	unsigned char flags;
	long ownr;		/* renamed owner in v2 (same type, same place) */
	char name[16];		/* resized to 24 in v2 */
	struct hist last;	/* nested: amount widened in v2 */
	struct hist log[4];	/* array of changed structs */
	long obsolete;		/* removed in v2 */
	unsigned mode : 3;
	unsigned dirty : 1;
};

static long next_id = 1;

AcctRef Acct_create(long limit)
{
	AcctRef r = obj_new("Acct", sizeof(struct Acct));
	struct Acct *a = DREF(Acct, r);

	a->id = next_id++;
	a->limit = limit;
	return r;
}

long Acct_deposit(AcctRef self, int amount)
{
	struct Acct *a = DREF(Acct, self);

	a->balance += amount;
	a->last.amount = amount;
	return a->balance;
}

long Acct_balance(AcctRef self)
{
	return DREF(Acct, self)->balance;
}
