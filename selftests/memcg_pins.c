// SPDX-License-Identifier: GPL-2.0
/*
 * The pages /proc/kpagecgroup charges to one cgroup, by page flag.  That
 * file names a removed memcg's pages by the memcg's nearest online
 * ancestor, so for a cgroup with no tasks, files or live children of its
 * own these are the pages of its removed descendants, with the kernel
 * pages (page tables, stacks) their removal handed to it, which no longer
 * hold them: the flags tell the kinds apart.  Slab cannot show (its pages
 * name no memcg here), and neither can what holds a memcg by reference
 * (a writeback structure, a socket, a leak): 0 pages rules out only
 * pages.
 * Needs root, CONFIG_MEMCG and CONFIG_PROC_PAGE_MONITOR.
 *   exit 0	the scan ran (whatever it found)
 *   exit 1	bad arguments, or a file could not be read
 *
 *   memcg_pins CGROUP_DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BATCH	4096
#define NR_KPF	43

/*
 * Bits 0-26 are include/uapi/linux/kernel-page-flags.h; 32 and up are
 * include/linux/kernel-page-flags.h of 6.12, which may change: a name
 * only labels the count.  Left out: error (unused), slab and buddy (no
 * memcg here), nopage (no page) and softdirty (never reported).
 */
static const char * const kpf_names[NR_KPF] = {
	[0] = "locked", [2] = "referenced", [3] = "uptodate", [4] = "dirty",
	[5] = "lru", [6] = "active", [8] = "writeback", [9] = "reclaim",
	[11] = "mmap", [12] = "anon", [13] = "swapcache", [14] = "swapbacked",
	[15] = "compound_head", [16] = "compound_tail", [17] = "huge",
	[18] = "unevictable", [19] = "hwpoison", [21] = "ksm", [22] = "thp",
	[23] = "offline", [24] = "zero_page", [25] = "idle", [26] = "pgtable",
	[32] = "reserved", [33] = "mlocked", [34] = "owner_2",
	[35] = "private", [36] = "private_2", [37] = "owner_private",
	[38] = "arch", [41] = "arch_2", [42] = "arch_3",
};

/* Reads the same PFN range of both files; the flags are read a moment later. */
static ssize_t read_batch(int fd, unsigned long long *buf, off_t off,
			  const char *name)
{
	ssize_t n = pread(fd, buf, BATCH * sizeof(*buf), off);

	if (n < 0)
		fprintf(stderr, "memcg_pins: %s: %s\n", name, strerror(errno));
	return n;
}

int main(int argc, char **argv)
{
	static unsigned long long cg[BATCH], fl[BATCH];
	unsigned long long count[NR_KPF] = { 0 }, total = 0;
	struct stat st;
	ssize_t n, m, i;
	int cgfd, flfd, j;
	off_t off = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: memcg_pins CGROUP_DIR\n");
		return 1;
	}
	if (stat(argv[1], &st)) {
		fprintf(stderr, "memcg_pins: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	cgfd = open("/proc/kpagecgroup", O_RDONLY);
	flfd = open("/proc/kpageflags", O_RDONLY);
	if (cgfd < 0 || flfd < 0) {
		fprintf(stderr, "memcg_pins: /proc/kpagecgroup, /proc/kpageflags: %s\n",
			strerror(errno));
		return 1;
	}
	for (;;) {
		n = read_batch(cgfd, cg, off, "/proc/kpagecgroup");
		if (n <= 0)
			break;
		m = read_batch(flfd, fl, off, "/proc/kpageflags");
		if (m != n) {
			if (m >= 0)
				fprintf(stderr, "memcg_pins: the two files differ in length\n");
			return 1;
		}
		for (i = 0; i < n / (ssize_t)sizeof(*cg); i++) {
			if (cg[i] != (unsigned long long)st.st_ino)
				continue;
			total++;
			for (j = 0; j < NR_KPF; j++) {
				if (kpf_names[j] && (fl[i] & (1ULL << j)))
					count[j]++;
			}
		}
		off += n;
	}
	if (n < 0)
		return 1;
	printf("pages charged to %s: %llu", argv[1], total);
	for (j = 0; j < NR_KPF; j++) {
		if (count[j])
			printf(", %s %llu", kpf_names[j], count[j]);
	}
	printf("\n");
	return 0;
}
