// Scheduler objects, NOVA/K42 style: classes with inline methods in a header.
#pragma once

#include "types.hpp"

namespace kern {

class Lock {
public:
  Lock() : held(false) {}
  void acquire() { held = true; }
  void release() { held = false; }
  bool is_held() const { return held; }

private:
  bool held;
};

class Schedulable {
public:
  virtual ~Schedulable() {}
  virtual void run() = 0;
  virtual int priority() const { return prio; }

protected:
  int prio;
};

class Thread : public Schedulable, private Lock {
public:
  enum State { READY, RUNNING, BLOCKED = 4 };

  struct Context {
    unsigned long sp;
    unsigned long ip;
  };

  explicit Thread(int p);
  void run() override;
  int priority() const override;
  static Thread *current();
  Thread &operator=(const Thread &other);
  bool operator<(const Thread &o) const { return prio < o.prio; }

  State state;

private:
  Context ctx;
  unsigned long *stack;
  static unsigned count;
};

template <typename T, int N>
class Queue {
public:
  Queue() : head(0), tail(0) {}
  bool push(T *item) {
    if (tail - head == N)
      return false;
    items[tail++ % N] = item;
    return true;
  }
  T *pop();

private:
  T *items[N];
  unsigned head, tail;
};

template <typename T, int N>
T *Queue<T, N>::pop()
{
  if (head == tail)
    return nullptr;
  return items[head++ % N];
}

} // namespace kern

// Conversion operators and attribute macros before constructors.
template <typename T>
class Byteorder {
public:
  operator T() const { return val; }
  explicit constexpr Byteorder(T v) : val{v} {}

private:
  T val;
};
