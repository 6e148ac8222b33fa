/* Process table. */
struct proc {
  int pid;
  int state;
};

static struct proc table[64];

int
findpid(int pid)
{
  int i;
  for (i = 0; i < 64; i++)   // linear scan
    if (table[i].pid == pid)
      return i;
  return -1;
}

void setstate(struct proc *p, int state);

void
setstate(struct proc *p, int state)
{
  p->state = state;
}
