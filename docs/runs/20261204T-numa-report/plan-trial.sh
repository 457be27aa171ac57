#!/bin/sh
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
for i in 1 2 3; do
	echo "== test_numa run $i" | tee -a /results/kselftest.txt
	./run_kselftest.sh -o 600 -t shrinker:test_numa.sh 2>&1 | tee -a /results/kselftest.txt
done
for i in 1 2; do
	echo "== cgroup run $i" | tee -a /results/kselftest.txt
	./run_kselftest.sh -o 600 -t cgroup:test_kmem -t cgroup:test_memcontrol 2>&1 | tee -a /results/kselftest.txt
done
echo 3 >/proc/sys/vm/drop_caches
echo "== before test_oom" | tee -a /results/kselftest.txt
awk '/^Node/ { z = $2 " " $4 } /^ *count:/ { c[z] += $2 } END { for (k in c) print "node " k " pcp_pages " c[k] }' /proc/zoneinfo | tee -a /results/kselftest.txt
grep -E 'MemFree|MemAvailable' /proc/meminfo | tee -a /results/kselftest.txt
echo "== test_oom" | tee -a /results/kselftest.txt
./run_kselftest.sh -o 900 -t shrinker:test_oom.sh 2>&1 | tee -a /results/kselftest.txt
grep -h . /sys/devices/system/node/node*/meminfo | grep -E 'MemTotal|MemFree' | tee -a /results/kselftest.txt
echo "== after: pcp pages per zone (count lines of pagesets)" | tee -a /results/kselftest.txt
awk '/^Node/ { z = $2 " " $4 } /^ *count:/ { c[z] += $2 } END { for (k in c) print "node " k " pcp_pages " c[k] }' /proc/zoneinfo | tee -a /results/kselftest.txt
grep -E 'MemFree|MemAvailable' /proc/meminfo | tee -a /results/kselftest.txt
echo 3 >/proc/sys/vm/drop_caches
echo 1 >/proc/sys/vm/compact_memory
sleep 5
echo "== after compact_memory + 5 s" | tee -a /results/kselftest.txt
awk '/^Node/ { z = $2 " " $4 } /^ *count:/ { c[z] += $2 } END { for (k in c) print "node " k " pcp_pages " c[k] }' /proc/zoneinfo | tee -a /results/kselftest.txt
grep -E 'MemFree|MemAvailable' /proc/meminfo | tee -a /results/kselftest.txt
