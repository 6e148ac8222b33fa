/* GNU C extensions a kernel relies on. */
#include "include/types.h"

#define max(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define __packed __attribute__((packed))
#define likely(x) __builtin_expect(!!(x), 1)
#define container_of(ptr, type, member) \
  ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

struct list_head {
  struct list_head *next, *prev;
};

struct packet {
  ushort len;
  uchar flags;
  uchar data[0];
} __packed;

struct buf {
  int dev;
  uint blockno;
  struct list_head lru;
  uchar data[512] __attribute__((aligned(16)));
};

struct ops {
  int (*open)(struct buf *b);
  void (*close)(struct buf *b);
  long (*ioctl)(struct buf *b, uint cmd, unsigned long arg);
};

static int buf_open(struct buf *b) { return b->dev; }
static void buf_close(struct buf *b) { b->dev = -1; }

/* Designated initializers, GNU old style (field:) and C99 style (.field =). */
static struct ops buf_ops = {
  open: buf_open,
  .close = buf_close,
};

int table[8] = { [0] = 1, [3 ... 5] = 2 };

static inline struct buf *
lru_to_buf(struct list_head *l)
{
  return container_of(l, struct buf, lru);
}

__attribute__((noreturn)) void halt(void);

int
bigger(int x, int y)
{
  int m = max(x, y);
  typeof(m) copy = m;
  if (likely(copy > 0))
    return ({ int t = copy * 2; t; });
  return 0;
}

void
cli_sti(void)
{
  asm volatile("cli" ::: "memory");
  asm volatile("sti");
}

asm(".globl trampoline\ntrampoline:\n\tret\n");

void __attribute__((section(".init.text")))
early_init(void)
{
  struct buf *b = lru_to_buf(0);
  b->blockno = 0;
  buf_ops.open(b);
}
