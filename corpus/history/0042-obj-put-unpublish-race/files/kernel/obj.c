/*
 * obj.c — factories and reference counting for kernel objects.
 *
 * This file is the object system itself: every object creation and
 * destruction goes through it, and the update machinery relies on the
 * instance tables it keeps. It is not dynamically updatable.
 */
#include <kernel.h>
#include <obj.h>

static struct factory *all_factories;
static lock_t factories_lock;

static void factory_register(struct factory *f)
{
	struct factory *p;

	lock_acquire(&factories_lock);
	for (p = all_factories; p; p = p->next)
		if (p == f)
			break;
	if (!p) {
		f->next = all_factories;
		all_factories = f;
	}
	lock_release(&factories_lock);
}

static int factory_grow(struct factory *f)
{
	long ncap = f->cap ? f->cap * 2 : 16;

	ref_t *n = kalloc(ncap * sizeof(ref_t));

	if (!n)
		return -1;
	if (f->inst) {
		memcpy(n, f->inst, f->ninst * sizeof(ref_t));
		kfree(f->inst);
	}
	f->inst = n;
	f->cap = ncap;
	return 0;
}

ref_t factory_new(struct factory *f)
{
	ref_t r;
	struct kobj *k;

	if (!f->created && !f->ninst)
		factory_register(f);
	lock_acquire(&f->lock);
	if (f->ninst == f->cap && factory_grow(f) < 0) {
		lock_release(&f->lock);
		return NULL_REF;
	}
	r = obj_new(f->name, f->size);
	if (r == NULL_REF) {
		lock_release(&f->lock);
		return NULL_REF;
	}
	k = obj_state(r);
	k->magic = KOBJ_MAGIC;
	k->refs = 1;
	k->factory = f;
	f->inst[f->ninst++] = r;
	f->created++;
	lock_release(&f->lock);
	return r;
}

static void factory_forget(struct factory *f, ref_t r)
{
	long i;

	lock_acquire(&f->lock);
	for (i = 0; i < f->ninst; i++) {
		if (f->inst[i] == r) {
			f->inst[i] = f->inst[--f->ninst];
			break;
		}
	}
	f->destroyed++;
	lock_release(&f->lock);
}

struct kobj *kobj_of(ref_t r)
{
	struct kobj *k = obj_state(r);

	if (k->magic != KOBJ_MAGIC)
		panic("kobj_of: ref %lu is not a kernel object", r);
	return k;
}

void obj_get(ref_t r)
{
	struct kobj *k = kobj_of(r);

	lock_acquire(&k->factory->lock);
	k->refs++;
	lock_release(&k->factory->lock);
}

void obj_put(ref_t r)
{
	struct kobj *k = kobj_of(r);
	struct factory *f = k->factory;
	long left;

	lock_acquire(&f->lock);
	left = --k->refs;
	if (left == 0) {
		/* unpublish before destroying: from here on
		 * factory_instance no longer hands r out, so the self-check
		 * cannot walk into a half-destroyed object */
		factory_forget(f, r);
	}
	lock_release(&f->lock);
	if (left > 0)
		return;
	if (left < 0)
		panic("obj_put: %s %lu over-released", f->name, r);
	if (f->destroy)
		f->destroy(r);
	k->magic = 0;
	obj_free(r);
}


long obj_refs(ref_t r)
{
	return kobj_of(r)->refs;
}

long factory_live(struct factory *f)
{
	return f->ninst;
}

ref_t factory_instance(struct factory *f, long i)
{
	ref_t r = NULL_REF;

	lock_acquire(&f->lock);
	if (i >= 0 && i < f->ninst)
		r = f->inst[i];
	lock_release(&f->lock);
	return r;
}

/* factory_check verifies that the factory's table and the machine's agree
 * and that every instance it lists is a live kernel object of its type. */
long factory_check(struct factory *f)
{
	long i, bad = 0;

	lock_acquire(&f->lock);
	if (obj_count(f->name) != f->ninst) {
		kprintf("selfcheck: %s: factory has %ld, machine %ld\n",
			f->name, f->ninst, obj_count(f->name));
		bad++;
	}
	if (f->created - f->destroyed != f->ninst) {
		kprintf("selfcheck: %s: created %ld destroyed %ld live %ld\n",
			f->name, f->created, f->destroyed, f->ninst);
		bad++;
	}
	for (i = 0; i < f->ninst; i++) {
		struct kobj *k;
		const char *t = obj_type(f->inst[i]);

		if (!t || strcmp(t, f->name) != 0) {
			kprintf("selfcheck: %s: instance %ld has type %s\n",
				f->name, i, t ? t : "(none)");
			bad++;
			continue;
		}
		k = obj_state(f->inst[i]);
		if (k->magic != KOBJ_MAGIC || k->refs <= 0 || k->factory != f) {
			kprintf("selfcheck: %s: instance %lu damaged (refs %ld)\n",
				f->name, f->inst[i], k->refs);
			bad++;
		}
	}
	lock_release(&f->lock);
	return bad;
}

long factories_check(void)
{
	struct factory *f;
	long bad = 0;

	for (f = all_factories; f; f = f->next)
		bad += factory_check(f);
	return bad;
}
