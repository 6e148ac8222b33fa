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

long Console_write(ConsoleRef self, const char *buf, long len, int flags)
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
		if (!(flags & CON_NOECHO))
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

/*
 * Console_read copies log bytes into buf. With off < 0 it copies the last
 * len bytes (fewer when less was written); with off >= 0 it copies from
 * that position in the stream of everything ever written, so a reader
 * that remembers how far it got reads only what is new instead of the
 * whole tail every time. Bytes that have left the ring are skipped.
 */
long Console_read(ConsoleRef self, long off, char *buf, long len)
{
	struct Console *c = DREF(Console, self);
	long oldest, start, i;

	if (len < 0)
		return -EINVAL;
	lock_acquire(&c->lock);
	oldest = c->written < CONSOLE_LOG ? 0 : c->written - CONSOLE_LOG;
	if (off < 0) {
		start = c->written - len;
		if (start < oldest)
			start = oldest;
	} else {
		start = off < oldest ? oldest : off;
	}
	if (start > c->written)
		start = c->written;
	if (len > c->written - start)
		len = c->written - start;
	for (i = 0; i < len; i++) {
		long pos = (start + i) % CONSOLE_LOG;

		buf[i] = c->log[pos];
	}
	lock_release(&c->lock);
	return len;
}

/* klog records a kernel message, already printed with kprintf, in the
 * console log so that dmesg shows it. */
void klog(const char *msg)
{
	if (console != NULL_REF)
		Console_write(console, msg, strlen(msg), CON_NOECHO);
}

void console_init(void)
{
	console = factory_new(&Console_factory);
	if (console == NULL_REF)
		panic("console_init: no memory");
}
