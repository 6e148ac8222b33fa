/* fs.h — the test kernel's file objects. */
#ifndef FS_H
#define FS_H
#include <kernel.h>

#define FILE_MAX 256
#define NFILES 16

OBJECT_TYPE(File) {
	char name[32];
	char data[FILE_MAX];
	long len;
	lock_t lock;
};

FileRef File_create(const char *name);
long File_write(FileRef self, const char *buf, long n);
long File_read(FileRef self, char *buf, long n);
long File_size(FileRef self);
void File_destroy(FileRef self);

extern lock_t files_lock;
extern FileRef files[NFILES];
#endif
