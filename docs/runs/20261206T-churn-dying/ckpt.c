#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <linux/types.h>
#define EXT4_IOC_CHECKPOINT _IOW('f', 43, __u32)
int main(int argc, char **argv)
{
	__u32 flags = 0;
	int fd = open(argc > 1 ? argv[1] : "/", O_RDONLY);
	if (fd < 0 || ioctl(fd, EXT4_IOC_CHECKPOINT, &flags)) { perror("checkpoint"); return 1; }
	return 0;
}
