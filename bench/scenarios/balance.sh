#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Balance: a page-cache reader (fio buffered randread over a file set
# larger than memory.max) and a dentry/inode grower (stress-ng dentry and
# dir) share one memcg.  Who loses memory, and what it costs them.
# Params: DURATION (s), LIMIT (memory.max), FILESET (bytes of files).
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
LIMIT=${LIMIT:-128M}
FILESET=${FILESET:-256M}

dir=$(bench_scratch balance)
m=$(bench_memcg balance "$LIMIT")

# Lay out the file set outside the memcg and drop it from the page cache
# so both kernels start cold.
fio --name=layout --filename_format='f.$filenum' --directory="$dir" --nrfiles=8 --size="$FILESET" \
	--rw=write --bs=1M --ioengine=psync --end_fsync=1 >/dev/null 2>&1
sync
echo 3 >/proc/sys/vm/drop_caches

# Under TCG a 4k randread moves a few MB/s: warm the memcg to its limit
# first so the run starts under pressure.
in_memcg "$m" sh -c "cat $dir/f.* >/dev/null"
bench_sampler "$m"
in_memcg "$m" stress-ng --dentry 1 --dentries 8192 --dir 1 --dir-dirs 4096 \
	--temp-path "$dir" --timeout "${DURATION}s" --metrics-brief \
	--yaml "$OUT/stress-ng.yaml" >"$OUT/stress-ng.log" 2>&1 &
sng=$!
in_memcg "$m" fio --name=randread --filename_format='f.$filenum' --directory="$dir" --nrfiles=8 \
	--size="$FILESET" --rw=randread --bs=4k --ioengine=psync \
	--time_based --runtime="$DURATION" --output-format=json \
	--output="$OUT/fio.json" >/dev/null 2>&1
wait $sng
bench_stop_sampler

iops=$(fio_iops "$OUT/fio.json")
bench_metric fio_randread_iops "${iops:-0}" iops
for s in dentry dir; do
	ops=$(stress_ng_ops "$OUT/stress-ng.yaml" "$s")
	bench_metric "stress_ng_${s}_ops" "${ops:-0}" ops
done
