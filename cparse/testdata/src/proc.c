/* A process table and round-robin scheduler, in the style of a small
 * teaching kernel: the kind of .c file most kernel history touches. */
#include "include/types.h"

enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct context {
  uint edi, esi, ebx, ebp, eip;
};

struct proc {
  uint sz;
  enum procstate state;
  int pid;
  struct proc *parent;
  struct context *context;
  void *chan;
  int killed;
  char name[16];
};

static struct {
  struct spinlock lock;
  struct proc proc[NPROC];
} ptable;

static struct proc *initproc;
int nextpid = 1;

extern void swtch(struct context **old, struct context *new);
static void wakeup1(void *chan);

static struct proc *
allocproc(void)
{
  struct proc *p;

  acquire(&ptable.lock);
  for (p = ptable.proc; p < &ptable.proc[NPROC]; p++)
    if (p->state == UNUSED)
      goto found;
  release(&ptable.lock);
  return 0;

found:
  p->state = EMBRYO;
  p->pid = nextpid++;
  release(&ptable.lock);
  return p;
}

int
fork(struct proc *curproc)
{
  int i, pid;
  struct proc *np;

  if ((np = allocproc()) == 0)
    return -1;
  np->sz = curproc->sz;
  np->parent = curproc;
  for (i = 0; i < 16; i++)
    np->name[i] = curproc->name[i];
  pid = np->pid;
  acquire(&ptable.lock);
  np->state = RUNNABLE;
  release(&ptable.lock);
  return pid;
}

void
exit(struct proc *curproc)
{
  struct proc *p;

  if (curproc == initproc)
    panic("init exiting");
  acquire(&ptable.lock);
  wakeup1(curproc->parent);
  for (p = ptable.proc; p < &ptable.proc[NPROC]; p++) {
    if (p->parent == curproc) {
      p->parent = initproc;
      if (p->state == ZOMBIE)
        wakeup1(initproc);
    }
  }
  curproc->state = ZOMBIE;
  sched(curproc);
  panic("zombie exit");
}

void
scheduler(struct context **schedctx)
{
  struct proc *p;
  static uint rounds;

  for (;;) {
    rounds++;
    acquire(&ptable.lock);
    for (p = ptable.proc; p < &ptable.proc[NPROC]; p++) {
      if (p->state != RUNNABLE)
        continue;
      p->state = RUNNING;
      swtch(schedctx, p->context);
    }
    release(&ptable.lock);
  }
}

void
sleep(struct proc *p, void *chan, struct spinlock *lk)
{
  if (p == 0)
    panic("sleep");
  if (lk != &ptable.lock) {
    acquire(&ptable.lock);
    release(lk);
  }
  p->chan = chan;
  p->state = SLEEPING;
  sched(p);
  p->chan = 0;
  if (lk != &ptable.lock) {
    release(&ptable.lock);
    acquire(lk);
  }
}

static void
wakeup1(void *chan)
{
  struct proc *p;

  for (p = ptable.proc; p < &ptable.proc[NPROC]; p++)
    if (p->state == SLEEPING && p->chan == chan)
      p->state = RUNNABLE;
}

int
kill(int pid)
{
  struct proc *p;

  acquire(&ptable.lock);
  for (p = ptable.proc; p < &ptable.proc[NPROC]; p++) {
    if (p->pid == pid) {
      p->killed = 1;
      if (p->state == SLEEPING)
        p->state = RUNNABLE;
      release(&ptable.lock);
      return 0;
    }
  }
  release(&ptable.lock);
  return -1;
}

void
procdump(void)
{
  static char *states[] = {
  [UNUSED]    = "unused",
  [EMBRYO]    = "embryo",
  [SLEEPING]  = "sleep ",
  [RUNNABLE]  = "runble",
  [RUNNING]   = "run   ",
  [ZOMBIE]    = "zombie"
  };
  struct proc *p;

  for (p = ptable.proc; p < &ptable.proc[NPROC]; p++) {
    if (p->state == UNUSED)
      continue;
    kprintf("%d %s %s\n", p->pid, states[p->state], p->name);
  }
}
