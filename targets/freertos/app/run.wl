# Runs the FreeRTOS application for 2,000 ticks in runs of 100, its
# self-check (error and progress counters of every check) after each.
const SYS_RUN 1
const SYS_TICKS 2
repeat 20
  sys SYS_RUN 100 -> >=100
  check
end
