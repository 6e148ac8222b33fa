/* K&R-style definitions and old idioms, as in early Unix kernels. */
#include "include/types.h"

#define MAXARGS 10
#define isdigit(c) ((c) >= '0' && (c) <= '9')

int nargs;
static char *argbuf[MAXARGS];

int
atoi(s)
  register char *s;
{
  register int n;

  n = 0;
  while (isdigit(*s))
    n = n * 10 + *s++ - '0';
  return n;
}

static
copyargs(dst, src, n)
  char **dst, **src;
  int n;
{
  int i;
  for (i = 0; i < n; i++)
    dst[i] = src[i];
  nargs = n;
  return n;
}

/* A plain ANSI prototype and definition next to them. */
unsigned long strlen2(const char *);

unsigned long
strlen2(const char *s)
{
  const char *p = s;
  while (*p)
    p++;
  return p - s;
}
