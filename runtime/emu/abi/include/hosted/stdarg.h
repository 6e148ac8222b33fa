/* stdarg.h — upsynth emulated target. Variadic arguments are 8-byte slots
 * in emulated memory (a struct takes its size rounded up to 8; a long
 * double, kept as a double, one slot); va_list points at the next one. */
#ifndef _UPSYNTH_STDARG_H
#define _UPSYNTH_STDARG_H
typedef __builtin_va_list va_list;
#define va_start(ap, last) __upsynth_va_start(&(ap))
#define va_arg(ap, type) (*(type *)__upsynth_va_arg(&(ap), _Generic((type){0}, long double: 8, default: sizeof(type))))
#define va_end(ap) ((void)(ap))
#define va_copy(dst, src) ((dst) = (src))
#define __va_copy(dst, src) ((dst) = (src))
#endif
