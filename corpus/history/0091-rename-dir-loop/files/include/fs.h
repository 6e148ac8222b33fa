/*
 * fs.h — the in-memory file system: files, directories, their page cache,
 * open files and path lookup.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <kernel.h>

#define NAME_MAX	27
#define PATH_MAX	256
#define FILE_MAX_PAGES	64

#define NODE_FILE	1
#define NODE_DIR	2
#define NODE_FIFO	3

/* kstat is what SYS_STAT copies out to the caller. */
struct kstat {
	long ino;
	long size;
	int type;
	int nlink;
	long mtime;		/* tick of the last modification */
};

typedef ref_t FCMRef;
typedef ref_t FileRef;
typedef ref_t DirectoryRef;
typedef ref_t OpenFileRef;

/* ---- file cache manager (fs/fcm.c) ---- */
FCMRef FCM_create(void);
/* FCM_getpage flags */
#define FCM_CREATE	0x1	/* allocate the page if it is absent */
#define FCM_OVERWRITE	0x2	/* the caller fills the whole page: skip zeroing */

void *FCM_getpage(FCMRef self, long idx, int flags);
void FCM_truncate(FCMRef self, long npages);
long FCM_resident(FCMRef self);
long fcm_count_frames(void);

/* ---- files (fs/file.c) ---- */
FileRef File_create(void);
long File_read(FileRef self, long off, void *buf, long len);
long File_write(FileRef self, long off, const void *buf, long len);
long File_truncate(FileRef self, long size);
long File_size(FileRef self);
void File_stat(FileRef self, struct kstat *st);
void File_link(FileRef self, int delta);
long File_check(FileRef self);
long file_check_all(void);

/* ---- directories (fs/dir.c) ---- */
DirectoryRef Directory_create(ref_t parent);
ref_t Directory_lookup(DirectoryRef self, const char *name, int *type);
long Directory_add(DirectoryRef self, const char *name, ref_t obj, int type);
long Directory_remove(DirectoryRef self, const char *name);
long Directory_entry(DirectoryRef self, long idx, char *name, long size,
		     int *type);
long Directory_count(DirectoryRef self);

long Directory_ino(DirectoryRef self);
DirectoryRef Directory_parent(DirectoryRef self);
void Directory_set_parent(DirectoryRef self, DirectoryRef parent);
long dir_check_all(void);

/* ---- path lookup (fs/namei.c) ---- */
extern DirectoryRef fs_root;
long namei_parent(const char *path, DirectoryRef *dir, char *leaf);
ref_t namei(const char *path, int *type);
void namei_invalidate(void);

void fs_init(void);

/* ---- open files (fs/openfile.c) ---- */
#define OF_FILE		1
#define OF_PIPE		2
#define OF_CONSOLE	3

OpenFileRef OpenFile_create(int kind, int flags, ref_t obj);
long OpenFile_read(OpenFileRef self, void *buf, long len);
long OpenFile_write(OpenFileRef self, const void *buf, long len);
long OpenFile_seek(OpenFileRef self, long off, int whence);
long OpenFile_stat(OpenFileRef self, struct kstat *st);

#endif
