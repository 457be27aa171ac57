#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# By hand (review II-8, 2026-12-07): true_oom's bench plan on 6.12 and
# the patched kernel, each begun early (KUnit off, about 0.9 s of
# uptime) and late (KUnit off, at 8 s), and the patched kernel with its
# KUnit suites at boot as every bench run before ccad145: five arms,
# rotated within each round, at ICOUNT=0.
#   run.sh BASE_BZIMAGE PATCHED_BZIMAGE ROUNDS OUT
set -euo pipefail
base=$1 patched=$2 rounds=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
root=/work/main
mkdir -p "$out"
arms=(base-early patched-early base-late patched-late patched-kunit)
for ((r = 1; r <= rounds; r++)); do
	for ((i = 0; i < ${#arms[@]}; i++)); do
		a=${arms[$(((i + r) % ${#arms[@]}))]}
		img=$base plan=$here/plan-early.sh app=kunit.enable=0
		case $a in patched-*) img=$patched ;; esac
		case $a in *-late) plan=$here/plan-late.sh ;; esac
		[ "$a" = patched-kunit ] && app=
		APPEND=$app ICOUNT=0 MEM=1024 "$root/scripts/run-guest.sh" \
			"$img" "$plan" "$out/$a.r$r" "$root/build/patched/extra" \
			>"$out/$a.r$r.log" 2>&1 || echo "$a.r$r failed" >&2
	done
done
