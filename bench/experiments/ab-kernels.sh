#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A/B of two builds of one kernel under the same bench plan, by hand: the
# bench compares base with patched, this compares a patched kernel with
# an earlier one, alternating, each first in every other pair.
#   bench/experiments/ab-kernels.sh OLD_BZIMAGE NEW_BZIMAGE PLAN PAIRS OUT
# PLAN is a bench plan (build/plan-bench-SCENARIO.sh); ICOUNT, MEM and the
# other run-guest.sh settings come from the environment.  Each run lands
# in OUT/{old,new}.rN; OUT/runs.tsv has every run's metrics.  Guests boot
# with kunit.enable=0, as make bench's do (scripts/bench.sh says why), and
# a run must begin at START_UPTIME (WB_START_UPTIME, as make bench's): the plan must
# wait at least that long as make bench's plans do, and a run begun
# earlier is left out.  An image still in its build tree
# (.../arch/x86/boot/bzImage) has its .config read, so a kernel built
# with KUnit is told by a console without "kunit: disabled"
# (wb_boot_kunit_check); a copied image has only its KTAP check.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
APPEND=$(wb_append_kunit_off) || die "$APPEND"
export APPEND
old=${1:?usage: ab-kernels.sh OLD_BZIMAGE NEW_BZIMAGE PLAN PAIRS OUT}
new=${2:?new bzImage}
plan=${3:?plan}
pairs=${4:?pairs}
out=${5:?out dir}
START_UPTIME=${START_UPTIME:-$WB_START_UPTIME}
[[ $START_UPTIME =~ ^[0-9]+$ ]] ||
	die "START_UPTIME=$START_UPTIME: use whole seconds"
grep -q 'start-uptime.txt' "$plan" ||
	die "$plan records no start uptime: use a plan make bench wrote (build/plan-bench-SCENARIO.sh)"
waits=$(sed -n 's|.*/proc/uptime)" -lt \([0-9]*\) \].*|\1|p' "$plan" | head -n 1)
[ -n "$waits" ] && [ "$waits" -ge "$START_UPTIME" ] ||
	die "$plan waits for ${waits:-no} s of uptime, not START_UPTIME=$START_UPTIME: write it again with make bench"
# config_of IMG: the .config of IMG's build tree, if it is still in one
config_of() {
	case $1 in
	*/arch/x86/boot/bzImage)
		[ -f "${1%/arch/x86/boot/bzImage}/.config" ] &&
			echo "${1%/arch/x86/boot/bzImage}/.config" ;;
	esac
	return 0
}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
for ((r = 1; r <= pairs; r++)); do
	order="old new"
	[ $((r % 2)) = 1 ] || order="new old"
	for k in $order; do
		img=$old
		[ "$k" = new ] && img=$new
		"$root/scripts/run-guest.sh" "$img" "$plan" "$out/$k.r$r" \
			"$root/build/patched/extra" >"$out/$k.r$r.log" 2>&1 ||
			echo "ab-kernels: $k.r$r failed (see $out/$k.r$r.log)" >&2
		# a guest that ran KUnit, or began before START_UPTIME, is left
		# out of runs.tsv, said here; one that died before its run
		# directory was made has one made for its FAILED
		mkdir -p "$out/$k.r$r"
		if ! why=$(wb_boot_kunit_check "$out/$k.r$r/console.log" \
			"$(config_of "$img")") ||
		   ! why=$(wb_start_check "$out/$k.r$r/results" "$START_UPTIME"); then
			echo "$why" >"$out/$k.r$r/FAILED"
			echo "ab-kernels: $k.r$r: $why; left out" >&2
		fi
	done
done
printf 'kernel\trun\tmetric\tvalue\n' >"$out/runs.tsv"
for d in "$out"/*.r*/; do
	d=${d%/}
	kr=${d##*/}
	m=$d/results/bench/metrics.jsonl
	[ -f "$m" ] && [ ! -f "$d/FAILED" ] || continue
	python3 -c 'import json, sys
for l in open(sys.argv[1]):
    j = json.loads(l)
    print("%s\t%s\t%s\t%s" % (sys.argv[2], sys.argv[3], j["name"], j["value"]))' \
		"$m" "${kr%%.r*}" "${kr##*.r}"
done | sort -k1,1 -k3,3 -k2,2n >>"$out/runs.tsv"
