# SPDX-License-Identifier: GPL-2.0
#
# Shared by the shrinker selftests: TAP output, the shrinker_test module's
# files, and running commands inside a memcg.  Sourced; expects DBG to
# name the module's debugfs directory.

KSFT_SKIP=4

ntest=0
nfail=0

ok() {
	ntest=$((ntest + 1))
	echo "ok $ntest $1"
}

fail() {
	ntest=$((ntest + 1))
	nfail=$((nfail + 1))
	echo "not ok $ntest $1"
	shift
	for l in "$@"; do
		echo "# $l"
	done
}

check() {
	name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		fail "$name" "failed: $*"
	fi
}

stat_of() {
	awk -v k="$2" '$1 == k { print $2 }' "$DBG/$1/stats"
}

memstat() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"
}

# Run a command with its stdout and stderr as the result, status kept.
write_err() {
	(echo "$2" >"$1") 2>&1
}

# expect_einval FILE VALUE: the write fails with EINVAL.
expect_errno() {
	want=$1
	f=$2
	v=$3
	if out=$(write_err "$f" "$v"); then
		echo "write '$v' to $f succeeded"
		return 1
	fi
	case $out in
	*"$want"*) return 0 ;;
	esac
	echo "write '$v' to $f: '$out', expected '$want'"
	return 1
}

# Run "$@" inside memcg $1 (a fresh shell joins it first).
in_memcg() {
	cg=$1
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}
