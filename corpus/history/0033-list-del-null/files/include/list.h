/*
 * list.h — intrusive doubly linked lists.
 *
 * Only for memory the kernel owns outright (kalloc'd nodes). Never link
 * object state into a list: object state may move when an object is
 * hot-swapped, so objects refer to each other through refs.
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <kernel.h>

struct list {
	struct list *next;
	struct list *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

/* Nodes embed their struct list as the first member, so an entry is the
 * node itself. */
#define list_entry(ptr, type) ((type *)(ptr))

static inline void list_make(struct list *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool list_empty(const struct list *l)
{
	return l->next == l;
}

static inline void list_add_tail(struct list *n, struct list *head)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

/* list_del unlinks n and leaves it pointing nowhere, so that walking on
 * from a node that was already removed faults at once instead of
 * quietly revisiting the list. */
static inline void list_del(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = NULL;
	n->prev = NULL;
}


#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
