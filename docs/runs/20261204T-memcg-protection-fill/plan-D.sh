#!/bin/sh
cd /kselftest || exit 1
echo "wb-mark: plan" >/dev/kmsg
[ -w /sys/kernel/mm/lru_gen/enabled ] && echo n >/sys/kernel/mm/lru_gen/enabled
P=/sys/fs/cgroup/memcg_test_0
sampler() {
	while :; do
		if [ -d $P/memcg_test_1 ]; then
			l="$(cut -d' ' -f1 /proc/uptime) B=$(cat $P/memcg_test_1/memory.current 2>/dev/null) G=$(cat $P/memcg_test_2/memory.current 2>/dev/null)"
			for c in 0 1 2 3; do
				d=$P/memcg_test_1/child_memcg_$c
				l="$l c$c=$(cat $d/memory.current 2>/dev/null)/$(grep '^low ' $d/memory.events 2>/dev/null | cut -d' ' -f2)/$(grep '^oom ' $d/memory.events 2>/dev/null | cut -d' ' -f2)"
			done
			echo "$l"
		fi
		sleep 0.2
	done
}
i=0
while [ $i -lt 40 ]; do
	i=$((i+1))
	echo "== run $i lru_gen $(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)" | tee -a /results/kselftest.txt
	sampler > /tmp/samp &
	sp=$!
	./run_kselftest.sh -o 300 -t cgroup:test_memcontrol > /tmp/out 2>&1
	kill $sp
	grep -E "ok [0-9]+ test_memcg_(min|low|reclaim)|memory.low" /tmp/out | tee -a /results/kselftest.txt
	cp /tmp/samp /results/samp.$i
	if grep -q "not ok" /tmp/out; then
		cp /tmp/out /results/out.$i
	fi
done
grep -h "dying\|nr_" /sys/fs/cgroup/cgroup.stat >> /results/kselftest.txt
