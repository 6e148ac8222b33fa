// Fixed-width types for the C++ kernel.
#pragma once
typedef unsigned long mword;
using size_t = unsigned long;
#define ALIGNED(x) __attribute__((aligned(x)))
