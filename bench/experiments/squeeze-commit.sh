#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Is the squeezed creator killed late because one jbd2 transaction holds
# more of the memcg than reclaim can free?  Until it commits, a running
# transaction's metadata buffers pin their pages, and no shrinker can
# release them; the commit interval (ext4's commit=, 5 s by default)
# bounds how much a transaction gathers at the creator's rate.  The
# squeeze scenario with the squeeze filesystem remounted commit=1 as
# soon as it is mounted (run-guest.sh passes the guest no environment:
# edit COMMIT below for another interval).  A by-hand guest plan, not a
# bench scenario:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/squeeze-commit.sh OUTDIR
export OUT=/results/bench DURATION=60 BENCH=default
COMMIT=1
mkdir -p "$OUT"
(
	i=0
	while [ $i -lt 600 ]; do
		if grep -q ' /scratch/squeeze ' /proc/mounts; then
			mount -o remount,commit="$COMMIT" /scratch/squeeze &&
				grep ' /scratch/squeeze ' /proc/mounts >"$OUT/mount.txt"
			exit 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "never mounted" >"$OUT/mount.txt"
) &
sh /wb/bench/scenarios/squeeze.sh 2>&1 | tee /results/scenario.log
