/* tables.h — the globals test kernel: a const table of function pointers,
 * an ops struct and a mutable array, each sized by a macro that the update
 * (v2) changes. */
#ifndef TABLES_H
#define TABLES_H

long table_call(long nr, long x);
long count_add(long i, long d);
long count_get(long i);
long ops_call(long x);

#endif
