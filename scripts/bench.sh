#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: build both kernels, boot each on the same rootfs and QEMU
# settings, run the bench scenarios and write results/<timestamp>/ with raw
# JSON, report.md and plots.
#   BENCH=quick|default|full   SCENARIOS="balance ..."   MEM=MiB
#   BENCH_ENV='VAR="value" ...': exported to the scenarios in the guest
#   AA=1: an A/A run, the patched kernel under both labels, so the report
#   gives each figure's noise band instead of verdicts
#   NODES=1|2: NUMA nodes of each guest (run-guest.sh); MGLRU=1: lru_gen
#   switched on in each guest before its scenario, a run where it did not
#   stay on failed; both are in meta.json, and docs/status.md gives
#   their verdicts in columns of their own
#   ICOUNT=N: guest time from the instruction count of all vCPUs, in
#   turns on one host thread, 2^N ns each (run-guest.sh): a time figure
#   counts instructions executed over its span, not the host's load; in
#   meta.json, and an A/A band only judges runs of the same clock
#   START_UPTIME=s (35): each scenario begins at this uptime (meta.json);
#   a run whose scenario began earlier failed
#   REPEAT=N: run each scenario N times per kernel, the kernels alternating,
#   each kernel first in every other pair;
#   the report gives the median and the range, the gates every run's value
#   (bench/verdict.py); a gate of a scenario that ran and is still NOT
#   MEASURED fails make bench
# Every guest boots with kunit.enable=0: the patched kernel's built-in
# KUnit suites took 3.2 s of guest time at boot, base's about 0.02 s, so
# its scenarios started later, in another phase of the memcg stats
# flusher; a run whose console shows a KUnit suite, or from a kernel with
# KUnit does not say "kunit: disabled", failed (wb_boot_kunit_check).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BENCH=${BENCH:-default}
case $BENCH in
quick) DURATION=${DURATION:-20} ;;
default) DURATION=${DURATION:-60} ;;
full) DURATION=${DURATION:-180} ;;
*) WB_STAGE=bench die "BENCH=$BENCH: use quick, default or full" ;;
esac
ALL=$(cd "$WB_ROOT/bench/scenarios" && ls ./*.sh | sed 's|^\./||; s|\.sh$||' | tr '\n' ' ')
SCENARIOS=${SCENARIOS:-$ALL}
for s in $SCENARIOS; do
	[ -f "$WB_ROOT/bench/scenarios/$s.sh" ] ||
		WB_STAGE=bench die "no scenario '$s' (have: $ALL)"
done
KERNELS=${KERNELS:-base patched}
ICOUNT=${ICOUNT:-}
[ -z "$ICOUNT" ] || [[ $ICOUNT =~ ^([0-9]|10)$ ]] ||
	WB_STAGE=bench die "ICOUNT=$ICOUNT: use a shift from 0 to 10, or leave it unset for host time"
[ -z "$ICOUNT" ] || [ "${KVM:-0}" != 1 ] ||
	WB_STAGE=bench die "ICOUNT=$ICOUNT with KVM=1: instruction counting is TCG's; use one"
export ICOUNT
APPEND=$(wb_append_kunit_off) || WB_STAGE=bench die "$APPEND"
export APPEND
AA=${AA:-0}
case $AA in
0) ;;
1) [ "$KERNELS" = "base patched" ] ||
	WB_STAGE=bench die "AA=1 runs the patched kernel as both base and patched; KERNELS=$KERNELS" ;;
*) WB_STAGE=bench die "AA=$AA: use 0 or 1" ;;
esac
# kernel LABEL: the kernel a label boots; under AA=1 always the patched one
kernel() {
	if [ "$AA" = 1 ]; then echo patched; else echo "$1"; fi
}
MGLRU=${MGLRU:-0}
case $MGLRU in
0|1) ;;
*) WB_STAGE=bench die "MGLRU=$MGLRU: use 0 (the classic LRU) or 1 (lru_gen on)" ;;
esac
# docs/status.md judges the classic LRU on one node, two nodes, and
# MGLRU on one node: a run of any other configuration would be judged
# nowhere, so none is made
NODES=${NODES:-1}
[[ $NODES =~ ^[12]$ ]] || WB_STAGE=bench die "NODES=$NODES: use 1 or 2 (docs/status.md has no column for more)"
[ "$MGLRU" = 0 ] || [ "$NODES" = 1 ] ||
	WB_STAGE=bench die "MGLRU=1 with NODES=$NODES: docs/status.md has no column for both; use one"
export NODES
# START_UPTIME=s: every scenario begins at this uptime, on either kernel
# whatever its boot took: past the memcg stats flusher's first periods
# (2 s each), and past the patched kernel's third sweep (one 10 s after
# init, each next 10 s after the last ended, each timer up to 0.5 s
# late: about 32 s at the latest), the first that closes the first
# working-set period (20 s) of an instance made before the first sweep
# and gives it watermarks.  An instance made later has none yet, and a
# first estimate still holds the boot-time fill, which decays by 1/5 a
# period: this is not a machine long past boot, only past the series'
# first start-up step.  The plan records, at the start, how many
# instances with objects have no watermarks (start-instances.txt);
# status.py marks a run begun earlier (docs/workbench.md).
START_UPTIME=${START_UPTIME:-$WB_START_UPTIME}
[[ $START_UPTIME =~ ^[0-9]+$ ]] && [ "$START_UPTIME" -le 600 ] ||
	WB_STAGE=bench die "START_UPTIME=$START_UPTIME: use whole seconds from 0 to 600"
REPEAT=${REPEAT:-1}
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] && [ "$REPEAT" -le 20 ] ||
	WB_STAGE=bench die "REPEAT=$REPEAT: use a whole number from 1 to 20"
TS=$(date -u +%Y%m%dT%H%M%SZ)
OUTROOT=${BENCH_OUT:-$WB_ROOT/results/$TS}
export MEM=${MEM:-1024}

"$WB_ROOT/scripts/tree.sh"
for k in $(for l in $KERNELS; do kernel "$l"; done | sort -u); do
	"$WB_ROOT/scripts/kernel.sh" "$k"
	"$WB_ROOT/scripts/selftests.sh" "$k"
done
"$WB_ROOT/scripts/rootfs.sh"

mkdir -p "$OUTROOT"
failed=""
# run_failed OUT S/KR WHY: a run that does not count, said in its FAILED,
# on stderr and at the end
run_failed() {
	echo "$3" >"$1/FAILED"
	echo "[bench $2] FAILED: $3" >&2
	failed="$failed $2"
}
{
	echo "{\"base\": \"$(cat "$BASE_VERSION_FILE")\","
	echo " \"bench\": \"$BENCH\", \"duration\": $DURATION, \"mem_mib\": $MEM, \"repeat\": $REPEAT,"
	echo " \"bench_env\": $(printf '%s' "${BENCH_ENV:-}" | python3 -c 'import json, sys; print(json.dumps(sys.stdin.read()))'),"
	echo " \"accel\": \"$([ "${KVM:-0}" = 1 ] && echo kvm || echo tcg)\", \"smp\": ${SMP:-2},"
	echo " \"icount\": ${ICOUNT:-null}, \"boot_kunit\": false, \"start_uptime_s\": $START_UPTIME,"
	echo " \"nodes\": $NODES, \"lru_gen\": $([ "$MGLRU" = 1 ] && echo true || echo false),"
	echo " \"config\": \"$WB_CONFIG$WB_SUFFIX\", \"aa\": $([ "$AA" = 1 ] && echo true || echo false), \"order\": \"each kernel first in every other pair\","
	echo " \"kernels\": {"
	sep=
	for k in $KERNELS; do
		printf '%s  "%s": "%s"\n' "$sep" "$k" "$(cat "$(wb_obj "$(kernel "$k")")/include/config/kernel.release")"
		sep=,
	done
	echo " },"
	echo " \"workbench\": \"$(git -C "$WB_ROOT" describe --always --dirty 2>/dev/null || echo unknown)\"}"
} >"$OUTROOT/meta.json"

for s in $SCENARIOS; do
	for r in $(seq 1 "$REPEAT"); do
		# Which kernel goes first alternates from pair to pair: an A/A
		# run with base always first read the second slot 1.12x slower
		# (docs/runs/20261202T100118Z), so a fixed order can pass for a
		# difference between the kernels.
		order=$KERNELS
		[ $((r % 2)) = 1 ] || order=$(printf '%s\n' $KERNELS | tac | tr '\n' ' ')
		for k in $order; do
			# Run 1 keeps the plain layout; later runs go to KERNEL.rN.
			kr=$k
			[ "$r" = 1 ] || kr=$k.r$r
			stage "bench $s/$kr"
			plan=$BUILD/plan-bench-$s.sh
			cat >"$plan" <<P
#!/bin/sh
# Generated by scripts/bench.sh.
export OUT=/results/bench DURATION=$DURATION BENCH=$BENCH
${BENCH_ENV:+export $BENCH_ENV}
while [ "\$(cut -d. -f1 /proc/uptime)" -lt $START_UPTIME ]; do sleep 0.1; done
cut -d' ' -f1 /proc/uptime >/results/start-uptime.txt
# the patched kernel's instances with objects of known size, and those
# of them with no watermarks yet: high "max" and not set by hand, which
# with a size known means no working-set period closed; base has no
# such files
for f in /sys/kernel/debug/shrinker/*/instances; do
	[ -r "\$f" ] && tail -n +2 "\$f"
done 2>/dev/null | awk '\$3 > 0 && \$4 > 0 { n++; if (\$7 == "max" && \$8 != "user") u++ }
	END { printf "instances with objects of known size %d, without watermarks %d\\n", n, u }' \
	>/results/start-instances.txt
P
			# lru_gen is read before and after: a run it was not on for
			# throughout is not an MGLRU run
			[ "$MGLRU" = 1 ] && cat >>"$plan" <<'P'
echo y >/sys/kernel/mm/lru_gen/enabled
echo "before: $(cat /sys/kernel/mm/lru_gen/enabled 2>&1)" >/results/lru_gen.txt
P
			echo "sh /wb/bench/scenarios/$s.sh 2>&1 | tee /results/scenario.log" >>"$plan"
			[ "$MGLRU" = 1 ] && cat >>"$plan" <<'P'
echo "after: $(cat /sys/kernel/mm/lru_gen/enabled 2>&1)" >>/results/lru_gen.txt
P
			out=$OUTROOT/$s/$kr
			mkdir -p "$out"
			# One failed guest must not cost the rest of the run: record it,
			# report it, and fail at the end.
			if ! WB_STAGE="bench $s/$kr" TIMEOUT=$((DURATION * 20 + 600 + START_UPTIME)) \
				"$WB_ROOT/scripts/run-guest.sh" "$(wb_obj "$(kernel "$k")")/arch/x86/boot/bzImage" \
				"$plan" "$out" "$BUILD/$(kernel "$k")/extra$WB_VARIANT" 2>"$out.err"; then
				cat "$out.err" >&2
				head -n 1 "$out.err" >"$out/FAILED"
				failed="$failed $s/$kr"
				continue
			fi
			# Notices from a run that passed (a retried TCG boot) stay visible.
			if [ -s "$out.err" ]; then
				cat "$out.err" >&2
				mv "$out.err" "$out/run-guest.stderr"
			else
				rm -f "$out.err"
			fi
			if ! why=$(wb_boot_kunit_check "$out/console.log" \
				"$(wb_obj "$(kernel "$k")")/.config"); then
				run_failed "$out" "$s/$kr" "$why"
				continue
			fi
			# a scenario begun early is not the one this run says
			if ! why=$(wb_start_check "$out/results" "$START_UPTIME"); then
				run_failed "$out" "$s/$kr" "$why"
				continue
			fi
			if [ "$MGLRU" = 1 ] &&
			   ! { grep -q '^before: 0x[0-9a-f]*[1-9a-f]' "$out/results/lru_gen.txt" &&
			       grep -q '^after: 0x[0-9a-f]*[1-9a-f]' "$out/results/lru_gen.txt"; } 2>/dev/null; then
				run_failed "$out" "$s/$kr" \
					"lru_gen was not on throughout: $(tr '\n' ' ' <"$out/results/lru_gen.txt" 2>/dev/null)"
				continue
			fi
			if [ ! -f "$out/results/bench/metrics.jsonl" ]; then
				echo "scenario left no metrics; see $out/results/scenario.log" >"$out/FAILED"
				echo "[bench $s/$kr] FAILED: no metrics (log: $out/results/scenario.log)" >&2
				failed="$failed $s/$kr"
				continue
			fi
			stage_done "$out"
		done
	done
done

stage report
# Debian's python3 has python3-scipy, whatever python3 is first on PATH
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
rc=0
"$PY" "$WB_ROOT/bench/report.py" "$OUTROOT" >"$LOGS/report.log" 2>&1 || rc=$?
case $rc in
0) ;;
3) unmeasured=$(grep '^NOT MEASURED:' "$LOGS/report.log" || true) ;;
*) die "report failed" "$LOGS/report.log" ;;
esac
stage_done "$OUTROOT/report.md; $(grep -E '^(gates|A/A band):' "$LOGS/report.log" || echo 'no gates')"
msg=
[ -z "$failed" ] || msg="scenarios failed:$failed (see FAILED in each)"
[ "$rc" != 3 ] ||
	msg="${msg:+$msg; }gates of scenarios that ran are not measured: ${unmeasured:-see $LOGS/report.log}"
[ -z "$msg" ] || die "$msg"
