#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict over the project's kernel files and patches, one
# TAP result per file.
#   checkpatch.sh OUT.tap
set -uo pipefail
. "$(dirname "$0")/lib.sh"

OUT=${1:?usage: checkpatch.sh OUT.tap}
SRC=$BASE_SRC
CP=$SRC/scripts/checkpatch.pl
LOG=$LOGS/checkpatch.log
: >"$LOG"
WB_STAGE=checkpatch
[ -x "$CP" ] || [ -f "$CP" ] || die "no checkpatch.pl in $SRC; run 'make tree'"

cd "$WB_ROOT" || exit 1
# Selftest scripts too: make series exports them, checkpatch'd.
files=$(git ls-files -co --exclude-standard -- 'mm/shrinker/*' 'include/*' 'fs/*' \
	'selftests/*' 'mm/*' | grep -E '\.(c|h|sh)$|Kconfig|Makefile$' | sort -u)
patches=$(sed -e 's/#.*//' patches/series 2>/dev/null | awk 'NF { print "patches/" $1 }')
n=0
fails=0
{
	echo "TAP version 13"
	for f in $files $patches; do
		n=$((n + 1))
		args=(--strict --no-tree --show-types --terse)
		case $f in
		patches/*) ;;
		*) args+=(-f) ;;
		esac
		# The --no-tree run lacks the tree's spelling and const_structs
		# data, so point it at the base tree's copies.
		out=$(cd "$SRC" && perl "$CP" "${args[@]}" "$WB_ROOT/$f" 2>&1)
		rc=$?
		echo "== $f" >>"$LOG"
		echo "$out" >>"$LOG"
		if [ $rc = 0 ]; then
			echo "ok $n checkpatch:$f"
		else
			fails=$((fails + 1))
			echo "not ok $n checkpatch:$f"
			echo "$out" | grep -E 'ERROR|WARNING|CHECK' | head -n 10 | sed 's/^/# /'
		fi
	done
	echo "1..$n"
} >"$OUT"
echo "  $n files, $fails with findings (log: $LOG)"
