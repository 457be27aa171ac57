#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where does balance's CPU time go?  One balance run
# (bench/scenarios/balance.sh) under a system-wide cpu-clock profile.  A
# by-hand guest plan, not a bench scenario; perf comes in through the
# extra dir (see true_oom-perf.sh for the steps and the caveats of
# sampling under TCG):
#   bench/experiments/perf-extra.sh KERNEL /tmp/px
#   scripts/run-guest.sh build/KERNEL/obj/arch/x86/boot/bzImage \
#     bench/experiments/balance-perf.sh OUTDIR /tmp/px
export OUT=/results/bench DURATION=${DURATION:-20} BENCH=quick
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "balance-perf: no perf in the guest (see perf-extra.sh)"; exit 1; }
echo -1 >/proc/sys/kernel/perf_event_paranoid
echo 0 >/proc/sys/kernel/kptr_restrict
perf record -e cpu-clock -F 2000 -a -g -o /results/perf.data 2>/results/perf-record.log &
pp=$!
sleep 1
sh /wb/bench/scenarios/balance.sh >/results/scenario.log 2>&1
kill -INT $pp
wait $pp
