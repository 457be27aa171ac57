#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where does a true OOM's reclaim spend its time?  ROUNDS rounds of the
# true_oom hog under a system-wide cpu-clock profile.  A by-hand guest
# plan, not a bench scenario; perf comes in through the extra dir:
#   bench/experiments/perf-extra.sh KERNEL /tmp/px
#   scripts/run-guest.sh build/KERNEL/obj/arch/x86/boot/bzImage \
#     bench/experiments/true_oom-perf.sh OUTDIR /tmp/px
#   perf report -i OUTDIR/results/perf.data -k build/KERNEL/obj/vmlinux \
#     --stdio --children --sort symbol -g none
# Under TCG a sample lands at the start of a translation block, and time
# with interrupts off lands after they come back on: read functions'
# totals, not single instructions.
# ROUNDS and FREQ (samples a second of guest time) are set here, as a
# plan gets no environment: docs/runs/20261205T-ii8-icount-perf ran it
# with 40 and 10000 under ICOUNT=0.
ROUNDS=20
FREQ=2000
export OUT=/results/bench DURATION=60 BENCH=default
mkdir -p "$OUT"
. /wb/bench/lib.sh
command -v perf >/dev/null || { echo "true_oom-perf: no perf in the guest (see perf-extra.sh)"; exit 1; }
m=$(bench_memcg true_oom 64M)
echo -1 >/proc/sys/kernel/perf_event_paranoid
echo 0 >/proc/sys/kernel/kptr_restrict
perf record -e cpu-clock -F $FREQ -a -g -o /results/perf.data 2>/results/perf-record.log &
pp=$!
sleep 1
oom_rounds "$m" "$ROUNDS"
kill -INT $pp
wait $pp
