#!/bin/sh
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
./run_kselftest.sh -o 900 -t shrinker:test_module.sh -t shrinker:test_instances.sh 2>&1 | tee /results/kselftest.txt
