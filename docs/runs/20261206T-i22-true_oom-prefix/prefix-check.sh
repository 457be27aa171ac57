#!/bin/bash
# The check behind prefix-tree.txt, run by hand as one-liners and kept
# here as a script: /work/prefix is a git worktree at eb5a2e3, its
# build/base/linux the pristine 6.12.118 tree; /work/main the workbench.
set -e
rm -rf /tmp/pchk
mkdir -p /tmp/pchk/A /tmp/pchk/B /tmp/pchk/p59
cd /work/main
git show 59d61ae:patches/0009-mm-vmscan-size-shrinker-passes-by-LRU-pressure-and-cost.patch >/tmp/pchk/p59/0009.patch
git show 59d61ae:patches/0010-writeback-release-offline-cgwbs-pinned-only-by-inode-metadata.patch >/tmp/pchk/p59/0010.patch
cd /work/prefix
for n in 0009-mm-vmscan-size-shrinker-passes-by-LRU-pressure-and-cost \
	0010-writeback-release-offline-cgwbs-pinned-only-by-inode-metadata; do
	cmp <(git -C /work/main show "59d61ae^:patches/$n.patch") "patches/$n.patch" &&
		echo "${n%%-*} same as 59d61ae^"
done
series=$(grep -v '^#' patches/series | grep .)
files=$(for p in $series; do grep '^+++ b/' "patches/$p" | sed 's#^+++ b/##'; done | sort -u)
for f in $files; do
	for d in A B; do
		mkdir -p "/tmp/pchk/$d/$(dirname "$f")"
		[ -f "build/base/linux/$f" ] && cp "build/base/linux/$f" "/tmp/pchk/$d/$f"
	done
done
for p in $series; do
	echo "== $p"
	patch -d /tmp/pchk/A -p1 -f --fuzz=3 --no-backup-if-mismatch <"patches/$p" 2>&1 |
		grep -i "fuzz\|fail\|offset" || true
done >/tmp/pchk/A.log
for p in $series; do
	q=patches/$p fz=0
	case $p in
	0009-*) q=/tmp/pchk/p59/0009.patch ;;
	0010-*) q=/tmp/pchk/p59/0010.patch ;;
	0006-*) fz=3 ;;
	esac
	echo "== $p ($q fuzz $fz)"
	patch -d /tmp/pchk/B -p1 -f --fuzz=$fz --no-backup-if-mismatch <"$q" 2>&1 |
		grep -i "fuzz\|fail\|offset" || true
done >/tmp/pchk/B.log
diff -r /tmp/pchk/A /tmp/pchk/B && echo "A and B identical"
