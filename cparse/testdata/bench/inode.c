/*
 * Inode cache, file table and path walk for the benchmark kernel.
 * Written for the cparse benchmark.
 */
#include <kern/types.h>
#include <kern/spinlock.h>
#include <kern/mutex.h>
#include <kern/list.h>
#include <kern/hash.h>
#include <kern/errno.h>
#include <fs/inode.h>
#include <fs/file.h>

#define INODE_HASH_BITS		10
#define INODE_HASH_SIZE		(1 << INODE_HASH_BITS)
#define NR_FILE			1024
#define MAX_PATH_DEPTH		40
#define I_NEW			(1 << 0)
#define I_DIRTY			(1 << 1)
#define I_FREEING		(1 << 2)
#define inode_hashfn(sb, ino)	(hash_long((unsigned long)(sb) ^ (ino), INODE_HASH_BITS))

struct super_block;
struct inode;

struct inode_operations {
	struct inode *(*lookup)(struct inode *dir, const char *name, size_t len);
	int (*create)(struct inode *dir, const char *name, size_t len, umode_t mode);
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*setattr)(struct inode *inode, const struct iattr *attr);
};

struct file_operations {
	ssize_t (*read)(struct file *f, char __user *buf, size_t len, loff_t *pos);
	ssize_t (*write)(struct file *f, const char __user *buf, size_t len, loff_t *pos);
	int (*open)(struct inode *inode, struct file *f);
	int (*release)(struct inode *inode, struct file *f);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
};

struct inode {
	unsigned long			i_ino;
	umode_t				i_mode;
	unsigned int			i_nlink;
	loff_t				i_size;
	unsigned long			i_state;
	atomic_t			i_count;
	spinlock_t			i_lock;
	struct mutex			i_mutex;
	struct super_block		*i_sb;
	const struct inode_operations	*i_op;
	const struct file_operations	*i_fop;
	struct hlist_node		i_hash;
	struct list_head		i_lru;
	struct list_head		i_dirty;
	void				*i_private;
};

struct file {
	struct inode		*f_inode;
	const struct file_operations *f_op;
	loff_t			f_pos;
	unsigned int		f_flags;
	atomic_long_t		f_count;
	struct mutex		f_pos_lock;
};

struct path_walk {
	struct inode	*dir;
	const char	*name;
	size_t		len;
	int		depth;
	unsigned int	flags;
};

static struct hlist_head inode_hashtable[INODE_HASH_SIZE];
static DEFINE_SPINLOCK(inode_hash_lock);
static LIST_HEAD(inode_lru);
static LIST_HEAD(dirty_inodes);
static DEFINE_SPINLOCK(lru_lock);
static unsigned long nr_inodes, nr_unused;
static struct file file_table[NR_FILE];
static DEFINE_MUTEX(file_table_lock);
static struct kmem_cache *inode_cachep;

static struct inode *alloc_inode(struct super_block *sb)
{
	struct inode *inode;

	inode = kmem_cache_alloc(inode_cachep, GFP_KERNEL);
	if (!inode)
		return NULL;
	memset(inode, 0, sizeof(*inode));
	inode->i_sb = sb;
	atomic_set(&inode->i_count, 1);
	spin_lock_init(&inode->i_lock);
	mutex_init(&inode->i_mutex);
	INIT_HLIST_NODE(&inode->i_hash);
	INIT_LIST_HEAD(&inode->i_lru);
	INIT_LIST_HEAD(&inode->i_dirty);
	return inode;
}

static void destroy_inode(struct inode *inode)
{
	BUG_ON(!list_empty(&inode->i_lru));
	BUG_ON(!hlist_unhashed(&inode->i_hash));
	if (inode->i_sb->s_op->destroy_inode)
		inode->i_sb->s_op->destroy_inode(inode);
	kmem_cache_free(inode_cachep, inode);
}

static struct inode *find_inode(struct super_block *sb, struct hlist_head *head,
				unsigned long ino)
{
	struct inode *inode;

	hlist_for_each_entry(inode, head, i_hash) {
		if (inode->i_ino != ino || inode->i_sb != sb)
			continue;
		spin_lock(&inode->i_lock);
		if (inode->i_state & I_FREEING) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		atomic_inc(&inode->i_count);
		spin_unlock(&inode->i_lock);
		return inode;
	}
	return NULL;
}

static void inode_lru_del(struct inode *inode)
{
	spin_lock(&lru_lock);
	if (!list_empty(&inode->i_lru)) {
		list_del_init(&inode->i_lru);
		nr_unused--;
	}
	spin_unlock(&lru_lock);
}

static void inode_lru_add(struct inode *inode)
{
	spin_lock(&lru_lock);
	if (list_empty(&inode->i_lru)) {
		list_add_tail(&inode->i_lru, &inode_lru);
		nr_unused++;
	}
	spin_unlock(&lru_lock);
}

struct inode *iget(struct super_block *sb, unsigned long ino)
{
	struct hlist_head *head = inode_hashtable + inode_hashfn(sb, ino);
	struct inode *inode, *old;
	int err;

	spin_lock(&inode_hash_lock);
	inode = find_inode(sb, head, ino);
	spin_unlock(&inode_hash_lock);
	if (inode) {
		inode_lru_del(inode);
		return inode;
	}

	inode = alloc_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_ino = ino;
	inode->i_state = I_NEW;

	spin_lock(&inode_hash_lock);
	old = find_inode(sb, head, ino);
	if (old) {
		/* lost a race with another lookup of the same inode */
		spin_unlock(&inode_hash_lock);
		destroy_inode(inode);
		return old;
	}
	hlist_add_head(&inode->i_hash, head);
	nr_inodes++;
	spin_unlock(&inode_hash_lock);

	err = sb->s_op->read_inode(inode);
	if (err) {
		spin_lock(&inode_hash_lock);
		hlist_del_init(&inode->i_hash);
		nr_inodes--;
		spin_unlock(&inode_hash_lock);
		destroy_inode(inode);
		return ERR_PTR(err);
	}
	spin_lock(&inode->i_lock);
	inode->i_state &= ~I_NEW;
	spin_unlock(&inode->i_lock);
	return inode;
}

static void evict(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	inode->i_state |= I_FREEING;
	spin_unlock(&inode->i_lock);
	if (inode->i_state & I_DIRTY)
		write_inode_now(inode, 1);
	if (inode->i_nlink == 0 && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	spin_lock(&inode_hash_lock);
	hlist_del_init(&inode->i_hash);
	nr_inodes--;
	spin_unlock(&inode_hash_lock);
	destroy_inode(inode);
}

void iput(struct inode *inode)
{
	if (!inode)
		return;
	if (!atomic_dec_and_lock(&inode->i_count, &inode->i_lock))
		return;
	if (inode->i_nlink && !(inode->i_sb->s_flags & SB_DYING)) {
		spin_unlock(&inode->i_lock);
		inode_lru_add(inode);
		return;
	}
	spin_unlock(&inode->i_lock);
	inode_lru_del(inode);
	evict(inode);
}

void mark_inode_dirty(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	if (inode->i_state & I_DIRTY) {
		spin_unlock(&inode->i_lock);
		return;
	}
	inode->i_state |= I_DIRTY;
	spin_unlock(&inode->i_lock);
	spin_lock(&lru_lock);
	list_add_tail(&inode->i_dirty, &dirty_inodes);
	spin_unlock(&lru_lock);
}

int writeback_inodes(int max)
{
	struct inode *inode;
	int written = 0, err = 0;

	spin_lock(&lru_lock);
	while (!list_empty(&dirty_inodes) && written < max) {
		inode = list_first_entry(&dirty_inodes, struct inode, i_dirty);
		list_del_init(&inode->i_dirty);
		atomic_inc(&inode->i_count);
		spin_unlock(&lru_lock);

		mutex_lock(&inode->i_mutex);
		err = inode->i_sb->s_op->write_inode(inode, 0);
		if (!err) {
			spin_lock(&inode->i_lock);
			inode->i_state &= ~I_DIRTY;
			spin_unlock(&inode->i_lock);
			written++;
		}
		mutex_unlock(&inode->i_mutex);
		iput(inode);

		spin_lock(&lru_lock);
		if (err)
			break;
	}
	spin_unlock(&lru_lock);
	return err ? err : written;
}

long prune_icache(long nr_to_scan)
{
	struct inode *inode, *next;
	LIST_HEAD(freeable);
	long freed = 0;

	spin_lock(&lru_lock);
	list_for_each_entry_safe(inode, next, &inode_lru, i_lru) {
		if (nr_to_scan-- <= 0)
			break;
		if (!spin_trylock(&inode->i_lock))
			continue;
		if (atomic_read(&inode->i_count) || (inode->i_state & I_DIRTY)) {
			list_del_init(&inode->i_lru);
			nr_unused--;
			spin_unlock(&inode->i_lock);
			continue;
		}
		inode->i_state |= I_FREEING;
		list_move(&inode->i_lru, &freeable);
		nr_unused--;
		spin_unlock(&inode->i_lock);
	}
	spin_unlock(&lru_lock);

	while (!list_empty(&freeable)) {
		inode = list_first_entry(&freeable, struct inode, i_lru);
		list_del_init(&inode->i_lru);
		evict(inode);
		freed++;
	}
	return freed;
}

static int next_component(struct path_walk *pw)
{
	const char *p = pw->name + pw->len;

	while (*p == '/')
		p++;
	if (!*p)
		return 0;
	pw->name = p;
	while (*p && *p != '/')
		p++;
	pw->len = p - pw->name;
	if (pw->len > NAME_MAX)
		return -ENAMETOOLONG;
	return 1;
}

static int may_lookup(struct inode *dir)
{
	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (!dir->i_op || !dir->i_op->lookup)
		return -ENOTDIR;
	return permission(dir, MAY_EXEC);
}

struct inode *path_lookup(struct inode *root, struct inode *cwd,
			  const char *path, unsigned int flags)
{
	struct path_walk pw = {
		.dir = *path == '/' ? root : cwd,
		.name = path,
		.len = 0,
		.depth = 0,
		.flags = flags,
	};
	struct inode *next;
	int ret;

	atomic_inc(&pw.dir->i_count);
	while ((ret = next_component(&pw)) > 0) {
		if (++pw.depth > MAX_PATH_DEPTH) {
			ret = -ELOOP;
			goto fail;
		}
		ret = may_lookup(pw.dir);
		if (ret)
			goto fail;
		if (pw.len == 1 && pw.name[0] == '.')
			continue;
		if (pw.len == 2 && pw.name[0] == '.' && pw.name[1] == '.' && pw.dir == root)
			continue;
		mutex_lock(&pw.dir->i_mutex);
		next = pw.dir->i_op->lookup(pw.dir, pw.name, pw.len);
		mutex_unlock(&pw.dir->i_mutex);
		if (IS_ERR(next)) {
			ret = PTR_ERR(next);
			goto fail;
		}
		if (!next) {
			ret = -ENOENT;
			goto fail;
		}
		iput(pw.dir);
		pw.dir = next;
	}
	if (ret < 0)
		goto fail;
	return pw.dir;

fail:
	iput(pw.dir);
	return ERR_PTR(ret);
}

static struct file *get_empty_filp(void)
{
	struct file *f = NULL;
	int i;

	mutex_lock(&file_table_lock);
	for (i = 0; i < NR_FILE; i++) {
		if (atomic_long_read(&file_table[i].f_count) == 0) {
			f = &file_table[i];
			atomic_long_set(&f->f_count, 1);
			break;
		}
	}
	mutex_unlock(&file_table_lock);
	if (f) {
		f->f_pos = 0;
		f->f_flags = 0;
		mutex_init(&f->f_pos_lock);
	}
	return f;
}

struct file *file_open(struct inode *inode, unsigned int flags)
{
	struct file *f;
	int err;

	if ((flags & O_ACCMODE) != O_RDONLY && S_ISDIR(inode->i_mode))
		return ERR_PTR(-EISDIR);
	f = get_empty_filp();
	if (!f)
		return ERR_PTR(-ENFILE);
	atomic_inc(&inode->i_count);
	f->f_inode = inode;
	f->f_op = inode->i_fop;
	f->f_flags = flags;
	if (f->f_op && f->f_op->open) {
		err = f->f_op->open(inode, f);
		if (err)
			goto put;
	}
	if (flags & O_TRUNC) {
		struct iattr attr = { .ia_valid = ATTR_SIZE, .ia_size = 0 };

		mutex_lock(&inode->i_mutex);
		err = inode->i_op->setattr(inode, &attr);
		mutex_unlock(&inode->i_mutex);
		if (err)
			goto release;
	}
	return f;

release:
	if (f->f_op && f->f_op->release)
		f->f_op->release(inode, f);
put:
	iput(inode);
	atomic_long_set(&f->f_count, 0);
	return ERR_PTR(err);
}

void fput(struct file *f)
{
	struct inode *inode = f->f_inode;

	if (!atomic_long_dec_and_test(&f->f_count))
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(inode, f);
	f->f_inode = NULL;
	f->f_op = NULL;
	iput(inode);
}

ssize_t vfs_read(struct file *f, char __user *buf, size_t count)
{
	ssize_t ret;

	if (!(f->f_flags & FMODE_READ))
		return -EBADF;
	if (!f->f_op || !f->f_op->read)
		return -EINVAL;
	if (unlikely(!access_ok(buf, count)))
		return -EFAULT;
	mutex_lock(&f->f_pos_lock);
	ret = f->f_op->read(f, buf, count, &f->f_pos);
	mutex_unlock(&f->f_pos_lock);
	if (ret > 0)
		inode_touch_atime(f->f_inode);
	return ret;
}

ssize_t vfs_write(struct file *f, const char __user *buf, size_t count)
{
	struct inode *inode = f->f_inode;
	ssize_t ret;

	if (!(f->f_flags & FMODE_WRITE))
		return -EBADF;
	if (!f->f_op || !f->f_op->write)
		return -EINVAL;
	if (unlikely(!access_ok(buf, count)))
		return -EFAULT;
	mutex_lock(&f->f_pos_lock);
	if (f->f_flags & O_APPEND)
		f->f_pos = i_size_read(inode);
	ret = f->f_op->write(f, buf, count, &f->f_pos);
	mutex_unlock(&f->f_pos_lock);
	if (ret > 0)
		mark_inode_dirty(inode);
	return ret;
}

void __init inode_init(void)
{
	int i;

	inode_cachep = kmem_cache_create("inode_cache", sizeof(struct inode), 0,
					 SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, NULL);
	for (i = 0; i < INODE_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&inode_hashtable[i]);
	for (i = 0; i < NR_FILE; i++)
		atomic_long_set(&file_table[i].f_count, 0);
	register_shrinker(prune_icache);
}
