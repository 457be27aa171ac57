#!/bin/sh
# CI's order before the churn, the runner's log written to / as in CI
cd /kselftest || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
export XFS_DEV=/dev/vdb
R=/sys/fs/cgroup
rootdying() { awk '$1 == "nr_dying_descendants" { print $2 }' $R/cgroup.stat; }
echo "kernel: $(uname -r)"
i=0
while [ $i -lt 5 ]; do
	i=$((i + 1))
	echo "wb-mark: seq $i start dying=$(rootdying)" >/dev/kmsg
	./run_kselftest.sh -o 900 -t shrinker:test_module.sh -t shrinker:test_instances.sh -t shrinker:test_providers.sh -t shrinker:test_debugfs.sh -t shrinker:test_churn.sh 2>&1 | tee -a /results/seq.txt | grep -E "test_churn.sh:|stays dying|the check as it was|pages charged|wb of removed|^not ok" | sed "s/^/[$i] /"
	echo "[$i] root dying after: $(rootdying)"
done
echo "seq loop done"
