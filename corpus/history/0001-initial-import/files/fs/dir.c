/*
 * dir.c — directories.
 *
 * A directory is a small table of (name, object, type) entries. Entries
 * hold a reference on the object they name.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <fs.h>

struct dirent {
	char name[NAME_MAX + 1];
	ref_t obj;
	int type;
};

OBJECT_TYPE(Directory) {
	struct kobj hdr;
	lock_t lock;
	long ino;
	DirectoryRef parent;
	struct dirent *ent;
	long nent;
	long cap;
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
	long i;

	for (i = 0; i < d->nent; i++)
		obj_put(d->ent[i].obj);
	kfree(d->ent);
	d->ent = NULL;
	d->nent = 0;
}

static struct dirent *dir_find(struct Directory *d, const char *name)
{
	long i;

	for (i = 0; i < d->nent; i++)
		if (strcmp(d->ent[i].name, name) == 0)
			return &d->ent[i];
	return NULL;
}

ref_t Directory_lookup(DirectoryRef self, const char *name, int *type)
{
	struct Directory *d = DREF(Directory, self);
	struct dirent *e;
	ref_t r = NULL_REF;

	lock_acquire(&d->lock);
	e = dir_find(d, name);
	if (e) {
		r = e->obj;
		if (type)
			*type = e->type;
	}
	lock_release(&d->lock);
	return r;
}

long Directory_add(DirectoryRef self, const char *name, ref_t obj, int type)
{
	struct Directory *d = DREF(Directory, self);
	struct dirent *e;

	if (strlen(name) > NAME_MAX + 1)
		return -ENAMETOOLONG;
	lock_acquire(&d->lock);
	if (dir_find(d, name)) {
		lock_release(&d->lock);
		return -EEXIST;
	}
	if (d->nent == d->cap) {
		long ncap = d->cap ? d->cap * 2 : 8;
		struct dirent *n = kalloc(ncap * sizeof(struct dirent));

		if (!n) {
			lock_release(&d->lock);
			return -ENOMEM;
		}
		if (d->ent) {
			memcpy(n, d->ent, d->nent * sizeof(struct dirent));
			kfree(d->ent);
		}
		d->ent = n;
		d->cap = ncap;
	}
	e = &d->ent[d->nent++];
	strncpy(e->name, name, NAME_MAX);
	e->obj = obj;
	e->type = type;
	obj_get(obj);
	lock_release(&d->lock);
	return 0;
}

long Directory_remove(DirectoryRef self, const char *name)
{
	struct Directory *d = DREF(Directory, self);
	struct dirent *e;
	ref_t obj;

	lock_acquire(&d->lock);
	e = dir_find(d, name);
	if (!e) {
		lock_release(&d->lock);
		return -ENOENT;
	}
	obj = e->obj;
	*e = d->ent[--d->nent];
	lock_release(&d->lock);
	obj_put(obj);
	return 0;
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

		lock_acquire(&d->lock);
		for (j = 0; j < d->nent; j++) {
			const char *t = obj_type(d->ent[j].obj);
			const char *want = d->ent[j].type == NODE_DIR ? "Directory" :
					   d->ent[j].type == NODE_FIFO ? "Pipe" : "File";

			if (!t || strcmp(t, want) != 0) {
				kprintf("selfcheck: dir %ld: entry %s is %s, want %s\n",
					d->ino, d->ent[j].name, t ? t : "(dead)", want);
				bad++;
			}
		}
		lock_release(&d->lock);
	}
	return bad;
}
