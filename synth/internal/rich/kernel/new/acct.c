/* acct.c — an account object, version 2. */
#include <kernel.h>

struct hist {
	int when;
	long amount;
};

OBJECT_TYPE(Acct) {
	long id;
	long balance;
	int limit;
	unsigned char flags;
	long owner;
	char name[24];
	struct hist last;
	struct hist log[4];
	long cursor;		/* new: -1 means none, as Acct_create says */
	unsigned mode : 5;
	unsigned dirty : 1;
};

static long next_id = 1;

AcctRef Acct_create(long limit)
{
	AcctRef r = obj_new("Acct", sizeof(struct Acct));
	struct Acct *a = DREF(Acct, r);

	a->id = next_id++;
	a->limit = limit;
	a->cursor = -1;
	return r;
}

long Acct_deposit(AcctRef self, long amount, int times)
{
	struct Acct *a = DREF(Acct, self);

	a->balance += amount * times;
	a->last.amount = amount;
	return a->balance;
}

long Acct_balance(AcctRef self)
{
	return DREF(Acct, self)->balance;
}
