/* Arrays of structs, nested structs, arrays inside structs. */
#include <stdio.h>
#include <string.h>

struct point {
	int x, y;
};

struct shape {
	char name[12];
	int npts;
	struct point pts[4];
	struct {
		unsigned char r, g, b;
	} color;
};

static long area2(const struct shape *s)
{
	long a = 0;
	for (int i = 0; i < s->npts; i++) {
		const struct point *p = &s->pts[i], *q = &s->pts[(i + 1) % s->npts];
		a += (long)p->x * q->y - (long)q->x * p->y;
	}
	return a < 0 ? -a : a;
}

int main(void)
{
	struct shape shapes[3];
	memset(shapes, 0, sizeof shapes);
	strcpy(shapes[0].name, "square");
	shapes[0].npts = 4;
	shapes[0].pts[1].x = 10;
	shapes[0].pts[2].x = 10;
	shapes[0].pts[2].y = 10;
	shapes[0].pts[3].y = 10;
	shapes[0].color.r = 255;

	strcpy(shapes[1].name, "triangle");
	shapes[1].npts = 3;
	shapes[1].pts[1] = (struct point){6, 0};
	shapes[1].pts[2] = (struct point){0, 8};
	shapes[1].color.g = 128;

	strcpy(shapes[2].name, "line");
	shapes[2].npts = 2;
	shapes[2].pts[0] = shapes[1].pts[1];
	shapes[2].pts[1] = shapes[1].pts[2];
	shapes[2].color = shapes[0].color;

	for (int i = 0; i < 3; i++) {
		struct shape *s = &shapes[i];
		printf("%-9s n=%d area2=%ld rgb=%d,%d,%d\n", s->name, s->npts, area2(s), s->color.r, s->color.g, s->color.b);
		for (int j = 0; j < s->npts; j++)
			printf("  (%d,%d)", s->pts[j].x, s->pts[j].y);
		printf("\n");
	}
	printf("sizeof shape=%zu, sizeof shapes=%zu\n", sizeof(struct shape), sizeof shapes);

	struct shape *last = &shapes[2];
	printf("index of last=%td\n", last - shapes);
	(last - 1)->pts[0].x = -5;
	printf("shapes[1].pts[0].x=%d area2=%ld\n", shapes[1].pts[0].x, area2(&shapes[1]));

	/* Sorting by swapping whole structs. */
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (strcmp(shapes[j].name, shapes[i].name) < 0) {
				struct shape t = shapes[i];
				shapes[i] = shapes[j];
				shapes[j] = t;
			}
	for (int i = 0; i < 3; i++)
		printf("%s%s", shapes[i].name, i < 2 ? "," : "\n");
	return 0;
}
