/*
 * klib.c — string helpers.
 */
#include <kernel.h>
#include <errno.h>
#include <klib.h>
#include <fs.h>

/* kstrlcpy copies at most size-1 bytes and always terminates dst; it
 * returns strlen(src) so callers can detect truncation. */
size_t kstrlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = 0;
	}
	return n;
}

/* copy_path copies a user path into a PATH_MAX kernel buffer. */
long copy_path(char *dst, const char *upath)
{
	if (!upath)
		return -EFAULT;
	if (kstrlcpy(dst, upath, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}
