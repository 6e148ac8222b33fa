/* fs.c — File objects: K42-style, reached through the OTT. */
#include <fs.h>

lock_t files_lock;
FileRef files[NFILES];

FileRef File_create(const char *name)
{
	FileRef f = NEW(File);
	if (f == NULL_REF)
		return NULL_REF;
	strncpy(DREF(File, f)->name, name, sizeof DREF(File, f)->name - 1);
	return f;
}

long File_write(FileRef self, const char *buf, long n)
{
	struct File *st = DREF(File, self);
	lock_acquire(&st->lock);
	if (st->len + n > FILE_MAX)
		n = FILE_MAX - st->len;
	memcpy(st->data + st->len, buf, n);
	yield();
	st->len += n;
	lock_release(&st->lock);
	return n;
}

long File_read(FileRef self, char *buf, long n)
{
	struct File *st = DREF(File, self);
	lock_acquire(&st->lock);
	if (n > st->len)
		n = st->len;
	memcpy(buf, st->data, n);
	lock_release(&st->lock);
	return n;
}

long File_size(FileRef self)
{
	return DREF(File, self)->len;
}

void File_destroy(FileRef self)
{
	obj_free(self);
}
