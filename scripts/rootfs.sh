#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest root filesystem, build/rootfs.img (ext4 for virtio-blk,
# made with mkfs.ext4 -d from the build/rootfs/ staging directory):
# busybox, a coreutils timeout (the kselftest runner needs --foreground),
# stress-ng and fio with their libraries, the upstream cgroup kselftests,
# a set of upstream mm kselftests and the project's selftests.  Each guest run boots a fresh copy of it.
#   DISK_MB: image size (default 2048; sparse).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC=$PATCHED_SRC
ROOT=$BUILD/rootfs
KST=$BUILD/kselftest
IMG=$BUILD/rootfs.img
DISK_MB=${DISK_MB:-2048}
LOG=$LOGS/rootfs.log
: >"$LOG"

stage rootfs
[ -d "$SRC/tools/testing/selftests" ] || die "no tree at $SRC; run 'make tree'"
for b in busybox stress-ng fio timeout mkfs.ext4 mkfs.xfs; do
	command -v "$b" >/dev/null || die "$b is missing; run 'make deps'"
done
[ "$(file -b "$(command -v busybox)" | grep -c 'statically linked')" = 1 ] ||
	die "busybox is not static; install busybox-static ('make deps')"

rm -rf "$ROOT.new"
mkdir -p "$ROOT.new"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,mnt,root,results,wb,lib,lib64}
cp "$(command -v busybox)" "$ROOT.new/bin/busybox"
for a in $("$ROOT.new/bin/busybox" --list-full); do
	[ -e "$ROOT.new/$a" ] || ln -s /bin/busybox "$ROOT.new/$a"
done

# Copy a dynamic binary with the libraries it loads.
copy_bin() {
	local bin=$1 dst=$2 lib
	rm -f "$ROOT.new/$dst"
	mkdir -p "$ROOT.new/$(dirname "$dst")"
	cp -L "$bin" "$ROOT.new/$dst"
	for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$ROOT.new/$lib" ] && continue
		mkdir -p "$ROOT.new/$(dirname "$lib")"
		cp -L "$lib" "$ROOT.new/$lib"
	done
}
copy_bin "$(command -v timeout)" /usr/bin/timeout
copy_bin "$(command -v stress-ng)" /usr/bin/stress-ng
copy_bin "$(command -v fio)" /usr/bin/fio
copy_bin "$(command -v stdbuf)" /usr/bin/stdbuf
# A real mkfs.ext4 (busybox makes ext2 only) for the churn's loop mounts.
copy_bin "$(command -v mke2fs)" /usr/sbin/mkfs.ext4
[ -f /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$ROOT.new/etc/"
# XFS, whose inode reclaim reports in-flight work (test_xfs.sh, bench).
copy_bin "$(command -v mkfs.xfs)" /usr/sbin/mkfs.xfs
# stdbuf preloads this; the runner only uses stdbuf when it is present.
for l in /usr/libexec/coreutils/libstdbuf.so /usr/lib/x86_64-linux-gnu/coreutils/libstdbuf.so; do
	[ -f "$l" ] && { mkdir -p "$ROOT.new/$(dirname "$l")"; cp "$l" "$ROOT.new/$l"; }
done
# glibc resolves "localhost" through NSS (test_memcg_sock).
for l in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2; do
	[ -f "$l" ] && cp -L "$l" "$ROOT.new/lib/x86_64-linux-gnu/"
done

cat >"$ROOT.new/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT.new/etc/group"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$ROOT.new/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files\n' >"$ROOT.new/etc/nsswitch.conf"
cp "$WB_ROOT/scripts/guest-init.sh" "$ROOT.new/wb/init"
chmod +x "$ROOT.new/wb/init"

# Upstream cgroup kselftests and the project's selftest programs, built
# from the patched tree; the test module is per kernel (selftests.sh).
echo "  building the cgroup and shrinker kselftests"
rm -rf "$KST"
make -C "$SRC/tools/testing/selftests" O="$KST/obj" TARGETS="cgroup shrinker" \
	KSFT_INSTALL_PATH="$ROOT.new/kselftest" install >>"$LOG" 2>&1 ||
	die "building the cgroup kselftests failed" "$LOG"

# Upstream mm kselftests that go through reclaim, as peers run on both
# kernels.  6.12's mm directory does not build whole (khugepaged.c lacks
# an include), so build what does and take the programs listed here.
MM_PEERS="compaction_test droppable madv_populate mlock2-tests mlock-random-test
mrelease_test split_huge_page_test"
echo "  building the mm kselftest peers"
make -k -j"$(nproc)" -C "$SRC/tools/testing/selftests" O="$KST/obj" TARGETS=mm >>"$LOG" 2>&1 || true
mkdir -p "$ROOT.new/kselftest/mm"
for p in $MM_PEERS; do
	[ -x "$KST/obj/kselftest/mm/$p" ] ||
		die "the mm kselftest $p did not build" "$LOG"
	copy_bin "$KST/obj/kselftest/mm/$p" "/kselftest/mm/$p"
	echo "mm:$p" >>"$ROOT.new/kselftest/kselftest-list.txt"
done
cp "$SRC/tools/testing/selftests/mm/settings" "$ROOT.new/kselftest/mm/" 2>/dev/null || true
cp -a "$WB_ROOT/bench" "$ROOT.new/wb/bench"

rm -f "$IMG.new"
truncate -s "${DISK_MB}M" "$IMG.new"
mkfs.ext4 -q -F -E root_owner=0:0 -d "$ROOT.new" "$IMG.new" >>"$LOG" 2>&1 ||
	die "mkfs.ext4 -d failed" "$LOG"
rm -rf "$ROOT"
mv "$ROOT.new" "$ROOT"
mv "$IMG.new" "$IMG"
stage_done "$IMG: $(du -sh "$ROOT" | cut -f1) in a ${DISK_MB} MiB image"
