#!/bin/sh
cd /kselftest/shrinker || exit 1
export XFS_DEV=/dev/vdb
echo y >/sys/kernel/mm/lru_gen/enabled
for c in sync freeze sync freeze; do
	dd if=/dev/zero of=/dev/vdb bs=1M count=16 2>/dev/null
	CLEAN=$c XFS_FILES=${XFS_FILES:-10000} ./test_xfs_diag.sh >>/results/diag.txt 2>&1
done
