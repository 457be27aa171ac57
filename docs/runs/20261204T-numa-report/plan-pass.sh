#!/bin/sh
# the proposed 2-node pass's programs, in check.sh's order, then the pcp view
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
for t in shrinker:test_module.sh shrinker:test_instances.sh shrinker:test_providers.sh \
	shrinker:test_debugfs.sh shrinker:test_numa.sh shrinker:test_oom.sh \
	cgroup:test_kmem cgroup:test_memcontrol; do
	echo "wb-mark: $t" >/dev/kmsg
	./run_kselftest.sh -o 900 -t "$t" 2>&1 | tee -a /results/kselftest.txt
done
echo "== after: pcp pages per zone" | tee -a /results/kselftest.txt
awk '/^Node/ { z = $2 " " $4 } /^ *count:/ { c[z] += $2 } END { for (k in c) print "node " k " pcp_pages " c[k] }' /proc/zoneinfo | tee -a /results/kselftest.txt
grep -E 'MemFree|MemAvailable' /proc/meminfo | tee -a /results/kselftest.txt
