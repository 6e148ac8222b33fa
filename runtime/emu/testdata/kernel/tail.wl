const SYS_GET 6
sys SYS_GET -> 60
out "counter=60"
check
