#!/bin/sh
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
for mode in n y y y; do
	echo $mode >/sys/kernel/mm/lru_gen/enabled
	echo "== lru_gen $(cat /sys/kernel/mm/lru_gen/enabled)" | tee -a /results/kselftest.txt
	./run_kselftest.sh -o 300 -t cgroup:test_memcontrol 2>&1 | tee -a /results/kselftest.txt
done
