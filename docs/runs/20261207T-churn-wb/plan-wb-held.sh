#!/bin/sh
# A removed memcg held by its writeback structure until another memcg's
# removal: the structure had dirty IO when its memcg went offline.
uname -v
mount -t debugfs none /sys/kernel/debug 2>/dev/null
R=/sys/fs/cgroup
K=/kselftest/shrinker
dying() { awk '$1 == "nr_dying_descendants" { print $2 }' $R/cgroup.stat; }
deadwbs() {
	L=$(find $R -type d -exec stat -c %i {} +)
	for f in /sys/kernel/debug/bdi/*/wb_stats; do
		awk -v live="$L" -v b="$f" 'BEGIN { n = split(live, a); for (i = 1; i <= n; i++) l[a[i]] = 1 }
			$1 == "WbCgIno:" { show = !($2 in l); if (show) printf "wb of removed memcg %s on %s:", $2, b }
			show && NF && $1 != "WbCgIno:" { printf " %s", $0 } !NF { if (show) print ""; show = 0 }' "$f" | tr -s ' '
	done
}
echo +memory >$R/cgroup.subtree_control
r=0
while [ $r -lt 2 ]; do
	r=$((r + 1))
	mkdir $R/x
	echo "[$r] x is memcg $(stat -c %i $R/x); dying at the start $(dying)"
	sh -c "echo \$\$ >$R/x/cgroup.procs; exec dd if=/dev/zero of=/root/held$r bs=1M count=4 2>/dev/null"
	exec 9</root/held$r
	rmdir $R/x
	echo "[$r] x removed with its 4 MiB dirty: dying $(dying)"
	sync
	$K/ext4_checkpoint / && echo "[$r] root journal checkpointed"
	echo 1 >/proc/sys/vm/drop_caches
	sleep 30
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
	echo "[$r] synced, checkpointed, caches dropped, 32 s: dying $(dying)"
	deadwbs | sed "s/^/[$r] /"
	mkdir $R/k && rmdir $R/k
	i=0
	while [ "$(dying)" != 0 ] && [ $i -lt 10 ]; do sleep 1; i=$((i + 1)); done
	echo "[$r] an empty memcg made and removed, ${i}s: dying $(dying)"
	deadwbs | sed "s/^/[$r] /"
	exec 9<&-
	rm -f /root/held$r
done
echo demo done
