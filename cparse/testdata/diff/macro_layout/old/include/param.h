#define NOFILE 16
#define MAXPATH 128
