#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
R=/sys/fs/cgroup
rootdying() { awk '$1 == "nr_dying_descendants" { print $2 }' $R/cgroup.stat; }
live() { find $R -type d -exec stat -c %i {} + ; }
pins() {
	L=$(live)
	echo "== dying at root: $(rootdying)"
	for f in /sys/kernel/debug/bdi/*/wb_stats; do
		awk -v live="$L" -v b="$f" 'BEGIN { n = split(live, a, /[ \n]+/); for (i = 1; i <= n; i++) L[a[i]] = 1 }
			/^WbCgIno:/ { show = !($2 in L); if (show) print "wb of dead memcg on " b } show && NF { print "  " $0 } !NF { show = 0 }' "$f"
	done
	for f in /sys/kernel/debug/shrinker/*/instances; do
		awk -v live="$L" -v b="$f" 'BEGIN { n = split(live, a, /[ \n]+/); for (i = 1; i <= n; i++) L[a[i]] = 1 }
			NR == 1 { h = $0 } NR > 1 && !($1 in L) && $1 != 0 { print b ": " h; print b ": " $0 }' "$f" 2>/dev/null
	done | head -40
	cat /sys/kernel/debug/shrinker/stats 2>/dev/null | head -40
}
# the runner's log on / as in CI
( while :; do date >>/root/w.log; sleep 0.3; done ) &
W=$!
i=0
while [ $i -lt ${LOOPS:-10} ]; do
	i=$((i + 1))
	d0=$(rootdying)
	./test_churn.sh 2>&1 | sed "s/^/[$i] /" | tee -a /root/churn.log
	d1=$(rootdying)
	echo "[$i] root dying before $d0 after $d1"
	if [ "$d1" != "$d0" ]; then
		pins
		sleep 60
		echo 3 >/proc/sys/vm/drop_caches
		echo "[$i] 60 s later: dying $(rootdying)"
		pins
	fi
done
kill $W
echo "churn loop done"
