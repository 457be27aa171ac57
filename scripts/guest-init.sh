#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the workbench guest: mount the usual filesystems, run the plan
# the host put in /wb/plan.sh, keep its results in /results on the root
# image, and power off.  The host reads WB-DONE from the console.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
grep -q ' /dev ' /proc/mounts || mount -t devtmpfs dev /dev
# No udev: the links the kselftest runner logs through.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ifconfig lo 127.0.0.1 up
hostname wb
echo "WB-BOOTED $(uname -r)"
rc=0
if [ -f /wb/plan.sh ]; then
	sh /wb/plan.sh
	rc=$?
else
	echo "WB: no /wb/plan.sh"
	rc=1
fi
# A debug kernel's kmemleak does not scan by itself (AUTO_SCAN=n): scan
# after the suite, twice, so objects freed late are not reported.  A leak
# prints "kmemleak: N new suspected memory leaks", which the host's splat
# scan fails the run on.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/results/kmemleak.txt
	echo "WB-KMEMLEAK $(grep -c '^unreferenced object' /results/kmemleak.txt) suspected leaks"
fi
dmesg >/results/dmesg.txt 2>/dev/null
sync
echo "WB-DONE rc=$rc"
poweroff -f
