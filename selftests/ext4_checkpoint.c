// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint the journal of the ext4 filesystem that holds PATH
 * (EXT4_IOC_CHECKPOINT): every committed metadata buffer is written in
 * place and leaves the journal, so a page that only the journal kept can
 * be dropped.  The filesystem's writers wait while the journal is
 * flushed, as they would for a commit, but not longer: unlike a freeze,
 * it cannot be left in force.
 *   exit 0	checkpointed
 *   exit 1	bad arguments, or the ioctl failed (not ext4, no journal,
 *		not root, a kernel without it), the reason on stderr
 *
 *   ext4_checkpoint PATH
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/types.h>

/* include/uapi/linux/ext4.h, 5.13 and later */
#define EXT4_IOC_CHECKPOINT	_IOW('f', 43, __u32)

int main(int argc, char **argv)
{
	__u32 flags = 0;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: ext4_checkpoint PATH\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "ext4_checkpoint: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ioctl(fd, EXT4_IOC_CHECKPOINT, &flags)) {
		fprintf(stderr, "ext4_checkpoint: %s: %s\n", argv[1], strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
