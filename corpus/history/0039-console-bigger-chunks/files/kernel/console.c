/*
 * console.c — the console: writes go to the machine's console and into a
 * log ring that SYS_DMESG reads back.
 */
#include <kernel.h>
#include <errno.h>
#include <obj.h>
#include <console.h>

OBJECT_TYPE(Console) {
	struct kobj hdr;
	lock_t lock;
	char log[CONSOLE_LOG];
	long written;		/* bytes ever written; the ring holds the tail */
	long lines;
};

static FACTORY(Console, NULL);

ConsoleRef console;

long Console_write(ConsoleRef self, const char *buf, long len)
{
	struct Console *c = DREF(Console, self);
	char chunk[257];
	long done = 0;

	if (len < 0)
		return -EINVAL;
	lock_acquire(&c->lock);
	while (done < len) {
		long n = len - done;
		long i;

		if (n > 256)
			n = 256;

		memcpy(chunk, buf + done, n);
		chunk[n] = 0;
		kprintf("%s", chunk);
		for (i = 0; i < n; i++) {
			c->log[c->written % CONSOLE_LOG] = chunk[i];
			c->written++;
			if (chunk[i] == '\n')
				c->lines++;
		}
		done += n;
	}
	lock_release(&c->lock);
	return done;
}

/* Console_read copies the last len bytes of the log (fewer when less was
 * written) into buf. */
long Console_read(ConsoleRef self, char *buf, long len)
{
	struct Console *c = DREF(Console, self);
	long avail, start, i;

	if (len < 0)
		return -EINVAL;
	lock_acquire(&c->lock);
	avail = c->written < CONSOLE_LOG ? c->written : CONSOLE_LOG;
	if (len > avail)
		len = avail;
	start = c->written - len;
	for (i = 0; i < len; i++)
		buf[i] = c->log[(start + i) % CONSOLE_LOG];
	lock_release(&c->lock);
	return len;
}

long Console_lines(ConsoleRef self)
{
	return DREF(Console, self)->lines;
}

void console_init(void)
{
	console = factory_new(&Console_factory);
	if (console == NULL_REF)
		panic("console_init: no memory");
}
