#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side tests of the workbench scripts: patch failures, incremental
# tree sync, splat and hang detection in the guest runner (with a fake
# QEMU), and TAP/KTAP parsing.  TAP on stdout.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S=$ROOT/scripts
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

n=0
nfail=0
ok() { n=$((n + 1)); echo "ok $n host:$1"; }
notok() {
	n=$((n + 1))
	nfail=$((nfail + 1))
	echo "not ok $n host:$1"
	[ -n "${2:-}" ] && sed 's/^/# /' <<<"$2" | head -n 20
}
# expect NAME WANT_RC REGEX OUTPUT RC
expect() {
	if [ "$5" != "$2" ]; then
		notok "$1" "exit $5, expected $2; output:
$4"
	elif [ -n "$3" ] && ! grep -qE "$3" <<<"$4"; then
		notok "$1" "output lacks /$3/:
$4"
	else
		ok "$1"
	fi
}

echo "TAP version 13"
# bench/report.py needs python3-scipy: Debian's python3 has it, ahead of
# any other python3 on PATH
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# --- a fake base tree and series -------------------------------------------
mkbase() {
	rm -rf "$TMP/base" "$TMP/build" "$TMP/patches" "$TMP/ov"
	mkdir -p "$TMP/base/mm" "$TMP/patches" "$TMP/ov/mm/shrinker"
	printf 'kernelversion:\n\t@echo 6.12.99\n' >"$TMP/base/Makefile"
	printf 'int a;\nint b;\nint c;\nint d;\nint e;\nint f;\nint g;\n' >"$TMP/base/mm/vmscan.c"
	printf 'int x;\n' >"$TMP/base/mm/other.c"
	printf 'int core;\n' >"$TMP/ov/mm/shrinker/core.c"
}
good_patch() {
	cat >"$TMP/patches/0001-good.patch" <<'P'
From: Test <t@example.org>
Subject: [PATCH] good

--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -2,5 +2,5 @@
 int b;
 int c;
-int d;
+int d2;
 int e;
 int f;
P
}
tree() {
	KSRC=$TMP/base BUILD=$TMP/build SERIES_DIR=$TMP/patches OVERLAY=$TMP/ov \
		TREE_OUT=$TMP/build/patched/linux "$S/tree.sh" 2>&1
}

mkbase
good_patch
cat >"$TMP/patches/0002-bad.patch" <<'P'
--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -4,4 +4,4 @@
 int d;
-int zzz;
+int yyy;
 int f;
 int g;
P
printf '0001-good.patch\n0002-bad.patch\n' >"$TMP/patches/series"
out=$(tree)
expect "broken patch names the patch and the hunk" 1 \
	'patch 0002-bad.patch does not apply.*' "$out" $?
grep -q 'Hunk #1 FAILED' <<<"$out" && ok "broken patch output shows the failed hunk" ||
	notok "broken patch output shows the failed hunk" "$out"

mkbase
good_patch
printf '# comment\n0001-good.patch\n' >"$TMP/patches/series"
out=$(tree)
expect "good series applies" 0 '1 patches' "$out" $?
L=$TMP/build/patched/linux
grep -q 'int d2;' "$L/mm/vmscan.c" && [ -f "$L/mm/shrinker/core.c" ] &&
	! grep -q 'd2' "$TMP/base/mm/vmscan.c" &&
	ok "patched tree has patch and overlay, base untouched" ||
	notok "patched tree has patch and overlay, base untouched"
touch -d '2001-01-01' "$L/mm/vmscan.c" "$L/mm/shrinker/core.c" "$L/mm/other.c"
out=$(tree)
[ "$(stat -c %Y "$L/mm/vmscan.c")" = "$(date -d 2001-01-01 +%s)" ] &&
	[ "$(stat -c %Y "$L/mm/shrinker/core.c")" = "$(date -d 2001-01-01 +%s)" ] &&
	ok "re-run with no change keeps timestamps" ||
	notok "re-run with no change keeps timestamps" "$out"
echo 'int core2;' >"$TMP/ov/mm/shrinker/core.c"
out=$(tree)
[ "$(stat -c %Y "$L/mm/vmscan.c")" = "$(date -d 2001-01-01 +%s)" ] &&
	grep -q core2 "$L/mm/shrinker/core.c" &&
	[ "$(stat -c %Y "$L/mm/shrinker/core.c")" != "$(date -d 2001-01-01 +%s)" ] &&
	ok "editing one overlay file updates only that file" ||
	notok "editing one overlay file updates only that file" "$out"
printf '' >"$TMP/patches/series"
rm "$TMP/ov/mm/shrinker/core.c"
out=$(tree)
cmp -s "$L/mm/vmscan.c" "$TMP/base/mm/vmscan.c" && [ ! -e "$L/mm/shrinker/core.c" ] &&
	[ "$(stat -c %Y "$L/mm/vmscan.c")" != "$(date -d 2001-01-01 +%s)" ] &&
	ok "dropping a patch and an overlay file restores the base, newly stamped" ||
	notok "dropping a patch and an overlay file restores the base, newly stamped" "$out"
echo 'int shadow;' >"$TMP/ov/mm/shrinker/../other.c" 2>/dev/null
mkdir -p "$TMP/ov/include/linux"
mkdir -p "$TMP/base/include/linux"
echo 'x' >"$TMP/base/include/linux/shrinker.h"
echo 'y' >"$TMP/ov/include/linux/shrinker.h"
out=$(tree)
expect "overlay may not shadow an upstream file" 1 'exists in the base' "$out" $?
rm -rf "$TMP/ov/include"
printf 'nosuch.patch\n' >"$TMP/patches/series"
out=$(tree)
expect "series naming a missing patch fails" 1 'nosuch.patch, which does not exist' "$out" $?

# --- the guest runner with a fake QEMU --------------------------------------
mkdir -p "$TMP/rootfs/wb" "$TMP/gbuild"
truncate -s 16M "$TMP/rootfs.img"
mkfs.ext4 -q -F -d "$TMP/rootfs" "$TMP/rootfs.img"
echo fake >"$TMP/bzImage"
echo 'echo plan' >"$TMP/plan.sh"
fakeqemu() {
	# $1: what the fake guest does.
	cat >"$TMP/qemu" <<Q
#!/bin/bash
con=\$(printf '%s\n' "\$@" | sed -n 's/^file://p')
$1
Q
	chmod +x "$TMP/qemu"
}
# make check NODES=2 would reach these fakes: only a test's own NODES,
# MEM and SMP go in (guest_env)
guest() {
	env -u NODES -u MEM -u SMP $guest_env QEMU=$TMP/qemu ROOTFS_IMG=$TMP/rootfs.img \
		BUILD=$TMP/gbuild TIMEOUT=${1:-30} \
		"$S/run-guest.sh" "$TMP/bzImage" "$TMP/plan.sh" "$TMP/gout" 2>&1
}
guest_env=

mkdir -p "$TMP/extra/kselftest/shrinker"
echo module >"$TMP/extra/kselftest/shrinker/shrinker_test.ko"
fakeqemu 'img=$(printf "%s\n" "$@" | sed -n "s/^file=\([^,]*\),.*/\1/p" | sed -n 1p)
scr=$(printf "%s\n" "$@" | sed -n "s/^file=\([^,]*\),.*/\1/p" | sed -n 2p)
p=$(debugfs -R "cat /wb/plan.sh" "$img" 2>/dev/null)
m=$(debugfs -R "cat /kselftest/shrinker/shrinker_test.ko" "$img" 2>/dev/null)
[ "$p" = "echo plan" ] && [ "$m" = module ] && [ "$(stat -c %s "$scr")" = 67108864 ] &&
	[ "$(du -k "$scr" | cut -f1)" = 0 ] && printf "WB-BOOTED\nWB-DONE rc=0\n" >"$con"'
out=$(QEMU=$TMP/qemu ROOTFS_IMG=$TMP/rootfs.img BUILD=$TMP/gbuild TIMEOUT=30 SCRATCH_MB=64 \
	"$S/run-guest.sh" "$TMP/bzImage" "$TMP/plan.sh" "$TMP/gout" "$TMP/extra" 2>&1)
expect "the plan, the per-kernel module and an empty scratch disk are in a fresh guest" 0 '' \
	"$out" $?

# NODES=2: two sockets and two RAM backends of half MEM each, a CPU a
# node; bad NODES, or MEM or SMP that do not split evenly, are refused
# before any boot.
fakeqemu 'a=" $* "
case $a in
*" -smp 2,sockets=2,cores=1,threads=1 -m 1024 -object memory-backend-ram,id=mem0,size=512M -numa node,nodeid=0,memdev=mem0,cpus=0-0 -object memory-backend-ram,id=mem1,size=512M -numa node,nodeid=1,memdev=mem1,cpus=1-1 "*)
	printf "WB-BOOTED\nWB-DONE rc=0\n" >"$con" ;;
esac'
out=$(guest_env="NODES=2 MEM=1024 SMP=2" guest)
expect "NODES=2 boots two nodes of half the memory, a CPU each" 0 '' "$out" $?
fakeqemu 'a=" $* "
case $a in
*" -smp 4,sockets=2,cores=2,threads=1 "*"cpus=0-1 "*"cpus=2-3 "*)
	printf "WB-BOOTED\nWB-DONE rc=0\n" >"$con" ;;
esac'
out=$(guest_env="NODES=2 MEM=1024 SMP=4" guest)
expect "NODES=2 with 4 CPUs gives each node two" 0 '' "$out" $?
fakeqemu 'a=" $* "
case $a in
*" -smp 2 -m 2048 -kernel "*) case $a in *-numa*) ;; *)
	printf "WB-BOOTED\nWB-DONE rc=0\n" >"$con" ;; esac ;;
esac'
out=$(guest)
expect "without NODES the guest has no -numa and the old -smp" 0 '' "$out" $?
out=$(guest_env="NODES=two" guest)
expect "NODES that is no number is refused" 1 'NODES=two: use a whole number' "$out" $?
out=$(guest_env="NODES=3 MEM=1024" guest)
expect "MEM that does not split into NODES is refused" 1 'does not split into 3 equal nodes' "$out" $?
out=$(guest_env="NODES=2 MEM=1024 SMP=3" guest)
expect "CPUs that do not split into NODES are refused" 1 'SMP=3 CPUs do not split into 2' "$out" $?

fakeqemu 'printf "[    0.1] Linux version\nWB-BOOTED 6.12\n[    1.0] oom-kill:constraint=CONSTRAINT_MEMCG\n[    1.0] Call Trace:\nWB-DONE rc=0\n" >"$con"'
out=$(guest)
expect "clean guest run passes (an OOM kill trace is no splat)" 0 '' "$out" $?

# A KASAN kernel boots with 4-level paging (the LA57 false positive); others
# keep the default.
mkdir -p "$TMP/kasan/arch/x86/boot" "$TMP/plain/arch/x86/boot"
cp "$TMP/bzImage" "$TMP/kasan/arch/x86/boot/bzImage"
cp "$TMP/bzImage" "$TMP/plain/arch/x86/boot/bzImage"
printf 'CONFIG_KASAN=y\n' >"$TMP/kasan/.config"
printf '# CONFIG_KASAN is not set\n' >"$TMP/plain/.config"
fakeqemu 'printf "%s\n" "$@" | grep -q "^console=.* no5lvl" && s=4 || s=5
printf "WB-BOOTED\nWB-DONE rc=$s\n" >"$con"'
k4=$(QEMU=$TMP/qemu ROOTFS_IMG=$TMP/rootfs.img BUILD=$TMP/gbuild TIMEOUT=30 \
	"$S/run-guest.sh" "$TMP/kasan/arch/x86/boot/bzImage" "$TMP/plan.sh" "$TMP/gout" 2>&1 &&
	grep -a '^WB-DONE' "$TMP/gout/console.log")
k5=$(QEMU=$TMP/qemu ROOTFS_IMG=$TMP/rootfs.img BUILD=$TMP/gbuild TIMEOUT=30 \
	"$S/run-guest.sh" "$TMP/plain/arch/x86/boot/bzImage" "$TMP/plan.sh" "$TMP/gout" 2>&1 &&
	grep -a '^WB-DONE' "$TMP/gout/console.log")
[ "$k4" = "WB-DONE rc=4" ] && [ "$k5" = "WB-DONE rc=5" ] &&
	ok "a KASAN kernel boots with no5lvl, any other kernel without" ||
	notok "a KASAN kernel boots with no5lvl, any other kernel without" "kasan: $k4 plain: $k5"

fakeqemu 'printf "[    0.1] Linux version\n[    0.5] Kernel panic - not syncing: VFS: Unable to mount root fs\n" >"$con"'
out=$(guest)
expect "panic at boot fails with the reason" 1 'kernel reported:.*|panic: Kernel panic - not syncing' "$out" $?
grep -q 'Unable to mount root' <<<"$out" && ok "panic report includes the console tail" ||
	notok "panic report includes the console tail" "$out"

fakeqemu 'printf "WB-BOOTED\n[    2.0] WARNING: CPU: 1 PID: 7 at mm/vmscan.c:100 shrink+0x1\nWB-DONE rc=0\n" >"$con"'
out=$(guest)
expect "a WARN fails the run" 1 'WARN: WARNING: CPU: 1' "$out" $?

fakeqemu 'printf "WB-BOOTED\n[    2.0] WARNING: possible circular locking dependency detected\n[    3.0] BUG: KASAN: slab-use-after-free in foo\nWB-DONE rc=0\n" >"$con"'
out=$(guest)
expect "lockdep and KASAN reports fail the run" 1 'possible circular locking' "$out" $?

fakeqemu 'printf "WB-BOOTED\n" >"$con"; sleep 60'
out=$(guest 3)
expect "a hung guest times out with a clear message" 1 'timed out after 3s \(hung guest\)' "$out" $?

# The TCG int3 text-patching race: retried once, and only that.
INT3='[    1.5] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI\n[    1.5] RIP: 0010:sched_clock_cpu+0x9/0x190\n[    1.5] Kernel panic - not syncing: Fatal exception in interrupt\n'
rm -f "$TMP/boots"
fakeqemu "echo x >>$TMP/boots; if [ \$(wc -l <$TMP/boots) = 1 ]; then printf '$INT3' >\"\$con\"; else printf 'WB-BOOTED\nWB-DONE rc=0\n' >\"\$con\"; fi"
out=$(guest)
rc=$?
[ $rc = 0 ] && [ "$(wc -l <"$TMP/boots")" = 2 ] && grep -q 'retrying once: TCG int3' <<<"$out" &&
	[ -f "$TMP/gout/console.tcg-int3.log" ] &&
	ok "a TCG int3 race at boot is retried once, loudly, first console kept" ||
	notok "a TCG int3 race at boot is retried once, loudly, first console kept" "rc=$rc $out"
fakeqemu "printf '$INT3' >\"\$con\""
out=$(guest)
expect "an int3 race that repeats fails the run" 1 'Oops: int3' "$out" $?
rm -f "$TMP/boots"
fakeqemu "echo x >>$TMP/boots; printf '[    1.5] Oops: int3: 0000 [#1]\n[    1.6] BUG: kernel NULL pointer dereference\n' >\"\$con\""
out=$(guest)
rc=$?
[ $rc = 1 ] && [ "$(wc -l <"$TMP/boots")" = 1 ] && ok "an int3 oops with any other report is not retried" ||
	notok "an int3 oops with any other report is not retried" "rc=$rc boots=$(wc -l <"$TMP/boots") $out"

fakeqemu 'printf "[    0.1] Linux version\n" >"$con"; exit 1'
out=$(guest)
expect "a guest that never reaches userspace fails" 1 'did not reach userspace' "$out" $?

fakeqemu 'printf "WB-BOOTED\nplan output\n" >"$con"; exit 0'
out=$(guest)
expect "a guest that stops before the plan ends fails" 1 'stopped before the plan finished' "$out" $?

# --- TAP and KTAP parsing ----------------------------------------------------
cat >"$TMP/console" <<'K'
[    1.100000] KTAP version 1
[    1.100001] 1..2
[    1.100002]     KTAP version 1
[    1.100003]     # Subtest: shrinker-wm
[    1.100005]     1..3
[    1.100006]     ok 1 derive_defaults
[    1.100007] unrelated line
[    1.100008]     not ok 2 override_bad_input
[    1.100009]     ok 3 needs_numa # SKIP single node
[    1.100010] not ok 1 shrinker-wm
[    1.100011]     KTAP version 1
[    1.100012]     # Subtest: shrinker-param
[    1.100013]     1..1
[    1.100014]         KTAP version 1
[    1.100015]         # Subtest: sizes
[    1.100016]         ok 1 small
[    1.100017]         ok 2 large
[    1.100018]     ok 1 sizes
[    1.100019] ok 2 shrinker-param
K
python3 "$S/wbtap.py" kunit "$TMP/console" "$TMP/k.tap"
got=$(grep -E '^(ok|not ok)' "$TMP/k.tap" | sed 's/ [0-9]* / /' | tr '\n' '|')
want='ok kunit:shrinker-wm.derive_defaults|not ok kunit:shrinker-wm.override_bad_input|ok kunit:shrinker-wm.needs_numa # SKIP single node|ok kunit:shrinker-param.sizes.small|ok kunit:shrinker-param.sizes.large|'
[ "$got" = "$want" ] && ok "KTAP from the console: cases, skips, parameters" ||
	notok "KTAP from the console: cases, skips, parameters" "got  $got
want $want"

cat >"$TMP/ks.txt" <<'T'
TAP version 13
1..4
# timeout set to 900
# selftests: cgroup: test_kmem
# ok 1 test_kmem_basic
# not ok 2 test_percpu_basic
ok 1 selftests: cgroup: test_kmem
# selftests: shrinker: test_module.sh
# ok 1 load
not ok 2 selftests: shrinker: test_module.sh # TIMEOUT 900 seconds
# selftests: cgroup: test_core
not ok 3 selftests: cgroup: test_core # exit=1
# selftests: cgroup: test_memcontrol
# ok 1 test_memcg_min
# ok 2 # SKIP test_memcg_swap_max_peak
ok 4 selftests: cgroup: test_memcontrol
T
python3 "$S/wbtap.py" kselftest "$TMP/ks.txt" "$TMP/ks.tap"
printf 'cgroup:test_kmem:test_percpu_basic  known cause\n' >"$TMP/known"
out=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/ks.tap")
rc=$?
expect "a hung test fails the summary and is named" 1 \
	'FAIL  shrinker:test_module.sh:\(exit\).*TIMEOUT 900 seconds' "$out" $rc
grep -q 'XFAIL cgroup:test_kmem:test_percpu_basic' <<<"$out" &&
	grep -q 'FAIL  cgroup:test_core' <<<"$out" &&
	grep -q 'SKIP  cgroup:test_memcontrol:test_memcg_swap_max_peak' <<<"$out" &&
	[ "$(tail -n 1 <<<"$out")" = "3 passed, 2 failed, 2 skipped" ] &&
	ok "known failures and skips are reported by name; totals line" ||
	notok "known failures and skips are reported by name; totals line" "$out"
# plans: a KUnit suite one case short, a console cut off mid-suite, a
# kselftest program that dies after two of its three tests
cat >"$TMP/short" <<'K'
[    1.100000] KTAP version 1
[    1.100001] 1..2
[    1.100003]     # Subtest: shrinker-wm
[    1.100005]     1..3
[    1.100006]     ok 1 derive_defaults
[    1.100008]     ok 2 override_bad_input
[    1.100010] ok 1 shrinker-wm
[    1.100012]     # Subtest: shrinker-core
[    1.100013]     1..2
[    1.100014]     ok 1 made_once
[    1.100015] BUG: kernel NULL pointer dereference, address: 0000000000000008
K
python3 "$S/wbtap.py" kunit "$TMP/short" "$TMP/short.tap"
got=$(grep -E '^not ok' "$TMP/short.tap" | sed 's/ [0-9]* / /' | tr '\n' '|')
want='not ok kunit:shrinker-wm.(plan) # planned 3, 2 results|not ok kunit:shrinker-core.(plan) # planned 2, 1 results|not ok kunit:(top).(plan) # planned 2, 1 results|'
[ "$got" = "$want" ] && ok "a KUnit suite short of its plan, or cut off, fails" ||
	notok "a KUnit suite short of its plan, or cut off, fails" "got  $got
want $want"
cat >"$TMP/died.txt" <<'T'
TAP version 13
1..1
# selftests: cgroup: test_kmem
# TAP version 13
# 1..3
# ok 1 test_kmem_basic
# ok 2 test_kmem_memcg_deletion
not ok 1 selftests: cgroup: test_kmem # exit=139
T
python3 "$S/wbtap.py" kselftest "$TMP/died.txt" "$TMP/died.tap"
out=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/died.tap")
expect "a kselftest program that dies before its plan is done fails" 1 \
	'FAIL  cgroup:test_kmem:\(plan\) \(planned 3, 2 results\)' "$out" $?
# ...but not a program that skipped the rest, two KTAP documents (built-in
# suites, then a module's) or a suite that failed at init, which stands
# for its cases; output that ends inside a program fails it and the
# runner's plan
printf 'TAP version 13\n1..1\n# selftests: mm: x\n# 1..5\n# ok 1 basic\n# ok 2 # SKIP no hugetlb\nok 1 selftests: mm: x # SKIP\n' >"$TMP/skipped.txt"
python3 "$S/wbtap.py" kselftest "$TMP/skipped.txt" "$TMP/skipped.tap"
printf '[ 1.0] KTAP version 1\n[ 1.0] 1..1\n[ 1.0]     # Subtest: a\n[ 1.0]     1..2\n[ 1.0]     ok 1 x\n[ 1.0]     ok 2 y\n[ 1.0] ok 1 a\n[ 2.0] KTAP version 1\n[ 2.0] 1..1\n[ 2.0]     # Subtest: b\n[ 2.0]     1..3\n[ 2.0] not ok 1 b\n' >"$TMP/twodocs"
python3 "$S/wbtap.py" kunit "$TMP/twodocs" "$TMP/twodocs.tap"
printf 'TAP version 13\n1..1\n# selftests: mm: y\n# 1..7\n# ok 1 a\n# ok 2 b\n# ok 3 c\nok 1 selftests: mm: y # SKIP\n' >"$TMP/lost4.txt"
python3 "$S/wbtap.py" kselftest "$TMP/lost4.txt" "$TMP/lost4.tap"
got="$(grep -c '(plan)' "$TMP/skipped.tap" "$TMP/twodocs.tap" "$TMP/lost4.tap" | tr '\n' ' ')$(grep -c '^not ok' "$TMP/twodocs.tap")"
[ "$got" = "$TMP/skipped.tap:0 $TMP/twodocs.tap:0 $TMP/lost4.tap:1 1" ] &&
	ok "no plan failure for a skip partway, a second KTAP document or a suite failed at init; one for a SKIP that lost 4 cases" ||
	notok "no plan failure for a skip partway, a second KTAP document or a suite failed at init; one for a SKIP that lost 4 cases" "$got"
printf 'TAP version 13\n1..3\n# selftests: cgroup: a\n# 1..1\n# ok 1 one\nok 1 selftests: cgroup: a\n# selftests: cgroup: b\n# 1..3\n# ok 1 first\n' >"$TMP/cut.txt"
python3 "$S/wbtap.py" kselftest "$TMP/cut.txt" "$TMP/cut.tap"
out=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/cut.tap")
grep -q 'FAIL  cgroup:b:(plan) (the output ends before its result)' <<<"$out" &&
	grep -q 'FAIL  kselftest:(plan) (the runner planned 3 programs, 1 results)' <<<"$out" &&
	ok "kselftest output cut off inside a program fails it and the runner's plan" ||
	notok "kselftest output cut off inside a program fails it and the runner's plan" "$out"
printf 'ok 1 cgroup:test_kmem:test_percpu_basic\n' >"$TMP/pass.tap"
out=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/pass.tap")
expect "a known failure that passes fails the run" 1 'known failure now passes' "$out" $?

# --- where a guest run's time went --------------------------------------------
cat >"$TMP/dmesg" <<'T'
[   10.500000] wb-mark: plan
[   10.600000] wb-mark: # selftests: cgroup: test_kmem
[   12.000000] virtio_blk virtio1: something
[   40.600000] wb-mark: ok 1 selftests: cgroup: test_kmem
ok 1 selftests: [   41.000000] wb-mark: # selftests: shrinker: test_oom.sh
[   51.000000] wb-mark: not ok 2 selftests: shrinker: test_oom.sh # exit=1
[   52.000000] wb-mark: # selftests: shrinker: test_xfs.sh
[   60.000000] wb-mark: ok 3 selftests: shrinker: test_xfs.sh # ok 3 inner
T
out=$(python3 "$S/wbtap.py" times "$TMP/dmesg" | tr -s ' ' | tr '\n' '|')
want='boot and KUnit 10 s|cgroup:test_kmem 30 s|shrinker:test_oom.sh 10 s|shrinker:test_xfs.sh 8 s|total 60 s|'
[ "$out" = "$want" ] && ok "guest times per program from the plan's kmsg marks" ||
	notok "guest times per program from the plan's kmsg marks" "got  $out
want $want"
printf '[    1.000000] wb-mark: plan\n[    2.000000] wb-mark: # selftests: a: b\n[    9.000000] wb-mark: x\n' >"$TMP/dmesg"
out=$(python3 "$S/wbtap.py" times "$TMP/dmesg" | tr -s ' ' | tr '\n' '|')
[ "$out" = 'boot and KUnit 1 s|a:b (no end) 7 s|total 9 s|' ] &&
	ok "a program the guest died in is timed to the last mark" ||
	notok "a program the guest died in is timed to the last mark" "$out"
: >"$TMP/dmesg"
python3 "$S/wbtap.py" times "$TMP/dmesg" >/dev/null
expect "no marks: times fails" 1 '' "" $?

# --- KCSAN reports judged by whose code raced ---------------------------------
# races_tap CONSOLE SYMS PREFIX: judge CONSOLE's KCSAN reports against
# SYMS, and print the judge's TAP line that starts with PREFIX
races_tap() {
	python3 "$S/wbtap.py" races "$1" "$2" "$TMP/races.tap" >/dev/null
	grep "$3" "$TMP/races.tap"
}
cat >"$TMP/kcsan" <<'T'
[    0.100000] kcsan: enabled early
[    0.100001] kcsan: non-strict mode configured - use CONFIG_KCSAN_STRICT=y to see all data races
[    0.900000] kcsan: selftest: 3/3 tests passed
[    5.000000] ==================================================================
[    5.000001] BUG: KCSAN: data-race in page_counter_charge / page_counter_uncharge
[    5.000002] 
[    5.000003] write to 0xffff888003a0 of 8 bytes by task 10 on cpu 0:
[    5.000004]  page_counter_charge+0x1a/0x80
[    5.000005]  try_charge_memcg+0x20/0x300
[    5.000006] 
[    5.000007] read to 0xffff888003a0 of 8 bytes by task 11 on cpu 1:
[    5.000008]  page_counter_uncharge+0x10/0x40
[    5.000009]  shrinker_scan_instance+0x10/0x40
[    5.000010] ==================================================================
[    6.000000] ==================================================================
[    6.000001] BUG: KCSAN: data-race in shrink_slab_result / shrinker_drain_work
[    6.000002] write to 0xffff888004b0 of 8 bytes by task 12 on cpu 0:
[    6.000003]  shrinker_note_pass.isra.0+0x11/0x90
[    6.000004]  shrink_slab_result+0x40/0x200
[    6.000005] ==================================================================
[    7.000000] ==================================================================
[    7.000001] BUG: KCSAN: data-race in d_lru_del
[    7.000002] race at unknown origin, with read to 0xffff888005c0 of 4 bytes by task 13 on cpu 1:
[    7.000003]  d_lru_del+0x11/0x90
[    7.000004]  shrinker_scan_instance+0x40/0x200
[    7.000005] ==================================================================
[    8.000000] ==================================================================
[    8.000001] BUG: KCSAN: data-race in st_race_canary [shrinker_test] / st_race_canary [shrinker_test]
[    8.000002] write to 0xffffffffc02a06d0 of 8 bytes by task 710 on cpu 0:
[    8.000003]  st_race_canary+0x52/0x90 [shrinker_test]
[    8.000004]  kthread+0x19d/0x1e0
[    8.000005] read to 0xffffffffc02a06d0 of 8 bytes by task 711 on cpu 1:
[    8.000006]  st_race_canary+0x3b/0x90 [shrinker_test]
[    8.000007] ==================================================================
T
printf 'shrinker_note_pass\nshrinker_scan_instance\n' >"$TMP/syms"
python3 "$S/wbtap.py" splats "$TMP/kcsan" >/dev/null
expect "a data race is not a splat: races judges it" 0 '' "" $?
out=$(python3 "$S/wbtap.py" races "$TMP/kcsan" "$TMP/syms" "$TMP/races.tap"; cat "$TMP/races.tap")
expect "a race the framework's code made fails; one under its scan only is listed" 0 \
	'elsewhere: BUG: KCSAN: data-race in page_counter_charge.*\[page_counter_charge page_counter_uncharge\].*elsewhere: BUG: KCSAN: data-race in d_lru_del \[d_lru_del\].*ok 1 kcsan:the detector ran \(4 reports\).*not ok 2 kcsan:no data race made by the framework \(1 reports\).*\[shrinker_note_pass\]' \
	"$(tr '\n' ' ' <<<"$out")" $?
echo unrelated_fn >"$TMP/syms"
expect "no access by the framework: the races pass, counted" 0 \
	'^ok 2 kcsan:no data race made by the framework \(4 reports elsewhere\)' \
	"$(races_tap "$TMP/kcsan" "$TMP/syms" '^ok 2')" $?
: >"$TMP/syms"
expect "no framework functions (base): listed, a skip, not a pass" 0 \
	'^ok 2 kcsan:no data race made by the framework # SKIP no framework functions \(base kernel\); 4 reports listed' \
	"$(races_tap "$TMP/kcsan" "$TMP/syms" '^ok 2')" $?
grep -v 'kcsan: enabled' "$TMP/kcsan" >"$TMP/kcsan-off"
echo shrinker_note_pass >"$TMP/syms"
expect "a console without KCSAN's start line fails: it may not have run" 0 \
	'^not ok 1 kcsan:the detector ran' \
	"$(races_tap "$TMP/kcsan-off" "$TMP/syms" '^not ok 1')" $?
# built in but never armed (allnoconfig leaves EARLY_ENABLE off): the
# mode line alone is printed, and that is no proof
grep -v 'kcsan: enabled\|kcsan: selftest' "$TMP/kcsan" >"$TMP/kcsan-unarmed"
expect "KCSAN built in but not armed fails, mode line or not" 0 \
	'^not ok 1 kcsan:the detector ran \(no "kcsan: enabled early" line' \
	"$(races_tap "$TMP/kcsan-unarmed" "$TMP/syms" '^not ok 1')" $?
sed 's|selftest: 3/3|selftest: 2/3|' "$TMP/kcsan" >"$TMP/kcsan-blind"
expect "a boot selftest short of its cases fails (KCSAN panics first today)" 0 \
	'^not ok 1 kcsan:the detector ran \(its boot selftest passed 2 of 3\)' \
	"$(races_tap "$TMP/kcsan-blind" "$TMP/syms" '^not ok 1')" $?
grep -v 'kcsan: selftest' "$TMP/kcsan" >"$TMP/kcsan-noself"
expect "armed, but no selftest line: fails" 0 \
	'^not ok 1 kcsan:the detector ran \(no "kcsan: selftest" line' \
	"$(races_tap "$TMP/kcsan-noself" "$TMP/syms" '^not ok 1')" $?
expect "armed, selftest passed, the canary reported: the detector ran" 0 \
	'^ok 1 kcsan:the detector ran \(4 reports\)' \
	"$(races_tap "$TMP/kcsan" "$TMP/syms" '^ok 1')" $?
# armed and selftested, but no canary report: a TESTS subset without
# test_module.sh, its skip, or a detector that sees nothing across CPUs
awk '/^\[    8\./ { next } { print }' "$TMP/kcsan" >"$TMP/kcsan-nocanary"
expect "no report of the canary race: the detector is not shown to run" 0 \
	'^not ok 1 kcsan:the detector ran \(no report of the canary race' \
	"$(races_tap "$TMP/kcsan-nocanary" "$TMP/syms" '^not ok 1')" $?
# a report whose access lines do not parse is judged by its header
cat "$TMP/kcsan" - >"$TMP/kcsan-odd" <<'T'
[    9.000000] ==================================================================
[    9.000001] BUG: KCSAN: assert: race in shrinker_odd_fn+0x11/0x90 / st_race_canary [shrinker_test]
[    9.000002] assert no writes to 0xffff888004b0 of 8 bytes by task 12 on cpu 0:
[    9.000003]  shrinker_odd_fn+0x11/0x90
[    9.000004] ==================================================================
T
echo shrinker_odd_fn >"$TMP/syms1"
expect "a report with no parsed access is charged by the functions its header names" 0 \
	'^not ok 2 kcsan:no data race made by the framework \(1 reports\)' \
	"$(races_tap "$TMP/kcsan-odd" "$TMP/syms1" '^not ok 2')" $?
# a report naming no function at all (raw addresses) cannot pass
cat "$TMP/kcsan" - >"$TMP/kcsan-raw" <<'T'
[    9.000000] ==================================================================
[    9.000001] BUG: KCSAN: data-race in 0xffffffffc02a06d0 / 0xffffffffc02a06e0
[    9.000002] ==================================================================
T
echo unrelated_fn >"$TMP/syms2"
expect "a report that names no function is not judged, and fails the run" 0 \
	'^not ok 2 kcsan:no data race made by the framework \(0 reports, 1 that name no function\)' \
	"$(races_tap "$TMP/kcsan-raw" "$TMP/syms2" '^not ok 2')" $?
python3 "$S/wbtap.py" races "$TMP/kcsan" "$TMP/nosuch" "$TMP/races.tap" 2>/dev/null
expect "a missing symbol list is an error" 3 '' "" $?

# the functions the patches change: one edited, one added, one untouched,
# and a whole file the series adds
mkdir -p "$TMP/pf/base/mm" "$TMP/pf/new/mm/shrinker"
printf 'static int\nkept(int a)\n{\n\treturn a;\n}\n\nint edited(int a)\n{\n\treturn a;\n}\n' \
	>"$TMP/pf/base/mm/f.c"
printf 'static int\nkept(int a)\n{\n\treturn a;\n}\n\nint edited(int a)\n{\n\ta++;\n\treturn a;\n}\n\nvoid added(void)\n{\n}\n' \
	>"$TMP/pf/new/mm/f.c"
printf 'int own(void)\n{\n\treturn 0;\n}\nint proto(int);\n' >"$TMP/pf/new/mm/shrinker/core.c"
out=$(python3 "$S/wbtap.py" patched-functions "$TMP/pf/base" "$TMP/pf/new" mm/f.c mm/shrinker/core.c)
expect "the patches' functions: changed, added and owned; not the untouched or a prototype" 0 \
	'^added edited own $' "$(tr '\n' ' ' <<<"$out")" $?
# kernel style: the return type on a line of its own, the body edited,
# and a line deleted from another such function
printf 'static unsigned long\ntwo_line(int a)\n{\n\treturn a;\n}\n\nstatic int\ncut(int a)\n{\n\ta++;\n\treturn a;\n}\n' \
	>"$TMP/pf/base/mm/g.c"
printf 'static unsigned long\ntwo_line(int a)\n{\n\ta--;\n\treturn a;\n}\n\nstatic int\ncut(int a)\n{\n\treturn a;\n}\n' \
	>"$TMP/pf/new/mm/g.c"
out=$(python3 "$S/wbtap.py" patched-functions "$TMP/pf/base" "$TMP/pf/new" mm/g.c)
expect "a definition with its type on the line above, edited or cut from" 0 \
	'^cut two_line $' "$(tr '\n' ' ' <<<"$out")" $?

# --- retries of listed timing-sensitive programs -----------------------------
cat >"$TMP/first.tap" <<'T'
ok 1 cgroup:test_memcontrol:test_memcg_subtree_control
not ok 2 cgroup:test_memcontrol:test_memcg_reclaim
not ok 3 cgroup:test_kmem:test_kmem_basic
ok 4 shrinker:test_oom.sh:x
T
printf 'debug cgroup:test_memcontrol:test_memcg_reclaim  slow\n' >"$TMP/flaky"
out=$(python3 "$S/wbtap.py" retry "$TMP/flaky" debug "$TMP/first.tap")
expect "only a listed failure in its mode is retried" 0 '^cgroup:test_memcontrol$' "$out" $?
out=$(python3 "$S/wbtap.py" retry "$TMP/flaky" default "$TMP/first.tap")
[ -z "$out" ] && ok "nothing is retried in another mode" ||
	notok "nothing is retried in another mode" "$out"
cat >"$TMP/again.tap" <<'T'
ok 1 cgroup:test_memcontrol:test_memcg_subtree_control
ok 2 cgroup:test_memcontrol:test_memcg_reclaim
T
out=$(python3 "$S/wbtap.py" merge "$TMP/first.tap" "$TMP/again.tap" "$TMP/flaky" debug \
	cgroup:test_memcontrol)
rc=$?
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/first.tap" | tail -n 1)
[ $rc = 0 ] && grep -q 'RETRY cgroup:test_memcontrol:test_memcg_reclaim failed in the first run' \
	<<<"$out" && [ "$sum" = "3 passed, 1 failed, 0 skipped" ] &&
	ok "a retry's results replace the program's, the first failure is logged" ||
	notok "a retry's results replace the program's, the first failure is logged" "$out $sum"
: >"$TMP/empty.tap"
out=$(python3 "$S/wbtap.py" merge "$TMP/first.tap" "$TMP/empty.tap" "$TMP/flaky" debug \
	cgroup:test_memcontrol)
expect "a retry that did not run fails" 1 '' "$out" $?
# a listed failure brings its whole program back; an unlisted one that
# failed beside it is not cleared by the rerun
cat >"$TMP/first.tap" <<'T'
not ok 1 cgroup:test_memcontrol:test_memcg_low
not ok 2 cgroup:test_memcontrol:test_memcg_reclaim
T
cat >"$TMP/again.tap" <<'T'
ok 1 cgroup:test_memcontrol:test_memcg_low
ok 2 cgroup:test_memcontrol:test_memcg_reclaim
T
out=$(python3 "$S/wbtap.py" merge "$TMP/first.tap" "$TMP/again.tap" "$TMP/flaky" debug \
	cgroup:test_memcontrol)
rc=$?
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/first.tap" | tail -n 1)
[ $rc = 0 ] && [ "$sum" = "1 passed, 1 failed, 0 skipped" ] &&
	grep -q 'not ok 1 cgroup:test_memcontrol:test_memcg_low' "$TMP/first.tap" &&
	ok "a retry clears only the failures tests/flaky.txt lists" ||
	notok "a retry clears only the failures tests/flaky.txt lists" "$out $sum"
cat >"$TMP/first.tap" <<'T'
not ok 1 cgroup:test_memcontrol:test_memcg_reclaim
ok 2 cgroup:test_memcontrol:test_memcg_low
T
printf 'ok 1 cgroup:test_memcontrol:test_memcg_reclaim\n' >"$TMP/again.tap"
out=$(python3 "$S/wbtap.py" merge "$TMP/first.tap" "$TMP/again.tap" "$TMP/flaky" debug \
	cgroup:test_memcontrol)
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/first.tap" | tail -n 1)
[ "$sum" = "1 passed, 1 failed, 0 skipped" ] && grep -q 'missing in the retry' "$TMP/first.tap" &&
	ok "a result the retry lost fails" || notok "a result the retry lost fails" "$out $sum"

# --- results a mode cannot judge -------------------------------------------
cat >"$TMP/skipped.tap" <<'T'
not ok 1 cgroup:test_memcontrol:test_memcg_reclaim
not ok 2 cgroup:test_memcontrol:test_memcg_sock
ok 3 cgroup:test_memcontrol:test_memcg_min
T
cp "$TMP/skipped.tap" "$TMP/skipped-default.tap"
printf 'debug cgroup:test_memcontrol:test_memcg_reclaim  races its reader\n' >"$TMP/skips"
out=$(python3 "$S/wbtap.py" skip "$TMP/skips" debug "$TMP/skipped.tap")
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/skipped.tap")
grep -q 'NOT JUDGED cgroup:test_memcontrol:test_memcg_reclaim (was fail): races its reader' \
	<<<"$out" && grep -q 'SKIP  cgroup:test_memcontrol:test_memcg_reclaim (.*in debug mode: races its reader)' \
	<<<"$sum" && [ "$(tail -n 1 <<<"$sum")" = "1 passed, 1 failed, 1 skipped" ] &&
	ok "a result skipped in its mode is named with its cause; others still count" ||
	notok "a result skipped in its mode is named with its cause; others still count" "$out $sum"
python3 "$S/wbtap.py" skip "$TMP/skips" default "$TMP/skipped-default.tap" >/dev/null
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/skipped-default.tap" | tail -n 1)
[ "$sum" = "1 passed, 2 failed, 0 skipped" ] && ok "a mode's skips do not apply in another mode" ||
	notok "a mode's skips do not apply in another mode" "$sum"

# --- a program that skips whole --------------------------------------------
cat >"$TMP/wf.txt" <<'T'
# selftests: shrinker: test_faults.sh
# 1..0 # SKIP no failslab (CONFIG_FAILSLAB)
ok 1 selftests: shrinker: test_faults.sh # SKIP
T
python3 "$S/wbtap.py" kselftest "$TMP/wf.txt" "$TMP/wf.tap"
grep -q '^ok 1 shrinker:test_faults.sh # SKIP no failslab (CONFIG_FAILSLAB)$' "$TMP/wf.tap" &&
	ok "a program skipped whole carries its plan line's reason" ||
	notok "a program skipped whole carries its plan line's reason" "$(cat "$TMP/wf.tap")"

# --- nothing lost: the mode's expected result list ----------------------------
printf 'ok 1 a:x\nnot ok 2 a:y\nok 3 a:z # SKIP why\n' >"$TMP/was.tap"
python3 "$S/wbtap.py" listing "$TMP/was.tap" >"$TMP/list"
printf 'ok 1 a:x # SKIP no CONFIG_FOO\nnot ok 2 a:y\nok 3 a:w\n' >"$TMP/now.tap"
out=$(python3 "$S/wbtap.py" expect "$TMP/list" "$TMP/lost.tap" "$TMP/now.tap")
rc=$?
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/lost.tap" | tail -n 1)
[ $rc = 1 ] && grep -q 'LOST  a:x: now skipped (SKIP no CONFIG_FOO)' <<<"$out" &&
	grep -q 'LOST  a:z: lost' <<<"$out" && grep -q 'NEW   a:w' <<<"$out" &&
	! grep -q 'a:y' <<<"$out" && [ "$sum" = "0 passed, 2 failed, 0 skipped" ] &&
	ok "a listed result that is gone or newly skipped fails; a new one is named" ||
	notok "a listed result that is gone or newly skipped fails; a new one is named" "$out $sum"
out=$(python3 "$S/wbtap.py" expect "$TMP/list" "$TMP/lost.tap" "$TMP/was.tap")
rc=$?
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/lost.tap" | tail -n 1)
[ $rc = 0 ] && [ -z "$out" ] && [ "$sum" = "0 passed, 0 failed, 0 skipped" ] &&
	ok "the same results as the list add nothing to the totals" ||
	notok "the same results as the list add nothing to the totals" "$out $sum"
printf 'ok 1 a:made 60000 files (0 kills)\nok 2 a:x=1\n' >"$TMP/fig.tap"
python3 "$S/wbtap.py" listing "$TMP/fig.tap" >"$TMP/figlist"
printf 'ok 1 a:made 20000 files (2 kills)\nok 2 a:x=1\n' >"$TMP/fig2.tap"
out=$(python3 "$S/wbtap.py" expect "$TMP/figlist" "$TMP/lost.tap" "$TMP/fig2.tap")
expect "results are matched without the figures in their names" 0 '' "$out" $?
printf 'ok 1 a:made 20000 files (2 kills)\nok 2 a:x=2\n' >"$TMP/fig3.tap"
out=$(python3 "$S/wbtap.py" expect "$TMP/figlist" "$TMP/lost.tap" "$TMP/fig3.tap")
rc=$?
sum=$(python3 "$S/wbtap.py" summary "$TMP/known" "$TMP/lost.tap" | tail -n 1)
[ $rc = 1 ] && grep -q 'LOST  a:x=1' <<<"$out" && [ "$sum" = "0 passed, 1 failed, 0 skipped" ] &&
	ok "a variant named by a number after '=' is its own result" ||
	notok "a variant named by a number after '=' is its own result" "$out $sum"
printf 'pass a:size\npass a:size\n' >"$TMP/twice"
printf 'ok 1 a:size\nok 2 a:size # SKIP no THP\n' >"$TMP/once.tap"
out=$(python3 "$S/wbtap.py" expect "$TMP/twice" "$TMP/lost.tap" "$TMP/once.tap")
expect "a repeated result is counted each time it runs" 1 \
	'LOST  a:size: now skipped \(SKIP no THP\)' "$out" $?
: >"$TMP/nolist"
out=$(python3 "$S/wbtap.py" expect "$TMP/nolist" "$TMP/lost.tap" "$TMP/was.tap" 2>&1)
expect "an empty expected list is an error, not a pass" 2 'lists no results' "$out" $?

# --- bench report: repeated runs ---------------------------------------------
R=$TMP/bench
mkdir -p "$R"
printf '{"base": "b", "bench": "quick", "duration": 1, "mem_mib": 1, "repeat": 2, "accel": "tcg", "smp": 2, "kernels": {"base": "b", "patched": "p"}, "workbench": "w"}\n' >"$R/meta.json"
# fakeruns SCENARIO KERNEL:MS...: one bench run each, MS its PSI full and
# its workload's stall time (stalls_block's load, all of it run)
fakeruns() {
	local scen=$1 run d
	shift
	for run in "$@"; do
		d=$R/$scen/${run%%:*}/results/bench
		mkdir -p "$d"
		printf '{"t":0,"vmstat":{},"psi":{"full_total":0}}\n{"t":1,"vmstat":{},"psi":{"full_total":%d000}}\n' \
			"${run#*:}" >"$d/samples.jsonl"
		printf '{"name":"allocstall","value":0,"unit":""}\n{"name":"worker_ran","value":1,"unit":""}\n{"name":"cache_allocated","value":9,"unit":""}\n{"name":"cache_scanned","value":9,"unit":""}\n{"name":"worker_pgfault","value":9,"unit":""}\n{"name":"refill_ran","value":1,"unit":""}\n{"name":"trace_events_direct","value":2,"unit":""}\n{"name":"trace_asked_direct","value":2,"unit":""}\n{"name":"trace_lost_direct","value":0,"unit":""}\n{"name":"reclaim_episodes_unnamed","value":0,"unit":""}\n{"name":"workload_stall_ms","value":%d,"unit":""}\n' \
			"${run#*:}" >"$d/metrics.jsonl"
	done
}
# PSI full: base 100 and 300 (median 200), patched 10 and 50 (median 30)
fakeruns stalls_block base:100 base.r2:300 patched:10 patched.r2:50
"$PY" "$ROOT/bench/report.py" "$R" >/dev/null 2>&1
grep -q '^| psi.full_ms | 200 | 30 | 0.150 | 100\.\.300 | 10\.\.50 |$' "$R/report.md" &&
	grep -q '| stalls_block/workload_stall_ms | patched/base <= 0.1 | INCONCLUSIVE | 0.133 \[0, inf\] | base: 100 300; patched: 10 50 | too few runs' "$R/report.md" &&
	! grep -q '/psi.full_ms |' "$R/report.md" &&
	ok "repeated bench runs: the report gives medians and ranges, the gate every run" ||
	notok "repeated bench runs: the report gives medians and ranges, the gate every run" \
		"$(cat "$R/report.md" 2>/dev/null)"
# The floor: base 20 and patched 12 PSI full, beside the gate, not in it
fakeruns stalls_block_floor base:20 patched:12
"$PY" "$ROOT/bench/report.py" "$R" >/dev/null 2>&1
grep -q 'stalls_block/workload_stall_ms | patched/base <= 0.1 | INCONCLUSIVE | .*floor (stalls_block_floor, medians) base 20, patched 12: 0.060 of base alone; above the floor 0.100 |$' \
	"$R/report.md" &&
	ok "a gate shows its floor and the share above it, and keeps its result" ||
	notok "a gate shows its floor and the share above it, and keeps its result" \
		"$(grep 'stalls_block/workload' "$R/report.md")"
rm -r "$R/stalls_block_floor"
rm -r "$R/stalls_block/patched.r2"
"$PY" "$ROOT/bench/report.py" "$R" >/dev/null 2>&1
grep -q '^| psi.full_ms | 200 | 10 | 0.050 | 100\.\.300 | - |$' "$R/report.md" &&
	ok "a kernel with fewer runs gets the median of the runs it has" ||
	notok "a kernel with fewer runs gets the median of the runs it has" "$(grep psi.full "$R/report.md")"
# A traced stall the trace could not pin on a task, or lost, is no
# evidence of none: the gate on traced time is NOT MEASURED
fakeruns stalls_block patched.r2:50
sed -i 's/"reclaim_episodes_unnamed","value":0/"reclaim_episodes_unnamed","value":3/' \
	"$R/stalls_block/patched/results/bench/metrics.jsonl"
"$PY" "$ROOT/bench/report.py" "$R" >/dev/null 2>&1
grep -q '| stalls_block/workload_stall_ms | patched/base <= 0.1 | NOT MEASURED | .*reclaim_episodes_unnamed is 3, not 0, in run 1' \
	"$R/report.md" &&
	ok "a stall the trace could not pin on a task leaves the gate NOT MEASURED" ||
	notok "a stall the trace could not pin on a task leaves the gate NOT MEASURED" \
		"$(grep 'stalls_block/workload' "$R/report.md")"
out=$(REPEAT=0 SCENARIOS=stalls "$S/bench.sh" 2>&1)
expect "make bench refuses REPEAT=0 before building" 1 'REPEAT=0: use a whole number' "$out" $?

# --- bench lib: counters from the guest's files -------------------------------
L=$TMP/lib
mkdir -p "$L/cg"
printf 'low 0\nhigh 0\nmax 157\noom 2\noom_kill 1\noom_group_kill 0\n' >"$L/cg/memory.events"
printf 'anon 0\nfile 8192\nslab_reclaimable 4096\nslab 5120\n' >"$L/cg/memory.stat"
printf '{\n  "jobs" : [\n    {\n      "read" : {\n        "iops" : 3686.731,\n      },\n      "write" : {\n        "iops" : 0.0,\n' >"$L/fio.json"
cat >"$L/trace.txt" <<'TRACE'
 fio-100 [000] ..... 10.000000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_KERNEL
 fio-101 [001] ..... 10.010000: mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_KERNEL
 fio-100 [000] ..... 10.050000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=32
 fio-101 [001] ..... 10.510000: mm_vmscan_direct_reclaim_end: nr_reclaimed=32
 fio-100 [000] ..... 11.000000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_KERNEL
 fio-100 [000] ..... 11.020000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=32
 fio-100 [000] ..... 11.030000: mm_vmscan_throttled: nid=0 usec_timeout=100000 usect_delayed=100000 reason=VMSCAN_THROTTLE_SHRINKER
 fio-101 [001] ..... 11.040000: mm_vmscan_throttled: nid=0 usec_timeout=100000 usect_delayed=2500 reason=VMSCAN_THROTTLE_WRITEBACK
 fio-100 [000] ..... 11.050000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_KERNEL
 fio-100 [000] ..... 11.100000: mark_victim: pid=100 comm=fio total-vm=1024kB anon-rss=512kB file-rss:0kB shmem-rss:0kB uid=0 pgtables=4kB oom_score_adj=0
 fio-101 [001] ..... 11.200000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_KERNEL
 fio-101 [001] ..... 11.210000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=0
 kswapd0-48 [000] ..... 12.000000: shrinker_instance_scan: st_scan+0x0/0x380 [shrinker_test] nid=0 memcg=0 gfp=GFP_KERNEL priority=7 freeable=150000 delta=146 weight=64 deferred=0 scanned=128 freed=128 inflight=0
 kswapd0-48 [000] ..... 12.100000: shrinker_instance_scan: super_cache_scan+0x0/0x200 nid=0 memcg=0 gfp=GFP_KERNEL priority=7 freeable=900 delta=9 weight=1024 deferred=0 scanned=99 freed=99 inflight=0
 kswapd0-48 [001] ..... 13.000000: shrinker_defer_drain: st_scan+0x0/0x380 [shrinker_test] nid=0 memcg=0 taken=0 trim=3975 scanned=3975 freed=3975 aged=0 queued=0 inflight=0
 kswapd0-48 [001] ..... 13.100000: shrinker_instance_scan: st_scan+0x0/0x380 [shrinker_test] nid=0 memcg=0 gfp=GFP_KERNEL priority=6 freeable=146000 delta=300 weight=64 deferred=0 scanned=256 freed=256 inflight=0
TRACE
out=$(OUT=$L/out sh -c '. "$1/bench/lib.sh"
	echo "$(memcg_event "$2/cg" max) $(memcg_event "$2/cg" oom_kill) $(memcg_event "$2/cg" oom)"
	echo "$(memcg_stat "$2/cg" slab_reclaimable) $(memcg_stat "$2/cg" slab)"
	fio_iops "$2/fio.json"
	direct_reclaim_times "$2/trace.txt" memcg
	direct_reclaim_times "$2/trace.txt"
	throttled_ms "$2/trace.txt"
	oom_latency "$2/trace.txt"
	head -n 4 "$2/trace.txt" >"$2/nokill.txt"
	echo "[$(oom_latency "$2/nokill.txt")]"
	echo "$(trace_sum "$2/trace.txt" shrinker_instance_scan st_scan scanned) $(trace_sum "$2/trace.txt" shrinker_defer_drain st_scan scanned)"' sh "$ROOT" "$L" 2>&1)
want='157 1 2
4096 5120
3686.731
3 80.0 50.0
1 500.0 500.0
102.5
1100.0 2 70.0
[]
384 3975'
[ "$out" = "$want" ] &&
	ok "bench lib: memory.events and memory.stat, fio IOPS, reclaim episodes, throttled time, OOM latency, trace sums" ||
	notok "bench lib: memory.events and memory.stat, fio IOPS, reclaim episodes, throttled time, OOM latency, trace sums" "$out"
# The workload's own episodes: a task the regex does not name is left out,
# one the trace could not name is counted apart, and p99 is nearest-rank,
# in us; a throttle outside any reclaim episode is an episode of its own
# (fio-100's 100 ms and fio-101's 2.5 ms in trace.txt); no trace file is a
# failure, and no fio percentile is nothing; stress-ng's bogo ops by
# stressor.
cat >"$L/wl.txt" <<'TRACE'
 stress-ng-vm-7 [000] ..... 20.000000: mm_vmscan_direct_reclaim_begin: order=0
 fio-8 [001] ..... 20.000000: mm_vmscan_direct_reclaim_begin: order=0
 stress-ng-vm-7 [000] ..... 20.004000: mm_vmscan_direct_reclaim_end: nr_reclaimed=32
 fio-8 [001] ..... 20.300000: mm_vmscan_direct_reclaim_end: nr_reclaimed=32
 sh-9 [000] ..... 21.000000: mm_vmscan_direct_reclaim_begin: order=0
 sh-9 [000] ..... 22.000000: mm_vmscan_direct_reclaim_end: nr_reclaimed=1
 <...>-10 [001] ..... 21.000000: mm_vmscan_direct_reclaim_begin: order=0
 <...>-10 [001] ..... 21.100000: mm_vmscan_direct_reclaim_end: nr_reclaimed=1
 fio-8 [001] ..... 23.000000: mm_vmscan_direct_reclaim_begin: order=0
 fio-8 [001] ..... 23.002000: mm_vmscan_direct_reclaim_end: nr_reclaimed=32
TRACE
printf -- '---\nmetrics:\n    - stressor: dentry\n      bogo-ops: 11\n    - stressor: dir\n      bogo-ops: 22\n' >"$L/sng.yaml"
printf '"read" : {\n "clat_ns" : {\n  "percentile" : {\n   "50.000000" : 1000,\n   "99.000000" : 2506752,\n' >"$L/lat.json"
out=$(OUT=$L sh -c '. "$1/bench/lib.sh"
	reclaim_episodes "$2/wl.txt" direct "^(stress-ng|fio)"
	reclaim_episodes "$2/wl.txt" direct "^nothing"
	reclaim_episodes "$2/trace.txt" memcg "^fio"
	reclaim_episodes "$2/none.txt" memcg "^fio" || echo "no trace: rc $?"
	fio_clat_p99_us "$2/lat.json"
	echo "[$(fio_clat_p99_us "$2/fio.json")]"
	echo "$(stress_ng_ops "$2/sng.yaml" dir) $(stress_ng_ops "$2/sng.yaml" dentry) [$(stress_ng_ops "$2/sng.yaml" vm)]"
	ls "$2" | grep -c episodes' sh "$ROOT" "$L" 2>&1)
want='3 306.0 300.0 300000 1 0.0
0 0.0 0.0 0 1 0.0
5 182.5 100.0 100000 0 102.5
no trace: rc 1
2506.8
[]
22 11 []
0'
[ "$out" = "$want" ] &&
	ok "bench lib: the workload's own reclaim episodes, their p99, fio's latency p99, bogo ops" ||
	notok "bench lib: the workload's own reclaim episodes, their p99, fio's latency p99, bogo ops" "$out"

# A storm's trace: each victim's ms from its first memcg reclaim to its
# kill, its reclaim ms, whether it began before the first kill, and ms
# from the first victim's first reclaim to its own; the
# episodes, those that reported progress, their ms and pages.  A reclaim
# with no end (the victim killed inside it) counts as an episode begun.
cat >"$L/storm.txt" <<'TRACE'
 sh-5 [001] ..... 9.990000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_KERNEL
 sh-5 [001] ..... 9.995000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=0
 oom_eat-7 [000] ..... 10.000000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-8 [001] ..... 10.010000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-7 [000] ..... 10.100000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=33
 oom_eat-8 [001] ..... 10.210000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=0
 oom_eat-7 [000] ..... 10.300000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-7 [000] ..... 10.400000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=5
 oom_eat-7 [000] ..... 10.500000: mark_victim: pid=7 comm=oom_eat total-vm=1024kB
 oom_eat-8 [001] ..... 10.600000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-8 [001] ..... 11.010000: mark_victim: pid=8 comm=oom_eat total-vm=1024kB
TRACE
out=$(OUT=$L sh -c '. "$1/bench/lib.sh"
	storm_latency "$2/storm.txt"
	storm_episodes "$2/storm.txt"' sh "$ROOT" "$L" 2>&1)
want='500.0 200.0 1 0.0
1000.0 200.0 1 10.0
5 2 405.0 38'
[ "$out" = "$want" ] &&
	ok "bench lib: a storm's victims and its memcg reclaim episodes" ||
	notok "bench lib: a storm's victims and its memcg reclaim episodes" "$out"
# The spread counts from the earliest victim's first reclaim, whichever
# victim is killed first, and is the largest by number, not by string.
cat >"$L/storm2.txt" <<'TRACE'
 oom_eat-8 [001] ..... 9.000000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-7 [000] ..... 9.030000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-7 [000] ..... 9.100000: mark_victim: pid=7 comm=oom_eat total-vm=1024kB
 oom_eat-8 [001] ..... 9.500000: mark_victim: pid=8 comm=oom_eat total-vm=1024kB
TRACE
printf '0.0 0.0 1 9.5\n0.0 0.0 1 45.0\n0.0 0.0 1 0.0\n' >"$L/spread.txt"
: >"$L/spread0.txt"
printf '10.0 5.0 1\n12.0 6.0 1\n' >"$L/spread3.txt"
out=$(OUT=$L sh -c '. "$1/bench/lib.sh"
	storm_latency "$2/storm2.txt"
	storm_latency "$2/storm2.txt" >"$2/lat2.txt"
	echo "spread $(storm_spread "$2/lat2.txt") $(storm_spread "$2/spread.txt") [$(storm_spread "$2/spread0.txt")] [$(storm_spread "$2/spread3.txt")]"' \
	sh "$ROOT" "$L" 2>&1)
want='70.0 0.0 1 30.0
500.0 0.0 1 0.0
spread 30 45 [] []'
[ "$out" = "$want" ] &&
	ok "bench lib: a storm's spread, from the earliest victim's first reclaim, by number; none from three columns" ||
	notok "bench lib: a storm's spread, from the earliest victim's first reclaim, by number; none from three columns" "$out"

# Probe pairs: each entry paired with its task's return, other events
# and an entry with no return left out, the largest span kept.
cat >"$L/probes.txt" <<'TRACE'
# tracer: nop
 oom_eat-7 [000] ..... 10.000000: a_out_of_memory: (out_of_memory+0x0/0x10)
 oom_eat-8 [001] ..... 10.001000: a_out_of_memory: (out_of_memory+0x0/0x10)
 oom_eat-7 [000] ..... 10.002000: mark_victim: pid=7 comm=oom_eat
 oom_eat-7 [000] ..... 10.003000: z_out_of_memory: (mem_cgroup_out_of_memory+0x9/0x10 <- out_of_memory)
 oom_eat-8 [001] ..... 10.011000: z_out_of_memory: (mem_cgroup_out_of_memory+0x9/0x10 <- out_of_memory)
 oom_eat-9 [001] ..... 10.020000: a_dump_header: (dump_header+0x0/0x10)
TRACE
out=$(OUT=$L sh -c '. "$1/bench/lib.sh"; probe_times "$2/probes.txt" "EXP round 0"' \
	sh "$ROOT" "$L" 2>&1)
[ "$out" = "EXP round 0: out_of_memory calls 2 total 13000 us max 10000 us" ] &&
	ok "bench lib: probe pairs timed per task" ||
	notok "bench lib: probe pairs timed per task" "$out"

# A storm victim's steps: reclaim, the wait for oom_lock, the kill; a
# victim without its probes is left out.
cat >"$L/steps.txt" <<'TRACE'
 oom_eat-7 [000] ..... 10.000000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-8 [001] ..... 10.002000: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
 oom_eat-7 [000] ..... 10.020000: a_mem_cgroup_out_of_memory: (try_charge_memcg+0x1/0x2)
 oom_eat-7 [000] ..... 10.025000: a_out_of_memory: (mem_cgroup_out_of_memory+0x1/0x2)
 oom_eat-7 [000] ..... 10.030000: mark_victim: pid=7 comm=oom_eat
 oom_eat-7 [000] ..... 10.031000: a_mem_cgroup_out_of_memory: (try_charge_memcg+0x1/0x2)
 oom_eat-8 [001] ..... 10.030000: mark_victim: pid=8 comm=oom_eat
TRACE
out=$(OUT=$L sh -c '. "$1/bench/lib.sh"; storm_steps "$2/steps.txt"' sh "$ROOT" "$L" 2>&1)
[ "$out" = "30.0 20.0 5.0 5.0" ] &&
	ok "bench lib: a storm victim's steps to its kill" ||
	notok "bench lib: a storm victim's steps to its kill" "$out"

# --- docs: a cited run is committed, or listed as lost and marked so ---------
# cited_runs ROOT: each citation of a run id in README.md and docs/*.md
# that has neither a committed report and summary under docs/runs nor a
# line in docs/runs/LOST.md and a "[lost]" mark where it is cited
cited_runs() {
	local f line id
	for f in "$1/README.md" "$1"/docs/*.md; do
		while IFS= read -r line; do
			for id in $(grep -oE '[0-9]{8}T[0-9]{6}Z' <<<"$line" | sort -u); do
				[ -f "$1/docs/runs/$id/report.md" ] &&
					[ -f "$1/docs/runs/$id/summary.json" ] && continue
				grep -q "^| $id |" "$1/docs/runs/LOST.md" 2>/dev/null &&
					grep -qE "$id\`? \[lost\]" <<<"$line" && continue
				echo "${f#"$1"/}: $id"
			done
		done <"$f"
	done
}
out=$(cited_runs "$ROOT")
[ -z "$out" ] && ok "every run the docs cite is in docs/runs, or marked lost" ||
	notok "every run the docs cite is in docs/runs, or marked lost" "$out"
mkdir -p "$TMP/cite/docs/runs/20990101T000000Z"
: >"$TMP/cite/docs/runs/20990101T000000Z/report.md"
printf '| 20990101T000001Z | x | y |\n' >"$TMP/cite/docs/runs/LOST.md"
printf 'run `20990101T000000Z`, `20990101T000001Z` [lost], `20990101T000002Z`\n' \
	>"$TMP/cite/docs/a.md"
: >"$TMP/cite/README.md"
out=$(cited_runs "$TMP/cite")
[ "$out" = "docs/a.md: 20990101T000000Z
docs/a.md: 20990101T000002Z" ] &&
	ok "a cited run without its summary, or neither kept nor lost, is found" ||
	notok "a cited run without its summary, or neither kept nor lost, is found" "$out"

# --- docs/status.md: what make status writes from the committed runs -------
if "$PY" "$ROOT/scripts/status.py" "$ROOT/docs/runs" "$TMP/status.md" 2>"$TMP/status.err" &&
	out=$(diff "$ROOT/docs/status.md" "$TMP/status.md"); then
	ok "docs/status.md is what make status writes from docs/runs"
else
	notok "docs/status.md is what make status writes from docs/runs (run make status)" \
		"$(cat "$TMP/status.err")${out:-}"
fi

# --- docs/status.md: a retired gate keeps its last verdict ------------------
# 20261123T170220Z judged stalls/psi.full_ms FAIL on means, before issue 26
# replaced that gate: the page still says so, apart, and counts it
# nowhere but in its own total.  A newer run whose PSI would pass changes
# nothing, and a cited run gone from the runs is said, not skipped.
mkdir -p "$TMP/ret"
cp -r "$ROOT/docs/runs/20261123T170220Z" "$ROOT/docs/runs/20261123T093353Z" "$TMP/ret/"
mk_ret() {
	mkdir -p "$TMP/ret/20990101T000000Z"
	cp "$ROOT/docs/runs/20261205T051032Z/meta.json" "$TMP/ret/20990101T000000Z/"
	"$PY" -c 'import json, sys
r = lambda v: {"psi.full_ms": v, "fio_randread_iops": 9}
s = {"format": 2, "scenarios": {"stalls": {
    "base": {"runs": [r(100)] * 5}, "patched": {"runs": [r(1)] * 5}}}}
json.dump(s, open(sys.argv[1], "w"))' "$TMP/ret/20990101T000000Z/summary.json"
}
mk_ret
ret_row() {
	row=""
	if "$PY" "$ROOT/scripts/status.py" "$TMP/ret" "$TMP/ret.md" 2>"$TMP/ret.err"; then
		row=$(sed -n '/^## Retired gates/,$p' "$TMP/ret.md" | grep -F "| $1 |")
	fi
}
ret_row stalls/psi.full_ms
case $row in
"| PSI memory full at most 1/10 of base (issue 5) | stalls/psi.full_ms | <= 0.1 | FAIL | FAIL (0.29) in 20261123T170220Z; FAIL (0.31) in 20261123T093353Z | stalls/workload_reclaim_ms, "*"| an accounting figure"*)
	if grep -q '^Gates: .*; retired gates, as they last read: 1 FAIL, 7 NOT MEASURED$' \
		"$TMP/ret.md" && ! sed -n '/^## Retired gates/q;p' "$TMP/ret.md" | grep -qF '| stalls/psi.full_ms |'; then
		ok "status: a retired gate keeps the verdicts its runs gave, apart, whatever a newer run says"
	else
		notok "status: a retired gate keeps the verdicts its runs gave, apart, whatever a newer run says" \
			"$(grep '^Gates' "$TMP/ret.md")"
	fi ;;
*) notok "status: a retired gate keeps the verdicts its runs gave, apart, whatever a newer run says" \
	"$(cat "$TMP/ret.err")$row" ;;
esac
ret_row stalls_memcg/memcg_psi.full_ms
case $row in
*"| NOT MEASURED | no verdict: run 20261123T171703Z or its report missing |"*)
	if ! grep -q 'or its report missing' "$ROOT/docs/status.md"; then
		ok "status: a retired gate's run that is gone is said, and none is gone from docs/runs"
	else
		notok "status: a retired gate's run that is gone is said, and none is gone from docs/runs" \
			"$(grep 'report missing' "$ROOT/docs/status.md")"
	fi ;;
*) notok "status: a retired gate's run that is gone is said, and none is gone from docs/runs" \
	"$(cat "$TMP/ret.err")$row" ;;
esac

# --- docs/status.md: the 2-node and MGLRU columns ---------------------------
# A committed run's figures under three configurations: the classic LRU on
# one node (a meta.json from before "nodes" and "lru_gen"), two nodes, and
# lru_gen on.  Each goes to its own column, and only the first to the
# verdict.
# mk_run ID META [RUN [DIR]]: committed run RUN's figures (default
# 20261203T154720Z) as run ID under DIR (default $TMP/cfg), its meta.json
# updated with the JSON object META
mk_run() {
	src=$ROOT/docs/runs/${3:-20261203T154720Z}
	dst=${4:-$TMP/cfg}/$1
	mkdir -p "$dst"
	cp "$src/summary.json" "$dst/"
	"$PY" -c 'import json, sys
m = json.load(open(sys.argv[1]))
m.update(json.loads(sys.argv[2]))
json.dump(m, open(sys.argv[3], "w"))' "$src/meta.json" "$2" "$dst/meta.json"
}
mk_run 20990101T000000Z '{}'
mk_run 20990102T000000Z '{"nodes": 2, "lru_gen": false}'
mk_run 20990103T000000Z '{"nodes": 1, "lru_gen": true}'
row=""
if "$PY" "$ROOT/scripts/status.py" "$TMP/cfg" "$TMP/cfg.md" 2>"$TMP/cfg.err"; then
	row=$(grep -F '| false_oom/oom_kill |' "$TMP/cfg.md")
fi
case $row in
*"| PASS | 3 |"*"| 20990101T000000Z ("*"| PASS: worst run 0 (20990102T000000Z, "*") | PASS: worst run 0 (20990103T000000Z, "*") |")
	ok "status: a 2-node run and an MGLRU run each fill their own column, not the verdict" ;;
*) notok "status: a 2-node run and an MGLRU run each fill their own column, not the verdict" \
	"$(cat "$TMP/cfg.err")$row" ;;
esac
rm -r "$TMP/cfg/20990102T000000Z" "$TMP/cfg/20990103T000000Z"
row=""
if "$PY" "$ROOT/scripts/status.py" "$TMP/cfg" "$TMP/cfg.md" 2>"$TMP/cfg.err"; then
	row=$(grep -F '| false_oom/oom_kill |' "$TMP/cfg.md")
fi
case $row in
*"| not run | not run |") ok "status: a configuration no run has is \"not run\"" ;;
*) notok "status: a configuration no run has is \"not run\"" "$(cat "$TMP/cfg.err")$row" ;;
esac

# --- docs/status.md: a run whose kernels began apart says so ---------------
# 20990101T000000Z's meta.json predates boot_kunit: "KUnit at boot"; a
# newer run booted with kunit.enable=0 but begun at boot: "begun at
# boot"; one begun at 8 s, before the patched kernel's instances made at
# boot had watermarks: "begun at 8 s"; one begun at START_UPTIME (as
# make bench's default): unmarked.  The total counts the verdicts of
# marked runs.
up=$(sed -n 's/^WB_START_UPTIME=\([0-9]*\)$/\1/p' "$ROOT/scripts/lib.sh")
st_row() {
	row=""
	if "$PY" "$ROOT/scripts/status.py" "$TMP/cfg" "$TMP/cfg.md" 2>"$TMP/cfg.err"; then
		row="$(grep -o "([0-9]* of them on runs not begun at $up s of uptime on both kernels)" "$TMP/cfg.md")
$(grep -F '| false_oom/oom_kill |' "$TMP/cfg.md")"
	fi
}
st_row
row1=$row
mk_run 20990104T000000Z '{"boot_kunit": false}'
st_row
row2=$row
mk_run 20990105T000000Z '{"boot_kunit": false, "start_uptime_s": 8}'
st_row
row3=$row
mk_run 20990106T000000Z "{\"boot_kunit\": false, \"start_uptime_s\": ${up:-0}}"
st_row
row4=$row
case "$row1" in
*"| 20990101T000000Z ("*", KUnit at boot) |"*)
	case "$row2" in
	*"| 20990104T000000Z ("*", begun at boot) |"*)
		case "$row3" in
		*"| 20990105T000000Z ("*", begun at 8 s) |"*)
			case "$row4" in
			*"| 20990106T000000Z ("*"begun"*) bad=1 ;;
			*"| 20990106T000000Z ("*) bad=0 ;;
			*) bad=1 ;;
			esac ;;
		*) bad=1 ;;
		esac ;;
	*) bad=1 ;;
	esac ;;
*) bad=1 ;;
esac
n1=${row1%% of them*}
n3=${row3%% of them*}
n4=${row4%% of them*}
n1=${n1#(} n3=${n3#(} n4=${n4#(}
if [ -n "$up" ] && [ "$bad" = 0 ] && [ -n "$n1" ] && [ "$n3" = "$n1" ] &&
   [ "$n1" -gt "${n4:-0}" ]; then
	ok "status: runs whose kernels began apart or before $up s are marked and counted, one begun at START_UPTIME is not"
else
	notok "status: runs whose kernels began apart or before START_UPTIME are marked and counted, one begun at START_UPTIME is not" \
		"bench.sh START_UPTIME '${up}'; $(cat "$TMP/cfg.err")$row1 / $row2 / $row3 / $row4 ($n1 $n3 $n4)"
fi
rm -r "$TMP/cfg/20990104T000000Z" "$TMP/cfg/20990105T000000Z" "$TMP/cfg/20990106T000000Z"

# --- docs/status.md: a control run judges no gate ---------------------------
# stalls_block's control (BENCH_ENV BLOCKING=2: the cache waits on both
# kernels) is newer than its judged run, and a different comparison: the
# verdict stays the judged run's.
rm -rf "$TMP/ctl"
mk_run 20990101T000000Z '{}' 20261205T133922Z "$TMP/ctl"
mk_run 20990102T000000Z '{"bench_env": "BLOCKING=2"}' 20261205T134826Z "$TMP/ctl"
row=""
if "$PY" "$ROOT/scripts/status.py" "$TMP/ctl" "$TMP/ctl.md" 2>"$TMP/ctl.err"; then
	row=$(grep -F '| stalls_block/workload_stall_ms |' "$TMP/ctl.md")
fi
case $row in
*"| 20990102T000000Z ("*|*"1.109"*) notok "status: a control run (BENCH_ENV BLOCKING=2) judges no gate" "$row" ;;
*"| 20990101T000000Z ("*)
	ok "status: a control run (BENCH_ENV BLOCKING=2) judges no gate" ;;
*) notok "status: a control run (BENCH_ENV BLOCKING=2) judges no gate" "$(cat "$TMP/ctl.err")$row" ;;
esac
# A run traced more closely (TRACE_EXTRA) is timed under a heavier trace.
rm -r "$TMP/ctl/20990102T000000Z"
mk_run 20990102T000000Z '{"bench_env": "TRACE_EXTRA=sched/sched_switch"}' 20261205T134826Z \
	"$TMP/ctl"
row=""
if "$PY" "$ROOT/scripts/status.py" "$TMP/ctl" "$TMP/ctl.md" 2>"$TMP/ctl.err"; then
	row=$(grep -F '| stalls_block/workload_stall_ms |' "$TMP/ctl.md")
fi
case $row in
*"| 20990102T000000Z ("*|*"1.109"*) notok "status: a run with TRACE_EXTRA judges no gate" "$row" ;;
*"| 20990101T000000Z ("*) ok "status: a run with TRACE_EXTRA judges no gate" ;;
*) notok "status: a run with TRACE_EXTRA judges no gate" "$(cat "$TMP/ctl.err")$row" ;;
esac

# --- docs/status.md: an A/A band only beside runs timed as it was ----------
# A band measured in counted instructions (make bench ICOUNT=N) is not the
# noise of a run in host time, nor the other way round.
rm -rf "$TMP/clk"
clk_row() {
	row=""
	if "$PY" "$ROOT/scripts/status.py" "$TMP/clk" "$TMP/clk.md" 2>"$TMP/clk.err"; then
		row=$(grep -F '| true_oom/oom_reclaim_ms_mean |' "$TMP/clk.md")
	fi
}
mk_run 20990101T000000Z '{"icount": 0}' 20261202T100940Z "$TMP/clk"
mk_run 20990102T000000Z '{}' 20261205T051032Z "$TMP/clk"
clk_row
case $row in
*"| not measured |"*"| 20990102T000000Z ("*) ok "status: a host-time run gets no A/A band counted in instructions" ;;
*) notok "status: a host-time run gets no A/A band counted in instructions" "$(cat "$TMP/clk.err")$row" ;;
esac
mk_run 20990102T000000Z '{"icount": 0}' 20261205T051032Z "$TMP/clk"
clk_row
case $row in
*"n=12/12 (20990101T000000Z, icount 0, KUnit at boot) |"*"| 20990102T000000Z ("*", icount 0, KUnit at boot) |"*)
	ok "status: a run counted in instructions gets the A/A band counted so, both marked" ;;
*) notok "status: a run counted in instructions gets the A/A band counted so, both marked" \
	"$(cat "$TMP/clk.err")$row" ;;
esac

# An A/A band begun at 8 s is not the noise of a run begun at START_UPTIME.
rm -rf "$TMP/clk"
mk_run 20990101T000000Z '{"icount": 0, "boot_kunit": false, "start_uptime_s": 8}' 20261202T100940Z "$TMP/clk"
mk_run 20990102T000000Z "{\"icount\": 0, \"boot_kunit\": false, \"start_uptime_s\": ${up:-0}}" 20261205T051032Z "$TMP/clk"
clk_row
row1=$row
mk_run 20990103T000000Z "{\"icount\": 0, \"boot_kunit\": false, \"start_uptime_s\": ${up:-0}}" 20261202T100940Z "$TMP/clk"
clk_row
case "$row1 / $row" in
*"| not measured |"*"| 20990102T000000Z ("*" / "*"n=12/12 (20990103T000000Z, icount 0) |"*)
	ok "status: an A/A band begun at another uptime is not given beside a run" ;;
*) notok "status: an A/A band begun at another uptime is not given beside a run" \
	"$(cat "$TMP/clk.err")$row1 / $row" ;;
esac

# A verdict's "run before it" is the one before it timed the same way, and
# a configuration column says how its run was timed.
rm -rf "$TMP/clk"
mk_run 20990101T000000Z '{"icount": 0}' 20261205T084239Z "$TMP/clk"
mk_run 20990102T000000Z '{}' 20261205T051032Z "$TMP/clk"
mk_run 20990103T000000Z '{"icount": 0}' 20261205T081821Z "$TMP/clk"
mk_run 20990104T000000Z '{"icount": 0, "lru_gen": true}' 20261205T084239Z "$TMP/clk"
clk_row
case $row in
*"| FAIL |"*"the run before it: INCONCLUSIVE (20990101T000000Z, KUnit at boot) |"*"(20990104T000000Z, "*", icount 0, KUnit at boot) |")
	ok "status: the run before a verdict is timed as it was, and a column says its clock" ;;
*) notok "status: the run before a verdict is timed as it was, and a column says its clock" \
	"$(cat "$TMP/clk.err")$row" ;;
esac

# --- true_oom-split.py: a round cut into its parts ---------------------------
# 6 ms from the first memcg reclaim to mark_victim: two episodes (1 and
# 2 ms), the hog switched out for 1 ms between them, and out_of_memory()
# 0.5 ms before the kill: reclaim 3 (none of it switched out), off 1,
# oom 0.5, between 1.5
SP=$TMP/split
mkdir -p "$SP/old.r1/results/bench" "$SP/new.r1/results/bench"
cat >"$SP/old.r1/results/bench/trace-r0.txt" <<'TRACE'
# tracer: nop
 stress-ng-vm-385 [001] d..1. 4.400000: mm_vmscan_memcg_reclaim_begin: order=0
 stress-ng-vm-385 [001] d..1. 4.401000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=0
 stress-ng-vm-385 [001] d..2. 4.401500: sched_switch: prev_comm=stress-ng-vm prev_pid=385 prev_prio=120 prev_state=R ==> next_comm=kworker next_pid=9 next_prio=120
 kworker-9 [001] d..2. 4.402500: sched_switch: prev_comm=kworker prev_pid=9 prev_prio=120 prev_state=S ==> next_comm=stress-ng-vm next_pid=385 next_prio=120
 stress-ng-vm-385 [001] d..1. 4.403000: mm_vmscan_memcg_reclaim_begin: order=0
 stress-ng-vm-385 [001] d..1. 4.405000: mm_vmscan_memcg_reclaim_end: nr_reclaimed=0
 stress-ng-vm-385 [001] d..1. 4.405500: split_oom: (out_of_memory+0x0/0x100)
 stress-ng-vm-385 [001] d..1. 4.406000: mark_victim: pid=385
TRACE
cp "$SP/old.r1/results/bench/trace-r0.txt" "$SP/new.r1/results/bench/"
: >"$SP/old.r1.log"
out=$("$PY" "$ROOT/bench/experiments/true_oom-split.py" "$SP" 2>&1)
case $out in
*"old.r1: 1 rounds: l2k 6.00 reclaim 3.00 reclaim_off 0.00 oom 0.50 off 1.00 between 1.50 episodes 2.00 switches 1.00 other_episodes 0.00"*)
	ok "true_oom-split: a round is cut into reclaim, the OOM path, switched out and the rest" ;;
*) notok "true_oom-split: a round is cut into reclaim, the OOM path, switched out and the rest" "$out" ;;
esac

# --- wb_boot_kunit_check: a bench guest ran no KUnit suite ------------------
# A console with a (sub)test's KTAP line fails, whatever precedes it; one
# of a kernel built with KUnit must say "kunit: disabled"; one of a
# kernel without KUnit need not.
KC=$TMP/kunitcheck
mkdir -p "$KC"
printf '[    0.889714] kunit: disabled\n' >"$KC/off.log"
printf '[    0.888106] KTAP version 1\n[    0.888158]     KTAP version 1\n' >"$KC/ran.log"
printf '[    0.888106][    T1]     KTAP version 1\n' >"$KC/caller.log"
printf '[    0.9] Run /wb/init as init process\n' >"$KC/silent.log"
printf 'CONFIG_KUNIT=y\n' >"$KC/with.config"
printf '# CONFIG_KUNIT is not set\n' >"$KC/without.config"
out=$(. "$ROOT/scripts/lib.sh"
	for c in off:with ran:with caller:without silent:with silent:without; do
		if why=$(wb_boot_kunit_check "$KC/${c%%:*}.log" "$KC/${c##*:}.config"); then
			echo "$c ok"
		else
			echo "$c fails: $why"
		fi
	done 2>&1)
case $out in
"off:with ok
ran:with fails: KUnit ran at boot: a KTAP line on the console
caller:without fails: KUnit ran at boot: a KTAP line on the console
silent:with fails: KUnit not shown off: no \"kunit: disabled\" on the console of a kernel built with it
silent:without ok")
	ok "wb_boot_kunit_check: a KTAP line fails; a kernel with KUnit must say it is off" ;;
*) notok "wb_boot_kunit_check: a KTAP line fails; a kernel with KUnit must say it is off" "$out" ;;
esac

# --- wb_start_check: a guest's scenario began at START_UPTIME or later ------
mkdir -p "$TMP/sc/on" "$TMP/sc/early" "$TMP/sc/none"
echo 35.00 >"$TMP/sc/on/start-uptime.txt"
echo 34.99 >"$TMP/sc/early/start-uptime.txt"
out=$(. "$ROOT/scripts/lib.sh"
	for d in on early none; do
		if why=$(wb_start_check "$TMP/sc/$d" 35); then
			echo "$d: ok"
		else
			echo "$d: $why"
		fi
	done 2>&1)
case $out in
"on: ok
early: began at 34.99 s of uptime, not 35
none: began at an unknown s of uptime, not 35")
	ok "wb_start_check: a start at the bound passes; an earlier or unknown one fails, saying so" ;;
*) notok "wb_start_check: a start at the bound passes; an earlier or unknown one fails, saying so" "$out" ;;
esac

# --- wb_append_kunit_off: KUnit off last, and not to be overridden ----------
out=$(. "$ROOT/scripts/lib.sh"
	for a in "" "quiet" "x kunit.enable=1" "kunit.enable=0"; do
		if r=$(APPEND=$a wb_append_kunit_off); then
			echo "[$r]"
		else
			echo "fails: $r"
		fi
	done 2>&1)
case $out in
"[kunit.enable=0]
[quiet kunit.enable=0]
fails: APPEND=x kunit.enable=1: guests boot with kunit.enable=0; leave it out
fails: APPEND=kunit.enable=0: guests boot with kunit.enable=0; leave it out")
	ok "wb_append_kunit_off: kunit.enable=0 goes last; an APPEND that sets it is refused" ;;
*) notok "wb_append_kunit_off: kunit.enable=0 goes last; an APPEND that sets it is refused" "$out" ;;
esac

# --- ab-kernels.sh: a plan that does not wait for START_UPTIME is refused ----
printf '#!/bin/sh\nsh /wb/bench/scenarios/true_oom.sh\n' >"$TMP/plan-nowait.sh"
out=$(bash "$ROOT/bench/experiments/ab-kernels.sh" /nonexistent/a /nonexistent/b \
	"$TMP/plan-nowait.sh" 1 "$TMP/ab-nowait" 2>&1) && out="ran: $out"
case $out in
ran:*) notok "ab-kernels.sh: a plan with no START_UPTIME wait is refused" "$out" ;;
*"records no start uptime"*)
	if [ -e "$TMP/ab-nowait" ]; then
		notok "ab-kernels.sh: a plan with no START_UPTIME wait is refused" "made $TMP/ab-nowait"
	else
		ok "ab-kernels.sh: a plan with no START_UPTIME wait is refused"
	fi ;;
*) notok "ab-kernels.sh: a plan with no START_UPTIME wait is refused" "$out" ;;
esac
printf '#!/bin/sh\nwhile [ "$(cut -d. -f1 /proc/uptime)" -lt 8 ]; do sleep 0.1; done\ncut -d" " -f1 /proc/uptime >/results/start-uptime.txt\n' \
	>"$TMP/plan-8s.sh"
out=$(bash "$ROOT/bench/experiments/ab-kernels.sh" /nonexistent/a /nonexistent/b \
	"$TMP/plan-8s.sh" 1 "$TMP/ab-8s" 2>&1) && out="ran: $out"
case $out in
*"waits for 8 s of uptime, not START_UPTIME="*)
	if [ -e "$TMP/ab-8s" ]; then
		notok "ab-kernels.sh: a plan that waits for less than START_UPTIME is refused" "made $TMP/ab-8s"
	else
		ok "ab-kernels.sh: a plan that waits for less than START_UPTIME is refused"
	fi ;;
*) notok "ab-kernels.sh: a plan that waits for less than START_UPTIME is refused" "$out" ;;
esac

# --- record-run.py: a bench run into docs/runs, a failed run named ----------
R=$TMP/rec/20990101T000000Z
mkdir -p "$R/true_oom/base/results/bench" "$R/true_oom/patched.r2/results"
echo '{}' >"$R/meta.json"; echo '{}' >"$R/summary.json"; echo r >"$R/report.md"
printf 'Linux version 6.12.118-wb-base (x@y) #1 SMP Sun Dec  6\r\nkunit: disabled\r\n' \
	>"$R/true_oom/base/console.log"
echo 32.01 >"$R/true_oom/base/results/start-uptime.txt"
printf '%s\n' '{"name": "b", "value": 2, "unit": "ms"}' '{"name": "a", "value": null}' '{"name": "c", "va' \
	>"$R/true_oom/base/results/bench/metrics.jsonl"
echo "instances with objects of known size 9, without watermarks 1" >"$R/true_oom/base/results/start-instances.txt"
printf 'guest timed out\nsecond line\n' >"$R/true_oom/patched.r2/FAILED"
mkdir -p "$R/windup/patched/results"
echo 35.02 >"$R/windup/patched/results/start-uptime.txt"
printf '[bench true_oom/base] done in 9s\nnoise\n' >"$TMP/rec/stages.log"
out=$("$PY" "$ROOT/scripts/record-run.py" "$R" "$TMP/rec/out" "$TMP/rec/stages.log" 2>&1 &&
	cat "$TMP/rec/out/runs.tsv" "$TMP/rec/out/banners.txt" "$TMP/rec/out/start.txt" \
		"$TMP/rec/out/stages.txt"
	"$PY" "$ROOT/scripts/record-run.py" "$R" "$TMP/rec/out" 2>&1 || echo "refused")
case $out in
"record-run: 3 guest runs, 2 metrics, 3 notes -> $TMP/rec/out
scenario	kernel	run	metric	value	unit
true_oom	base	1	a		
true_oom	base	1	b	2	ms
# true_oom/base: metrics.jsonl line 3 unread: {\"name\": \"c\", \"va
# true_oom/patched.r2: FAILED: guest timed out / second line
# windup/patched: no metrics.jsonl
true_oom/base: 6.12.118-wb-base #1 SMP Sun Dec  6
true_oom/patched.r2: no banner on the console
windup/patched: no banner on the console
true_oom/base: began at 32.01 s; kunit: disabled; KTAP lines 0; instances with objects of known size 9, without watermarks 1
true_oom/patched.r2: began at unknown s; no \"kunit: disabled\"; KTAP lines 0
windup/patched: began at 35.02 s; no \"kunit: disabled\"; KTAP lines 0
[bench true_oom/base] done in 9s
record-run: $TMP/rec/out exists; a recorded run is not written over
refused")
	ok "record-run.py: every run's metrics, banner and start, a failed run named, none written over" ;;
*) notok "record-run.py: every run's metrics, banner and start, a failed run named, none written over" "$out" ;;
esac

# --- true_oom-prio.py: an episode's loops over the priorities ---------------
# two episodes of the hog: one reclaims at its second priority; one runs
# three loops (full walk, forced deactivation) and reclaims nothing.
# Another task's LRU pass in the window is not the hog's.  A shrinker's
# refusal (-1) frees nothing.
PR=$TMP/prio
mkdir -p "$PR/old.r1/results/bench" "$PR/new.r1/results/bench"
{
	echo '# tracer: nop'
	ev() { echo " stress-ng-vm-385 [000] d..1. 4.40000$1: $2"; }
	ev 0 'mm_vmscan_memcg_reclaim_begin: order=0'
	ev 1 'split_prio: (vmpressure_prio+0x0/0x120) prio=12'
	ev 1 'split_prio: (vmpressure_prio+0x0/0x120) prio=11'
	ev 2 'mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=32 nr_reclaimed=30 nr_dirty=0 nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=2 nr_ref_keep=0 nr_unmap_fail=0 priority=11 flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC'
	ev 2 'mm_shrink_slab_start: scan_shadow_nodes+0x0/0x30 00000000f00: nid: 0 objects to shrink 0 gfp_flags GFP_HIGHUSER_MOVABLE cache items 3 delta 1 total_scan 3 priority 0'
	ev 2 'mm_shrink_slab_end: scan_shadow_nodes+0x0/0x30 00000000f00: nid: 0 unused scan count 0 new scan count 0 total_scan 0 last shrinker return val 2'
	ev 2 'mm_shrink_slab_start: super_cache_scan+0x0/0x1a0 00000000f08: nid: 0 objects to shrink 0 gfp_flags GFP_HIGHUSER_MOVABLE cache items 40 delta 10 total_scan 10 priority 11'
	ev 2 'mm_shrink_slab_end: super_cache_scan+0x0/0x1a0 00000000f08: nid: 0 unused scan count 0 new scan count 0 total_scan 0 last shrinker return val -1'
	ev 3 'mm_vmscan_memcg_reclaim_end: nr_reclaimed=30'
	echo ' kswapd0-40 [001] d..1. 4.400004: mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=500 nr_reclaimed=500 nr_dirty=0 nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 nr_ref_keep=0 nr_unmap_fail=0 priority=3 flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC'
	ev 5 'mm_vmscan_memcg_reclaim_begin: order=0'
	for loop in 1 2 3; do
		for p in 12 11 10 9 8 7 6 5 4 3 2 1 0; do
			ev 6 "split_prio: (vmpressure_prio+0x0/0x120) prio=$p"
		done
	done
	ev 7 'mm_vmscan_lru_shrink_active: nid=0 nr_taken=8 nr_active=6 nr_deactivated=2 nr_referenced=6 priority=0 flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC'
	ev 8 'mm_vmscan_memcg_reclaim_end: nr_reclaimed=0'
	ev 9 'mark_victim: pid=385'
} >"$PR/old.r1/results/bench/trace-r0.txt"
cp "$PR/old.r1/results/bench/trace-r0.txt" "$PR/new.r1/results/bench/"
out=$("$PY" "$ROOT/bench/experiments/true_oom-prio.py" "$PR" 2>&1)
case $out in
*"old.r1: 1 rounds: episodes 2.00 prios 41.00 ep_loop1 1.00 ep_loop2 0.00 ep_loop3 1.00 ep_loop4 0.00 ep_zero 1.00 zero_loop2 0.00 zero_loop3 1.00 depth_hit 2.00 in_scan_file 32.00 in_rec_file 30.00 in_scan_anon 0.00 in_rec_anon 0.00 act_calls_file 1.00 act_taken_file 8.00 act_deact_file 2.00 act_calls_anon 0.00 slab_starts 2.00 slab_total 13.00 slab_freed 2.00 shadow_starts 1.00 shadow_items 3.00 shadow_total 3.00 shadow_freed 2.00"*)
	ok "true_oom-prio: an episode's loops, its depth, the hog's LRU and slab passes" ;;
*) notok "true_oom-prio: an episode's loops, its depth, the hog's LRU and slab passes" "$out" ;;
esac

# --- bench verdicts: report.py on synthetic results -------------------------
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	*) notok "${line#not ok }" ;;
	esac
done < <("$PY" "$ROOT/tests/host/report_test.py" 2>&1 ||
	echo "not ok report_test.py exited $?")

echo "1..$n"
[ "$nfail" = 0 ]
