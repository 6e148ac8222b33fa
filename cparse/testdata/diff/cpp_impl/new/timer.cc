namespace kern {

template <typename T>
class Ring {
public:
  bool put(T v);
  struct Slot {
    T value;
    bool used;
    unsigned gen;
  };

private:
  Slot slots[32];
};

template <typename T>
bool Ring<T>::put(T v)
{
  slots[0].value = v;
  slots[0].used = true;
  return true;
}

class Timer {
public:
  void arm(unsigned long ticks, bool periodic);
  unsigned long remaining() const;
  Timer &operator+=(unsigned long t);

private:
  unsigned long deadline;
};

// Reformatted only.
unsigned long Timer::remaining() const { return deadline; }

void Timer::arm(unsigned long ticks, bool periodic)
{
  deadline = ticks;
}

Timer &Timer::operator+=(unsigned long delta)
{
  deadline += delta;
  return *this;
}

int timer_count = 1;

static void tick(Timer &t) { t.arm(1, false); }

} // namespace kern
