#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to every shrinker debugfs file: malformed, out-of-range and
# oversized writes to scan and watermarks, writes to the read-only files,
# unprivileged writes and reads, split writes and writes with a NUL, each
# refused with an error and changing nothing; concurrent writers neither
# lose nor mix a command; reads of every file of every shrinker succeed
# while caches come and go.  Skips on a kernel without shrinker instances.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
CG=/sys/fs/cgroup
T=$CG/shrinker_debugfs
. "$DIR/shrinker_lib.sh"

# The state a refused write must not change.
state() {
	echo "$(stat_of bi objects) $(stat_of bi scans_direct) $(inst bi "$m" scanned)"
	echo "$(cat "$(sdir bi)/watermarks")"
}

cleanup() {
	[ -d "$DBG/bi" ] && echo bi >"$DBG/destroy" 2>/dev/null
	rmdir "$T/a" "$T" 2>/dev/null
	rmmod shrinker_test 2>/dev/null
}

require_instances
echo "1..8"
trap cleanup EXIT
cleanup
insmod "$MOD" || exit 1
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo +memory >"$T/cgroup.subtree_control"
mkdir -p "$T/a"
m=$(ino "$T/a")
echo "bi memcg objsize=1024" >"$DBG/create"
in_memcg "$T/a" sh -c "echo 2000 >$DBG/bi/alloc"
long=$(printf '%0200d' 0)
before=$(state)

# 1: scan takes "MEMCG_INO NID NR" and nothing else
bad=""
for v in "" "x" "$m" "$m 0" "$m 0 5 7" "$m 0 -1" "-$m 0 5" "abc 0 5" "$m x 5" \
	"$m -1 5" "$m 99999 5" "$m 0 5x" "99999999 0 5" "1$m 0 5" "$long" \
	"$m 0 99999999999999999999999"; do
	if out=$(write_err "$(sdir bi)/scan" "$v"); then
		bad="$bad [$v: accepted]"
	elif [ -z "$out" ]; then
		bad="$bad [$v: no error]"
	fi
done
check "scan refuses malformed, out-of-range and oversized input${bad:+:$bad}" \
	test -z "$bad" -a "$(state)" = "$before"

# 2: watermarks takes "MIN LOW HIGH" or "auto" and nothing else
bad=""
for v in "" "1" "1 2" "1 2 3 4" "3 2 1" "1 3 2" "-1 2 3" "a b c" "autox" \
	"1 2 99999999999999999999999" "$long"; do
	if write_err "$(sdir bi)/watermarks" "$v" >/dev/null; then
		bad="$bad [$v: accepted]"
	fi
done
check "watermarks refuses malformed input${bad:+:$bad}" \
	test -z "$bad" -a "$(state)" = "$before"

# 3: the read-only files refuse writes
bad=""
for f in "$(sdir bi)/count" "$(sdir bi)/instances" "$SDBG/stats"; do
	if write_err "$f" "1 0 5" >/dev/null; then
		bad="$bad [$f: accepted]"
	fi
done
check "read-only files refuse writes${bad:+:$bad}" \
	test -z "$bad" -a "$(state)" = "$before"

# 4: a well-formed scan still works after all that
echo "$m $HOME_NODE 100" >"$(sdir bi)/scan"
check "a valid scan is done exactly ($(inst bi "$m" scanned) scanned)" \
	test "$(stat_of bi objects)" = 1900 -a "$(inst bi "$m" scanned)" = 100

# 5: root-only: an unprivileged task can neither write nor read them
bad=""
before=$(state)
for f in "$(sdir bi)/scan" "$(sdir bi)/watermarks"; do
	if setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh -c "echo '$m 0 5' >$f" 2>/dev/null; then
		bad="$bad [$f: written]"
	fi
done
for f in "$(sdir bi)/instances" "$(sdir bi)/count" "$SDBG/stats"; do
	if setpriv --reuid=65534 --regid=65534 --clear-groups cat "$f" >/dev/null 2>&1; then
		bad="$bad [$f: read]"
	fi
done
check "an unprivileged task is refused${bad:+:$bad}" test -z "$bad" -a "$(state)" = "$before"

# 6: a command split over two writes, or with a NUL in it, is refused whole
bad=""
for f in scan watermarks; do
	case $f in
	scan) a="$m 0"; b=" 5" ;;
	*) a="7000 8000"; b=" 9000" ;;
	esac
	out=$( (exec 3>"$(sdir bi)/$f"
		printf '%s' "$a" >&3 && echo first
		printf '%s' "$b" >&3 && echo second) 2>/dev/null)
	[ -n "$out" ] && bad="$bad [$f: split write accepted: $(echo $out)]"
done
if printf '%s %s 5\0009' "$m" "$HOME_NODE" >"$(sdir bi)/scan" 2>/dev/null; then
	bad="$bad [scan: NUL accepted]"
fi
if printf '7000 8000 9000\0001' >"$(sdir bi)/watermarks" 2>/dev/null; then
	bad="$bad [watermarks: NUL accepted]"
fi
check "split and NUL-laden writes are refused${bad:+:$bad}" \
	test -z "$bad" -a "$(state)" = "$before"

# 7: concurrent writers: every scan is done once, and the watermarks are
# one writer's whole setting, never a mix.  The settings stay above the
# cache's objects: one below them would have the 10 s sweep trim the
# cache meanwhile, which a slow (debug) kernel lives to see.
for w in 1 2 3 4; do
	(
		i=0
		while [ $i -lt 25 ]; do
			echo "$m $HOME_NODE 4" >"$(sdir bi)/scan"
			echo "${w}0000 ${w}0100 ${w}0200" >"$(sdir bi)/watermarks"
			i=$((i + 1))
		done
	) &
done
wait
wm=$(cat "$(sdir bi)/watermarks")
case $wm in
"10000 10100 10200" | "20000 20100 20200" | "30000 30100 30200" | "40000 40100 40200") mixed=0 ;;
*) mixed=1 ;;
esac
echo auto >"$(sdir bi)/watermarks"
check "4 concurrent writers: 400 scanned ($(inst bi "$m" scanned) in all), watermarks '$wm'" \
	test "$(stat_of bi objects)" = 1500 -a "$(inst bi "$m" scanned)" = 500 -a "$mixed" = 0

# 8: every file of every shrinker reads while caches come and go
(
	i=0
	while [ $i -lt 20 ]; do
		echo "churn$i memcg" >"$DBG/create"
		in_memcg "$T/a" sh -c "echo 50 >$DBG/churn$i/alloc"
		echo "churn$i" >"$DBG/destroy"
		i=$((i + 1))
	done
) &
churn=$!
errs=0
reads=0
while kill -0 "$churn" 2>/dev/null; do
	for f in "$SDBG"/*/count "$SDBG"/*/instances "$SDBG"/*/watermarks "$SDBG/stats"; do
		[ -e "$f" ] || continue
		reads=$((reads + 1))
		# a shrinker may go between the glob and the read
		if ! cat "$f" >/dev/null 2>/tmp/debugfs.err; then
			grep -q -i -e "no such file" -e "busy" -e "input/output" \
				/tmp/debugfs.err || errs=$((errs + 1))
		fi
	done
done
wait "$churn"
rm -f /tmp/debugfs.err
check "every file reads while caches come and go ($reads reads, $errs errors)" \
	test "$errs" = 0 -a "$reads" -gt 0

[ "$nfail" = 0 ]
