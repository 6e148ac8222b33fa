/* GCC's type-level builtins used by kernel macros: typeof of expressions
 * and of type names, __builtin_types_compatible_p, and
 * __builtin_choose_expr for compile-time selection. */
#include <stdio.h>

#define is_same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define is_array(a) (!__builtin_types_compatible_p(typeof(a), typeof(&(a)[0])))

int main(void)
{
	int i = 0;
	long l = 0;
	unsigned u = 0;
	const int ci = 0;
	int arr[4];
	int *ptr = arr;
	printf("compatible: %d %d %d %d\n", __builtin_types_compatible_p(int, int), __builtin_types_compatible_p(int, long),
	       __builtin_types_compatible_p(int *, int[]), __builtin_types_compatible_p(const int, int));
	printf("same type: %d %d %d %d\n", is_same_type(i, l), is_same_type(i, ci), is_same_type(u, 1u), is_same_type(l, 1L));
	printf("typeof names: %zu %zu\n", sizeof(typeof(int)), sizeof(typeof(long[3])));
	printf("is_array: %d %d\n", is_array(arr), is_array(ptr));
	printf("choose_expr: %d %s %zu\n", __builtin_choose_expr(1, 10, 20), __builtin_choose_expr(0, "a", "b"),
	       sizeof(__builtin_choose_expr(sizeof(long) == 8, (long)0, (char)0)));
	return 0;
}
