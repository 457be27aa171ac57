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
patches=$(sed -e 's/#.*//' "$WB_ROOT/patches/series" | awk 'NF { print $1 }')
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

for p in $patches; do
	if grep -q '^Subject:' "$WB_ROOT/patches/$p"; then
		git -C "$G" am -q --keep-cr "$WB_ROOT/patches/$p" >>"$LOG" 2>&1 ||
			die "git am failed on $p" "$LOG"
	else
		die "patches/$p has no mail header (From:/Subject:); write it with git format-patch"
	fi
done

# The overlay is exported commit by commit from the project's history, so
# each logical change keeps its own message.  Uncommitted overlay edits
# are not exported: commit them first.
sob="Signed-off-by: $(git -C "$G" config user.name) <$(git -C "$G" config user.email)>"
for c in $(git -C "$WB_ROOT" log --reverse --format=%H -- include mm/shrinker fs selftests); do
	for area in include mm/shrinker fs selftests; do
		dst=$area
		[ $area = selftests ] && dst=tools/testing/selftests/shrinker
		rm -rf "${G:?}/$dst"
		if git -C "$WB_ROOT" cat-file -e "$c:$area" 2>/dev/null; then
			mkdir -p "$G/$dst"
			git -C "$WB_ROOT" archive "$c" "$area" | tar -x -C "$G/$dst" --strip-components=$(($(tr -cd / <<<"$area" | wc -c) + 1))
		fi
	done
	git -C "$G" add -A
	git -C "$G" diff --cached --quiet && continue
	{
		git -C "$WB_ROOT" log -1 --format=%B "$c" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
		git -C "$WB_ROOT" log -1 --format=%B "$c" | grep -q '^Signed-off-by:' || printf '\n%s\n' "$sob"
	} | git -C "$G" commit -q -F -
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
