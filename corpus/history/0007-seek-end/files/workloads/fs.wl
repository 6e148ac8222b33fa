# fs: directories, files, lookup errors, unlink, stat.
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
const O_CREAT_RDWR 0x42
const O_CREAT_WRONLY 0x41
const O_APPEND_WRONLY 0x401

sys SYS_MKDIR "/etc" -> 0
sys SYS_MKDIR "/etc" -> -17
sys SYS_MKDIR "/usr" -> 0
sys SYS_MKDIR "/usr/lib" -> 0
sys SYS_MKDIR "/nope/lib" -> -2
sys SYS_OPEN "/etc/missing" O_RDONLY -> -2
sys SYS_OPEN "/etc" O_RDONLY -> -21
sys SYS_OPEN "relative" O_RDONLY -> -22

fd = sys SYS_OPEN "/etc/motd" O_CREAT_WRONLY -> >=0
sys SYS_WRITE $fd "welcome\n" 8 -> 8
sys SYS_READ $fd buf:8 8 -> -9
sys SYS_CLOSE $fd -> 0
sys SYS_CLOSE $fd -> -9
sys SYS_STAT "/etc/motd" buf:32 -> 0

fd = sys SYS_OPEN "/etc/motd" O_APPEND_WRONLY -> >=0
sys SYS_WRITE $fd "have fun\n" 9 -> 9
sys SYS_CLOSE $fd -> 0
fd = sys SYS_OPEN "/etc/motd" O_RDONLY -> >=0
sys SYS_READ $fd buf:64 64 -> 17 buf "welcome\nhave fun\n"
sys SYS_READ $fd buf:64 64 -> 0
sys SYS_SEEK $fd 8 0 -> 8
sys SYS_READ $fd buf:4 4 -> 4 buf "have"
sys SYS_SEEK $fd 2 1 -> 14
sys SYS_CLOSE $fd -> 0

# a file spanning several pages
fd = sys SYS_OPEN "/usr/lib/big" O_CREAT_RDWR -> >=0
repeat 40
  sys SYS_WRITE $fd "0123456789abcdefghijklmnopqrstuvwxyz!" 37 -> 37
end
sys SYS_SEEK $fd 250 0 -> 250
sys SYS_READ $fd buf:16 16 -> 16 buf "stuvwxyz!0123456"
sys SYS_CLOSE $fd -> 0
check

sys SYS_UNLINK "/usr" -> -39
sys SYS_UNLINK "/usr/lib/big" -> 0
sys SYS_UNLINK "/usr/lib/big" -> -2
sys SYS_UNLINK "/usr/lib" -> 0
sys SYS_UNLINK "/usr" -> 0
sys SYS_STAT "/usr" buf:32 -> -2
check

# names of exactly NAME_MAX (27) bytes work; one more is refused rather
# than silently truncated
sys SYS_MKDIR "/abcdefghijklmnopqrstuvwxyz0" -> 0
sys SYS_STAT "/abcdefghijklmnopqrstuvwxyz0" buf:32 -> 0
sys SYS_UNLINK "/abcdefghijklmnopqrstuvwxyz0" -> 0
sys SYS_MKDIR "/abcdefghijklmnopqrstuvwxyz01" -> -36
check

# O_TRUNC empties an existing file
const O_TRUNC_RDWR 0x202
fd = sys SYS_OPEN "/etc/motd" O_TRUNC_RDWR -> >=0
sys SYS_READ $fd buf:8 8 -> 0
sys SYS_WRITE $fd "new motd\n" 9 -> 9
sys SYS_SEEK $fd 0 0 -> 0
sys SYS_READ $fd buf:16 16 -> 9 buf "new motd\n"
sys SYS_CLOSE $fd -> 0
check

# seeking to the end appends after the last byte
fd = sys SYS_OPEN "/etc/motd" O_RDWR -> >=0
sys SYS_SEEK $fd 0 2 -> 9
sys SYS_WRITE $fd "bye\n" 4 -> 4
sys SYS_SEEK $fd -4 2 -> 9
sys SYS_READ $fd buf:8 8 -> 4 buf "bye\n"
sys SYS_SEEK $fd 0 0 -> 0
sys SYS_READ $fd buf:16 16 -> 13 buf "new motd\nbye\n"
sys SYS_CLOSE $fd -> 0
check
