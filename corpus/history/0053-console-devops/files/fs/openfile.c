/*
 * openfile.c — open file descriptions.
 *
 * An OpenFile is what a descriptor points at: the object being read or
 * written, the access mode and the current offset. Several descriptors
 * may share one OpenFile.
 */
#include <kernel.h>
#include <errno.h>
#include <syscall.h>
#include <obj.h>
#include <fs.h>
#include <ipc.h>
#include <console.h>

OBJECT_TYPE(OpenFile) {
	struct kobj hdr;
	lock_t lock;
	int kind;
	int flags;
	ref_t obj;
	long off;
};

static void openfile_destroy(OpenFileRef self);
static FACTORY(OpenFile, openfile_destroy);

/* Character devices: what an OpenFile of kind OF_CONSOLE calls. */
struct devops {
	long (*read)(void *buf, long len);
	long (*write)(const void *buf, long len);
};

static long console_dev_read(void *buf, long len)
{
	return 0;
}

static long console_dev_write(const void *buf, long len)
{
	return Console_write(console, buf, len);
}

static const struct devops console_ops = {
	console_dev_read,
	console_dev_write,
};

OpenFileRef OpenFile_create(int kind, int flags, ref_t obj)
{
	OpenFileRef r = factory_new(&OpenFile_factory);
	struct OpenFile *of;

	if (r == NULL_REF)
		return NULL_REF;
	of = DREF(OpenFile, r);
	of->kind = kind;
	of->flags = flags;
	of->obj = obj;
	if (obj != NULL_REF)
		obj_get(obj);
	if (kind == OF_PIPE)
		Pipe_open_end(obj, (flags & O_ACCMODE) != O_RDONLY);
	return r;
}

static void openfile_destroy(OpenFileRef self)
{
	struct OpenFile *of = DREF(OpenFile, self);

	if (of->obj == NULL_REF)
		return;
	if (of->kind == OF_PIPE)
		Pipe_close_end(of->obj, (of->flags & O_ACCMODE) != O_RDONLY);
	obj_put(of->obj);
	of->obj = NULL_REF;
}

long OpenFile_read(OpenFileRef self, void *buf, long len)
{
	struct OpenFile *of = DREF(OpenFile, self);
	long n;

	if ((of->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	switch (of->kind) {
	case OF_FILE:
		lock_acquire(&of->lock);
		n = File_read(of->obj, of->off, buf, len);
		if (n > 0)
			of->off += n;
		lock_release(&of->lock);
		return n;
	case OF_PIPE:
		return Pipe_read(of->obj, buf, len);
	case OF_CONSOLE:
		return console_ops.read(buf, len);
	}
	return -EINVAL;
}

long OpenFile_write(OpenFileRef self, const void *buf, long len)
{
	struct OpenFile *of = DREF(OpenFile, self);
	long n;

	if ((of->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	switch (of->kind) {
	case OF_FILE:
		lock_acquire(&of->lock);
		if (of->flags & O_APPEND)
			of->off = File_size(of->obj);
		n = File_write(of->obj, of->off, buf, len);
		if (n > 0)
			of->off += n;
		lock_release(&of->lock);
		return n;
	case OF_PIPE:
		return Pipe_write(of->obj, buf, len);
	case OF_CONSOLE:
		return console_ops.write(buf, len);
	}
	return -EINVAL;
}

long OpenFile_seek(OpenFileRef self, long off, int whence)
{
	struct OpenFile *of = DREF(OpenFile, self);
	long base, pos;

	if (of->kind != OF_FILE)
		return -ESPIPE;
	/* the whole read-modify-write of the offset under the lock: a
	 * SEEK_CUR racing with a read on another CPU must not lose either */
	lock_acquire(&of->lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = of->off;
		break;
	case SEEK_END:
		base = File_size(of->obj);
		break;
	default:
		lock_release(&of->lock);
		return -EINVAL;
	}
	pos = base + off;
	if (pos < 0) {
		lock_release(&of->lock);
		return -EINVAL;
	}
	of->off = pos;
	lock_release(&of->lock);
	return pos;
}
