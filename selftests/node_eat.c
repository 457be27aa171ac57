// SPDX-License-Identifier: GPL-2.0
/*
 * Bind to one NUMA node (MPOL_BIND, as numactl --membind does, without
 * libnuma) and touch anonymous memory there a MiB at a time: the
 * allocations reclaim that node and no other, through its kswapd and
 * direct reclaim, which is the pressure test_numa.sh checks the node
 * isolation of.  The memory is freed at exit.
 *   exit 0	every MiB was touched
 *   exit 2	mmap() failed
 *   exit 1	anything else (bad arguments, set_mempolicy() refused)
 * Killed by SIGKILL: the OOM killer chose us.
 *
 *   node_eat NODE MIB
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CHUNK		(1024UL * 1024)
#define MPOL_BIND	2
#define MAX_NODES	1024
#define LONG_BITS	(8 * sizeof(unsigned long))

static int parse(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

int main(int argc, char *argv[])
{
	unsigned long mask[MAX_NODES / LONG_BITS] = { 0 };
	long page = sysconf(_SC_PAGESIZE);
	unsigned long node, mib, i, off;
	char *p;

	if (argc != 3 || parse(argv[1], &node) || parse(argv[2], &mib) ||
	    node >= MAX_NODES || !mib) {
		fprintf(stderr, "usage: %s NODE MIB\n", argv[0]);
		return 1;
	}
	mask[node / LONG_BITS] = 1UL << (node % LONG_BITS);
	/* maxnode counts one more than the highest bit, as libnuma passes */
	if (syscall(SYS_set_mempolicy, MPOL_BIND, mask, MAX_NODES + 1)) {
		fprintf(stderr, "%s: set_mempolicy(MPOL_BIND, node %lu): %s\n",
			argv[0], node, strerror(errno));
		return 1;
	}
	for (i = 0; i < mib; i++) {
		p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			fprintf(stderr, "%s: mmap after %lu MiB: %s\n",
				argv[0], i, strerror(errno));
			return 2;
		}
		for (off = 0; off < CHUNK; off += page)
			p[off] = 1;
	}
	return 0;
}
