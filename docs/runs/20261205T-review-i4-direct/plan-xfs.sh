#!/bin/sh
cd /kselftest || exit 1
export XFS_DEV=/dev/vdb XFS_FILES=${XFS_FILES:-60000}
./run_kselftest.sh -o 900 -t shrinker:test_xfs.sh 2>&1 | tee /results/kselftest.txt
cp /sys/kernel/tracing/trace /results/trace-last.txt
