/*
 * syscall.h — system call numbers.
 *
 * These numbers are ABI: user programs and the workload files name them.
 * Never renumber an existing call; add new ones at the end.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#define SYS_GETPID	1
#define SYS_OPEN	2
#define SYS_CLOSE	3
#define SYS_READ	4
#define SYS_WRITE	5
#define SYS_SEEK	6
#define SYS_MKDIR	7
#define SYS_UNLINK	8
#define SYS_STAT	9
#define SYS_MKFIFO	10
#define SYS_SPAWN	11
#define SYS_KILL	12
#define SYS_WAIT	13
#define SYS_MMAP	14
#define SYS_MUNMAP	15
#define SYS_PEEK	16
#define SYS_POKE	17
#define SYS_SLEEP	18
#define SYS_TICKS	19
#define SYS_DMESG	20
#define SYS_FREEMEM	21
#define SYS_TRUNCATE	22
#define SYS_READDIR	23
#define SYS_SEM_OPEN	24
#define SYS_SEM_DOWN	25
#define SYS_SEM_UP	26
#define SYS_SEM_CLOSE	27
#define SYS_DUP		28
#define SYS_YIELD	29
#define SYS_RENAME	30
#define SYS_FSTAT	31

#define NR_SYSCALLS	32

/* open flags */
#define O_RDONLY	0x0
#define O_WRONLY	0x1
#define O_RDWR		0x2
#define O_ACCMODE	0x3
#define O_CREAT		0x40
#define O_TRUNC		0x200
#define O_APPEND	0x400

/* seek whence */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#endif
