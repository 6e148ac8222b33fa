/*
 * errno.h — error numbers returned (negated) by system calls.
 *
 * The values follow the traditional Unix numbering so that test programs
 * written against a libc read naturally.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define EMFILE		24
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EPIPE		32
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTEMPTY	39

#endif
