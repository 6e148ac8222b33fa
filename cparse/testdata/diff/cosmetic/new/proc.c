/*
 * Process table: comments, layout and parameter names changed only.
 */
struct proc {
  int pid;    /* process id */
  int state;  /* RUNNABLE, SLEEPING, ... */
};

static struct proc table[64];

int findpid(int wanted)
{
  int i;
  /* Still a linear scan. */
  for (i = 0;
       i < 64;
       i++)
    if (table[i].pid == wanted)
      return i;
  return -1;
}

void setstate(struct proc *, int);

void setstate(struct proc *proc, int newstate) { proc->state = newstate; }
