#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel on a fresh copy of build/rootfs.img, run a plan, collect it.
#   run-guest.sh BZIMAGE PLAN OUTDIR [EXTRA_DIR]
# The plan becomes /wb/plan.sh and EXTRA_DIR's files (the test module built
# for this kernel) are written over the image root.
# Env: MEM (MiB, default 2048), SMP (2), TIMEOUT (s, default 1200),
#      KVM=1, QEMU (binary), APPEND (extra kernel cmdline), ROOTFS_IMG,
#      SCRATCH_MB (size of the empty second disk, /dev/vdb; default 1024),
#      NODES (NUMA nodes, default 1: a socket each, MEM and SMP split
#      evenly), ICOUNT (a shift 0-10: one guest clock advanced 2^ICOUNT
#      ns by each instruction any vCPU executes, the vCPUs taking turns on
#      one host thread; with every vCPU idle it jumps to the next timer
#      deadline; unset: multi-threaded TCG in host time).
# Exit status: 0 when the plan ran to its end with no kernel splat, 1 on a
# boot failure, panic, oops, WARN, lockdep/KASAN/hung-task report or a
# time-out, each named, with the console tail.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KERNEL=${1:?usage: run-guest.sh BZIMAGE PLAN OUTDIR [EXTRA_DIR]}
PLAN=${2:?plan}
OUT=${3:?outdir}
EXTRA=${4:-}
MEM=${MEM:-2048}
SMP=${SMP:-2}
TIMEOUT=${TIMEOUT:-1200}
SCRATCH_MB=${SCRATCH_MB:-1024}
NODES=${NODES:-1}
QEMU=${QEMU:-qemu-system-x86_64}
IMG=${ROOTFS_IMG:-$BUILD/rootfs.img}
WB_STAGE=${WB_STAGE:-guest}

[ -f "$KERNEL" ] || die "no kernel image $KERNEL"
[[ $NODES =~ ^[1-9][0-9]*$ ]] && [ "$NODES" -le 8 ] ||
	die "NODES=$NODES: use a whole number of NUMA nodes from 1 to 8"
[[ $MEM =~ ^[1-9][0-9]*$ ]] || die "MEM=$MEM: use a whole number of MiB"
[[ $SMP =~ ^[1-9][0-9]*$ ]] || die "SMP=$SMP: use a whole number of CPUs"
[ $((MEM % NODES)) = 0 ] ||
	die "MEM=$MEM MiB does not split into $NODES equal nodes: use a multiple of $NODES"
[ $((SMP % NODES)) = 0 ] ||
	die "SMP=$SMP CPUs do not split into $NODES equal nodes: use a multiple of $NODES"
[ -z "${ICOUNT:-}" ] || { [[ $ICOUNT =~ ^([0-9]|10)$ ]] && [ "${KVM:-0}" != 1 ]; } ||
	die "ICOUNT=$ICOUNT: use a shift from 0 to 10, under TCG (not with KVM=1)"
[ -f "$PLAN" ] || die "no plan $PLAN"
[ -f "$IMG" ] || die "no root image at $IMG; run 'make rootfs'"
command -v "$QEMU" >/dev/null || die "$QEMU not found; run 'make deps'"

# A KASAN kernel under 5-level paging can report a false wild-memory-access
# from an interrupt taken while identify_cpu() rewrites the boot CPU's
# capabilities: LA57 reads as clear and KASAN checks against the 4-level
# shadow bound ("kasan: Fix false-positive wild-memory-access on x86 under
# 5-level paging", LKML, June 2026).  -cpu max and many hosts offer LA57,
# so a KASAN kernel boots with 4-level paging.
if grep -qs '^CONFIG_KASAN=y' "$(dirname "$KERNEL")/../../../.config"; then
	APPEND="no5lvl ${APPEND:-}"
fi

mkdir -p "$OUT"
CONSOLE=$OUT/console.log
WORK=$(mktemp -d "$BUILD/.guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# A fresh image for each run: no state leaks between runs or kernels.
prepare_image() {
	cp --sparse=always "$IMG" "$WORK/disk.img"
	# /dev/vdb: an empty disk for tests that make their own filesystem
	# (XFS): a real block device, whose IO charges no memcg.  Empty for
	# a retry too: truncate alone would keep what the first boot wrote.
	rm -f "$WORK/scratch.img"
	truncate -s "${SCRATCH_MB}M" "$WORK/scratch.img"
	{
		echo "rm /wb/plan.sh"
		echo "write $PLAN /wb/plan.sh"
		if [ -n "$EXTRA" ]; then
			(cd "$EXTRA" && find . -mindepth 1 -type d | sed 's|^\.||' | sort) |
				while read -r d; do echo "mkdir $d"; done
			(cd "$EXTRA" && find . -type f | sed 's|^\.||' | sort) |
				while read -r f; do echo "rm $f"; echo "write $EXTRA$f $f"; done
		fi
	} >"$WORK/inject.cmd"
	debugfs -w -f "$WORK/inject.cmd" "$WORK/disk.img" >"$WORK/inject.log" 2>&1 ||
		die "cannot write the plan into the image" "$WORK/inject.log"
	debugfs -R "stat /wb/plan.sh" "$WORK/disk.img" 2>/dev/null | grep -q 'Type: regular' ||
		die "the plan is missing from the image after injection" "$WORK/inject.log"
}

accel=(-accel tcg,thread=multi -cpu max)
# Guest time from the instruction count: a figure in guest ms counts the
# instructions every vCPU executed over its span, whatever else the host
# runs.  A wait for a timer is counted in full; one for host IO lasts
# until the next timer deadline.
[ -n "${ICOUNT:-}" ] && accel=(-accel tcg,thread=single -cpu max -icount "shift=$ICOUNT,sleep=off")
[ "${KVM:-0}" = 1 ] && accel=(-accel kvm -cpu host)

# NODES > 1: a socket and a RAM backend a node, the CPUs split evenly.
# A socket spanning two nodes shares its LLC across them, which the
# kernel warns of at boot (topology_sane()).
smp=$SMP
numa=()
if [ "$NODES" -gt 1 ]; then
	smp="$SMP,sockets=$NODES,cores=$((SMP / NODES)),threads=1"
	for ((n = 0; n < NODES; n++)); do
		numa+=(-object "memory-backend-ram,id=mem$n,size=$((MEM / NODES))M"
		       -numa "node,nodeid=$n,memdev=mem$n,cpus=$((n * SMP / NODES))-$(((n + 1) * SMP / NODES - 1))")
	done
fi

boot() {
	: >"$CONSOLE"
	set +e
	timeout --kill-after=10 "$TIMEOUT" "$QEMU" "${accel[@]}" -smp "$smp" -m "$MEM" \
		"${numa[@]}" -kernel "$KERNEL" \
		-append "console=ttyS0 root=/dev/vda rw rootfstype=ext4 init=/wb/init panic=-1 printk.time=1 ${APPEND:-}" \
		-drive "file=$WORK/disk.img,if=virtio,format=raw,cache=unsafe" \
		-drive "file=$WORK/scratch.img,if=virtio,format=raw,cache=unsafe" \
		-display none -monitor none -serial "file:$CONSOLE" -no-reboot \
		-nic none >"$OUT/qemu.log" 2>&1
	qrc=$?
	set -e
}

# Multi-threaded TCG can run a stale int3 that the kernel's text patching
# (static keys, text_poke_bp) has already removed on another vCPU: an
# "Oops: int3" whose RIP sits on a patched site.  That is the emulator,
# not the kernel under test, so under TCG, and only for that oops, the run
# is repeated once on a fresh image; the first console is kept.
tcg_int3_race() {
	[ "${KVM:-0}" != 1 ] && grep -q 'Oops: int3' "$CONSOLE" &&
		[ "$(python3 "$WB_ROOT/scripts/wbtap.py" splats "$CONSOLE" |
			grep -vc -e 'Oops: int3' -e 'Kernel panic - not syncing: Fatal exception')" = 0 ]
}

prepare_image
boot
if tcg_int3_race; then
	mv "$CONSOLE" "$OUT/console.tcg-int3.log"
	printf '[%s] retrying once: TCG int3 text-patching race at boot (%s; console kept as %s)\n' \
		"$WB_STAGE" "$(grep -m1 'RIP:' "$OUT/console.tcg-int3.log" | sed 's/^\[[^]]*\] //')" \
		"$OUT/console.tcg-int3.log" >&2
	prepare_image
	boot
fi

# Collect whatever the guest left, even after a failure.
rm -rf "$OUT/results"
debugfs -R "rdump /results $OUT" "$WORK/disk.img" >/dev/null 2>&1 || true

splats=$(python3 "$WB_ROOT/scripts/wbtap.py" splats "$CONSOLE" || true)
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	die "guest timed out after ${TIMEOUT}s (hung guest)${splats:+; kernel reports:
$splats}" "$CONSOLE"
fi
[ -n "$splats" ] && die "kernel reported:
$splats" "$CONSOLE"
grep -q '^WB-BOOTED' "$CONSOLE" ||
	die "guest did not reach userspace (qemu exit $qrc: $(tail -n 3 "$OUT/qemu.log" | tr '\n' ' '))" "$CONSOLE"
done_line=$(grep -a '^WB-DONE' "$CONSOLE" | tail -n 1 || true)
[ -n "$done_line" ] || die "guest stopped before the plan finished (qemu exit $qrc)" "$CONSOLE"
exit 0
