# mixed: long-running load for updates — four streams, thousands of
# requests over many objects (files, directories, pipes, regions,
# processes). Each stream uses its own names so streams never race on
# expectations.
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
const O_CREAT_APPEND_RDWR 0x442

stream files
  sys SYS_MKDIR "/data" -> 0
  repeat 150
    fd_files = sys SYS_OPEN "/data/log" O_CREAT_APPEND_RDWR -> >=0
    sys SYS_WRITE $fd_files "record of some length\n" 22 -> 22
    sys SYS_SEEK $fd_files 0 0 -> 0
    sys SYS_READ $fd_files buf:22 22 -> 22 buf "record of some length\n"
    sys SYS_STAT "/data/log" buf:32 -> 0
    sys SYS_CLOSE $fd_files -> 0
  end
  repeat 100
    fd_files = sys SYS_OPEN "/data/tmp" O_CREAT_RDWR -> >=0
    sys SYS_WRITE $fd_files "scratch" 7 -> 7
    sys SYS_CLOSE $fd_files -> 0
    sys SYS_UNLINK "/data/tmp" -> 0
  end
end

stream dirs
  sys SYS_MKDIR "/tree" -> 0
  repeat 120
    sys SYS_MKDIR "/tree/a" -> 0
    sys SYS_MKDIR "/tree/a/b" -> 0
    fd_dirs = sys SYS_OPEN "/tree/a/b/leaf" O_CREAT_RDWR -> >=0
    sys SYS_WRITE $fd_dirs "leaf" 4 -> 4
    sys SYS_CLOSE $fd_dirs -> 0
    sys SYS_STAT "/tree/a/b/leaf" buf:32 -> 0
    sys SYS_UNLINK "/tree/a" -> -39
    sys SYS_UNLINK "/tree/a/b/leaf" -> 0
    sys SYS_UNLINK "/tree/a/b" -> 0
    sys SYS_UNLINK "/tree/a" -> 0
  end
end

stream pipes
  sys SYS_MKFIFO "/chan" -> 0
  r_pipes = sys SYS_OPEN "/chan" O_RDONLY -> >=0
  w_pipes = sys SYS_OPEN "/chan" O_WRONLY -> >=0
  repeat 300
    sys SYS_WRITE $w_pipes "message" 7 -> 7
    sys SYS_WRITE $w_pipes "!" 1 -> 1
    sys SYS_READ $r_pipes buf:8 8 -> 8 buf "message!"
  end
  sys SYS_CLOSE $w_pipes -> 0
  sys SYS_READ $r_pipes buf:8 8 -> *
  sys SYS_CLOSE $r_pipes -> 0
  sys SYS_UNLINK "/chan" -> 0
end

stream memory
  repeat 150
    a_memory = sys SYS_MMAP 3 -> >=4096
    sys SYS_POKE $a_memory "page zero" 9 -> 9
    sys SYS_PEEK $a_memory buf:9 9 -> 9 buf "page zero"
    sys SYS_MUNMAP $a_memory -> 0
    p_memory = sys SYS_SPAWN "child" -> >=2
    sys SYS_KILL $p_memory 3 -> 0
    sys SYS_WAIT $p_memory -> 3
  end
end
