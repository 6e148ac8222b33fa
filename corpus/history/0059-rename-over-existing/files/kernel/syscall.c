/*
 * syscall.c — the system call entry point and the calls themselves.
 *
 * Every request from a workload enters through kernel_syscall. Arguments
 * arrive as longs; pointers point into the caller's memory, which on this
 * machine is the same address space as the kernel's.
 */
#include <kernel.h>
#include <errno.h>
#include <syscall.h>
#include <klib.h>
#include <obj.h>
#include <mm.h>
#include <fs.h>
#include <ipc.h>
#include <proc.h>
#include <console.h>

typedef long (*syscall_fn)(long a0, long a1, long a2, long a3, long a4,
			   long a5);

static long sys_getpid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return Process_pid(current());
}

static long do_create(DirectoryRef dir, const char *leaf, int type,
		      ref_t *out)
{
	ref_t obj;
	long err;

	if (type == NODE_FILE)
		obj = File_create();
	else if (type == NODE_DIR)
		obj = Directory_create(dir);
	else
		obj = Pipe_create();
	if (obj == NULL_REF)
		return -ENOMEM;
	err = Directory_add(dir, leaf, obj, type);
	if (err < 0) {
		obj_put(obj);
		return err;
	}
	if (type == NODE_FILE)
		File_link(obj, 1);
	/* the directory holds its own reference now */
	obj_put(obj);
	*out = obj;
	return 0;
}

/* open_node finds (or with O_CREAT makes) the node at path. */
static long open_node(const char *path, long flags, ref_t *obj, int *type)
{
	char leaf[NAME_MAX + 1];
	DirectoryRef dir;
	long err;

	err = namei_parent(path, &dir, leaf);
	if (err < 0)
		return err;
	*obj = Directory_lookup(dir, leaf, type);
	if (*obj == NULL_REF) {
		if (!(flags & O_CREAT))
			return -ENOENT;
		err = do_create(dir, leaf, NODE_FILE, obj);
		if (err < 0)
			return err;
		*type = NODE_FILE;
	}
	if (*type == NODE_DIR)
		return -EISDIR;
	if (*type == NODE_FILE && (flags & O_TRUNC) &&
	    (flags & O_ACCMODE) != O_RDONLY)
		return File_truncate(*obj, 0);
	return 0;
}

static long sys_open(long a0, long flags, long a2, long a3, long a4, long a5)
{
	char path[PATH_MAX];
	ref_t obj = NULL_REF, of;
	int type = 0;
	long err, fd;

	err = copy_path(path, (const char *)a0);
	if (err < 0)
		return err;
	if (strcmp(path, "/dev/console") != 0) {
		err = open_node(path, flags, &obj, &type);
		if (err < 0)
			return err;
	}
	if (type == NODE_FILE)
		of = OpenFile_create(OF_FILE, flags, obj);
	else if (type == NODE_FIFO)
		of = OpenFile_create(OF_PIPE, flags, obj);
	else
		of = OpenFile_create(OF_CONSOLE, flags, NULL_REF);
	if (of == NULL_REF)
		return -ENOMEM;
	fd = Process_fd_install(current(), of);
	if (fd < 0)
		obj_put(of);
	return fd;
}

static long sys_close(long fd, long a1, long a2, long a3, long a4, long a5)
{
	return Process_fd_close(current(), fd);
}

static long sys_dup(long fd, long a1, long a2, long a3, long a4, long a5)
{
	return Process_fd_dup(current(), fd);
}

static long sys_read(long fd, long buf, long len, long a3, long a4, long a5)
{
	ref_t of = Process_fd_get(current(), fd);
	long n;

	if (of == NULL_REF)
		return -EBADF;
	n = OpenFile_read(of, (void *)buf, len);
	obj_put(of);
	return n;
}

static long sys_write(long fd, long buf, long len, long a3, long a4, long a5)
{
	ref_t of = Process_fd_get(current(), fd);
	long n;

	if (of == NULL_REF)
		return -EBADF;
	n = OpenFile_write(of, (const void *)buf, len);
	obj_put(of);
	return n;
}

static long sys_seek(long fd, long off, long whence, long a3, long a4, long a5)
{
	ref_t of = Process_fd_get(current(), fd);
	long n;

	if (of == NULL_REF)
		return -EBADF;
	n = OpenFile_seek(of, off, (int)whence);
	obj_put(of);
	return n;
}

static long make_node(long upath, int type)
{
	char path[PATH_MAX], leaf[NAME_MAX + 1];
	DirectoryRef dir;
	ref_t obj;
	long err;

	err = copy_path(path, (const char *)upath);
	if (err < 0)
		return err;
	err = namei_parent(path, &dir, leaf);
	if (err < 0)
		return err;
	return do_create(dir, leaf, type, &obj);
}

static long sys_mkdir(long path, long a1, long a2, long a3, long a4, long a5)
{
	return make_node(path, NODE_DIR);
}

static long sys_mkfifo(long path, long a1, long a2, long a3, long a4, long a5)
{
	return make_node(path, NODE_FIFO);
}

static long sys_unlink(long upath, long a1, long a2, long a3, long a4, long a5)
{
	char path[PATH_MAX], leaf[NAME_MAX + 1];
	DirectoryRef dir;
	ref_t obj;
	int type;
	long err;

	err = copy_path(path, (const char *)upath);
	if (err < 0)
		return err;
	err = namei_parent(path, &dir, leaf);
	if (err < 0)
		return err;
	obj = Directory_lookup(dir, leaf, &type);
	if (obj == NULL_REF)
		return -ENOENT;
	if (type == NODE_DIR && Directory_count(obj) > 0)
		return -ENOTEMPTY;
	if (type == NODE_FILE)
		File_link(obj, -1);
	return Directory_remove(dir, leaf);
}

static long sys_rename(long ufrom, long uto, long a2, long a3, long a4,
		       long a5)
{
	char from[PATH_MAX], to[PATH_MAX];
	char fleaf[NAME_MAX + 1], tleaf[NAME_MAX + 1];
	DirectoryRef fdir, tdir;
	ref_t obj, old;
	int type, otype;
	long err;

	err = copy_path(from, (const char *)ufrom);
	if (err == 0)
		err = copy_path(to, (const char *)uto);
	if (err == 0)
		err = namei_parent(from, &fdir, fleaf);
	if (err == 0)
		err = namei_parent(to, &tdir, tleaf);
	if (err < 0)
		return err;
	obj = Directory_lookup(fdir, fleaf, &type);
	if (obj == NULL_REF)
		return -ENOENT;
	if (fdir == tdir && strcmp(fleaf, tleaf) == 0)
		return 0;
	obj_get(obj);
	/* replace an existing file, as editors expect; never a directory */
	old = Directory_lookup(tdir, tleaf, &otype);
	if (old != NULL_REF) {
		if (otype == NODE_DIR || type == NODE_DIR) {
			obj_put(obj);
			return otype == NODE_DIR ? -EISDIR : -ENOTDIR;
		}
		if (otype == NODE_FILE)
			File_link(old, -1);
		Directory_remove(tdir, tleaf);
	}
	/* link the new name before dropping the old one, so that a
	 * failure leaves the file where it was */
	err = Directory_add(tdir, tleaf, obj, type);
	if (err == 0)
		err = Directory_remove(fdir, fleaf);
	obj_put(obj);
	return err;
}

static long sys_stat(long upath, long ust, long a2, long a3, long a4, long a5)
{
	char path[PATH_MAX];
	struct kstat *st = (struct kstat *)ust;
	ref_t obj;
	int type;
	long err;

	err = copy_path(path, (const char *)upath);
	if (err < 0)
		return err;
	obj = namei(path, &type);
	if (obj == NULL_REF)
		return -ENOENT;
	if (type == NODE_FILE) {
		File_stat(obj, st);
	} else {
		memset(st, 0, sizeof(*st));
		st->type = type;
		if (type == NODE_DIR) {
			st->ino = Directory_ino(obj);
			st->size = Directory_count(obj);
		}
		st->nlink = 1;
	}
	return 0;
}

static long sys_truncate(long upath, long size, long a2, long a3, long a4,
			 long a5)
{
	char path[PATH_MAX];
	ref_t obj;
	int type;
	long err;

	err = copy_path(path, (const char *)upath);
	if (err < 0)
		return err;
	obj = namei(path, &type);
	if (obj == NULL_REF)
		return -ENOENT;
	if (type != NODE_FILE)
		return type == NODE_DIR ? -EISDIR : -EINVAL;
	return File_truncate(obj, size);
}

/* readdir(path, idx, namebuf): the idx'th name in the directory, its
 * length as the result; -ENOENT past the last one. namebuf must hold
 * NAME_MAX + 1 bytes. */
static long sys_readdir(long upath, long idx, long ubuf, long a3, long a4,
			long a5)
{
	char path[PATH_MAX];
	ref_t obj;
	int type;
	long err;

	err = copy_path(path, (const char *)upath);
	if (err < 0)
		return err;
	obj = namei(path, &type);
	if (obj == NULL_REF)
		return -ENOENT;
	if (type != NODE_DIR)
		return -ENOTDIR;
	return Directory_entry(obj, idx, (char *)ubuf, NULL);
}

static long sys_sem_open(long count, long a1, long a2, long a3, long a4,
			 long a5)
{
	return sem_open(count);
}

static long sys_sem_down(long id, long a1, long a2, long a3, long a4, long a5)
{
	SemaphoreRef s = sem_get(id);
	long ret;

	if (s == NULL_REF)
		return -EINVAL;
	ret = Semaphore_down(s);
	obj_put(s);
	return ret;
}

static long sys_sem_up(long id, long a1, long a2, long a3, long a4, long a5)
{
	SemaphoreRef s = sem_get(id);
	long ret;

	if (s == NULL_REF)
		return -EINVAL;
	ret = Semaphore_up(s);
	obj_put(s);
	return ret;
}

static long sys_sem_close(long id, long a1, long a2, long a3, long a4, long a5)
{
	return sem_close(id);
}

static long sys_spawn(long uname, long a1, long a2, long a3, long a4, long a5)
{
	ProcessRef p;

	if (!uname)
		return -EFAULT;
	p = Process_create(current(), (const char *)uname);
	if (p == NULL_REF)
		return -ENOMEM;
	RunQueue_add(runqueue, p);
	return Process_pid(p);
}

static long sys_kill(long pid, long code, long a2, long a3, long a4, long a5)
{
	ProcessRef p = proc_lookup(pid);

	if (p == NULL_REF || Process_state(p) == PROC_ZOMBIE)
		return -ESRCH;
	if (p == current())
		return -EPERM;
	RunQueue_remove(runqueue, p);
	Process_exit(p, code);
	return 0;
}

static long sys_wait(long pid, long a1, long a2, long a3, long a4, long a5)
{
	ProcessRef p = proc_lookup(pid);
	long code;

	if (p == NULL_REF || Process_ppid(p) != Process_pid(current()))
		return -ECHILD;
	if (Process_state(p) != PROC_ZOMBIE)
		return -EAGAIN;
	code = Process_exitcode(p);
	obj_put(p);
	return code;
}

/* mmap(npages, prot): prot 0 means read-write, for programs written
 * before protections existed. */
static long sys_mmap(long npages, long prot, long a2, long a3, long a4,
		     long a5)
{
	if (prot == 0)
		prot = PROT_READ | PROT_WRITE;
	return Process_mmap(current(), npages, (int)prot);
}

static long sys_munmap(long addr, long a1, long a2, long a3, long a4, long a5)
{
	return Process_munmap(current(), addr);
}

static long sys_peek(long addr, long buf, long len, long a3, long a4, long a5)
{
	long off;
	RegionRef r = Process_region(current(), addr, &off);

	if (r == NULL_REF)
		return -EFAULT;
	return Region_read(r, off, (void *)buf, len);
}

static long sys_poke(long addr, long buf, long len, long a3, long a4, long a5)
{
	long off;
	RegionRef r = Process_region(current(), addr, &off);

	if (r == NULL_REF)
		return -EFAULT;
	return Region_write(r, off, (const void *)buf, len);
}

static long sys_sleep(long pid, long n, long a2, long a3, long a4, long a5)
{
	ProcessRef p = proc_lookup(pid);

	if (p == NULL_REF)
		return -ESRCH;
	if (p == current())
		return -EINVAL;
	return RunQueue_sleep(runqueue, p, n);
}

/* yield(): rotate the run queue; the result is the pid now at the tail,
 * i.e. the one that just got the CPU. */
static long sys_yield(long a0, long a1, long a2, long a3, long a4, long a5)
{
	ProcessRef p = RunQueue_rotate(runqueue);

	return p == NULL_REF ? -ESRCH : Process_pid(p);
}

static long sys_ticks(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return ticks;
}

static long sys_dmesg(long buf, long len, long a2, long a3, long a4, long a5)
{
	return Console_read(console, (char *)buf, len);
}

static long sys_freemem(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return FrameAllocator_nfree(frames);
}

static const syscall_fn sys_call_table[NR_SYSCALLS] = {
	[SYS_GETPID] = sys_getpid,
	[SYS_OPEN] = sys_open,
	[SYS_CLOSE] = sys_close,
	[SYS_READ] = sys_read,
	[SYS_WRITE] = sys_write,
	[SYS_SEEK] = sys_seek,
	[SYS_MKDIR] = sys_mkdir,
	[SYS_UNLINK] = sys_unlink,
	[SYS_STAT] = sys_stat,
	[SYS_MKFIFO] = sys_mkfifo,
	[SYS_SPAWN] = sys_spawn,
	[SYS_KILL] = sys_kill,
	[SYS_WAIT] = sys_wait,
	[SYS_MMAP] = sys_mmap,
	[SYS_MUNMAP] = sys_munmap,
	[SYS_PEEK] = sys_peek,
	[SYS_POKE] = sys_poke,
	[SYS_SLEEP] = sys_sleep,
	[SYS_TICKS] = sys_ticks,
	[SYS_DMESG] = sys_dmesg,
	[SYS_FREEMEM] = sys_freemem,
	[SYS_TRUNCATE] = sys_truncate,
	[SYS_READDIR] = sys_readdir,
	[SYS_SEM_OPEN] = sys_sem_open,
	[SYS_SEM_DOWN] = sys_sem_down,
	[SYS_SEM_UP] = sys_sem_up,
	[SYS_SEM_CLOSE] = sys_sem_close,
	[SYS_DUP] = sys_dup,
	[SYS_YIELD] = sys_yield,
	[SYS_RENAME] = sys_rename,
};

long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5)
{
	RunQueue_tick(runqueue);
	if (nr < 0 || nr >= NR_SYSCALLS || !sys_call_table[nr])
		return -ENOSYS;
	return sys_call_table[nr](a0, a1, a2, a3, a4, a5);
}
