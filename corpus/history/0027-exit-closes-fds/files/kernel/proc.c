/*
 * proc.c — processes.
 *
 * A process owns a descriptor table (refs to OpenFiles) and up to
 * NREGIONS memory regions. Process 1, init, is created at boot and is the
 * caller of every request until a workload spawns others.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <mm.h>
#include <fs.h>
#include <proc.h>

OBJECT_TYPE(Process) {
	struct kobj hdr;
	lock_t lock;
	long pid;
	long ppid;
	int state;
	long exitcode;
	char name[16];
	ref_t fd[NFDS];
	RegionRef region[NREGIONS];
	long next_page;
};

static void proc_destroy(ProcessRef self);
static FACTORY(Process, proc_destroy);

static long next_pid = 1;
static ProcessRef init_proc;

ProcessRef Process_create(ref_t parent, const char *name)
{
	ProcessRef r = factory_new(&Process_factory);
	struct Process *p;

	if (r == NULL_REF)
		return NULL_REF;
	p = DREF(Process, r);
	p->pid = next_pid++;
	p->ppid = parent != NULL_REF ? Process_pid(parent) : 0;
	p->state = PROC_RUNNING;
	p->next_page = USER_BASE_PAGE;
	strncpy(p->name, name, sizeof(p->name) - 1);
	if (parent != NULL_REF) {
		struct Process *pp = DREF(Process, parent);
		long fd;

		/* the child starts with the parent's descriptors */
		lock_acquire(&pp->lock);
		for (fd = 0; fd < NFDS; fd++) {
			p->fd[fd] = pp->fd[fd];
			if (p->fd[fd] != NULL_REF)
				obj_get(p->fd[fd]);
		}
		lock_release(&pp->lock);
	}
	return r;
}


static void proc_destroy(ProcessRef self)
{
	struct Process *p = DREF(Process, self);
	long i;

	for (i = 0; i < NREGIONS; i++) {
		if (p->region[i] != NULL_REF) {
			obj_put(p->region[i]);
			p->region[i] = NULL_REF;
		}
	}
}

long Process_pid(ProcessRef self)
{
	return DREF(Process, self)->pid;
}

long Process_ppid(ProcessRef self)
{
	return DREF(Process, self)->ppid;
}

long Process_state(ProcessRef self)
{
	return DREF(Process, self)->state;
}

void Process_set_state(ProcessRef self, int state)
{
	DREF(Process, self)->state = state;
}

long Process_fd_install(ProcessRef self, ref_t of)
{
	struct Process *p = DREF(Process, self);
	long fd;

	lock_acquire(&p->lock);
	for (fd = 0; fd < NFDS; fd++) {
		if (p->fd[fd] == NULL_REF) {
			p->fd[fd] = of;
			lock_release(&p->lock);
			return fd;
		}
	}
	lock_release(&p->lock);
	return -EMFILE;
}

/* Process_fd_get returns the OpenFile behind fd with a reference the
 * caller must put, or NULL_REF. */
ref_t Process_fd_get(ProcessRef self, long fd)
{
	struct Process *p = DREF(Process, self);
	ref_t of;

	if (fd < 0 || fd >= NFDS)
		return NULL_REF;
	lock_acquire(&p->lock);
	of = p->fd[fd];
	if (of != NULL_REF)
		obj_get(of);
	lock_release(&p->lock);
	return of;
}

long Process_fd_close(ProcessRef self, long fd)
{
	struct Process *p = DREF(Process, self);
	ref_t of;

	if (fd < 0 || fd >= NFDS)
		return -EBADF;
	lock_acquire(&p->lock);
	of = p->fd[fd];
	if (of == NULL_REF) {
		lock_release(&p->lock);
		return -EBADF;
	}
	p->fd[fd] = NULL_REF;
	lock_release(&p->lock);
	obj_put(of);
	return 0;
}

long Process_mmap(ProcessRef self, long npages)
{
	struct Process *p = DREF(Process, self);
	long i, start;

	if (npages <= 0 || npages > NFRAMES)
		return -EINVAL;
	lock_acquire(&p->lock);
	for (i = 0; i < NREGIONS; i++)
		if (p->region[i] == NULL_REF)
			break;
	if (i == NREGIONS) {
		lock_release(&p->lock);
		return -ENOMEM;
	}
	start = p->next_page;
	p->region[i] = Region_create(start, npages);
	if (p->region[i] == NULL_REF) {
		lock_release(&p->lock);
		return -ENOMEM;
	}
	p->next_page += npages + 1;	/* leave a guard page */
	lock_release(&p->lock);
	return start * PAGE_SIZE;
}

long Process_munmap(ProcessRef self, long addr)
{
	struct Process *p = DREF(Process, self);
	long i;

	lock_acquire(&p->lock);
	for (i = 0; i < NREGIONS; i++) {
		RegionRef r = p->region[i];

		if (r != NULL_REF && Region_start(r) * PAGE_SIZE == addr) {
			p->region[i] = NULL_REF;
			lock_release(&p->lock);
			obj_put(r);
			return 0;
		}
	}
	lock_release(&p->lock);
	return -EINVAL;
}

/* Process_region finds the region containing addr and the offset of addr
 * inside it. */
RegionRef Process_region(ProcessRef self, long addr, long *off)
{
	struct Process *p = DREF(Process, self);
	long i, page = addr / PAGE_SIZE;

	for (i = 0; i < NREGIONS; i++) {
		RegionRef r = p->region[i];

		if (r == NULL_REF)
			continue;
		if (page >= Region_start(r) &&
		    page < Region_start(r) + Region_npages(r)) {
			*off = addr - Region_start(r) * PAGE_SIZE;
			return r;
		}
	}
	return NULL_REF;
}

void Process_exit(ProcessRef self, long code)
{
	struct Process *p = DREF(Process, self);
	long i;

	lock_acquire(&p->lock);
	p->state = PROC_ZOMBIE;
	p->exitcode = code;
	for (i = 0; i < NREGIONS; i++) {
		if (p->region[i] != NULL_REF) {
			obj_put(p->region[i]);
			p->region[i] = NULL_REF;
		}
	}
	lock_release(&p->lock);
	for (i = 0; i < NFDS; i++)
		if (p->fd[i] != NULL_REF)
			Process_fd_close(self, i);
}

long Process_exitcode(ProcessRef self)
{
	return DREF(Process, self)->exitcode;
}

ProcessRef proc_lookup(long pid)
{
	long i;
	ProcessRef r;

	for (i = 0; (r = factory_instance(&Process_factory, i)) != NULL_REF; i++)
		if (Process_pid(r) == pid)
			return r;
	return NULL_REF;
}

ProcessRef current(void)
{
	return init_proc;
}

long proc_check_all(void)
{
	long i, fd, bad = 0;
	ProcessRef r;

	for (i = 0; (r = factory_instance(&Process_factory, i)) != NULL_REF; i++) {
		struct Process *p = DREF(Process, r);

		for (fd = 0; fd < NFDS; fd++) {
			const char *t;

			if (p->fd[fd] == NULL_REF)
				continue;
			if (p->state == PROC_ZOMBIE) {
				kprintf("selfcheck: zombie %ld still has fd %ld\n",
					p->pid, fd);
				bad++;
			}

			t = obj_type(p->fd[fd]);
			if (!t || strcmp(t, "OpenFile") != 0) {
				kprintf("selfcheck: pid %ld fd %ld is %s\n",
					p->pid, fd, t ? t : "(dead)");
				bad++;
			}
		}
	}
	return bad;
}

void proc_init(void)
{
	init_proc = Process_create(NULL_REF, "init");
	if (init_proc == NULL_REF)
		panic("proc_init: cannot create init");
	RunQueue_add(runqueue, init_proc);
}
