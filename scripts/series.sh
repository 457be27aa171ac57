#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make series: export patches/series plus the overlay as a git
# format-patch series against the base, with a cover letter, and run
# checkpatch --strict over every exported patch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

G=$BUILD/series-git
OUT=$BUILD/series
LOG=$LOGS/series.log
: >"$LOG"
stage series
[ -f "$BASE_SRC/Makefile" ] || die "no base tree; run 'make tree'"

rm -rf "$G" "$OUT"
mkdir -p "$G" "$OUT"
git -C "$G" init -q
git -C "$G" config user.name "${GIT_AUTHOR_NAME:-$(git -C "$WB_ROOT" config user.name || echo wb)}"
git -C "$G" config user.email "${GIT_AUTHOR_EMAIL:-$(git -C "$WB_ROOT" config user.email || echo wb@invalid)}"

# The export's base commit holds only the files the series touches, at
# their base versions: the diffs are those against the full tree.
patches=$(sed -e 's/#.*//' "$WB_ROOT/patches/series" | awk 'NF { print $1 }' | tr '\n' ' ')
for p in $patches; do
	awk '/^(\+\+\+|---) / { f = $2; sub(/\t.*/, "", f); if (f != "/dev/null") {
		sub(/^[^\/]*\//, "", f); print f } }' "$WB_ROOT/patches/$p"
done | sort -u | while read -r f; do
	[ -f "$BASE_SRC/$f" ] || continue
	mkdir -p "$G/$(dirname "$f")"
	cp "$BASE_SRC/$f" "$G/$f"
done
echo "base" >"$G/.wb-base"
git -C "$G" add -A
git -C "$G" commit -q -m "base: $(cat "$BASE_VERSION_FILE" 2>/dev/null || echo unknown)"
base=$(git -C "$G" rev-parse HEAD)

# Patches and overlay changes are exported in the order the project made
# them, so every point of the exported series builds as the project's
# history did: a patch goes in at the commit that first listed it in
# patches/series (in its current version), the overlay with each commit
# that changed it, under that commit's message.  Uncommitted overlay edits
# are not exported: commit them first.
sob="Signed-off-by: $(git -C "$G" config user.name) <$(git -C "$G" config user.email)>"
applied=" "
apply_patch() {
	grep -q '^Subject:' "$WB_ROOT/patches/$1" ||
		die "patches/$1 has no mail header (From:/Subject:); write it with git format-patch"
	git -C "$G" am -q --keep-cr "$WB_ROOT/patches/$1" >>"$LOG" 2>&1 ||
		die "git am failed on $1" "$LOG"
	applied="$applied$1 "
}
# The overlay as it was at project commit $1, committed under its message.
# Only the overlay's own files are replaced: an area such as include/ also
# holds base files the patches edit.
OVL_LIST=$BUILD/series-overlay.list
: >"$OVL_LIST"
export_overlay() {
	local area f dst
	while read -r f; do
		rm -f "${G:?}/$f"
	done <"$OVL_LIST"
	: >"$OVL_LIST"
	for area in include mm/shrinker fs Documentation selftests; do
		git -C "$WB_ROOT" cat-file -e "$1:$area" 2>/dev/null || continue
		git -C "$WB_ROOT" ls-tree -r --name-only "$1" -- "$area" | while read -r f; do
			dst=$f
			[ $area = selftests ] && dst=tools/testing/selftests/shrinker/${f#selftests/}
			mkdir -p "$G/$(dirname "$dst")"
			git -C "$WB_ROOT" show "$1:$f" >"$G/$dst"
			[ -x "$WB_ROOT/$f" ] && chmod +x "$G/$dst"
			echo "$dst" >>"$OVL_LIST"
		done
	done
	git -C "$G" add -A
	git -C "$G" diff --cached --quiet && return 0
	{
		git -C "$WB_ROOT" log -1 --format=%B "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
		git -C "$WB_ROOT" log -1 --format=%B "$1" | grep -q '^Signed-off-by:' || printf '\n%s\n' "$sob"
	} | git -C "$G" commit -q -F -
}

# Within one project commit the overlay goes first: new files are inert
# until a patch hooks them into the build.
for c in $(git -C "$WB_ROOT" log --reverse --format=%H -- patches/series include mm/shrinker fs Documentation selftests); do
	export_overlay "$c"
	for p in $(git -C "$WB_ROOT" show "$c:patches/series" 2>/dev/null | sed -e 's/#.*//' | awk 'NF { print $1 }'); do
		case $applied in *" $p "*) continue ;; esac
		case " $patches " in *" $p "*) apply_patch "$p" ;; esac
	done
done
# Patches listed now but never committed to the series come last.
for p in $patches; do
	case $applied in *" $p "*) ;; *) apply_patch "$p" ;; esac
done

git -C "$G" format-patch -q --cover-letter -o "$OUT" "$base..HEAD" >>"$LOG" 2>&1
cover=$(ls "$OUT"/0000-*.patch)
if [ -f "$WB_ROOT/docs/cover-letter.txt" ]; then
	subj=$(head -n 1 "$WB_ROOT/docs/cover-letter.txt")
	body=$(tail -n +3 "$WB_ROOT/docs/cover-letter.txt")
	python3 - "$cover" "$subj" "$body" <<'PY'
import sys
p, subj, body = sys.argv[1:4]
s = open(p).read()
s = s.replace('*** SUBJECT HERE ***', subj).replace('*** BLURB HERE ***', body)
open(p, 'w').write(s)
PY
fi
# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") fires on every
# patch that adds a file; the MAINTAINERS entry is a patch of its own.
n=0
bad=0
for p in "$OUT"/*.patch; do
	case $p in */0000-*) continue ;; esac
	n=$((n + 1))
	if ! (cd "$BASE_SRC" && perl scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore FILE_PATH_CHANGES "$p") >>"$LOG" 2>&1; then
		bad=$((bad + 1))
		echo "  checkpatch findings in $(basename "$p")"
	fi
done
[ $bad = 0 ] || die "$bad of $n patches have checkpatch findings" "$LOG"
stage_done "$n patches + cover letter in $OUT"
