/*
 * file.c — regular files.
 *
 * A file's bytes live in its FCM's pages. The file keeps a checksum of its
 * contents so that the self-check can tell a damaged page cache from a
 * healthy one.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <mm.h>
#include <fs.h>

OBJECT_TYPE(File) {
	struct kobj hdr;
	lock_t lock;
	long ino;
	long size;
	int nlink;
	FCMRef cache;
	uint32_t csum;
};

static void file_destroy(FileRef self);
static FACTORY(File, file_destroy);

static long next_ino = 2;

FileRef File_create(void)
{
	FileRef r = factory_new(&File_factory);
	struct File *f;

	if (r == NULL_REF)
		return NULL_REF;
	f = DREF(File, r);
	f->cache = FCM_create();
	if (f->cache == NULL_REF) {
		obj_put(r);
		return NULL_REF;
	}
	f->ino = next_ino++;
	return r;
}

static void file_destroy(FileRef self)
{
	struct File *f = DREF(File, self);

	if (f->cache != NULL_REF)
		obj_put(f->cache);
	f->cache = NULL_REF;
}

/* file_csum is a position-weighted sum of the file's bytes: cheap, and it
 * notices swapped pages, which a plain sum would not. */
static uint32_t file_csum(struct File *f)
{
	uint32_t sum = 0;
	long pos;

	for (pos = 0; pos < f->size; pos++) {
		uint8_t *p = FCM_getpage(f->cache, pos / PAGE_SIZE, false);
		uint8_t b = p ? p[pos % PAGE_SIZE] : 0;

		sum += (uint32_t)b * (uint32_t)(pos % 251 + 1);
	}
	return sum;
}

long File_read(FileRef self, long off, void *buf, long len)
{
	struct File *f = DREF(File, self);
	char *dst = buf;
	long done = 0;

	if (off < 0 || len < 0)
		return -EINVAL;
	lock_acquire(&f->lock);
	if (off >= f->size) {
		lock_release(&f->lock);
		return 0;
	}
	if (len > f->size - off)
		len = f->size - off;
	while (done < len) {
		long pos = off + done;
		long n = PAGE_SIZE - pos % PAGE_SIZE;
		char *p = FCM_getpage(f->cache, pos / PAGE_SIZE, false);

		if (n > len - done)
			n = len - done;
		if (p)
			memcpy(dst + done, p + pos % PAGE_SIZE, n);
		else
			memset(dst + done, 0, n);
		done += n;
	}
	lock_release(&f->lock);
	return done;
}

long File_write(FileRef self, long off, const void *buf, long len)
{
	struct File *f = DREF(File, self);
	const char *src = buf;
	long done = 0;

	if (off < 0 || len < 0)
		return -EINVAL;
	if (off + len > FILE_MAX_PAGES * PAGE_SIZE)
		return -EFBIG;
	lock_acquire(&f->lock);
	while (done < len) {
		long pos = off + done;
		long n = PAGE_SIZE - pos % PAGE_SIZE;
		char *p = FCM_getpage(f->cache, pos / PAGE_SIZE, true);

		if (!p)
			break;
		if (n > len - done)
			n = len - done;
		memcpy(p + pos % PAGE_SIZE, src + done, n);
		done += n;
	}
	if (off + done > f->size)
		f->size = off + done;
	f->csum = file_csum(f);
	lock_release(&f->lock);
	if (done == 0 && len > 0)
		return -ENOSPC;
	return done;
}

long File_truncate(FileRef self, long size)
{
	struct File *f = DREF(File, self);

	if (size < 0)
		return -EINVAL;
	lock_acquire(&f->lock);
	if (size < f->size) {
		char *p;

		FCM_truncate(f->cache, (size + PAGE_SIZE - 1) / PAGE_SIZE);
		/* zero the cut-off tail of the last page, or growing the
		 * file again would bring the old bytes back */
		p = FCM_getpage(f->cache, size / PAGE_SIZE, false);
		if (p && size % PAGE_SIZE)
			memset(p + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
		f->size = size;
		f->csum = file_csum(f);
	}
	lock_release(&f->lock);
	return 0;

}

long File_size(FileRef self)
{
	return DREF(File, self)->size;
}

void File_stat(FileRef self, struct kstat *st)
{
	struct File *f = DREF(File, self);

	st->ino = f->ino;
	st->size = f->size;
	st->type = NODE_FILE;
	st->nlink = f->nlink;
}

void File_link(FileRef self, int delta)
{
	struct File *f = DREF(File, self);

	lock_acquire(&f->lock);
	f->nlink += delta;
	lock_release(&f->lock);
}

/* File_check recomputes the checksum; nonzero when the contents no longer
 * match what the last write recorded. */
long File_check(FileRef self)
{
	struct File *f = DREF(File, self);
	long bad = 0;

	lock_acquire(&f->lock);
	if (file_csum(f) != f->csum) {
		kprintf("selfcheck: file %ld: checksum mismatch\n", f->ino);
		bad = 1;
	}
	lock_release(&f->lock);
	return bad;
}

long file_check_all(void)
{
	long i, bad = 0;
	FileRef r;

	for (i = 0; (r = factory_instance(&File_factory, i)) != NULL_REF; i++)
		bad += File_check(r);
	return bad;
}
