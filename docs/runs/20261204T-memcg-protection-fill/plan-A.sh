#!/bin/sh
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
[ -w /sys/kernel/mm/lru_gen/enabled ] && echo n >/sys/kernel/mm/lru_gen/enabled
i=0
while [ $i -lt 30 ]; do
	i=$((i+1))
	echo "== run $i lru_gen $(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)" | tee -a /results/kselftest.txt
	./run_kselftest.sh -o 300 -t cgroup:test_memcontrol 2>&1 | grep -E "ok [0-9]+ test_memcg_(min|low|reclaim)|memory.low" | tee -a /results/kselftest.txt
done
