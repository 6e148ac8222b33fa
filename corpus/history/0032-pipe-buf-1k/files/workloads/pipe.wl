# pipe: named pipes between a writer and a reader.
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
const O_RDONLY 0
const O_WRONLY 1
const O_RDWR 2
const O_CREAT 0x40
const O_APPEND 0x400

sys SYS_MKFIFO "/fifo" -> 0
sys SYS_MKFIFO "/fifo" -> -17
r = sys SYS_OPEN "/fifo" O_RDONLY -> >=0
w = sys SYS_OPEN "/fifo" O_WRONLY -> >=0
sys SYS_READ $r buf:8 8 -> -11
sys SYS_WRITE $w "ping" 4 -> 4
sys SYS_WRITE $r "x" 1 -> -9
sys SYS_READ $r buf:8 8 -> 4 buf "ping"
repeat 50
  sys SYS_WRITE $w "abcdefgh" 8 -> 8
  sys SYS_READ $r buf:8 8 -> 8 buf "abcdefgh"
end
sys SYS_WRITE $w "tail" 4 -> 4
sys SYS_CLOSE $w -> 0
sys SYS_READ $r buf:8 8 -> 4 buf "tail"
sys SYS_READ $r buf:8 8 -> 0
sys SYS_CLOSE $r -> 0
sys SYS_UNLINK "/fifo" -> 0
check

# a writer whose readers are all gone gets EPIPE
sys SYS_MKFIFO "/lonely" -> 0
r = sys SYS_OPEN "/lonely" O_RDONLY -> >=0
w = sys SYS_OPEN "/lonely" O_WRONLY -> >=0
sys SYS_CLOSE $r -> 0
sys SYS_WRITE $w "anyone?" 7 -> -32
sys SYS_CLOSE $w -> 0
sys SYS_UNLINK "/lonely" -> 0
check

# a child that inherited the write end and exited must not keep the
# pipe open: the reader sees end of file
sys SYS_MKFIFO "/jobs" -> 0
r = sys SYS_OPEN "/jobs" O_RDONLY -> >=0
w = sys SYS_OPEN "/jobs" O_WRONLY -> >=0
c = sys SYS_SPAWN "job" -> >=2
sys SYS_CLOSE $w -> 0
sys SYS_KILL $c 0 -> 0
sys SYS_READ $r buf:8 8 -> 0
sys SYS_WAIT $c -> 0
sys SYS_CLOSE $r -> 0
sys SYS_UNLINK "/jobs" -> 0
check

# fill the ring, wrap around it, drain it
sys SYS_MKFIFO "/ring" -> 0
r = sys SYS_OPEN "/ring" O_RDONLY -> >=0
w = sys SYS_OPEN "/ring" O_WRONLY -> >=0
repeat 14
  sys SYS_WRITE $w "0123456789012345678901234567890123456789012345678901234567890123456789" 70 -> 70
end
sys SYS_WRITE $w "0123456789012345678901234567890123456789012345678901234567890123456789" 70 -> 44
sys SYS_WRITE $w "0123456789" 10 -> -11
sys SYS_READ $r buf:100 100 -> 100 buf "0123456789"
sys SYS_WRITE $w "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz" 78 -> 78
repeat 10
  sys SYS_READ $r buf:100 100 -> 100
end
sys SYS_READ $r buf:100 100 -> 2
sys SYS_READ $r buf:100 100 -> -11
sys SYS_CLOSE $w -> 0
sys SYS_READ $r buf:100 100 -> 0
sys SYS_CLOSE $r -> 0
sys SYS_UNLINK "/ring" -> 0
check
