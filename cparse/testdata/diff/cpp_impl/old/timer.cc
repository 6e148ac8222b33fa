namespace kern {

template <typename T>
class Ring {
public:
  bool put(T v);
  struct Slot {
    T value;
    bool used;
  };

private:
  Slot slots[16];
};

template <typename T>
bool Ring<T>::put(T v)
{
  slots[0].value = v;
  return true;
}

class Timer {
public:
  void arm(unsigned long ticks);
  unsigned long remaining() const;
  Timer &operator+=(unsigned long t);

private:
  unsigned long deadline;
};

unsigned long Timer::remaining() const
{
  return deadline;
}

void Timer::arm(unsigned long ticks)
{
  deadline = ticks;
}

Timer &Timer::operator+=(unsigned long t)
{
  deadline += t;
  return *this;
}

int timer_count = 0;

static void tick(Timer &t) { t.arm(1); }

} // namespace kern
