#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Is the squeezed creator's memcg full of buffer cache pinned by jbd2's
# checkpoint list?  The squeeze scenario with, beside it, a loop that asks
# the journal shrinkers to free everything they can every 0.2 s, through
# debugfs, as memcg reclaim could not before patch 0015.  A by-hand guest
# plan, not a bench scenario:
#   scripts/run-guest.sh build/KERNEL/obj/arch/x86/boot/bzImage \
#     bench/experiments/squeeze-jbd2.sh OUTDIR build/KERNEL/extra
# Metrics in OUTDIR/results/bench; the scenario alone is make bench's.
export OUT=/results/bench DURATION=60 BENCH=default
mkdir -p "$OUT"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
while :; do
	for d in /sys/kernel/debug/shrinker/jbd2-journal*; do
		echo "0 0 1000000" >"$d/scan" 2>/dev/null
	done
	sleep 0.2
done &
scanner=$!
sh /wb/bench/scenarios/squeeze.sh 2>&1 | tee /results/scenario.log
kill "$scanner"
