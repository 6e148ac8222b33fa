# console: writes reach the console and the log ring.
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
const O_RDONLY 0
const O_WRONLY 1
const O_RDWR 2
const O_CREAT 0x40
const O_APPEND 0x400

con = sys SYS_OPEN "/dev/console" O_WRONLY -> >=0
sys SYS_WRITE $con "hello console\n" 14 -> 14
out "hello console"
sys SYS_DMESG buf:14 14 -> 14 buf "hello console\n"
repeat 100
  sys SYS_WRITE $con "line of console output\n" 23 -> 23
end
sys SYS_DMESG buf:23 23 -> 23 buf "line of console output\n"
sys SYS_CLOSE $con -> 0
check
