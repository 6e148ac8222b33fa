#include "include/param.h"

struct ofile {
  int fd;
  void *files[NOFILE];
  char cwd[MAXPATH];
};

int
nfiles(struct ofile *o)
{
  return sizeof(o->files) / sizeof(o->files[0]);
}
