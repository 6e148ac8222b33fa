# Runs the preemptive kernel for 1000 ticks in runs of 50, checking its
# invariants (lists, error and progress counters) after each.
const SYS_RUN 1
const SYS_TICKS 3
repeat 20
  sys SYS_RUN 50 -> >=50
  check
end
sys SYS_TICKS -> 1000
