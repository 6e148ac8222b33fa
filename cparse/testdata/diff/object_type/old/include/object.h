/* Object-type macros, as a K42-style kernel ABI header declares them. */
#ifndef OBJECT_H
#define OBJECT_H

typedef unsigned long ref_t;

/* OBJECT_TYPE(T) { members }; declares struct T and its reference TRef. */
#define OBJECT_TYPE(T) typedef ref_t T##Ref; struct T
/* SHARED_STATE(T) { members }; declares union T_state. */
#define SHARED_STATE(T) union T##_state
/* COUNTER(T); declares a whole struct inside the macro. */
#define COUNTER(T) struct T { long count; int cpu; }
/* HANDLER(n) { body } defines a function: not a type. */
#define HANDLER(n) void n##_handler(void)

struct kobj {
  int refs;
  const char *type;
};

#endif
