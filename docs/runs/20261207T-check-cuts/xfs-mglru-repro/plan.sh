#!/bin/sh
cd /kselftest || exit 1
export XFS_DEV=/dev/vdb
echo y >/sys/kernel/mm/lru_gen/enabled
cat /sys/kernel/mm/lru_gen/enabled >/results/lru_gen.txt
./run_kselftest.sh -o 600 -t shrinker:test_module.sh -t shrinker:test_instances.sh -t shrinker:test_providers.sh -t shrinker:test_oom.sh -t shrinker:test_xfs.sh >/results/kselftest.txt 2>&1
