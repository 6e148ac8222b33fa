/* stdbool.h — upsynth emulated target, hosted subset. */
#ifndef _UPSYNTH_STDBOOL_H
#define _UPSYNTH_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
