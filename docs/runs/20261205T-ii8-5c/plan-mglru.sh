#!/bin/sh
echo y >/sys/kernel/mm/lru_gen/enabled
cat /sys/kernel/mm/lru_gen/enabled >/results/lru_gen.txt
cd /kselftest || exit 1
./run_kselftest.sh -o 900 -t shrinker:test_providers.sh 2>&1 | tee /results/kselftest.txt
