#!/bin/sh
cd /kselftest/shrinker || exit 1
XFS_DEV=/dev/vdb ./test_xfs.sh >/results/xfs.txt 2>&1
echo "exit $?" >>/results/xfs.txt
EXT4_DEV=/dev/vdb ./test_ext4.sh >/results/ext4.txt 2>&1
echo "exit $?" >>/results/ext4.txt
EXT4_DEV=/dev/vdb ./test_ext4.sh >/results/ext4-again.txt 2>&1
echo "exit $?" >>/results/ext4-again.txt
