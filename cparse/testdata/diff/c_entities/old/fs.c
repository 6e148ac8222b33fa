#define NINODE 50
#define ROOTDEV 1
#define OLDMACRO(x) ((x) + 1)

struct inode {
  unsigned dev;
  unsigned inum;
  int ref;
  short type;
};

enum itype { T_DIR = 1, T_FILE, T_DEV };

static struct inode icache[NINODE];
int nbuffers = 30;
int unused_global;

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
ilock(struct inode *ip)
{
  ip->ref++;
  return 0;
}

int
iunlock(struct inode *ip)
{
  ip->ref--;
  return 0;
}

void
old_helper(void)
{
}

int
counter(void)
{
  return nbuffers;
}

asm(".text\n nop");
