#!/bin/sh
# test_oom.sh on the debug kernel, twice, one node
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
for i in 1 2; do
	echo "== test_oom run $i" | tee -a /results/kselftest.txt
	./run_kselftest.sh -o 1500 -t shrinker:test_oom.sh 2>&1 | tee -a /results/kselftest.txt
done
