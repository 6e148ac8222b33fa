/* A singly linked list on the heap: push, append, reverse, merge sort,
 * delete by value, and freeing every node. */
#include <stdio.h>
#include <stdlib.h>

struct node {
	int value;
	struct node *next;
};

static struct node *push(struct node *head, int v)
{
	struct node *n = malloc(sizeof *n);
	if (!n) {
		printf("out of memory\n");
		exit(1);
	}
	n->value = v;
	n->next = head;
	return n;
}

static void append(struct node **headp, int v)
{
	while (*headp)
		headp = &(*headp)->next;
	*headp = push(NULL, v);
}

static void print(const char *label, const struct node *n)
{
	printf("%s:", label);
	for (; n; n = n->next)
		printf(" %d", n->value);
	printf("\n");
}

static struct node *reverse(struct node *n)
{
	struct node *prev = NULL;
	while (n) {
		struct node *next = n->next;
		n->next = prev;
		prev = n;
		n = next;
	}
	return prev;
}

static struct node *merge(struct node *a, struct node *b)
{
	struct node head = {0, NULL}, *tail = &head;
	while (a && b) {
		if (a->value <= b->value) {
			tail->next = a;
			a = a->next;
		} else {
			tail->next = b;
			b = b->next;
		}
		tail = tail->next;
	}
	tail->next = a ? a : b;
	return head.next;
}

static struct node *sort(struct node *n)
{
	if (!n || !n->next)
		return n;
	struct node *slow = n, *fast = n->next;
	while (fast && fast->next) {
		slow = slow->next;
		fast = fast->next->next;
	}
	struct node *second = slow->next;
	slow->next = NULL;
	return merge(sort(n), sort(second));
}

static int remove_all(struct node **headp, int v)
{
	int removed = 0;
	while (*headp) {
		if ((*headp)->value == v) {
			struct node *dead = *headp;
			*headp = dead->next;
			free(dead);
			removed++;
		} else {
			headp = &(*headp)->next;
		}
	}
	return removed;
}

static int length(const struct node *n)
{
	int len = 0;
	for (; n; n = n->next)
		len++;
	return len;
}

static void free_list(struct node *n)
{
	while (n) {
		struct node *next = n->next;
		free(n);
		n = next;
	}
}

int main(void)
{
	struct node *list = NULL;
	unsigned seed = 7;
	for (int i = 0; i < 20; i++) {
		seed = seed * 1103515245u + 12345u;
		list = push(list, (int)(seed >> 16) % 50);
	}
	append(&list, 49);
	append(&list, 0);
	print("built", list);
	list = reverse(list);
	print("reversed", list);
	list = sort(list);
	print("sorted", list);
	int victim = list->next->next->value;
	printf("removed %d copies of %d\n", remove_all(&list, victim), victim);
	printf("length=%d\n", length(list));
	print("final", list);
	free_list(list);

	/* Many small allocations, freed and reused. */
	long total = 0;
	for (int round = 0; round < 50; round++) {
		struct node *l = NULL;
		for (int i = 0; i < 100; i++)
			l = push(l, i + round);
		l = sort(reverse(l));
		total += l->value + length(l);
		free_list(l);
	}
	printf("total=%ld\n", total);
	return 0;
}
