#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Squeeze: a file-creation load run twice in one memcg, first with no
# limit, then squeezed under a memory.max well below what it leaves
# cached.  What does the squeeze cost in files per second?  (The report
# derives squeeze_loss_pct from the two rates.)
#   FILESIZE=0 (default): empty files, as fs_mark -s 0 makes them, so what
#   the squeeze takes is dentries and inodes, the caches this work manages.
#   FILESIZE=4k: fio writes 4 KiB files; then the squeeze lands on dirty
#   page cache and its writeback, which this work does not touch.
# Params: FILES (per run), SQUEEZE (memory.max of the squeezed run),
# FILESIZE.
. /wb/bench/lib.sh

FILES=${FILES:-$(bench_n 8000 30000 60000)}
FILESIZE=${FILESIZE:-0}
if [ "$FILESIZE" = 0 ]; then
	SQUEEZE=${SQUEEZE:-32M}
else
	SQUEEZE=${SQUEEZE:-64M}
fi
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

# run NAME: create FILES files in a fresh directory; prints files/s
run() {
	d=$(bench_scratch "squeeze-$1")
	rm -rf "$d" && mkdir -p "$d"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	t0=$(now)
	make_files "$1" "$d"
	t1=$(now)
	awk -v n="$FILES" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }'
}

bench_sampler "$m"
free_rate=$(run free)
echo "$SQUEEZE" >"$m/memory.max"
ev0=$(awk '$1 == "max" { print $2 }' "$m/memory.events")
squeezed_rate=$(run squeezed)
ev1=$(awk '$1 == "max" { print $2 }' "$m/memory.events")
bench_stop_sampler

case $FILESIZE in
*k) bytes=$((${FILESIZE%k} * 1024)) ;;
*) bytes=$FILESIZE ;;
esac
bench_metric file_size_bytes "$bytes" bytes
bench_metric files_per_s_free "$free_rate" files/s
bench_metric files_per_s_squeezed "$squeezed_rate" files/s
bench_metric squeezed_memory_max_events $((ev1 - ev0)) events
bench_metric memcg_slab_reclaimable_end_kib \
	$(($(awk '$1 == "slab_reclaimable" { print $2 }' "$m/memory.stat") / 1024)) KiB
