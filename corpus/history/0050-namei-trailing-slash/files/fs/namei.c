/*
 * namei.c — path name lookup.
 *
 * Paths are absolute, components separated by '/'. Lookup walks from the
 * root directory one component at a time.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <fs.h>

DirectoryRef fs_root;

/*
 * A one-entry cache of the last parent directory resolved: most requests
 * name files in the directory the previous request used. Any removal of a
 * directory entry invalidates it.
 */
static char ncache_path[PATH_MAX];
static DirectoryRef ncache_dir;
static long ncache_gen = -1;
static long namei_gen;
static lock_t ncache_lock;

void namei_invalidate(void)
{
	lock_acquire(&ncache_lock);
	namei_gen++;
	lock_release(&ncache_lock);
}

/* next_component copies the component starting at *pp into name and
 * advances *pp past it and any following slashes; it returns the
 * component's length, or -ENAMETOOLONG. */

static long next_component(const char **pp, char *name)
{
	const char *p = *pp;
	long n = 0;

	while (*p == '/')
		p++;
	while (*p && *p != '/') {
		if (n >= NAME_MAX)
			return -ENAMETOOLONG;
		name[n++] = *p++;
	}
	name[n] = 0;
	while (*p == '/')
		p++;
	*pp = p;
	return n;
}

/* namei_parent resolves every component but the last: on success *dir is
 * the directory that holds (or would hold) the last component, whose name
 * is copied to leaf. */
long namei_parent(const char *path, DirectoryRef *dir, char *leaf)
{
	DirectoryRef d = fs_root;
	const char *p = path;
	char name[NAME_MAX + 1];
	long n;

	const char *slash;

	if (!path || path[0] != '/')
		return -EINVAL;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	slash = path + strlen(path);
	while (slash > path && *slash != '/')
		slash--;
	lock_acquire(&ncache_lock);
	if (slash > path && slash[1] != 0 && ncache_gen == namei_gen &&

	    strncmp(ncache_path, path, slash - path) == 0 &&
	    ncache_path[slash - path] == 0) {
		d = ncache_dir;
		lock_release(&ncache_lock);
		p = slash;
		n = next_component(&p, name);
		if (n <= 0 || *p != 0)
			return n < 0 ? n : -EINVAL;
		strcpy(leaf, name);
		*dir = d;
		return 0;
	}
	lock_release(&ncache_lock);
	for (;;) {
		int type;
		ref_t next;

		n = next_component(&p, name);
		if (n < 0)
			return n;
		if (*p == 0)
			break;
		next = Directory_lookup(d, name, &type);
		if (next == NULL_REF)
			return -ENOENT;
		if (type != NODE_DIR)
			return -ENOTDIR;
		d = next;
	}
	if (n == 0)
		return -EINVAL;
	strcpy(leaf, name);
	*dir = d;
	if (slash > path && slash[1] != 0) {
		lock_acquire(&ncache_lock);
		memcpy(ncache_path, path, slash - path);
		ncache_path[slash - path] = 0;
		ncache_dir = d;
		ncache_gen = namei_gen;
		lock_release(&ncache_lock);
	}
	return 0;

}

ref_t namei(const char *path, int *type)
{
	DirectoryRef d;
	char leaf[NAME_MAX + 1];

	if (path && strcmp(path, "/") == 0) {
		if (type)
			*type = NODE_DIR;
		return fs_root;
	}
	if (namei_parent(path, &d, leaf) < 0)
		return NULL_REF;
	return Directory_lookup(d, leaf, type);
}

void fs_init(void)
{
	DirectoryRef tmp;

	fs_root = Directory_create(NULL_REF);
	if (fs_root == NULL_REF)
		panic("fs_init: cannot create the root directory");
	/* every program expects a /tmp */
	tmp = Directory_create(fs_root);
	if (tmp == NULL_REF || Directory_add(fs_root, "tmp", tmp, NODE_DIR) < 0)
		panic("fs_init: cannot create /tmp");
	obj_put(tmp);
	kprintf("fs: root directory ino %ld\n", Directory_ino(fs_root));
}

