/* Heavy macro use: generated declarations, X-macros, conditionals. */
#include "include/types.h"

#define SYSCALL_LIST(X) \
  X(read, 0)            \
  X(write, 1)           \
  X(open, 2)

#define DECLARE_ENUM(name, nr) SYS_##name = nr,
enum syscall_nr { SYSCALL_LIST(DECLARE_ENUM) SYS_MAX };

#define STR(x) #x
#define XSTR(x) STR(x)
#define VERSION_MAJOR 1
#define VERSION_STRING XSTR(VERSION_MAJOR) ".0"

#ifdef CONFIG_DEBUG
#define debug(fmt, ...) kprintf(fmt, __VA_ARGS__)
#else
#define debug(fmt, ...) do { } while (0)
#endif

#define DEFINE_GETTER(type, field) \
  static type get_##field(struct cfg *c) { return c->field; }

struct cfg {
  int verbose;
  long limit;
  char name[NOFILE];
};

DEFINE_GETTER(int, verbose)
DEFINE_GETTER(long, limit)

#if 0
int never_compiled(void) { return 1; }
#endif

#ifdef CONFIG_SMP
int ncpu = 8;
#else
int ncpu = 1;
#endif

const char *version = VERSION_STRING;

int
sys_dispatch(struct cfg *c, int nr)
{
  debug("nr=%d\n", nr);
  switch (nr) {
  case SYS_read:
    return get_verbose(c);
  case SYS_write:
    return (int)get_limit(c);
  default:
    return -1;
  }
}

/* Functions defined through a macro, Linux style. */
#define SYSCALL_DEFINE1(name, t1, a1) long sys_##name(t1 a1)
SYSCALL_DEFINE1(close, int, fd)
{
  return fd;
}
SYSCALL_DEFINE1(dup, int, fd)
{
  return fd + 1;
}
