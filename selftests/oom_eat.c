// SPDX-License-Identifier: GPL-2.0
/*
 * Eat anonymous memory a MiB at a time, touching every page, until the
 * limit given or until the kernel stops us.  The way it ends is the
 * result test_oom.sh checks, as LTP's oom01 and oom03 do:
 *   killed by SIGKILL	the OOM killer chose us
 *   exit 2		mmap() failed with ENOMEM (strict overcommit)
 *   exit 0		the limit was reached with nothing refused
 *   exit 1		anything else
 *
 *   oom_eat MIB [oom_score_adj]
 *
 * With OOM_EAT_STOP=N in the environment it stops itself (SIGSTOP) once
 * it has eaten N MiB, 0 before eating, until continued: a storm's hogs
 * then meet their limits together, whatever their first MiBs cost.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK	(1024UL * 1024)

static int set_score_adj(const char *adj)
{
	FILE *f = fopen("/proc/self/oom_score_adj", "w");

	if (!f)
		return -1;
	if (fputs(adj, f) < 0) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int main(int argc, char *argv[])
{
	unsigned long mib, i, stop_mib = 0;
	long page = sysconf(_SC_PAGESIZE);
	const char *stop;
	char *end;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s MIB [oom_score_adj]\n", argv[0]);
		return 1;
	}
	errno = 0;
	mib = strtoul(argv[1], &end, 10);
	if (errno || *end || !mib) {
		fprintf(stderr, "%s: bad size '%s'\n", argv[0], argv[1]);
		return 1;
	}
	stop = getenv("OOM_EAT_STOP");
	if (stop) {
		errno = 0;
		stop_mib = strtoul(stop, &end, 10);
		if (errno || *end || !*stop || stop_mib >= mib) {
			fprintf(stderr, "%s: bad OOM_EAT_STOP '%s': MiB below %lu\n",
				argv[0], stop, mib);
			return 1;
		}
	}
	if (argc == 3 && set_score_adj(argv[2])) {
		perror("oom_score_adj");
		return 1;
	}

	for (i = 0; i < mib; i++) {
		char *p;
		unsigned long off;

		if (stop && i == stop_mib)
			raise(SIGSTOP);
		p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			if (errno == ENOMEM) {
				printf("ENOMEM after %lu MiB\n", i);
				return 2;
			}
			perror("mmap");
			return 1;
		}
		for (off = 0; off < CHUNK; off += page)
			p[off] = 1;
	}
	printf("%lu MiB eaten\n", mib);
	return 0;
}
