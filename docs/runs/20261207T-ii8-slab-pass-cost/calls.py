#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# By hand (review II-8): each probed function's calls by the true_oom hog
# in its rounds' windows (first memcg reclaim to mark_victim), paired
# entry (split_X) to return (split_Xr) on the hog, and the mean time a
# call on the trace clock (ICOUNT=0: instructions), a run; then the
# ratio new/old of each (bench/verdict.py).  Episode time is
# mm_vmscan_memcg_reclaim_begin to _end.
import glob, os, re, statistics, sys
sys.path.insert(0, '/work/main/bench')
import verdict
LINE = re.compile(r'^\s*(\S+)-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+):\s+(\w+):')
def run(d):
    tot = {}; n = {}; rounds = 0
    for p in sorted(glob.glob(os.path.join(d, 'results/bench/trace-r*.txt'))):
        hog = None; open_ = {}; ok = False
        for line in open(p, errors='replace'):
            m = LINE.match(line)
            if not m: continue
            pid, ts, ev = int(m.group(2)), float(m.group(3)), m.group(4)
            if ev == 'mark_victim':
                ok = hog is not None; break
            if ev == 'mm_vmscan_memcg_reclaim_begin':
                if hog is None: hog = pid
                if pid == hog: open_['episode'] = ts
                continue
            if pid != hog: continue
            if ev == 'mm_vmscan_memcg_reclaim_end':
                f = 'episode'
            elif ev.startswith('split_') and ev.endswith('r') and ev != 'split_oom':
                f = ev[6:-1]
            elif ev.startswith('split_') and ev != 'split_oom':
                open_[ev[6:]] = ts; continue
            else:
                continue
            if f in open_:
                tot[f] = tot.get(f, 0) + ts - open_.pop(f); n[f] = n.get(f, 0) + 1
        if ok: rounds += 1
    return {f: (n[f] / rounds, tot[f] / n[f] * 1e6, tot[f] / rounds * 1e3) for f in n}, rounds
out = sys.argv[1]
res = {'old': [], 'new': []}
for d in sorted(glob.glob(os.path.join(out, '*.r*/'))):
    k = os.path.basename(d.rstrip('/')).split('.r')[0]
    r, rounds = run(d)
    res[k].append(r)
    print('%s (%d rounds): %s' % (os.path.basename(d.rstrip('/')), rounds, '; '.join(
        '%s %.1f calls, %.2f us a call, %.2f ms a round' % (f, *r[f]) for f in sorted(r))))
for f in sorted({f for k in res for r in res[k] for f in r}):
    for i, what in ((0, 'calls a round'), (1, 'us a call'), (2, 'ms a round')):
        o = [r[f][i] for r in res['old'] if f in r]; nn = [r[f][i] for r in res['new'] if f in r]
        if o and nn and min(o) > 0:
            e, lo, hi = verdict.ratio_interval(o, nn)
            print('%s %s: old %.2f new %.2f (medians), new/old %.3f [%.3f, %.3f]' % (
                f, what, statistics.median(o), statistics.median(nn), e, lo, hi))
