/*
 * preempt — a small preemptive kernel for the emulated target's port-layer
 * features (ABI.md, "Contexts and interrupts"): tasks on stacks it
 * allocates, a tick that preempts them (time slicing by priority), critical
 * sections from tasks and from the tick handler, a yield from an interrupt,
 * delays, semaphores, an idle task that waits for interrupts, and a run
 * that ends cleanly after a number of ticks by switching back to the
 * request's own context.
 *
 * Tasks are linked into lists through list items embedded in struct task,
 * as FreeRTOS does: the lists hold pointers into the middle of it. As in
 * FreeRTOS, the task control block is the scheduler's business: the
 * functions a task is suspended in (its body, the blocking calls, the
 * interrupt handlers) reach it only through functions that return before
 * the switch, so a layout change of struct task can be applied while every
 * task is parked (VERSION 2, TestTypedHeapUpdate).
 */
#include <kernel_port.h>

/* The runtime's tests apply this file with VERSION 2 to the running kernel:
 * struct task gains a switch counter and its list items move (every offset
 * changes). */
#define VERSION 1

#define STACK_SIZE 1024
#define NPRIO 4
#define TICK_PERIOD 400
#define SYS_RUN 1
#define SYS_SPAWN 2
#define SYS_TICKS 3
#define SYS_TASKS 4
#define SYS_SHARED 5

struct list;

struct list_item {
	unsigned long value; /* sort key: the wake tick in the delay list */
	struct list_item *next;
	struct list_item *prev;
	void *owner; /* the task */
	struct list *container;
};

struct list {
	long count;
	struct list_item *index; /* round-robin cursor */
	struct list_item end;    /* sentinel */
};

/* What a task does: the application's record, not the scheduler's. */
struct work {
	int kind;
	long runs;   /* progress */
	long seen;   /* runs at the last self-check */
	long errors;
	long incs;   /* increments of the shared counter */
	long id;
	struct work *next;
};

struct task {
#if VERSION >= 2
	long switches;          /* times switched to */
	struct list_item event; /* in a semaphore's waiters */
	ctx_t ctx;
	unsigned long wake;
	int prio;
	struct task *next_task; /* every task, for the self-check */
	struct list_item link;  /* in a ready list or the delay list */
	struct work *work;
	unsigned char *stack;
#else
	ctx_t ctx;
	int prio;
	unsigned long wake;
	struct list_item link;  /* in a ready list or the delay list */
	struct list_item event; /* in a semaphore's waiters */
	unsigned char *stack;
	struct work *work;
	struct task *next_task; /* every task, for the self-check */
#endif
};

struct sem {
	long count;
	struct list waiters;
};

enum { WORKER, SLEEPER, PRODUCER, CONSUMER, ISRWAITER, IDLE };

static struct list ready[NPRIO];
static struct list delayed;
static struct sem items, isr_sem;
static struct task *all_tasks;
static struct work *all_work;
static long ntasks;
static ctx_t boot_ctx;
static unsigned long ticks, run_until, checked_at;
#if VERSION >= 2
static long last_switches;
#endif
static long shared;
static long produced, consumed, isr_given, isr_taken;
struct task *current;
#ifdef HIDE_POINTER
unsigned long hidden; /* a task's address in an integer (TestTypedHeapRefuses) */
#endif
#ifdef UNTYPED_BLOCK
static void *spare; /* a block whose allocation site gives no type */
#endif

static void list_init(struct list *l)
{
	l->count = 0;
	l->end.value = ~0UL;
	l->end.next = &l->end;
	l->end.prev = &l->end;
	l->end.owner = 0;
	l->end.container = l;
	l->index = &l->end;
}

static void list_insert_end(struct list *l, struct list_item *it)
{
	struct list_item *at = l->index;
	it->next = at;
	it->prev = at->prev;
	at->prev->next = it;
	at->prev = it;
	it->container = l;
	l->count++;
}

static void list_insert_sorted(struct list *l, struct list_item *it)
{
	struct list_item *at = l->end.next;
	while (at != &l->end && at->value <= it->value)
		at = at->next;
	it->next = at;
	it->prev = at->prev;
	at->prev->next = it;
	at->prev = it;
	it->container = l;
	l->count++;
}

static void list_remove(struct list_item *it)
{
	struct list *l = it->container;
	if (l == 0)
		panic("list_remove of an item in no list");
	if (l->index == it)
		l->index = it->prev;
	it->prev->next = it->next;
	it->next->prev = it->prev;
	it->container = 0;
	it->next = it->prev = 0;
	l->count--;
}

/* ---- the scheduler: the only code that knows struct task's layout ---- */

static void add_ready(struct task *t)
{
	list_insert_end(&ready[t->prio], &t->link);
}

static struct task *pick(void)
{
	for (int p = NPRIO - 1; p >= 0; p--) {
		struct list *l = &ready[p];
		if (l->count == 0)
			continue;
		l->index = l->index->next;
		if (l->index == &l->end)
			l->index = l->index->next;
		return (struct task *)l->index->owner;
	}
	panic("no ready task");
	return 0;
}

/* schedule_next picks the task to run: its context, 0 to stay. */
static ctx_t schedule_next(void)
{
	struct task *t = pick();
	if (t == current)
		return 0;
	current = t;
#if VERSION >= 2
	t->switches++;
#endif
	return t->ctx;
}

/* start_ctx is the context a run starts or resumes. */
static ctx_t start_ctx(void)
{
	if (current == 0)
		current = pick();
	return current->ctx;
}

/* Blocking: move the running task out of the ready lists and ask for a
 * switch, which happens when the caller unmasks. */
static void delay_current(unsigned long n)
{
	list_remove(&current->link);
	current->wake = ticks + n;
	current->link.value = current->wake;
	list_insert_sorted(&delayed, &current->link);
	irq_raise(IRQ_SOFT);
}

static void wait_on(struct list *waiters)
{
	list_remove(&current->link);
	list_insert_end(waiters, &current->event);
	irq_raise(IRQ_SOFT);
}

static void sem_give_locked(struct sem *s)
{
	s->count++;
	if (s->waiters.count > 0) {
		struct task *t = (struct task *)s->waiters.end.next->owner;
		list_remove(&t->event);
		add_ready(t);
		if (t->prio > current->prio)
			irq_raise(IRQ_SOFT); /* from the tick handler: after it returns */
	}
}

static void tick_work(void)
{
	ticks++;
	while (delayed.count > 0 && delayed.end.next->value <= ticks) {
		struct task *t = (struct task *)delayed.end.next->owner;
		list_remove(&t->link);
		add_ready(t);
	}
	if (ticks % 7 == 0) {
		isr_given++;
		sem_give_locked(&isr_sem);
	}
}

/* ---- where tasks are suspended: no access to struct task, unless
 * PARK_IN_LAYOUT ---- */

static void reschedule(void)
{
#ifdef PARK_IN_LAYOUT
	/* Each task parks here holding a pointer to its control block and
	 * one into its middle, and uses the layout when it resumes, as
	 * FreeRTOS's tasks do in xTaskResumeAll (TestLayoutChangeParked). */
	struct task *self = current;
	struct list_item *item = &self->link;
	unsigned char *stack = self->stack;
#ifdef PARK_WITH_COPY
	struct task copy = *self; /* a struct task in the frame: refused */
#endif
#endif
	ctx_t next = schedule_next();
	if (next)
		ctx_switch(next);
#ifdef PARK_IN_LAYOUT
	if (current != self || item->owner != self || self->link.owner != self || self->stack != stack)
		panic("a task resumed with a stale view of its control block");
#ifdef PARK_WITH_COPY
	if (copy.prio != self->prio)
		panic("a task's priority changed while it was parked");
#endif
#endif
}

static void soft_handler(void)
{
	reschedule();
}

static void tick_handler(void)
{
	tick_work();
	if (ticks >= run_until) {
		/* The run is over: back to the request, which returns. */
		timer_stop();
		ctx_switch(boot_ctx);
		return; /* resumed by the next run, which restarted the timer */
	}
	reschedule();
}

static void sem_give(struct sem *s)
{
	unsigned long saved = irq_save();
	sem_give_locked(s);
	irq_restore(saved);
}

static void sem_take(struct sem *s)
{
	irq_disable();
	while (s->count == 0) {
		wait_on(&s->waiters);
		irq_enable(); /* the switch happens here */
		irq_disable();
	}
	s->count--;
	irq_enable();
}

static void sleep(unsigned long n)
{
	irq_disable();
	delay_current(n);
	irq_enable();
}

static void task_main(void *arg)
{
	struct work *self = (struct work *)arg;
	for (;;) {
		switch (self->kind) {
		case WORKER: {
			/* A read-modify-write that a preemption would break
			 * (NO_CRITICAL shows that it does). */
#ifndef NO_CRITICAL
			irq_disable();
#endif
			long v = shared;
			for (int i = 0; i < 30; i++)
				if (shared != v)
					self->errors++;
			shared = v + 1;
			self->incs++;
#ifndef NO_CRITICAL
			irq_enable();
#endif
			for (int i = 0; i < 20; i++)
				;
			if (self->incs % 16 == 0)
				sleep(2);
			break;
		}
		case SLEEPER: {
			unsigned long before = ticks;
			sleep(3);
			if (ticks < before + 3)
				self->errors++;
			break;
		}
		case PRODUCER:
			produced++;
			sem_give(&items);
			if (produced % 4 == 0)
				sleep(1);
			break;
		case CONSUMER:
			sem_take(&items);
			consumed++;
			if (consumed > produced)
				self->errors++;
			break;
		case ISRWAITER:
			sem_take(&isr_sem);
			isr_taken++;
			if (isr_taken > isr_given)
				self->errors++;
			break;
		case IDLE:
			wait_for_interrupt();
			break;
		}
		self->runs++;
	}
}

#ifdef STATIC_TASK
static struct task idle_tcb; /* a task control block that is a global */
#endif

static struct task *spawn(int kind, int prio)
{
#ifdef STATIC_TASK
	struct task *t = kind == IDLE ? &idle_tcb : (struct task *)kalloc(sizeof(struct task));
#else
	struct task *t = (struct task *)kalloc(sizeof(struct task));
#endif
	struct work *w = kalloc(sizeof(struct work));
	if (t == 0 || w == 0)
		return 0;
	t->stack = kalloc(STACK_SIZE);
	if (t->stack == 0)
		return 0;
	w->kind = kind;
	w->id = ++ntasks;
	w->next = all_work;
	all_work = w;
	t->prio = prio;
	t->work = w;
	t->link.owner = t;
	t->event.owner = t;
	t->ctx = ctx_create(t->stack, STACK_SIZE, task_main, w);
	t->next_task = all_tasks;
	all_tasks = t;
#ifdef HIDE_POINTER
	hidden = (unsigned long)&t->link;
#endif
	unsigned long saved = irq_save();
	add_ready(t);
	irq_restore(saved);
	return t;
}

void kernel_boot(void)
{
	for (int p = 0; p < NPRIO; p++)
		list_init(&ready[p]);
	list_init(&delayed);
	list_init(&items.waiters);
	list_init(&isr_sem.waiters);
	irq_handler(IRQ_TICK, tick_handler);
	irq_handler(IRQ_SOFT, soft_handler);
#ifdef UNTYPED_BLOCK
	spare = kalloc(512);
#endif
	/* The boot context keeps interrupts masked: only tasks take them. */
	irq_disable();
	spawn(IDLE, 0);
	for (int i = 0; i < 3; i++)
		spawn(WORKER, 1);
	spawn(SLEEPER, 2);
	spawn(PRODUCER, 1);
	spawn(CONSUMER, 2);
	spawn(ISRWAITER, 3);
	kprintf("preempt: %ld tasks\n", ntasks);
}

/* run_ticks runs the tasks for n ticks and returns. */
static long run_ticks(unsigned long n)
{
	boot_ctx = ctx_self();
	run_until = ticks + n;
	timer_start(TICK_PERIOD);
	ctx_switch(start_ctx());
	return (long)ticks;
}

static long check_list(struct list *l, int kind)
{
	long n = 0;
	struct list_item *it = l->end.next;
	if (l->end.container != l)
		return 1;
	while (it != &l->end) {
		if (it->container != l || it->next->prev != it || it->prev->next != it)
			return 2;
		struct task *t = (struct task *)it->owner;
		if (kind == 0 && &t->link != it)
			return 3;
		if (kind == 1 && &t->event != it)
			return 3;
		if (++n > ntasks)
			return 4;
		it = it->next;
	}
	return n == l->count ? 0 : 5;
}

long kernel_selfcheck(void)
{
	long incs = 0, placed = 0, n = 0;
	for (int p = 0; p < NPRIO; p++) {
		if (check_list(&ready[p], 0))
			return 10 + check_list(&ready[p], 0);
		placed += ready[p].count;
	}
	if (check_list(&delayed, 0))
		return 20 + check_list(&delayed, 0);
	if (check_list(&items.waiters, 1) || check_list(&isr_sem.waiters, 1))
		return 30;
	placed += delayed.count + items.waiters.count + isr_sem.waiters.count;
#if VERSION >= 2
	long switches = 0;
#endif
	for (struct task *t = all_tasks; t; t = t->next_task) {
		if (t->link.owner != t || t->event.owner != t || t->work == 0)
			return 35;
#if VERSION >= 2
		if (t->switches < 0)
			return 35;
		switches += t->switches;
#endif
		n++;
	}
#if VERSION >= 2
	if (ticks >= checked_at + 50 && switches == last_switches) {
		kprintf("selfcheck: no task was switched to since the last check\n");
		return 36;
	}
	last_switches = switches;
#endif
	if (placed != ntasks || n != ntasks) {
		kprintf("selfcheck: %ld tasks placed in lists, %ld listed, %ld exist\n", placed, n, ntasks);
		return 40;
	}
	int progress = ticks >= checked_at + 50;
	for (struct work *w = all_work; w; w = w->next) {
		if (w->errors) {
			kprintf("selfcheck: task %ld counted %ld errors\n", w->id, w->errors);
			return 50;
		}
		if (progress && (w->kind == SLEEPER || w->kind == CONSUMER || w->kind == ISRWAITER) && w->runs == w->seen) {
			kprintf("selfcheck: task %ld made no progress\n", w->id);
			return 60;
		}
		w->seen = w->runs;
		incs += w->incs;
	}
	if (progress)
		checked_at = ticks;
	if (incs != shared) {
		kprintf("selfcheck: shared counter %ld, %ld increments\n", shared, incs);
		return 70;
	}
	return 0;
}

long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	switch (nr) {
	case SYS_RUN:
		return run_ticks((unsigned long)a0);
	case SYS_SPAWN:
		for (long i = 0; i < a0; i++)
			if (spawn(WORKER, 1) == 0)
				return -12;
		return ntasks;
	case SYS_TICKS:
		return (long)ticks;
	case SYS_TASKS:
		return ntasks;
	case SYS_SHARED:
		return shared;
	}
	return -38;
}
