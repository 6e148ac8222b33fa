# mm: mapping, touching and unmapping regions; frames come back.
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

free = sys SYS_FREEMEM -> >=200
a = sys SYS_MMAP 4 -> >=4096
sys SYS_FREEMEM -> >=1
sys SYS_POKE $a "region data" 11 -> 11
sys SYS_PEEK $a buf:16 11 -> 11 buf "region data"
sys SYS_FREEMEM -> >=1
b = sys SYS_MMAP 2 -> >=4096
sys SYS_POKE $b "x" 1 -> 1
sys SYS_PEEK $b buf:4 4 -> 4 buf "x"
sys SYS_PEEK 12 buf:4 4 -> -14
sys SYS_MMAP 0 -> -22
check
sys SYS_MUNMAP $a -> 0
sys SYS_MUNMAP $a -> -22
sys SYS_MUNMAP $b -> 0
sys SYS_FREEMEM -> >=1
check

# read-only mappings refuse writes
ro = sys SYS_MMAP 1 1 -> >=4096
sys SYS_PEEK $ro buf:4 4 -> 4
sys SYS_POKE $ro "no" 2 -> -14
rw = sys SYS_MMAP 1 3 -> >=4096
sys SYS_POKE $rw "yes" 3 -> 3
sys SYS_MMAP 1 8 -> -22
sys SYS_MUNMAP $ro -> 0
sys SYS_MUNMAP $rw -> 0
check

# exhausting memory fails cleanly, warns once, and everything comes back
big = sys SYS_MMAP 300 -> -22
a = sys SYS_MMAP 200 -> >=4096
b = sys SYS_MMAP 200 -> >=4096
sys SYS_POKE $a buf:51200 51200 -> 51200
sys SYS_POKE $b buf:51200 51200 -> >=1
out "out of frames"
sys SYS_FREEMEM -> 0
sys SYS_MUNMAP $a -> 0
sys SYS_MUNMAP $b -> 0
sys SYS_FREEMEM -> >=200
check
