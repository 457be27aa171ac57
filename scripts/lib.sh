#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Common helpers for the workbench scripts: paths, stage timing and errors.

WB_ROOT=${WB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$WB_ROOT/build}
LOGS=$BUILD/logs
mkdir -p "$LOGS"

WB_STAGE=${WB_STAGE:-workbench}
WB_T0=$(date +%s)

# stage NAME: start a stage.  A stage prints one line, at its end, with its
# name and elapsed time (stage_done); long stages add indented progress.
stage() {
	WB_STAGE=$1
	WB_T0=$(date +%s)
}

stage_done() {
	printf '[%s] done in %ds%s\n' "$WB_STAGE" $(($(date +%s) - WB_T0)) \
		"${1:+ ($1)}"
}

# die REASON [LOG]: name the stage, the reason and the log, then exit 1.
die() {
	printf '[%s] FAILED: %s\n' "$WB_STAGE" "$1" >&2
	if [ -n "${2:-}" ]; then
		printf '[%s] log: %s\n' "$WB_STAGE" "$2" >&2
		if [ -f "$2" ]; then
			printf -- '--- last lines of %s ---\n' "$2" >&2
			tail -n "${WB_TAIL:-25}" "$2" >&2
		fi
	fi
	exit 1
}

# Layout: build/{base,patched}/{linux,obj[-full][-debug]}.  Source and objects sit
# at the same relative place for both kernels, so with CCACHE_BASEDIR the
# base build reuses the patched build's objects for every unchanged file.
BASE_SRC=${KSRC:-$BUILD/base/linux}
PATCHED_SRC=$BUILD/patched/linux
BASE_VERSION_FILE=$BUILD/BASE_VERSION
export CCACHE_BASEDIR=$BUILD
# Depend mode: on a miss ccache takes the headers from the compiler's own
# -MMD output instead of running the preprocessor a second time, which
# made a cold kernel build 1.6x slower (fs/xfs: 217 s against 133 s).
# It gives up preprocessor-mode hits, which base and patched could not
# share anyway: the series changes headers nearly every file includes.
# CCACHE_NODEPEND=1 restores the default mode (ccache takes "0" in a
# boolean variable as an error, not as off).
[ -n "${CCACHE_NODEPEND:-}" ] || export CCACHE_DEPEND=1

# DEBUG=1 builds the checker variant next to the normal one, DEBUG=kcsan
# the data-race detector's (KCSAN and KASAN exclude each other).
case ${DEBUG:-0} in
0) WB_SUFFIX= ;;
1) WB_SUFFIX=-debug ;;
kcsan) WB_SUFFIX=-kcsan ;;
*) die "DEBUG=$DEBUG: 0, 1 or kcsan" ;;
esac
# FULLCONFIG=1 builds from x86_64_defconfig instead of the lean guest
# config; its objects, module and extras sit apart (obj-full[-debug]), so
# switching between the two never rebuilds either.
# The debug kernel is lean too: built from defconfig it alone takes
# longer than CI's whole budget from a cold cache (docs/workbench.md).
# WB_CONFIG (lean or full) is what the scripts test.
WB_CONFIG=lean
[ "${FULLCONFIG:-0}" = 0 ] || WB_CONFIG=full
WB_VARIANT=$WB_SUFFIX
[ $WB_CONFIG = lean ] || WB_VARIANT=-full$WB_SUFFIX
WB_CC=gcc
command -v ccache >/dev/null && WB_CC="ccache gcc"

# wb_src KIND, wb_obj KIND: a kernel's source and object directories.
wb_src() {
	if [ "$1" = base ]; then echo "$BASE_SRC"; else echo "$PATCHED_SRC"; fi
}

wb_obj() {
	echo "$BUILD/$1/obj$WB_VARIANT"
}

# The Debian package the series is rebased on.  Stable updates move the
# context of the patches (6.12.118 changed try_charge_memcg(), shrink_one()
# and cleanup_offline_cgwb()), so every machine builds the same base.
WB_BASE_DEB=${WB_BASE_DEB:-6.12.118-1~deb12u1}

# The installed version, empty if none or not a Debian system.
wb_base_deb_installed() {
	{ dpkg-query -W -f='${db:Status-Status} ${Version}' linux-source-6.12 \
		2>/dev/null || true; } | sed -n 's/^installed //p'
}

# Which base source tree and version are in use.
wb_base_tarball() {
	local t
	for t in /usr/src/linux-source-6.12.tar.xz /usr/src/linux-source-6.12.tar.bz2; do
		[ -f "$t" ] && { echo "$t"; return 0; }
	done
	return 1
}

wb_base_version_of() {
	make -s -C "$1" kernelversion 2>/dev/null
}

# wb_append_kunit_off: APPEND with kunit.enable=0 last, for guests that
# must not run KUnit at boot (wb_boot_kunit_check); fails, saying why,
# when APPEND sets kunit.enable itself.
wb_append_kunit_off() {
	case " ${APPEND:-} " in
	*" kunit.enable="*)
		echo "APPEND=$APPEND: guests boot with kunit.enable=0; leave it out"
		return 1 ;;
	esac
	echo "${APPEND:+$APPEND }kunit.enable=0"
}

# The uptime, in whole seconds, each bench scenario begins at unless
# START_UPTIME says otherwise, in make bench and ab-kernels.sh alike
# (scripts/bench.sh says why; scripts/status.py holds the same figure, a
# host test the two equal).
WB_START_UPTIME=35

# wb_start_check RESULTS MIN: the guest's scenario began at MIN s of
# uptime or later, as its plan wrote in RESULTS/start-uptime.txt.
# Prints why not, and fails.
wb_start_check() {
	awk -v min="$2" '$1 + 0 >= min { ok = 1 } END { exit !ok }' \
		"$1/start-uptime.txt" 2>/dev/null && return 0
	echo "began at $(cat "$1/start-uptime.txt" 2>/dev/null || echo "an unknown") s of uptime, not $2"
	return 1
}

# wb_boot_kunit_check CONSOLE [CONFIG]: the guest booted with
# kunit.enable=0 ran no KUnit suite: no KTAP line on its console and,
# from a kernel whose CONFIG has KUnit, its own "kunit: disabled".  A
# patched kernel that ran its suites began its scenario 3.2 s later than
# base (docs/workbench.md).  Prints why not, and fails.
wb_boot_kunit_check() {
	if grep -aq 'KTAP version' "$1" 2>/dev/null; then
		echo "KUnit ran at boot: a KTAP line on the console"
		return 1
	fi
	if [ -n "${2:-}" ] && grep -q '^CONFIG_KUNIT=y' "$2" 2>/dev/null &&
	   ! grep -aq 'kunit: disabled' "$1" 2>/dev/null; then
		echo "KUnit not shown off: no \"kunit: disabled\" on the console of a kernel built with it"
		return 1
	fi
}
