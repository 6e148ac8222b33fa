/* assert.h — upsynth emulated target, hosted subset. A failed assertion
 * prints the usual message and aborts the program. Like the standard
 * header, it may be included again to follow a change of NDEBUG. */
#ifndef _UPSYNTH_ASSERT_H
#define _UPSYNTH_ASSERT_H
void __upsynth_assert_fail(const char *expr, const char *file, int line, const char *func);
#define static_assert _Static_assert
#endif

#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __upsynth_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
