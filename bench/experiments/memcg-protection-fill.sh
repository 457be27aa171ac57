#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Does upstream test_memcg_low/min fail for the kernel or for its load?
# test_memcg_protection() starts three children that share one fd, and
# each sizes the file by fstat() and then ftruncate(+50M): children whose
# fstat()s race size it alike, so the file can end at 100M or 50M, not
# 150M.  The test waits about 6 s for 150M and then goes on anyway.
# This runs cgroup:test_memcontrol RUNS times (lru_gen off) and samples
# the protected subtree beside it (0.2 s apart plus the reads: about
# 0.3 s); bench/experiments/memcg-protection-fill.py reads the samples.
# A by-hand guest plan:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/memcg-protection-fill.sh OUTDIR
RUNS=40
P=/sys/fs/cgroup/memcg_test_0
cd /kselftest || exit 1
[ -w /sys/kernel/mm/lru_gen/enabled ] && echo n >/sys/kernel/mm/lru_gen/enabled

# one line a sample: uptime, B's and G's memory.current, and each child's
# memory.current/low events/oom events
sampler() {
	while :; do
		if [ -d $P/memcg_test_1 ]; then
			l="$(cut -d' ' -f1 /proc/uptime)"
			l="$l B=$(cat $P/memcg_test_1/memory.current 2>/dev/null)"
			l="$l G=$(cat $P/memcg_test_2/memory.current 2>/dev/null)"
			for c in 0 1 2 3; do
				d=$P/memcg_test_1/child_memcg_$c
				l="$l c$c=$(cat $d/memory.current 2>/dev/null)"
				l="$l/$(grep '^low ' $d/memory.events 2>/dev/null | cut -d' ' -f2)"
				l="$l/$(grep '^oom ' $d/memory.events 2>/dev/null | cut -d' ' -f2)"
			done
			echo "$l"
		fi
		sleep 0.2
	done
}

i=0
while [ $i -lt $RUNS ]; do
	i=$((i + 1))
	echo "== run $i lru_gen $(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)" |
		tee -a /results/kselftest.txt
	sampler >/tmp/samp &
	sp=$!
	./run_kselftest.sh -o 300 -t cgroup:test_memcontrol >/tmp/out 2>&1
	kill $sp
	grep -E "^# (not )?ok [0-9]+ " /tmp/out | tee -a /results/kselftest.txt
	cp /tmp/samp /results/samp.$i
	grep -q "not ok" /tmp/out && cp /tmp/out /results/out.$i
done
