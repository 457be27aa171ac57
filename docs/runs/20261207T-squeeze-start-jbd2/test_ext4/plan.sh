#!/bin/sh
cd /kselftest/shrinker || exit 1
EXT4_DEV=/dev/vdb ./test_ext4.sh >/results/ext4.txt 2>&1
echo "exit $?" >>/results/ext4.txt
