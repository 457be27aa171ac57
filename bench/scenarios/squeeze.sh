#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Squeeze: a file-creation load run three times in one memcg: with no
# limit, squeezed under a memory.max well below what it leaves cached, and
# with no limit again.  What does the squeeze cost in files per second
# against the mean of the runs around it?  The unsqueezed runs bracket the
# squeezed one so that drift over the guest's life (a first run pays for
# warming up) weighs on both sides.  (The report derives squeeze_loss_pct
# from files_per_s_free, that mean, and files_per_s_squeezed.)
#   FILESIZE=0 (default): empty files, as fs_mark -s 0 makes them, so what
#   the squeeze takes is dentries and inodes, the caches this work manages.
#   FILESIZE=4k: fio writes 4 KiB files; then the squeeze lands on dirty
#   page cache and its writeback, which this work does not touch.
# Params: FILES (per run), SQUEEZE (memory.max of the squeezed run),
# FILESIZE.
. /wb/bench/lib.sh

FILES=${FILES:-$(bench_n 20000 100000 200000)}
FILESIZE=${FILESIZE:-0}
if [ "$FILESIZE" = 0 ]; then
	SQUEEZE=${SQUEEZE:-16M}
else
	SQUEEZE=${SQUEEZE:-64M}
fi
# Its own ext4 with an inode per 4 KiB: the root image has too few inodes.
top=$(bench_ext4_disk squeeze -i 4096) || exit 1
m=$(bench_memcg squeeze max)

# make NAME DIR: create FILES files in DIR from inside the memcg
make_files() {
	if [ "$FILESIZE" = 0 ]; then
		in_memcg "$m" sh -c "i=0; while [ \$i -lt $FILES ]; do
			: >$2/f\$i; i=\$((i + 1)); done"
	else
		in_memcg "$m" fio --name="$1" --directory="$2" --nrfiles="$FILES" \
			--filesize="$FILESIZE" --rw=write --bs="$FILESIZE" --ioengine=psync \
			--openfiles=64 --create_on_open=1 --file_service_type=sequential \
			--output-format=json --output="$OUT/fio-$1.json" >/dev/null 2>&1
	fi
}

# run NAME: create FILES files in a fresh directory; prints files/s of
# the files it made (a creator the OOM killer stopped made fewer) and
# how many it made
run() {
	d=$top/$1
	mkdir -p "$d"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	t0=$(now)
	make_files "$1" "$d"
	t1=$(now)
	awk -v n="$(ls "$d" | wc -l)" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f %d", n / (b - a), n }'
	rm -rf "$d"
}

bench_sampler "$m"
set -- $(run free)
free1=$1
echo "$SQUEEZE" >"$m/memory.max"
ev0=$(memcg_event "$m" max)
kills0=$(memcg_event "$m" oom_kill)
bench_trace_on vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end \
	vmscan/mm_vmscan_throttled
set -- $(run squeezed)
squeezed_rate=$1 squeezed_made=$2
bench_trace_off squeezed
ev1=$(memcg_event "$m" max)
kills1=$(memcg_event "$m" oom_kill)
echo max >"$m/memory.max"
set -- $(run free2)
free2=$1
bench_stop_sampler
free_rate=$(awk -v a="$free1" -v b="$free2" 'BEGIN { printf "%.1f", (a + b) / 2 }')

case $FILESIZE in
*k) bytes=$((${FILESIZE%k} * 1024)) ;;
*) bytes=$FILESIZE ;;
esac
bench_metric file_size_bytes "$bytes" bytes
bench_metric files_per_s_free_before "$free1" files/s
bench_metric files_per_s_free_after "$free2" files/s
bench_metric files_per_s_free "$free_rate" files/s
bench_metric squeezed_oom_kills $((kills1 - kills0)) kills
bench_metric files_per_s_squeezed "$squeezed_rate" files/s
bench_metric files_made_squeezed "$squeezed_made" files
# where the squeezed run's time went: limit reclaim, and throttling
# (reclaim_throttle(), whatever the reason) inside or after it
set -- $(direct_reclaim_times "$OUT/trace-squeezed.txt" memcg)
bench_metric squeezed_memcg_reclaim_ms "${2:-0}" ms
bench_metric squeezed_throttled_ms "$(throttled_ms "$OUT/trace-squeezed.txt")" ms
bench_metric squeezed_memory_max_events $((ev1 - ev0)) events
bench_metric memcg_slab_reclaimable_end_kib \
	$(($(memcg_stat "$m" slab_reclaimable) / 1024)) KiB
