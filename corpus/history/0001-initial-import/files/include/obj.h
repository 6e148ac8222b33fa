/*
 * obj.h — the kernel's object system on top of the machine's OTT.
 *
 * Every kernel object starts its state with a struct kobj header. Objects
 * are created by their type's factory, which tracks every live instance so
 * that the self-check (and a dynamic update) can find all of them. Objects
 * are reference counted: obj_get/obj_put; the last put destroys.
 */
#ifndef KERNEL_OBJ_H
#define KERNEL_OBJ_H

#include <kernel.h>

#define KOBJ_MAGIC	0x4b4f424aU	/* "KOBJ" */

struct factory;

struct kobj {
	uint32_t magic;
	uint32_t flags;
	long refs;
	struct factory *factory;
};

typedef void (*destroy_fn)(ref_t self);

struct factory {
	const char *name;
	size_t size;
	destroy_fn destroy;
	lock_t lock;
	long created;
	long destroyed;
	ref_t *inst;		/* live instances, unordered */
	long ninst;
	long cap;
	struct factory *next;	/* all factories, for the self-check */
};

#define FACTORY(T, destroyfn) \
	struct factory T##_factory = { #T, sizeof(struct T), destroyfn }

ref_t factory_new(struct factory *f);
void obj_get(ref_t r);
void obj_put(ref_t r);
long obj_refs(ref_t r);
struct kobj *kobj_of(ref_t r);
long factory_live(struct factory *f);
ref_t factory_instance(struct factory *f, long i);
long factory_check(struct factory *f);
long factories_check(void);

#endif
