#!/bin/sh
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
for i in 1 2; do
	echo "== test_numa run $i" | tee -a /results/kselftest.txt
	./run_kselftest.sh -o 600 -t shrinker:test_numa.sh 2>&1 | tee -a /results/kselftest.txt
done
