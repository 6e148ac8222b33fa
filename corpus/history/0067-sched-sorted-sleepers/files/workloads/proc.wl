# proc: spawning, sleeping, killing and reaping processes.
const SYS_GETPID 1
const SYS_OPEN 2
const SYS_CLOSE 3
const SYS_READ 4
const SYS_WRITE 5
const SYS_SEEK 6
const SYS_MKDIR 7
const SYS_UNLINK 8
const SYS_STAT 9
const SYS_MKFIFO 10
const SYS_SPAWN 11
const SYS_KILL 12
const SYS_WAIT 13
const SYS_MMAP 14
const SYS_MUNMAP 15
const SYS_PEEK 16
const SYS_POKE 17
const SYS_SLEEP 18
const SYS_TICKS 19
const SYS_DMESG 20
const SYS_FREEMEM 21
const SYS_TRUNCATE 22
const SYS_READDIR 23
const SYS_SEM_OPEN 24
const SYS_SEM_DOWN 25
const SYS_SEM_UP 26
const SYS_SEM_CLOSE 27
const SYS_DUP 28
const SYS_YIELD 29
const SYS_RENAME 30
const O_RDONLY 0
const O_WRONLY 1
const O_RDWR 2
const O_CREAT 0x40
const O_APPEND 0x400

p = sys SYS_SPAWN "worker" -> >=2
q = sys SYS_SPAWN "idle" -> >=3
sys SYS_WAIT $p -> -11
sys SYS_SLEEP $q 3 -> 0
sys SYS_SLEEP $q 3 -> -22
sys SYS_TICKS -> >=1
sys SYS_GETPID -> 1
sys SYS_GETPID -> 1
sys SYS_GETPID -> 1
sys SYS_SLEEP $q 1 -> 0
sys SYS_GETPID -> 1
sys SYS_GETPID -> 1
check
sys SYS_KILL $p 7 -> 0
sys SYS_KILL $p 7 -> -3
sys SYS_WAIT $p -> 7
sys SYS_WAIT $p -> -10
sys SYS_KILL 1 0 -> -1
sys SYS_KILL 999 0 -> -3
check

# killing a sleeping process takes it off the sleep list: the ticks that
# follow must not wake a process that is gone
s = sys SYS_SPAWN "sleeper" -> >=2
sys SYS_SLEEP $s 2 -> 0
sys SYS_KILL $s 9 -> 0
sys SYS_WAIT $s -> 9
sys SYS_GETPID -> 1
sys SYS_GETPID -> 1
sys SYS_GETPID -> 1
check

# a child inherits the parent's open files: the file stays open while
# either has it
fd = sys SYS_OPEN "/shared" 0x42 -> >=0
c = sys SYS_SPAWN "inheritor" -> >=2
sys SYS_CLOSE $fd -> 0
sys SYS_KILL $c 0 -> 0
sys SYS_WAIT $c -> 0
sys SYS_UNLINK "/shared" -> 0
check

# yield walks the run queue round robin
sys SYS_KILL $q 0 -> 0
sys SYS_WAIT $q -> 0
sys SYS_YIELD -> 1
a = sys SYS_SPAWN "a" -> >=2
sys SYS_YIELD -> 1
sys SYS_YIELD -> >=2
sys SYS_YIELD -> 1
sys SYS_KILL $a 0 -> 0
sys SYS_YIELD -> 1
sys SYS_YIELD -> 1
sys SYS_WAIT $a -> 0
check

# sleepers wake in deadline order whatever order they went to sleep in
x = sys SYS_SPAWN "x" -> >=2
y = sys SYS_SPAWN "y" -> >=2
z = sys SYS_SPAWN "z" -> >=2
sys SYS_SLEEP $x 6 -> 0
sys SYS_SLEEP $y 2 -> 0
sys SYS_SLEEP $z 4 -> 0
check
repeat 8
  sys SYS_TICKS -> *
end
sys SYS_SLEEP $x 1 -> 0
sys SYS_SLEEP $y 1 -> 0
sys SYS_SLEEP $z 1 -> 0
check
repeat 3
  sys SYS_KILL $x 0 -> *
  sys SYS_KILL $y 0 -> *
  sys SYS_KILL $z 0 -> *
end
sys SYS_WAIT $x -> 0
sys SYS_WAIT $y -> 0
sys SYS_WAIT $z -> 0
check
