# The test kernel's basic workload: files, a shared counter, a self-check.
const SYS_OPEN 1
const SYS_WRITE 2
const SYS_READ 3
const SYS_CLOSE 4
const SYS_INC 5
const SYS_GET 6

fd = sys SYS_OPEN "/a" -> >=0
sys SYS_WRITE $fd "hello" 5 -> 5
sys SYS_READ $fd buf:16 16 -> 5 buf "hello"
sys SYS_READ 99 buf:4 4 -> -22

stream A
  repeat 20
    sys SYS_INC 1 -> >=1
  end
end
stream B
  repeat 20
    sys SYS_INC 2 -> >=2
  end
end
stream C
  g = sys SYS_OPEN "/c" -> >=0
  repeat 5
    sys SYS_WRITE $g "xy" 2 -> 2
  end
  sys SYS_READ $g buf:16 16 -> 10 buf "xyxyxyxyxy"
  sys SYS_CLOSE $g -> 0
end
