#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Squeeze: a file-creation load (fio writing many 4 KiB files on ext4)
# run twice in one memcg, first with no limit, then squeezed under a
# memory.max well below what its page cache, dentries and inodes take.
# What does the squeeze cost in files per second?  (The report derives
# squeeze_loss_pct from the two rates.)
# Params: FILES (per run), SQUEEZE (memory.max of the squeezed run).
. /wb/bench/lib.sh

FILES=${FILES:-$(bench_n 8000 30000 60000)}
SQUEEZE=${SQUEEZE:-64M}
m=$(bench_memcg squeeze max)

# run NAME: create FILES files in a fresh directory; prints files/s
run() {
	d=$(bench_scratch "squeeze-$1")
	rm -rf "$d" && mkdir -p "$d"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	t0=$(now)
	in_memcg "$m" fio --name="$1" --directory="$d" --nrfiles="$FILES" --filesize=4k \
		--rw=write --bs=4k --ioengine=psync --openfiles=64 --create_on_open=1 \
		--file_service_type=sequential --output-format=json \
		--output="$OUT/fio-$1.json" >/dev/null 2>&1
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

bench_metric files_per_s_free "$free_rate" files/s
bench_metric files_per_s_squeezed "$squeezed_rate" files/s
bench_metric squeezed_memory_max_events $((ev1 - ev0)) events
bench_metric memcg_slab_reclaimable_end_kib \
	$(($(awk '$1 == "slab_reclaimable" { print $2 }' "$m/memory.stat") / 1024)) KiB
