#define NOFILE 32
#define MAXPATH 128
