/*
 * driver.c — runs a corpus kernel natively, for tests only.
 *
 * It implements the target ABI of runtime/emu/abi/include/kernel.h on top of
 * libc (objects live in a small translation table, locks record their
 * owner) and replays a workload file in the format of runtime/emu/WORKLOAD.md:
 * streams are interleaved one request at a time, round robin, each stream
 * pretending to run on its own CPU.
 *
 *   driver WORKLOAD        exit 0 when every expectation held
 *
 * Failures are printed as "FAIL file:line: ..." on stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

typedef unsigned long ref_t;
typedef struct lock {
	long owner;
	long depth;
} lock_t;

/* ---- the machine ------------------------------------------------------- */

static int cur_cpu;
static int n_cpus = 2;
static char outbuf[1 << 16];
static size_t outlen;

void *kalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

static void out_append(const char *s, size_t n)
{
	if (outlen + n >= sizeof(outbuf))
		n = sizeof(outbuf) - 1 - outlen;
	memcpy(outbuf + outlen, s, n);
	outlen += n;
	outbuf[outlen] = 0;
}

int kprintf(const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(tmp) - 1)
		n = sizeof(tmp) - 1;
	out_append(tmp, n);
	if (getenv("DRIVER_CONSOLE"))
		fputs(tmp, stderr);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	printf("PANIC: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(3);
}

int cpu_id(void) { return cur_cpu; }
int ncpus(void) { return n_cpus; }
void yield(void) {}

void lock_init(lock_t *l)
{
	l->owner = 0;
	l->depth = 0;
}

void lock_acquire(lock_t *l)
{
	if (l->owner && l->owner != cur_cpu + 1)
		panic("lock %p held by cpu %ld, wanted by cpu %d: deadlock",
		      (void *)l, l->owner - 1, cur_cpu);
	l->owner = cur_cpu + 1;
	l->depth++;
}

void lock_release(lock_t *l)
{
	if (l->owner != cur_cpu + 1)
		panic("lock %p released by cpu %d, not its holder", (void *)l,
		      cur_cpu);
	if (--l->depth == 0)
		l->owner = 0;
}

_Bool lock_held(lock_t *l)
{
	return l->owner == cur_cpu + 1;
}

struct ott_entry {
	const char *type;
	void *state;
};
static struct ott_entry *ott;
static size_t ott_len, ott_cap;

ref_t obj_new(const char *type, size_t size)
{
	if (ott_len == ott_cap) {
		ott_cap = ott_cap ? ott_cap * 2 : 256;
		ott = realloc(ott, ott_cap * sizeof(*ott));
	}
	ott[ott_len].type = type;
	ott[ott_len].state = kalloc(size);
	return ++ott_len;
}

static struct ott_entry *ott_at(ref_t r)
{
	if (r == 0 || r > ott_len || !ott[r - 1].state)
		return NULL;
	return &ott[r - 1];
}

void *obj_state(ref_t r)
{
	struct ott_entry *e = ott_at(r);

	if (!e)
		panic("obj_state: stale or bad ref %lu", r);
	return e->state;
}

void obj_free(ref_t r)
{
	struct ott_entry *e = ott_at(r);

	if (!e)
		panic("obj_free: stale or bad ref %lu", r);
	free(e->state);
	e->state = NULL;
}

const char *obj_type(ref_t r)
{
	struct ott_entry *e = ott_at(r);

	return e ? e->type : NULL;
}

long obj_count(const char *type)
{
	size_t i;
	long n = 0;

	for (i = 0; i < ott_len; i++)
		if (ott[i].state && strcmp(ott[i].type, type) == 0)
			n++;
	return n;
}

void kernel_boot(void);
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5);
long kernel_selfcheck(void);

/* ---- the workload ------------------------------------------------------ */

#define MAXTOK 16

enum { N_SYS, N_OUT, N_CHECK, N_REPEAT };

struct node {
	int kind;
	int line;
	int ntok;
	char *tok[MAXTOK];	/* N_SYS: tokens after "sys"; N_OUT: text */
	char *bind;		/* N_SYS: result name */
	long count;		/* N_REPEAT */
	struct node *body;	/* N_REPEAT */
	struct node *next;
};

struct step {
	struct node *n;
	long i;
};

struct stream {
	char name[64];
	struct node *first, **tail;
	struct step *steps;
	size_t nsteps, cap, pc;
};

/* bound results: visible to every stream, like the emulator's runner */
static char *vname[1024];
static long vval[1024];
static int nvars;

static const char *wl_file;
static int failures;
static char *cname[512];
static long cval[512];
static int nconst;
static struct stream streams[16];
static int nstreams;

static void fail(int line, const char *fmt, ...)
{
	va_list ap;

	if (++failures > 20)
		return;
	printf("FAIL %s:%d: ", wl_file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* tokenize splits a line into words; "strings" keep their quotes so
 * callers can tell them apart, with escapes already decoded. */
static int tokenize(char *s, char **tok, int max)
{
	int n = 0;

	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			break;
		if (n == max)
			return -1;
		if (*s == '"') {
			char *start = s, *d = s + 1;

			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1]) {
					s++;
					switch (*s) {
					case 'n': *d++ = '\n'; break;
					case 't': *d++ = '\t'; break;
					case 'x':
						if (isxdigit((unsigned char)s[1]) &&
						    isxdigit((unsigned char)s[2])) {
							char hex[3] = { s[1], s[2], 0 };

							*d++ = (char)strtol(hex, NULL, 16);
							s += 2;
						}
						break;
					default: *d++ = *s; break;
					}
					s++;
				} else {
					*d++ = *s++;
				}
			}
			if (*s == '"')
				s++;
			*d = 0;
			/* keep a leading quote as the marker; the decoded
			 * text follows it */
			tok[n++] = strdup(start);
			continue;
		}
		tok[n] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = 0;
		tok[n] = strdup(tok[n]);
		n++;
	}
	return n;
}

static struct stream *stream_named(const char *name)
{
	int i;

	for (i = 0; i < nstreams; i++)
		if (strcmp(streams[i].name, name) == 0)
			return &streams[i];
	if (nstreams == 16) {
		fprintf(stderr, "too many streams\n");
		exit(2);
	}
	snprintf(streams[nstreams].name, sizeof(streams[nstreams].name), "%s",
		 name);
	streams[nstreams].tail = &streams[nstreams].first;
	return &streams[nstreams++];
}

static void parse(FILE *in)
{
	char line[1024];
	int lineno = 0;
	struct node **tails[32];
	struct node *repeats[32];
	int depth = 0;
	struct stream *cur = stream_named("main"), *main_stream = cur;
	int in_stream = 0;

	tails[0] = cur->tail;
	while (fgets(line, sizeof(line), in)) {
		char *tok[MAXTOK + 4];
		int n, t = 0;
		struct node *nd;

		lineno++;
		n = tokenize(line, tok, MAXTOK + 4);
		if (n < 0) {
			fail(lineno, "too many words");
			continue;
		}
		if (n == 0)
			continue;
		if (strcmp(tok[0], "const") == 0 && n == 3) {
			cname[nconst] = tok[1];
			cval[nconst++] = strtol(tok[2], NULL, 0);
			continue;
		}
		if (strcmp(tok[0], "stream") == 0 && n == 2 && depth == 0) {
			cur = stream_named(tok[1]);
			tails[0] = cur->tail;
			in_stream = 1;
			continue;
		}
		if (strcmp(tok[0], "end") == 0) {
			if (depth > 0) {
				depth--;
				continue;
			}
			if (in_stream) {
				cur->tail = tails[0];
				cur = main_stream;
				tails[0] = cur->tail;
				in_stream = 0;
				continue;
			}
			fail(lineno, "end without repeat or stream");
			continue;
		}
		nd = calloc(1, sizeof(*nd));
		nd->line = lineno;
		if (strcmp(tok[0], "repeat") == 0 && n == 2) {
			nd->kind = N_REPEAT;
			nd->count = strtol(tok[1], NULL, 0);
		} else if (strcmp(tok[0], "check") == 0) {
			nd->kind = N_CHECK;
		} else if (strcmp(tok[0], "out") == 0 && n == 2) {
			nd->kind = N_OUT;
			nd->tok[0] = tok[1];
			nd->ntok = 1;
		} else {
			if (n >= 3 && strcmp(tok[1], "=") == 0) {
				nd->bind = tok[0];
				t = 2;
			}
			if (t >= n || strcmp(tok[t], "sys") != 0) {
				fail(lineno, "cannot parse: %s", tok[0]);
				free(nd);
				continue;
			}
			nd->kind = N_SYS;
			for (t++; t < n && nd->ntok < MAXTOK; t++)
				nd->tok[nd->ntok++] = tok[t];
		}
		*tails[depth] = nd;
		tails[depth] = &nd->next;
		if (nd->kind == N_REPEAT) {
			repeats[depth] = nd;
			depth++;
			tails[depth] = &nd->body;
		}
		if (!in_stream && depth == 0)
			cur->tail = tails[0];
	}
	(void)repeats;
	if (in_stream)
		cur->tail = tails[0];
}

static void push_step(struct stream *s, struct node *n, long i)
{
	if (s->nsteps == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->steps = realloc(s->steps, s->cap * sizeof(*s->steps));
	}
	s->steps[s->nsteps].n = n;
	s->steps[s->nsteps].i = i;
	s->nsteps++;
}

static void expand(struct stream *s, struct node *n, long i)
{
	for (; n; n = n->next) {
		if (n->kind == N_REPEAT) {
			long k;

			for (k = 0; k < n->count; k++)
				expand(s, n->body, k);
		} else {
			push_step(s, n, i);
		}
	}
}

static int lookup_value(struct stream *s, const char *name, long i, long *v)
{
	int k;

	if (name[0] == '$') {
		name++;
		if (strcmp(name, "i") == 0) {
			*v = i;
			return 1;
		}
		for (k = nvars - 1; k >= 0; k--)
			if (strcmp(vname[k], name) == 0) {
				*v = vval[k];
				return 1;
			}
		return 0;
	}
	for (k = 0; k < nconst; k++)
		if (strcmp(cname[k], name) == 0) {
			*v = cval[k];
			return 1;
		}
	if (isdigit((unsigned char)name[0]) || name[0] == '-') {
		char *end;

		*v = strtol(name, &end, 0);
		return *end == 0;
	}
	return 0;
}

static void set_var(struct stream *s, const char *name, long v)
{
	int k;

	for (k = 0; k < nvars; k++)
		if (strcmp(vname[k], name) == 0) {
			vval[k] = v;
			return;
		}
	if (nvars < 1024) {
		vname[nvars] = (char *)name;
		vval[nvars++] = v;
	}
}

static size_t last_out_start;

static void run_sys(struct stream *s, struct node *n, long i)
{
	long nr, args[6] = { 0 }, ret, want;
	int t, na = 0;
	char *bufs[6] = { 0 };
	char *lastbuf = NULL;

	if (!lookup_value(s, n->tok[0], i, &nr)) {
		fail(n->line, "unknown syscall %s", n->tok[0]);
		return;
	}
	for (t = 1; t < n->ntok && strcmp(n->tok[t], "->") != 0; t++) {
		const char *a = n->tok[t];

		if (na == 6) {
			fail(n->line, "too many arguments");
			return;
		}
		if (a[0] == '"') {
			bufs[na] = strdup(a + 1);
			args[na] = (long)bufs[na];
		} else if (strncmp(a, "buf:", 4) == 0) {
			bufs[na] = calloc(1, strtol(a + 4, NULL, 0) + 1);
			args[na] = (long)bufs[na];
			lastbuf = bufs[na];
		} else if (!lookup_value(s, a, i, &args[na])) {
			fail(n->line, "unknown value %s", a);
			return;
		}
		na++;
	}
	if (outlen > sizeof(outbuf) / 2)
		outlen = 0;
	outbuf[outlen] = 0;
	last_out_start = outlen;
	ret = kernel_syscall(nr, args[0], args[1], args[2], args[3], args[4],
			     args[5]);
	if (n->bind)
		set_var(s, n->bind, ret);
	if (t < n->ntok) {
		const char *e = t + 1 < n->ntok ? n->tok[t + 1] : "*";
		int ok = 1;

		if (strchr(e, '$')) {
			fail(n->line, "expectation %s: only numbers and constants", e);
			ok = 1;
		} else if (strcmp(e, "*") == 0) {
			ok = 1;
		} else if (strncmp(e, ">=", 2) == 0) {
			ok = lookup_value(s, e + 2, i, &want) && ret >= want;
		} else if (strncmp(e, "!=", 2) == 0) {
			ok = lookup_value(s, e + 2, i, &want) && ret != want;
		} else {
			ok = lookup_value(s, e, i, &want) && ret == want;
		}
		if (!ok)
			fail(n->line, "%s returned %ld, want %s", n->tok[0], ret, e);
		if (t + 3 < n->ntok && strcmp(n->tok[t + 2], "buf") == 0) {
			const char *w = n->tok[t + 3] + 1;

			if (!lastbuf || memcmp(lastbuf, w, strlen(w)) != 0)
				fail(n->line, "buffer holds \"%s\", want \"%s\"",
				     lastbuf ? lastbuf : "", w);
		}
	}
	for (t = 0; t < 6; t++)
		free(bufs[t]);
}

int main(int argc, char **argv)
{
	FILE *in;
	int k, live;

	if (argc != 2) {
		fprintf(stderr, "usage: driver WORKLOAD\n");
		return 2;
	}
	wl_file = argv[1];
	in = fopen(wl_file, "r");
	if (!in) {
		perror(wl_file);
		return 2;
	}
	parse(in);
	fclose(in);
	for (k = 0; k < nstreams; k++)
		expand(&streams[k], streams[k].first, 0);
	kernel_boot();
	do {
		live = 0;
		for (k = 0; k < nstreams; k++) {
			struct stream *s = &streams[k];
			struct step *st;

			if (s->pc >= s->nsteps)
				continue;
			live = 1;
			cur_cpu = k % n_cpus;
			st = &s->steps[s->pc++];
			switch (st->n->kind) {
			case N_SYS:
				run_sys(s, st->n, st->i);
				break;
			case N_OUT:
				if (!strstr(outbuf + last_out_start,
					    st->n->tok[0] + 1))
					fail(st->n->line, "console lacks \"%s\"",
					     st->n->tok[0] + 1);
				break;
			case N_CHECK:
				if (kernel_selfcheck() != 0)
					fail(st->n->line, "selfcheck failed: %s",
					     outbuf + last_out_start);
				break;
			}
		}
	} while (live);
	cur_cpu = 0;
	if (kernel_selfcheck() != 0)
		fail(0, "final selfcheck failed");
	printf("%s: %d failures\n", wl_file, failures);
	return failures ? 1 : 0;
}
