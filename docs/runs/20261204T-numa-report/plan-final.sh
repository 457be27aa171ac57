#!/bin/sh
# the order of 20261203T-numa-helpers v2/v4
# (test_module, test_instances, test_providers, test_oom) with the
# per-CPU lists read around test_oom; then test_numa 3 times
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
pcp() {
	awk '/^Node/ { z = $2 " " $4 } /^ *count:/ { c[z] += $2 } END { for (k in c) print "node " k " pcp_pages " c[k] }' /proc/zoneinfo | tee -a /results/kselftest.txt
	grep -E 'MemFree|MemAvailable' /proc/meminfo | tee -a /results/kselftest.txt
	grep nr_dying_descendants /sys/fs/cgroup/cgroup.stat | tee -a /results/kselftest.txt
}
for t in shrinker:test_module.sh shrinker:test_instances.sh shrinker:test_providers.sh; do
	echo "wb-mark: $t" >/dev/kmsg
	./run_kselftest.sh -o 900 -t "$t" 2>&1 | tee -a /results/kselftest.txt
done
echo "== before test_oom" | tee -a /results/kselftest.txt
pcp
./run_kselftest.sh -o 900 -t shrinker:test_oom.sh 2>&1 | tee -a /results/kselftest.txt
echo "== after test_oom" | tee -a /results/kselftest.txt
pcp
if [ -d /sys/kernel/debug/shrinker ]; then
	for i in 1 2 3; do
		echo "== test_numa run $i" | tee -a /results/kselftest.txt
		./run_kselftest.sh -o 600 -t shrinker:test_numa.sh 2>&1 | tee -a /results/kselftest.txt
	done
fi
