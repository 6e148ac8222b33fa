/* Kernel-style intrusive lists: a list_head embedded in structures,
 * container_of through offsetof, iteration macros, and removal while
 * iterating. */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) {&(name), &(name)}
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, n, head) for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)

static void list_add_between(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static void list_add(struct list_head *n, struct list_head *head) { list_add_between(n, head, head->next); }
static void list_add_tail(struct list_head *n, struct list_head *head) { list_add_between(n, head->prev, head); }

static void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = e->prev = NULL;
}

static int list_empty(const struct list_head *h) { return h->next == h; }

struct task {
	int pid;
	const char *name;
	struct list_head run_list;
	int priority;
	struct list_head all_list;
};

static struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
static struct list_head runqueue = LIST_HEAD_INIT(runqueue);

static struct task *spawn(int pid, const char *name, int prio)
{
	struct task *t = malloc(sizeof *t);
	t->pid = pid;
	t->name = name;
	t->priority = prio;
	list_add_tail(&t->all_list, &all_tasks);
	/* Keep the run queue sorted by priority, highest first. */
	struct list_head *pos;
	list_for_each(pos, &runqueue) {
		if (list_entry(pos, struct task, run_list)->priority < prio)
			break;
	}
	list_add_tail(&t->run_list, pos);
	return t;
}

static void show(const char *label)
{
	struct list_head *pos;
	printf("%s:", label);
	list_for_each(pos, &runqueue) {
		struct task *t = list_entry(pos, struct task, run_list);
		printf(" %s(%d,p%d)", t->name, t->pid, t->priority);
	}
	printf("\n");
}

int main(void)
{
	const char *names[] = {"init", "sh", "cc", "ld", "vi", "make", "cat"};
	int prios[] = {6, 3, 8, 8, 2, 4, 3};
	for (int i = 0; i < 7; i++)
		spawn(i + 1, names[i], prios[i]);
	show("runqueue");
	printf("offsets run_list=%zu all_list=%zu\n", offsetof(struct task, run_list), offsetof(struct task, all_list));
	struct list_head *pos, *n;
	list_for_each_safe(pos, n, &runqueue) {
		struct task *t = list_entry(pos, struct task, run_list);
		if (t->priority % 2)
			list_del(&t->run_list);
	}
	show("even priorities");
	struct task *first = list_entry(runqueue.next, struct task, run_list);
	list_del(&first->run_list);
	list_add_tail(&first->run_list, &runqueue);
	struct task *second = list_entry(runqueue.next, struct task, run_list);
	list_del(&second->run_list);
	list_add(&second->run_list, &runqueue);
	show("after requeue");
	int count = 0;
	list_for_each_safe(pos, n, &all_tasks) {
		struct task *t = container_of(pos, struct task, all_list);
		list_del(&t->all_list);
		free(t);
		count++;
	}
	printf("freed %d, all empty=%d\n", count, list_empty(&all_tasks));
	return 0;
}
