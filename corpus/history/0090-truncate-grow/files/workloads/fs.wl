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
const SYS_TRUNCATE 22
const SYS_READDIR 23
const SYS_SEM_OPEN 24
const SYS_SEM_DOWN 25
const SYS_SEM_UP 26
const SYS_SEM_CLOSE 27
const SYS_DUP 28
const SYS_YIELD 29
const SYS_RENAME 30
const SYS_FSTAT 31
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

# truncate by path
fd = sys SYS_OPEN "/etc/log" O_CREAT_RDWR -> >=0
sys SYS_WRITE $fd "one two three" 13 -> 13
sys SYS_TRUNCATE "/etc/log" 3 -> 0
sys SYS_STAT "/etc/log" buf:32 -> 0
sys SYS_SEEK $fd 0 2 -> 3
sys SYS_WRITE $fd " four" 5 -> 5
sys SYS_SEEK $fd 0 0 -> 0
sys SYS_READ $fd buf:16 16 -> 8 buf "one four"
sys SYS_CLOSE $fd -> 0
sys SYS_TRUNCATE "/etc" 0 -> -21
sys SYS_TRUNCATE "/etc/none" 0 -> -2
check

# truncate alone keeps the checksum right, and the cut bytes stay gone
fd = sys SYS_OPEN "/etc/log" O_RDWR -> >=0
sys SYS_TRUNCATE "/etc/log" 4 -> 0
check
sys SYS_SEEK $fd 6 0 -> 6
sys SYS_WRITE $fd "!" 1 -> 1
sys SYS_SEEK $fd 0 0 -> 0
sys SYS_READ $fd buf:8 8 -> 7 buf "one "
sys SYS_CLOSE $fd -> 0
check

# listing a directory
sys SYS_MKDIR "/list" -> 0
sys SYS_MKDIR "/list/only" -> 0
sys SYS_READDIR "/list" 0 buf:28 -> 4 buf "only"
sys SYS_READDIR "/list" 1 buf:28 -> -2
sys SYS_READDIR "/list/only" 0 buf:28 -> -2
sys SYS_READDIR "/etc/log" 0 buf:28 -> -20
sys SYS_READDIR "/" 0 buf:28 -> >=1
sys SYS_UNLINK "/list/only" -> 0
sys SYS_UNLINK "/list" -> 0
check

# a page that comes into existence under a hole reads as zeros, even
# when its frame last held another file's data
fd = sys SYS_OPEN "/junk" O_CREAT_RDWR -> >=0
repeat 8
  sys SYS_WRITE $fd "junkjunkjunkjunkjunkjunkjunkjunk" 32 -> 32
end
sys SYS_CLOSE $fd -> 0
sys SYS_UNLINK "/junk" -> 0
fd = sys SYS_OPEN "/sparse" O_CREAT_RDWR -> >=0
sys SYS_SEEK $fd 300 0 -> 300
sys SYS_WRITE $fd "end" 3 -> 3
sys SYS_SEEK $fd 0 0 -> 0
sys SYS_READ $fd buf:304 304 -> 303
sys SYS_CLOSE $fd -> 0
check

# dup shares the offset
fd = sys SYS_OPEN "/etc/motd" O_RDONLY -> >=0
fd2 = sys SYS_DUP $fd -> >=0
sys SYS_READ $fd buf:4 4 -> 4 buf "new "
sys SYS_READ $fd2 buf:4 4 -> 4 buf "motd"
sys SYS_CLOSE $fd -> 0
sys SYS_READ $fd2 buf:2 2 -> 2 buf "\nb"
sys SYS_CLOSE $fd2 -> 0
sys SYS_DUP $fd2 -> -9
check

# /tmp exists from boot
sys SYS_STAT "/tmp" buf:32 -> 0
fd = sys SYS_OPEN "/tmp/scratch" O_CREAT_RDWR -> >=0
sys SYS_CLOSE $fd -> 0
sys SYS_UNLINK "/tmp/scratch" -> 0
check

# a trailing slash names the directory itself, whether or not the
# lookup cache has seen its parent
sys SYS_MKDIR "/tmp/d" -> 0
fd = sys SYS_OPEN "/tmp/d/f" O_CREAT_RDWR -> >=0
sys SYS_CLOSE $fd -> 0
sys SYS_STAT "/tmp/d/" buf:32 -> 0
sys SYS_READDIR "/tmp/d/" 0 buf:28 -> 1 buf "f"
sys SYS_UNLINK "/tmp/d/f" -> 0
sys SYS_UNLINK "/tmp/d/" -> 0
check

# more than 16 descriptors at once
repeat 20
  sys SYS_OPEN "/etc/motd" O_RDONLY -> >=0
end
sys SYS_OPEN "/etc/motd" O_RDONLY -> >=20
repeat 32
  sys SYS_CLOSE $i -> *
end
check

# rename within and across directories
fd = sys SYS_OPEN "/tmp/a" O_CREAT_RDWR -> >=0
sys SYS_WRITE $fd "renamed" 7 -> 7
sys SYS_CLOSE $fd -> 0
sys SYS_RENAME "/tmp/a" "/tmp/b" -> 0
sys SYS_STAT "/tmp/a" buf:32 -> -2
sys SYS_MKDIR "/var" -> 0
sys SYS_RENAME "/tmp/b" "/var/c" -> 0
fd = sys SYS_OPEN "/var/c" O_RDONLY -> >=0
sys SYS_READ $fd buf:8 8 -> 7 buf "renamed"
sys SYS_CLOSE $fd -> 0
sys SYS_RENAME "/tmp/nothing" "/var/d" -> -2
check

# renaming over an existing file replaces it and keeps the source
fd = sys SYS_OPEN "/var/new" O_CREAT_RDWR -> >=0
sys SYS_WRITE $fd "fresh" 5 -> 5
sys SYS_CLOSE $fd -> 0
sys SYS_RENAME "/var/new" "/var/c" -> 0
fd = sys SYS_OPEN "/var/c" O_RDONLY -> >=0
sys SYS_READ $fd buf:8 8 -> 5 buf "fresh"
sys SYS_CLOSE $fd -> 0
sys SYS_STAT "/var/new" buf:32 -> -2
sys SYS_RENAME "/var/c" "/var/c" -> 0
sys SYS_RENAME "/var/c" "/tmp" -> -21
sys SYS_STAT "/var/c" buf:32 -> 0
check

# whole-page writes
fd = sys SYS_OPEN "/tmp/pages" O_CREAT_RDWR -> >=0
sys SYS_WRITE $fd buf:1024 1024 -> 1024
sys SYS_SEEK $fd 256 0 -> 256
sys SYS_WRITE $fd "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345" 256 -> 256
sys SYS_SEEK $fd 256 0 -> 256
sys SYS_READ $fd buf:10 10 -> 10 buf "0123456789"
sys SYS_CLOSE $fd -> 0
sys SYS_UNLINK "/tmp/pages" -> 0
check

# fstat on files, pipes and bad descriptors
fd = sys SYS_OPEN "/var/c" O_RDONLY -> >=0
sys SYS_FSTAT $fd buf:40 -> 0
sys SYS_CLOSE $fd -> 0
sys SYS_FSTAT $fd buf:40 -> -9
sys SYS_MKFIFO "/tmp/p" -> 0
fd = sys SYS_OPEN "/tmp/p" O_RDWR -> >=0
sys SYS_FSTAT $fd buf:40 -> 0
sys SYS_CLOSE $fd -> 0
sys SYS_UNLINK "/tmp/p" -> 0
check

# readdir respects the caller's buffer size
sys SYS_MKDIR "/tmp/list" -> 0
sys SYS_MKDIR "/tmp/list/a-rather-long-name" -> 0
sys SYS_READDIR "/tmp/list" 0 buf:8 8 -> -36
sys SYS_READDIR "/tmp/list" 0 buf:32 32 -> 18 buf "a-rather-long-name"
sys SYS_UNLINK "/tmp/list/a-rather-long-name" -> 0
sys SYS_UNLINK "/tmp/list" -> 0
check

# truncate can grow a file; the new bytes are zeros
fd = sys SYS_OPEN "/tmp/grow" O_CREAT_RDWR -> >=0
sys SYS_WRITE $fd "abc" 3 -> 3
sys SYS_TRUNCATE "/tmp/grow" 600 -> 0
sys SYS_FSTAT $fd buf:40 -> 0
sys SYS_SEEK $fd 0 2 -> 600
sys SYS_WRITE $fd "z" 1 -> 1
sys SYS_SEEK $fd 0 0 -> 0
sys SYS_READ $fd buf:700 700 -> 601 buf "abc"
sys SYS_TRUNCATE "/tmp/grow" 99999999 -> -27
sys SYS_CLOSE $fd -> 0
check
