#include "include/object.h"

OBJECT_TYPE(FCM) {
  struct kobj hdr;
  long cap;
  long *page;
  long hits; /* new member: the layout changes */
};

OBJECT_TYPE(Region) {
  struct kobj hdr;
  long base;
};

long
FCM_cap(FCMRef self, struct FCM *fcm)
{
  return fcm->cap;
}
