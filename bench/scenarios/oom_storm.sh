#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An OOM storm whose domain holds many memcgs (review I-5).  N memcgs
# under one parent each leave a file on an ext4 of their own (its page
# cache, dentry and inode charged there); then STORM hogs of 64M in more
# children of the parent thaw at once, and the parent's limit leaves them
# HEADROOM_MB, less than one hog.  Every OOM is the parent's: its reclaim
# visits all N memcgs on both kernels, and on the patched kernel so do
# its instance passes and its check for shrinker work in flight before
# the kill, and its OOM report's walk.  Each victim's time runs from its
# own first memcg reclaim to its mark_victim (bench_storm), end to end:
# the domain's reclaim rounds, the check, one kill at a time (the domain
# has one victim exiting at once), the report.  Its reclaim time is given
# beside it, and the OOM decisions the patched kernel deferred for work
# in flight (storm_oom_deferred), which would make it wait.
. /wb/bench/lib.sh

N=${N:-$(bench_n 500 4000 8000)}
STORM=${STORM:-4}
HEADROOM_MB=${HEADROOM_MB:-32}
m=$(bench_memcg oom_storm max)
echo "+memory" >"$m/cgroup.subtree_control"
d=$(bench_ext4_disk oom_storm) || exit 1
i=0
while [ $i -lt "$N" ]; do
	mkdir "$m/c$i" && in_memcg "$m/c$i" sh -c 'echo x >"$0"' "$d/f$i" || break
	i=$((i + 1))
done
bench_metric memcgs_asked "$N" memcgs
bench_metric memcgs "$i" memcgs
# the files and the journal written back and checkpointed: the same
# memory reclaimable on both kernels (a journal head the patched kernel's
# memcg reclaim may drop is gone on both)
sync
fsfreeze --freeze "$d" && fsfreeze --unfreeze "$d"
cur=$(cat "$m/memory.current")
echo $((cur + HEADROOM_MB * 1024 * 1024)) >"$m/memory.max"
bench_metric domain_current_kib $((cur / 1024)) KiB
# a hog larger than the whole domain, so each is killed whatever reclaim
# frees of the N memcgs' cache
bench_storm "$m" "$STORM" max $((cur / 1048576 + HEADROOM_MB + 64))
# every OOM the domain's: none in a storm memcg's own
bench_metric domain_oom_local "$(awk '$1 == "oom" { print $2 }' "$m/memory.events.local")" ooms
