#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
echo "kernel: $(uname -r)"
for v in ${DEMO:-pin plain}; do
	case $v in pin) export CHURN_PIN_ROOT=1; t=./test_churn_pin.sh ;; *) export CHURN_PIN_ROOT=0; t=./test_churn.sh ;; esac
	echo "wb-mark: demo $v" >/dev/kmsg
	$t 2>&1 | grep -v "^# ok" | sed "s/^/[$v] /"
	echo "[$v] root dying: $(awk '$1 == "nr_dying_descendants" { print $2 }' /sys/fs/cgroup/cgroup.stat)"
done
echo "demo done"
