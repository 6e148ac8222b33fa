/*
 * dir.c — directories.
 *
 * A directory is a hash table of (name, object, type) entries. Entries
 * hold a reference on the object they name.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <fs.h>

#define DIR_HASH	16

struct dirent {
	struct dirent *next;	/* hash chain */
	char name[NAME_MAX + 1];
	ref_t obj;
	int type;
};

OBJECT_TYPE(Directory) {
	struct kobj hdr;
	lock_t lock;
	long ino;
	DirectoryRef parent;
	struct dirent *bucket[DIR_HASH];
	long nent;
};

static void dir_destroy(DirectoryRef self);
static FACTORY(Directory, dir_destroy);

static long next_dir_ino = 1000;

DirectoryRef Directory_create(ref_t parent)
{
	DirectoryRef r = factory_new(&Directory_factory);
	struct Directory *d;

	if (r == NULL_REF)
		return NULL_REF;
	d = DREF(Directory, r);
	d->parent = parent;
	d->ino = next_dir_ino++;
	return r;
}

static void dir_destroy(DirectoryRef self)
{
	struct Directory *d = DREF(Directory, self);
	long h;

	for (h = 0; h < DIR_HASH; h++) {
		while (d->bucket[h]) {
			struct dirent *e = d->bucket[h];

			d->bucket[h] = e->next;
			obj_put(e->obj);
			kfree(e);
		}
	}
	d->nent = 0;
}

static unsigned long name_hash(const char *name)
{
	unsigned long h = 5381;

	while (*name)
		h = h * 33 + (unsigned char)*name++;
	return h % DIR_HASH;
}

static struct dirent **dir_find(struct Directory *d, const char *name)
{
	struct dirent **pp = &d->bucket[name_hash(name)];

	for (; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->name, name) == 0)
			return pp;
	return NULL;
}

ref_t Directory_lookup(DirectoryRef self, const char *name, int *type)
{
	struct Directory *d = DREF(Directory, self);
	struct dirent **pp;
	ref_t r = NULL_REF;

	lock_acquire(&d->lock);
	pp = dir_find(d, name);
	if (pp) {
		r = (*pp)->obj;
		if (type)
			*type = (*pp)->type;
	}
	lock_release(&d->lock);
	return r;
}

long Directory_add(DirectoryRef self, const char *name, ref_t obj, int type)
{
	struct Directory *d = DREF(Directory, self);
	struct dirent *e;
	unsigned long h;

	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	e = kalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	lock_acquire(&d->lock);
	if (dir_find(d, name)) {
		lock_release(&d->lock);
		kfree(e);
		return -EEXIST;
	}
	strncpy(e->name, name, NAME_MAX);
	e->obj = obj;
	e->type = type;
	h = name_hash(name);
	e->next = d->bucket[h];
	d->bucket[h] = e;
	d->nent++;
	obj_get(obj);
	lock_release(&d->lock);
	return 0;
}

long Directory_remove(DirectoryRef self, const char *name)
{
	struct Directory *d = DREF(Directory, self);
	struct dirent **pp, *e;

	lock_acquire(&d->lock);
	pp = dir_find(d, name);
	if (!pp) {
		lock_release(&d->lock);
		return -ENOENT;
	}
	e = *pp;
	*pp = e->next;
	d->nent--;
	lock_release(&d->lock);
	namei_invalidate();

	obj_put(e->obj);
	kfree(e);
	return 0;
}

/* Directory_entry copies the name of the idx'th entry (in hash order,
 * stable while the directory does not change) into name. */
long Directory_entry(DirectoryRef self, long idx, char *name, int *type)
{
	struct Directory *d = DREF(Directory, self);
	long h, n = 0;

	lock_acquire(&d->lock);
	for (h = 0; h < DIR_HASH; h++) {
		struct dirent *e;

		for (e = d->bucket[h]; e; e = e->next) {
			if (n++ == idx) {
				strcpy(name, e->name);
				if (type)
					*type = e->type;
				lock_release(&d->lock);
				return strlen(name);
			}
		}
	}
	lock_release(&d->lock);
	return -ENOENT;
}

long Directory_count(DirectoryRef self)

{
	return DREF(Directory, self)->nent;
}

long Directory_ino(DirectoryRef self)
{
	return DREF(Directory, self)->ino;
}

/* dir_check_all verifies that every entry names a live object of the
 * type the entry claims. */
long dir_check_all(void)
{
	long i, j, bad = 0;
	DirectoryRef r;

	for (i = 0; (r = factory_instance(&Directory_factory, i)) != NULL_REF; i++) {
		struct Directory *d = DREF(Directory, r);

		long n = 0;

		lock_acquire(&d->lock);
		for (j = 0; j < DIR_HASH; j++) {
			struct dirent *e;

			for (e = d->bucket[j]; e; e = e->next) {
				const char *t = obj_type(e->obj);
				const char *want = e->type == NODE_DIR ? "Directory" :
						   e->type == NODE_FIFO ? "Pipe" : "File";

				if (!t || strcmp(t, want) != 0) {
					kprintf("selfcheck: dir %ld: entry %s is %s, want %s\n",
						d->ino, e->name, t ? t : "(dead)", want);
					bad++;
				}
				if (name_hash(e->name) != j) {
					kprintf("selfcheck: dir %ld: %s in bucket %ld\n",
						d->ino, e->name, j);
					bad++;
				}
				n++;
			}
		}
		if (n != d->nent) {
			kprintf("selfcheck: dir %ld: %ld entries, count %ld\n",
				d->ino, n, d->nent);
			bad++;
		}
		lock_release(&d->lock);
	}
	return bad;
}
