#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lay out the patched tree: pristine base + patches/series + overlay.
#
# The patched tree is updated incrementally: every file is composed in a
# scratch stage first and copied over only when its content changed, so
# an unchanged file keeps its timestamp and kbuild rebuilds only what an
# edit touched.  Files that an earlier run patched or added and that the
# series no longer touches are restored from the base.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SERIES_DIR=${SERIES_DIR:-$WB_ROOT/patches}
OVERLAY=${OVERLAY:-$WB_ROOT}
OUT=${TREE_OUT:-$PATCHED_SRC}
LOG=$LOGS/tree.log
: >"$LOG"

# Overlay directories copied to the same path in the tree, plus selftests/
# which becomes tools/testing/selftests/shrinker.
OVERLAY_DIRS="mm/shrinker include fs Documentation"

extract_base() {
	[ -n "${KSRC:-}" ] && {
		[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/mm" ] ||
			die "KSRC=$KSRC is not a kernel source tree"
		[ -f "$KSRC/.config" ] &&
			die "KSRC=$KSRC has an in-tree build (.config); run 'make mrproper' there, builds here are out of tree"
		return 0
	}
	local tarball deb old
	tarball=$(wb_base_tarball) ||
		die "no /usr/src/linux-source-6.12.tar.xz; run 'make deps' or pass KSRC=/path/to/linux-6.12"
	# A package upgrade must not leave the old base extracted.
	deb=$(wb_base_deb_installed)
	if [ -f "$BASE_SRC/.wb-extracted" ]; then
		old=$(cat "$BASE_SRC/.wb-extracted")
		[ "$old" != "$deb" ] || return 0
		echo "  the base package is ${deb:-unknown}, the tree here came from ${old:-an unrecorded version}: extracting again"
	fi
	echo "  extracting $tarball (once)"
	rm -rf "$BASE_SRC" "$BASE_SRC.tmp"
	mkdir -p "$BASE_SRC.tmp"
	tar -C "$BASE_SRC.tmp" --strip-components=1 -xf "$tarball" >>"$LOG" 2>&1 ||
		die "cannot extract $tarball" "$LOG"
	echo "$deb" >"$BASE_SRC.tmp/.wb-extracted"
	mv "$BASE_SRC.tmp" "$BASE_SRC"
}

base_id() {
	local v
	v=$(wb_base_version_of "$BASE_SRC")
	if [ -n "${KSRC:-}" ]; then
		local d
		d=$(git -C "$KSRC" describe --always --dirty 2>/dev/null || echo "not a git tree")
		echo "KSRC=$KSRC kernelversion=$v git=$d"
	else
		local p
		p=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
		echo "debian linux-source-6.12 $p kernelversion=$v"
	fi
}

# Files a patch touches, relative to the tree root (-p1).
patch_files() {
	awk '/^\+\+\+ / || /^--- / {
		f = $2; sub(/\t.*/, "", f)
		if (f == "/dev/null") next
		sub(/^[^\/]*\//, "", f); print f }' "$1" | sort -u
}

# Patches named by the series file, in order; quilt comments and blank
# lines are skipped, and a -pN other than -p1 is refused.
series_patches() {
	[ -f "$SERIES_DIR/series" ] || return 0
	sed -e 's/#.*//' "$SERIES_DIR/series" | while read -r p opt; do
		[ -n "$p" ] || continue
		[ -z "$opt" ] || [ "$opt" = "-p1" ] ||
			die "patches/series: $p uses $opt; only -p1 is supported"
		echo "$p"
	done
}

stage_series() {
	local st=$1 p pf n=0
	for p in $(series_patches); do
		pf=$SERIES_DIR/$p
		[ -f "$pf" ] || die "patches/series names $p, which does not exist"
		n=$((n + 1))
		local f
		for f in $(patch_files "$pf"); do
			[ -e "$st/$f" ] || [ ! -f "$BASE_SRC/$f" ] || {
				mkdir -p "$st/$(dirname "$f")"
				cp -p "$BASE_SRC/$f" "$st/$f"
			}
		done
		local out
		if ! out=$(patch -d "$st" -p1 -f --fuzz=0 --no-backup-if-mismatch \
			-r - <"$pf" 2>&1); then
			echo "$out" >>"$LOG"
			local hunks
			hunks=$(echo "$out" | awk '/^patching file / { f = $3 }
				/Hunk #[0-9]+ FAILED/ { print "    " f ": " $0; next }
				/can.t find file|No file to patch|malformed|Reversed/ { print "    " $0 }')
			local hint="" have
			have=$(wb_base_deb_installed)
			[ -n "${KSRC:-}" ] || [ -z "$have" ] || [ "$have" = "$WB_BASE_DEB" ] ||
				hint="
    the series applies to linux-source-6.12 $WB_BASE_DEB: run 'make deps'"
			die "patch $p does not apply to the base ($(base_id)):
$hunks$hint" "$LOG"
		fi
		echo "$out" >>"$LOG"
		# A patch that deletes a file leaves a marker so the sync deletes it.
		for f in $(patch_files "$pf"); do
			[ -e "$st/$f" ] || { mkdir -p "$st/.wb-deleted/$(dirname "$f")"; : >"$st/.wb-deleted/$f"; }
		done
	done
	echo "$n"
}

stage_overlay() {
	local st=$1 d f
	for d in $OVERLAY_DIRS; do
		[ -d "$OVERLAY/$d" ] || continue
		while IFS= read -r f; do
			[ -f "$BASE_SRC/$f" ] &&
				die "overlay file $f exists in the base; change upstream files through patches/"
			mkdir -p "$st/$(dirname "$f")"
			cp -p "$OVERLAY/$f" "$st/$f"
		done < <(cd "$OVERLAY" && find "$d" -type f ! -name '*.o' ! -name '.*' | sort)
	done
	if [ -d "$OVERLAY/selftests" ]; then
		local dst=tools/testing/selftests/shrinker
		while IFS= read -r f; do
			mkdir -p "$st/$dst/$(dirname "$f")"
			cp -p "$OVERLAY/selftests/$f" "$st/$dst/$f"
		done < <(cd "$OVERLAY/selftests" && find . -type f ! -name '*.o' ! -name '*.ko' \
			! -name '.*' ! -name '*.mod*' ! -name 'Module.symvers' ! -name 'modules.order' |
			sed 's|^\./||' | sort)
	fi
}

# Replace a file by unlinking first: the tree may share inodes with the
# base through hard links, which must never be written through.
put() {
	rm -f "$2"
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2"
}

sync_tree() {
	local st=$1 manifest=$OUT/.wb-manifest new changed=0 restored=0 f
	new=$(mktemp)
	(cd "$st" && find . -type f ! -path './.wb-deleted/*' | sed 's|^\./||' | sort) >"$new.files"
	while IFS= read -r f; do
		echo "$f" >>"$new"
		cmp -s "$st/$f" "$OUT/$f" || { put "$st/$f" "$OUT/$f"; changed=$((changed + 1)); }
	done <"$new.files"
	if [ -d "$st/.wb-deleted" ]; then
		while IFS= read -r f; do
			echo "$f" >>"$new"
			[ ! -e "$OUT/$f" ] || { rm -f "$OUT/$f"; changed=$((changed + 1)); }
		done < <(cd "$st/.wb-deleted" && find . -type f | sed 's|^\./||')
	fi
	sort -o "$new" "$new"
	if [ -f "$manifest" ]; then
		while IFS= read -r f; do
			if [ -f "$BASE_SRC/$f" ]; then
				put "$BASE_SRC/$f" "$OUT/$f"
			else
				rm -f "$OUT/$f"
			fi
			restored=$((restored + 1))
		done < <(comm -23 "$manifest" "$new")
	fi
	mv "$new" "$manifest"
	rm -f "$new.files"
	echo "$changed changed, $restored restored"
}

stage "tree"
extract_base
id=$(base_id)
if [ ! -f "$OUT/.wb-base-id" ] || [ "$(cat "$OUT/.wb-base-id")" != "$id" ]; then
	echo "  creating the patched tree from $id"
	rm -rf "$OUT"
	mkdir -p "$(dirname "$OUT")"
	cp -al "$BASE_SRC" "$OUT" 2>>"$LOG" || cp -a "$BASE_SRC" "$OUT" ||
		die "cannot copy the base to $OUT" "$LOG"
	rm -f "$OUT/.wb-extracted" "$OUT/.wb-manifest"
	echo "$id" >"$OUT/.wb-base-id"
fi
STAGE_DIR=$(mktemp -d "$BUILD/.stage.XXXXXX")
trap 'rm -rf "$STAGE_DIR"' EXIT
npatch=$(stage_series "$STAGE_DIR")
stage_overlay "$STAGE_DIR"
res=$(sync_tree "$STAGE_DIR")
echo "$id" >"$BASE_VERSION_FILE"
stage_done "$npatch patches, $res; base: $id"
