#define NINODE 64
#define ROOTDEV 1
#define NEWMACRO 7

struct inode {
  unsigned dev;
  unsigned inum;
  long ref;
  short type;
  int flags;
};

enum itype { T_DIR = 1, T_FILE, T_DEV, T_SYMLINK };

static struct inode icache[NINODE];
long nbuffers = 30;
static int new_global = 2;

static int
iget_slot(unsigned dev, unsigned inum)
{
  int i;
  for (i = 0; i < NINODE; i++)
    if (icache[i].dev == dev && icache[i].inum == inum)
      return i;
  return -1;
}

int
ilock(struct inode *ip, int wait)
{
  ip->ref++;
  return wait;
}

int
iunlock(struct inode *ip)
{
  ip->ref -= 1;
  ip->flags = 0;
  return 0;
}

void
new_helper(void)
{
}

int
counter(void)
{
  static int calls;
  calls++;
  return nbuffers;
}

asm(".text\n nop\n nop");
