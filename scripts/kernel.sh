#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build a workbench kernel out of tree with ccache.
#   kernel.sh patched|base      (DEBUG=1 for the checker variant)
# Both kernels use the same fragments; only the source tree differs.
# FULLCONFIG=1 builds from x86_64_defconfig instead of the lean guest config.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KIND=${1:?usage: kernel.sh patched|base}
case $KIND in
patched | base) ;;
*) WB_STAGE=kernel die "unknown kernel kind '$KIND' (patched or base)" ;;
esac
SRC=$(wb_src "$KIND")
OBJ=$(wb_obj "$KIND")
LOG=$LOGS/kernel-$KIND$WB_VARIANT.log
JOBS=${JOBS:-$(nproc)}

stage "kernel-$KIND$WB_VARIANT"
[ -f "$SRC/Makefile" ] || die "no source tree at $SRC; run 'make tree'"

# The lean guest config (configs/guest.config on allnoconfig) unless
# FULLCONFIG=1 asks for x86_64_defconfig + kvm_guest.config.  The
# fragments after the first are ours: every line of them must survive.
if [ $WB_CONFIG = lean ]; then
	base_target=allnoconfig
	frags=("$WB_ROOT/configs/guest.config")
else
	base_target=x86_64_defconfig
	frags=("$SRC/kernel/configs/kvm_guest.config")
fi
frags+=("$WB_ROOT/configs/wb.config")
[ -z "$WB_SUFFIX" ] || frags+=("$WB_ROOT/configs/${WB_SUFFIX#-}.config")
[ "$KIND" = base ] || frags+=("$WB_ROOT/configs/patched.config")
mkdir -p "$OBJ"
# Same fragments for both kernels; only LOCALVERSION tells them apart.
local_frag=$OBJ/.wb-local.config
printf 'CONFIG_LOCALVERSION="-wb-%s%s"\nCONFIG_LOCALVERSION_AUTO=n\n' "$KIND" "$WB_VARIANT" >"$local_frag.new"
cmp -s "$local_frag.new" "$local_frag" || mv "$local_frag.new" "$local_frag"
rm -f "$local_frag.new"
frags+=("$local_frag")

need_config=0
[ -f "$OBJ/.config" ] || need_config=1
for f in "${frags[@]}"; do
	[ "$f" -nt "$OBJ/.config" ] && need_config=1
done
: >"$LOG"
kmake() {
	make -C "$SRC" O="$OBJ" CC="$WB_CC" HOSTCC=gcc -j"$JOBS" \
		KBUILD_BUILD_USER=wb KBUILD_BUILD_HOST=wb "$@"
}
if [ $need_config = 1 ]; then
	echo "  configuring ($base_target + ${frags[*]##*/})"
	if [ $base_target = allnoconfig ]; then
		# allnoconfig with the fragments as its floor: every symbol
		# they do not set, or that nothing they set selects, is off.
		cat "${frags[@]}" >"$OBJ/.wb-all.config"
		kmake KCONFIG_ALLCONFIG="$OBJ/.wb-all.config" allnoconfig >>"$LOG" 2>&1 ||
			die "allnoconfig with the guest fragments failed" "$LOG"
	else
		kmake x86_64_defconfig >>"$LOG" 2>&1 || die "defconfig failed" "$LOG"
		(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" \
			"$OBJ/.config" "${frags[@]}") >>"$LOG" 2>&1 ||
			die "merging config fragments failed" "$LOG"
	fi
	kmake olddefconfig >>"$LOG" 2>&1 || die "olddefconfig failed" "$LOG"
	# An option of ours that Kconfig dropped (missing dependency,
	# renamed symbol) would silently test something else: refuse.
	# kvm_guest.config (first in a full build) carries other arches'
	# symbols; guest.config (first in a lean one) is ours and checked.
	own=("${frags[@]:1}")
	[ $base_target = x86_64_defconfig ] || own=("${frags[@]}")
	# A later fragment overrides an earlier one, as in the merge: the
	# last line for a symbol is the one checked.
	missing=$(cat "${own[@]}" | grep -E '^CONFIG_[A-Z0-9_]+=' |
		awk -F= '{ last[$1] = $0 } END { for (k in last) print last[k] }' | sort |
		while IFS= read -r l; do
			k=${l%%=*}
			v=${l#*=}
			if [ "$v" = n ]; then
				grep -qE "^$k=(y|m)\$" "$OBJ/.config" && echo "  $l (got $(grep -E "^$k=" "$OBJ/.config"))"
			else
				grep -qxF "$l" "$OBJ/.config" || echo "  $l (got: $(grep -E "^(# )?$k[= ]" "$OBJ/.config" || echo unset))"
			fi
		done || true)
	if [ -n "$missing" ]; then
		# Not left as .config: the next run would find it newer
		# than the fragments and build it unchecked.
		mv "$OBJ/.config" "$OBJ/.config.rejected"
		die "config options did not survive olddefconfig (.config.rejected):
$missing" "$LOG"
	fi
fi

# Progress: count build steps against the previous build's total, or on a
# first build against the total measured for this configuration (lean:
# 1976-1999 steps, session 14; defconfig-based: about 3750).
first=2000
[ $WB_CONFIG = lean ] || first=3750
total=$(cat "$OBJ/.wb-ncc" 2>/dev/null || echo $first)
(
	while sleep 20; do
		n=$(grep -cE '^  (CC|AS|LD|AR)' "$LOG" 2>/dev/null || true)
		printf '  [%s] %d/~%d steps (%d%%)\n' "$WB_STAGE" "$n" "$total" \
			$((n > total ? 99 : n * 100 / total))
	done
) &
mon=$!
trap 'kill $mon 2>/dev/null || true; rm -f "$OBJ/arch/x86/boot/compressed/.wb-payload"' EXIT
kmake bzImage modules >>"$LOG" 2>&1 || die "kernel build failed: $(grep -m1 -E 'error:|Error [0-9]' "$LOG" || true)" "$LOG"

# piggy.S pulls the compressed vmlinux in with .incbin, which neither the
# compiler's dependency output nor ccache's depend mode sees: ccache keys
# piggy.o on piggy.S alone, whose only contents are the payload's sizes.
# Two kernels whose compressed sizes matched shared one piggy.o, and the
# newer bzImage booted the older kernel (a one-line edit did, 2026-12-06).
# Check the payload against the vmlinux just built; rebuild it uncached.
payload_stale() {
	local dir=$OBJ/arch/x86/boot/compressed blob
	blob=$(sed -n 's/^\.incbin "\(.*\)"$/\1/p' "$dir/piggy.S")
	[ -n "$blob" ] && [ -f "$OBJ/$blob" ] ||
		die "no compressed payload named in $dir/piggy.S" "$LOG"
	objcopy -O binary --only-section=.rodata..compressed "$dir/piggy.o" "$dir/.wb-payload" ||
		die "cannot read the payload out of $dir/piggy.o" "$LOG"
	! cmp -s "$dir/.wb-payload" "$OBJ/$blob"
}
if payload_stale; then
	echo "  bzImage carried a stale payload (a cached piggy.o): rebuilding it without ccache" |
		tee -a "$LOG"
	rm -f "$OBJ/arch/x86/boot/compressed/piggy.o"
	CCACHE_DISABLE=1 kmake bzImage >>"$LOG" 2>&1 ||
		die "kernel build failed: $(grep -m1 -E 'error:|Error [0-9]' "$LOG" || true)" "$LOG"
	payload_stale && die "bzImage's payload is not the vmlinux just built" "$LOG"
fi
kill $mon 2>/dev/null || true
n=$(grep -cE '^  (CC|AS|LD|AR)' "$LOG" || true)
[ "$n" -gt 100 ] && echo "$n" >"$OBJ/.wb-ncc"
kver=$(cat "$OBJ/include/config/kernel.release")
stage_done "$kver, $n steps, $OBJ/arch/x86/boot/bzImage"
