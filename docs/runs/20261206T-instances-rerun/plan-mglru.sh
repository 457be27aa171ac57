#!/bin/sh
# test_instances.sh alone with lru_gen on (R-7's case), the test as changed
echo y >/sys/kernel/mm/lru_gen/enabled
echo "lru_gen: $(cat /sys/kernel/mm/lru_gen/enabled)"
echo "kernel: $(uname -r)"
cd /kselftest || exit 1
./run_kselftest.sh -o 900 -t shrinker:test_instances.sh 2>&1 | grep -E "^# not ok|^# # |^not ok|^ok|ok 21 |the check as it was|^# pages charged|memcgs dying before"
echo "mglru plan done"
