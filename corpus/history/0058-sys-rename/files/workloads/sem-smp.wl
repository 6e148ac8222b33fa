# sem-smp: one semaphore hammered from two CPUs
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

stream taker
  sys SYS_SEM_OPEN 0 -> 0
  repeat 50
    sys SYS_SEM_DOWN 0 -> *
  end
end
stream giver
  repeat 50
    sys SYS_SEM_UP 0 -> *
  end
end
