/* Object types declared through type-declaring macros. */
#include "include/object.h"

OBJECT_TYPE(Timer);

OBJECT_TYPE(FCM) {
  struct kobj hdr;
  long cap;
  long *page; /* frame per page */
  struct {
    int lo, hi;
  } range;
  void (*evict)(FCMRef self, long idx);
  unsigned dirty : 1;
};

SHARED_STATE(Pool) {
  long words[2];
  char bytes[16];
};

COUNTER(hits);

OBJECT_TYPE(Timer) {
  struct kobj hdr;
  long ticks;
};

static long ticks;

HANDLER(tick) {
  ticks++;
}

long
FCM_cap(FCMRef self, struct FCM *fcm)
{
  return fcm->cap + sizeof(union Pool_state);
}
