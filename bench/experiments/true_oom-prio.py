#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""How the true_oom hog's memcg reclaim episodes go through priorities.

  true_oom-prio.py OUT

OUT is an ab-kernels.sh directory of true_oom-split.sh guests whose plan
also traced a kprobe on vmpressure_prio() named split_prio with its
priority fetched (prio=), and the vmscan/mm_vmscan_lru_shrink_inactive
and _active events.  Each round runs from the hog's first memcg reclaim
to the first mark_victim.  do_try_to_free_pages() calls vmpressure_prio()
once a priority and starts over at DEF_PRIORITY when a loop reclaimed
nothing: once for a full memcg walk, again with forced deactivation if
an active list was skipped, again for memory.low.  So an episode's loops
are its priorities that start over, and how many it ran tells which of
the restarts it took.

Per run, the mean a round of:
  episodes, prios        the hog's episodes and their priorities
  ep_loop1..ep_loop4     episodes that ran 1, 2, 3 or 4 and more loops
  ep_zero                episodes that reclaimed nothing (memcg_reclaim_end)
  zero_loop2, zero_loop3 of those, the ones that ran 2 or 3 loops
  depth_hit              of the episodes that reclaimed in their first
                         loop, the mean number of priorities they took
  in_scan_file, in_rec_file, in_scan_anon, in_rec_anon
                         the hog's inactive-list scans and reclaims
  act_calls_file, act_taken_file, act_deact_file, act_calls_anon
                         its active-list passes, pages taken, deactivated
  slab_starts, slab_total, slab_freed
                         the hog's shrinker passes that counted objects
                         (vmscan/mm_shrink_slab_start), what they were
                         asked to scan, what they freed (_end), every
                         shrinker's
  shadow_starts, shadow_items, shadow_total, shadow_freed
                         the same for the workingset's shadow nodes, with
                         the nodes they counted
and, kernel against kernel, the Hodges-Lehmann ratio new/old with its
95% interval (bench/verdict.py).  The LRU events of other tasks are not
counted.
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import verdict  # noqa: E402
from true_oom_runs import LINE, round_traces, runs as run_dirs  # noqa: E402

FIELD = re.compile(r'(\w+)=(-?\d+|\S+)')
DEF_PRIORITY = 12
PARTS = ('episodes', 'prios', 'ep_loop1', 'ep_loop2', 'ep_loop3', 'ep_loop4',
         'ep_zero', 'zero_loop2', 'zero_loop3', 'depth_hit',
         'in_scan_file', 'in_rec_file', 'in_scan_anon', 'in_rec_anon',
         'act_calls_file', 'act_taken_file', 'act_deact_file',
         'act_calls_anon', 'slab_starts', 'slab_total', 'slab_freed',
         'shadow_starts', 'shadow_items', 'shadow_total', 'shadow_freed')
SLAB_START = re.compile(r'^(\S+?)\+\S+ \S+: nid: \d+ .* cache items (\d+) '
                        r'delta -?\d+ total_scan (-?\d+) priority (-?\d+)')
SLAB_END = re.compile(r'^(\S+?)\+\S+ \S+: nid: \d+ .* last shrinker return val '
                      r'(-?\d+)')


def fields(rest):
    return dict(FIELD.findall(rest))


def prio_round(path):
    """The round's figures, or None without a first reclaim and a kill."""
    r = dict.fromkeys(PARTS, 0)
    hits = []
    hog = cur = None
    for line in open(path, errors='replace'):
        m = LINE.match(line)
        if not m:
            continue
        pid, ev, rest = int(m.group(2)), m.group(4), m.group(5)
        if ev == 'mark_victim':
            if hog is None:
                return None
            break
        if ev == 'mm_vmscan_memcg_reclaim_begin':
            if hog is None:
                hog = pid
            if pid == hog:
                cur = {'prios': []}
            continue
        if pid != hog or cur is None:
            continue
        if ev == 'mm_shrink_slab_start':
            m = SLAB_START.match(rest)
            if m:
                shadow = m.group(1) == 'scan_shadow_nodes'
                r['slab_starts'] += 1
                r['slab_total'] += int(m.group(3))
                if shadow:
                    r['shadow_starts'] += 1
                    r['shadow_items'] += int(m.group(2))
                    r['shadow_total'] += int(m.group(3))
            continue
        if ev == 'mm_shrink_slab_end':
            m = SLAB_END.match(rest)
            if m and int(m.group(2)) > 0:
                r['slab_freed'] += int(m.group(2))
                if m.group(1) == 'scan_shadow_nodes':
                    r['shadow_freed'] += int(m.group(2))
            continue
        f = fields(rest)
        if ev == 'split_prio' and 'prio' in f:
            cur['prios'].append(int(f['prio']))
        elif ev == 'mm_vmscan_lru_shrink_inactive':
            kind = 'file' if 'RECLAIM_WB_FILE' in f.get('flags', '') else 'anon'
            r['in_scan_' + kind] += int(f.get('nr_scanned', 0))
            r['in_rec_' + kind] += int(f.get('nr_reclaimed', 0))
        elif ev == 'mm_vmscan_lru_shrink_active':
            if 'RECLAIM_WB_FILE' in f.get('flags', ''):
                r['act_calls_file'] += 1
                r['act_taken_file'] += int(f.get('nr_taken', 0))
                r['act_deact_file'] += int(f.get('nr_deactivated', 0))
            else:
                r['act_calls_anon'] += 1
        elif ev == 'mm_vmscan_memcg_reclaim_end':
            prios = cur['prios']
            loops = sum(1 for i, p in enumerate(prios)
                        if p == DEF_PRIORITY and i > 0) + (1 if prios else 0)
            r['episodes'] += 1
            r['prios'] += len(prios)
            r['ep_loop%d' % min(max(loops, 1), 4)] += 1
            if int(f.get('nr_reclaimed', 0)) == 0:
                r['ep_zero'] += 1
                if loops in (2, 3):
                    r['zero_loop%d' % loops] += 1
            elif loops == 1:
                hits.append(len(prios))
            cur = None
    else:
        return None
    r['depth_hit'] = statistics.mean(hits) if hits else 0.0
    return r


def main():
    out = sys.argv[1]
    runs = {'old': [], 'new': []}
    for k, d in run_dirs(out):
        rounds = [prio_round(p) for _, p in round_traces(d)]
        missing = sum(r is None for r in rounds)
        rounds = [r for r in rounds if r]
        if not rounds:
            print('%s: no traced round' % os.path.basename(d))
            continue
        mean = {p: sum(r[p] for r in rounds) / len(rounds) for p in PARTS}
        runs[k].append(mean)
        print('%s: %d rounds%s: %s' % (
            os.path.basename(d), len(rounds),
            ' (%d without a kill traced)' % missing if missing else '',
            ' '.join('%s %.2f' % (p, mean[p]) for p in PARTS)))
    for p in PARTS:
        old = [r[p] for r in runs['old']]
        new = [r[p] for r in runs['new']]
        if not old or not new or min(old) <= 0:
            print('%s: no ratio; medians %s, %s' % (
                p, '%.2f' % statistics.median(old) if old else '-',
                '%.2f' % statistics.median(new) if new else '-'))
            continue
        e, lo, hi = verdict.ratio_interval(old, new)
        print('%s: new/old %.3f [%.3f, %.3f], n=%d/%d; medians %.2f, %.2f' % (
            p, e, lo, hi, len(old), len(new), statistics.median(old),
            statistics.median(new)))


if __name__ == '__main__':
    main()
