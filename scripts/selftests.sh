#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the project's test module against one kernel into
# build/KIND/extra/, which run-guest.sh lays over the guest image.  The
# selftest programs themselves are kernel-independent and live in the
# rootfs; only the module differs between the base and patched kernel.
#   selftests.sh patched|base
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KIND=${1:?usage: selftests.sh patched|base}
OBJ=$(wb_obj "$KIND")
EXTRA=$BUILD/$KIND/extra$WB_VARIANT
MOD=$BUILD/$KIND/mod$WB_VARIANT
LOG=$LOGS/module-$KIND$WB_VARIANT.log
: >"$LOG"

stage "module-$KIND$WB_VARIANT"
[ -f "$OBJ/Module.symvers" ] || die "no built kernel in $OBJ; run 'make kernel'"
# A private copy per kernel: kbuild does not notice a KDIR change, so a
# shared module directory would hand one kernel the other's module.
mkdir -p "$MOD"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	"$WB_ROOT/selftests/test_module/" "$MOD/src/" >>"$LOG" 2>&1
make -C "$OBJ" M="$MOD/src" CC="$WB_CC" modules >>"$LOG" 2>&1 ||
	die "building the test module failed: $(grep -m1 'error:' "$LOG" || true)" "$LOG"
rm -rf "$EXTRA"
mkdir -p "$EXTRA/kselftest/shrinker"
cp "$MOD"/src/*.ko "$EXTRA/kselftest/shrinker/"
stage_done "$(cd "$EXTRA/kselftest/shrinker" && ls ./*.ko | tr '\n' ' ')for $(cat "$OBJ/include/config/kernel.release")"
