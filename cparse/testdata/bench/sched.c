/*
 * Round-robin scheduler with priorities, wait queues and sleeping timers
 * for the benchmark kernel. Written for the cparse benchmark.
 */
#include <kern/types.h>
#include <kern/spinlock.h>
#include <kern/list.h>
#include <kern/sched.h>
#include <kern/timer.h>
#include <kern/printk.h>
#include <arch/context.h>

#define NR_PRIO			32
#define DEFAULT_TIMESLICE	10
#define TASK_COMM_LEN		16
#define TASK_RUNNING		0
#define TASK_INTERRUPTIBLE	1
#define TASK_UNINTERRUPTIBLE	2
#define TASK_DEAD		4
#define task_is_running(t)	(READ_ONCE((t)->state) == TASK_RUNNING)
#define for_each_prio(p)	for ((p) = 0; (p) < NR_PRIO; (p)++)

struct sched_stats {
	u64	switches;
	u64	wakeups;
	u64	migrations;
	u64	idle_ticks;
};

struct task {
	volatile long		state;
	int			prio;
	int			static_prio;
	unsigned int		cpu;
	unsigned int		timeslice;
	unsigned long		flags;
	u64			runtime;
	u64			last_ran;
	struct list_head	run_list;
	struct list_head	all_list;
	struct task		*parent;
	struct arch_context	ctx;
	struct wait_queue_head	*waiting_on;
	int			exit_code;
	char			comm[TASK_COMM_LEN];
};

struct runqueue {
	spinlock_t		lock;
	unsigned int		nr_running;
	unsigned long		bitmap;
	struct list_head	queue[NR_PRIO];
	struct task		*curr;
	struct task		*idle;
	u64			clock;
	struct sched_stats	stats;
} ____cacheline_aligned;

struct wait_queue_entry {
	struct task		*task;
	unsigned int		flags;
	int			(*func)(struct wait_queue_entry *wq, unsigned int mode, void *key);
	struct list_head	entry;
};

struct wait_queue_head {
	spinlock_t		lock;
	struct list_head	head;
};

static DEFINE_PER_CPU(struct runqueue, runqueues);
static LIST_HEAD(all_tasks);
static DEFINE_SPINLOCK(tasklist_lock);
static unsigned int sched_timeslice = DEFAULT_TIMESLICE;
static atomic_t nr_tasks = ATOMIC_INIT(0);
int sched_debug;

static inline struct runqueue *cpu_rq(unsigned int cpu)
{
	return &per_cpu(runqueues, cpu);
}

static inline struct runqueue *this_rq(void)
{
	return this_cpu_ptr(&runqueues);
}

static inline struct runqueue *task_rq(struct task *t)
{
	return cpu_rq(t->cpu);
}

static void enqueue_task(struct runqueue *rq, struct task *t)
{
	list_add_tail(&t->run_list, &rq->queue[t->prio]);
	__set_bit(t->prio, &rq->bitmap);
	rq->nr_running++;
}

static void dequeue_task(struct runqueue *rq, struct task *t)
{
	list_del_init(&t->run_list);
	if (list_empty(&rq->queue[t->prio]))
		__clear_bit(t->prio, &rq->bitmap);
	rq->nr_running--;
}

static struct task *pick_next_task(struct runqueue *rq)
{
	int prio;

	if (!rq->bitmap)
		return rq->idle;
	prio = __ffs(rq->bitmap);
	return list_first_entry(&rq->queue[prio], struct task, run_list);
}

static void update_curr(struct runqueue *rq)
{
	struct task *curr = rq->curr;
	u64 now = sched_clock();
	u64 delta;

	if (unlikely(now < curr->last_ran))
		return;
	delta = now - curr->last_ran;
	curr->runtime += delta;
	curr->last_ran = now;
	rq->clock = now;
}

static void context_switch(struct runqueue *rq, struct task *prev,
			   struct task *next)
{
	rq->curr = next;
	rq->stats.switches++;
	next->last_ran = rq->clock;
	if (sched_debug)
		pr_debug("switch %s -> %s on cpu %u\n", prev->comm, next->comm,
			 smp_processor_id());
	switch_to(&prev->ctx, &next->ctx);
}

static void put_prev_task(struct runqueue *rq, struct task *prev)
{
	if (prev == rq->idle)
		return;
	if (prev->state == TASK_RUNNING) {
		dequeue_task(rq, prev);
		enqueue_task(rq, prev);
	} else {
		dequeue_task(rq, prev);
	}
}

void schedule(void)
{
	struct runqueue *rq;
	struct task *prev, *next;
	unsigned long flags;

	preempt_disable();
	rq = this_rq();
	spin_lock_irqsave(&rq->lock, flags);
	prev = rq->curr;
	update_curr(rq);
	put_prev_task(rq, prev);
	next = pick_next_task(rq);
	next->timeslice = sched_timeslice;
	if (likely(prev != next)) {
		context_switch(rq, prev, next);
		/* now running as next: rq may be another cpu's */
		rq = this_rq();
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	preempt_enable_no_resched();
}

void scheduler_tick(void)
{
	struct runqueue *rq = this_rq();
	struct task *curr;

	spin_lock(&rq->lock);
	curr = rq->curr;
	update_curr(rq);
	if (curr == rq->idle) {
		rq->stats.idle_ticks++;
	} else if (curr->timeslice && --curr->timeslice == 0) {
		set_need_resched(curr);
	}
	spin_unlock(&rq->lock);
}

static int select_task_cpu(struct task *t)
{
	unsigned int cpu, best = t->cpu;
	unsigned int min_running = ~0u;

	for_each_online_cpu(cpu) {
		struct runqueue *rq = cpu_rq(cpu);

		if (!cpu_allowed(t, cpu))
			continue;
		if (rq->nr_running < min_running) {
			min_running = rq->nr_running;
			best = cpu;
		}
	}
	return best;
}

int wake_up_process(struct task *t)
{
	struct runqueue *rq;
	unsigned long flags;
	unsigned int cpu;
	int woken = 0;

	cpu = select_task_cpu(t);
	rq = cpu_rq(cpu);
	spin_lock_irqsave(&rq->lock, flags);
	if (t->state == TASK_RUNNING)
		goto out;
	if (t->cpu != cpu) {
		t->cpu = cpu;
		rq->stats.migrations++;
	}
	WRITE_ONCE(t->state, TASK_RUNNING);
	enqueue_task(rq, t);
	rq->stats.wakeups++;
	woken = 1;
	if (t->prio < rq->curr->prio)
		set_need_resched(rq->curr);
out:
	spin_unlock_irqrestore(&rq->lock, flags);
	return woken;
}

void set_user_nice(struct task *t, long nice)
{
	struct runqueue *rq = task_rq(t);
	unsigned long flags;
	int old_prio;
	bool queued;

	if (nice < -20 || nice > 19)
		return;
	spin_lock_irqsave(&rq->lock, flags);
	old_prio = t->prio;
	queued = !list_empty(&t->run_list);
	if (queued)
		dequeue_task(rq, t);
	t->static_prio = NR_PRIO / 2 + nice / 2;
	t->prio = t->static_prio;
	if (queued) {
		enqueue_task(rq, t);
		if (t->prio < old_prio && rq->curr != t)
			set_need_resched(rq->curr);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
}

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

static int default_wake_function(struct wait_queue_entry *e, unsigned int mode,
				 void *key)
{
	return wake_up_process(e->task);
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_add_tail(&e->entry, &wq->head);
	e->task->waiting_on = wq;
	spin_unlock_irqrestore(&wq->lock, flags);
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_del_init(&e->entry);
	e->task->waiting_on = NULL;
	spin_unlock_irqrestore(&wq->lock, flags);
}

int __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr, void *key)
{
	struct wait_queue_entry *e, *next;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry_safe(e, next, &wq->head, entry) {
		unsigned int exclusive = e->flags & WQ_FLAG_EXCLUSIVE;
		int ret = e->func(e, mode, key);

		if (ret < 0)
			break;
		if (ret)
			woken++;
		if (ret && exclusive && !--nr)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	return woken;
}

long wait_event_timeout_locked(struct wait_queue_head *wq, bool (*cond)(void *),
			       void *arg, long timeout)
{
	struct wait_queue_entry e = {
		.task = current,
		.func = default_wake_function,
		.entry = LIST_HEAD_INIT(e.entry),
	};
	long remaining = timeout;

	add_wait_queue(wq, &e);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (cond(arg))
			break;
		if (signal_pending(current)) {
			remaining = -ERESTARTSYS;
			break;
		}
		remaining = schedule_timeout(remaining);
		if (!remaining)
			break;
	}
	__set_current_state(TASK_RUNNING);
	remove_wait_queue(wq, &e);
	return remaining;
}

static void process_timeout(struct timer_list *t)
{
	struct task *task = from_timer(task, t, sleep_timer);

	wake_up_process(task);
}

long schedule_timeout(long timeout)
{
	struct timer_list timer;
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx\n", timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = timeout + jiffies;
	timer_setup_on_stack(&timer, process_timeout, 0);
	mod_timer(&timer, expire);
	schedule();
	del_timer_sync(&timer);
	destroy_timer_on_stack(&timer);
	timeout = expire - jiffies;
	return timeout < 0 ? 0 : timeout;
}

struct task *task_create(const char *name, void (*entry)(void *), void *arg,
			 int prio)
{
	struct task *t;
	unsigned long flags;
	int err;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	strscpy(t->comm, name, sizeof(t->comm));
	t->prio = t->static_prio = prio;
	t->state = TASK_UNINTERRUPTIBLE;
	t->timeslice = sched_timeslice;
	t->parent = current;
	INIT_LIST_HEAD(&t->run_list);
	err = arch_setup_context(&t->ctx, entry, arg);
	if (err)
		goto free_task;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_add_tail(&t->all_list, &all_tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	atomic_inc(&nr_tasks);
	wake_up_process(t);
	return t;

free_task:
	kfree(t);
	return ERR_PTR(err);
}

void __noreturn task_exit(int code)
{
	struct task *t = current;
	unsigned long flags;

	t->exit_code = code;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_del(&t->all_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	atomic_dec(&nr_tasks);
	set_current_state(TASK_DEAD);
	schedule();
	BUG();
}

void show_tasks(void)
{
	struct task *t;
	unsigned long flags;
	static const char * const states[] = {
		[TASK_RUNNING] = "R",
		[TASK_INTERRUPTIBLE] = "S",
		[TASK_UNINTERRUPTIBLE] = "D",
		[TASK_DEAD] = "X",
	};

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &all_tasks, all_list) {
		long state = READ_ONCE(t->state);

		printk("%-16s %s prio %2d cpu %u runtime %llu\n", t->comm,
		       state < ARRAY_SIZE(states) && states[state] ? states[state] : "?",
		       t->prio, t->cpu, (unsigned long long)t->runtime);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void __init sched_init(void)
{
	unsigned int cpu;
	int prio;

	for_each_possible_cpu(cpu) {
		struct runqueue *rq = cpu_rq(cpu);

		spin_lock_init(&rq->lock);
		rq->nr_running = 0;
		rq->bitmap = 0;
		for_each_prio(prio)
			INIT_LIST_HEAD(&rq->queue[prio]);
		rq->idle = idle_task(cpu);
		rq->curr = rq->idle;
		memset(&rq->stats, 0, sizeof(rq->stats));
	}
	pr_info("sched: %u cpus, timeslice %u\n", num_possible_cpus(), sched_timeslice);
}
