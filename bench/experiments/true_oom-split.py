#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Split each true_oom round of true_oom-split.sh into its parts.

  true_oom-split.py OUT

OUT is an ab-kernels.sh directory of true_oom-split.sh guests (OUT/old.rN,
OUT/new.rN).  Each round runs from its first memcg reclaim, whose task
is taken as the hog, to the first mark_victim, on the trace's clock, and
is cut into:
  reclaim  inside one of the hog's memcg reclaim episodes (one still
           open at the kill ends there), switched out or not, as the
           bench's oom_reclaim_ms_mean counts it; reclaim_off is the
           part of it the hog spent switched out;
  oom      from the hog's last out_of_memory() entry to mark_victim;
  off      the hog switched out, outside both;
  between  the rest: the hog on CPU between episodes (fault, charge, the
           decision to OOM).
Other tasks' episodes in the window are counted (other_episodes), not
cut out.  The switch events themselves cost time on CPU, counted in the
part they fall in, and more so on the kernel that switches more.
With each round's memcg pgfault, pgsteal and workingset_refault_file
(round-stats.txt, every round, whether its kill was traced or not),
prints every run's mean of each a round and, kernel against kernel, the
Hodges-Lehmann ratio new/old with its 95% interval (bench/verdict.py).
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import verdict  # noqa: E402
from true_oom_runs import LINE, round_traces, runs as run_dirs  # noqa: E402

PARTS = ('l2k', 'reclaim', 'reclaim_off', 'oom', 'off', 'between',
         'episodes', 'switches', 'other_episodes')
# round-stats.txt's columns after the round: the memcg's counters
STATS = ('pgfault', 'pgsteal', 'refault')


def overlap(a, b, spans):
    return sum(max(0.0, min(b, e) - max(a, s)) for s, e in spans)


def split_round(path, works):
    begin, episodes, offs, ooms = {}, [], [], []
    others = 0
    t0 = tk = hog = out_at = None
    for line in open(path, errors='replace'):
        m = LINE.match(line)
        if not m:
            continue
        pid, ts, ev, rest = int(m.group(2)), float(m.group(3)), m.group(4), m.group(5)
        if ev == 'mm_vmscan_memcg_reclaim_begin':
            if t0 is None:
                t0, hog = ts, pid
            begin[pid] = ts
        elif ev == 'mm_vmscan_memcg_reclaim_end' and pid in begin:
            # only the hog's: another task's reclaim would overlap its
            # time on CPU; such episodes are counted, not cut out
            if pid == hog:
                episodes.append((begin.pop(pid), ts))
            else:
                begin.pop(pid)
                others += 1
        elif ev == 'mark_victim':
            tk = ts
            break
        elif ev == 'split_oom' and pid == hog:
            ooms.append(ts)
        elif ev == 'workqueue_execute_start' and t0 is not None:
            fn = rest.rsplit('function ', 1)[-1].strip()
            works[fn] = works.get(fn, 0) + 1
        elif ev.startswith('split_') and ev != 'split_oom' and t0 is not None:
            # SPLIT_KPROBES: a function's calls in the window
            works[ev + '()'] = works.get(ev + '()', 0) + 1
        elif ev == 'sched_switch' and hog is not None:
            if re.search(r'prev_pid=%d ' % hog, rest):
                out_at = ts
            elif re.search(r'next_pid=%d ' % hog, rest) and out_at is not None:
                offs.append((out_at, ts))
                out_at = None
    if t0 is None or tk is None:
        return None
    if out_at is not None:
        offs.append((out_at, tk))
    # an episode of the hog still open at the kill ends there
    if hog in begin:
        episodes.append((begin.pop(hog), tk))
    others += len(begin)
    eps = [(s, min(e, tk)) for s, e in episodes if s < tk]
    oom_at = max([t for t in ooms if t <= tk], default=tk)
    reclaim = sum(e - s for s, e in eps)
    oom = tk - oom_at
    # of reclaim, the part the task spent switched out
    reclaim_off = sum(overlap(max(s, t0), min(e, tk), eps) for s, e in offs
                      if min(e, tk) > max(s, t0))
    off = 0.0
    for s, e in offs:
        s, e = max(s, t0), min(e, oom_at)
        if e > s:
            off += (e - s) - overlap(s, e, eps)
    l2k = tk - t0
    return {'l2k': l2k * 1e3, 'reclaim': reclaim * 1e3,
            'reclaim_off': reclaim_off * 1e3, 'oom': oom * 1e3,
            'off': off * 1e3, 'between': (l2k - reclaim - oom - off) * 1e3,
            'episodes': len(eps),
            'switches': sum(1 for s, e in offs if t0 <= s < tk),
            'other_episodes': others}


def main():
    out = sys.argv[1]
    # ROUNDS_TSV=FILE: every round's parts, the raw traces being large
    tsv = open(os.environ['ROUNDS_TSV'], 'w') if os.environ.get('ROUNDS_TSV') else None
    if tsv:
        tsv.write('run\tround\t' + '\t'.join(PARTS) + '\n')
    runs = {'old': [], 'new': []}
    # each run's work items and probed calls, a round
    works = {'old': [], 'new': []}
    for k, d in run_dirs(out):
        traces = round_traces(d)
        w = {}
        rounds = [split_round(p, w) for _, p in traces]
        for (i, _), r in zip(traces, rounds):
            if tsv and r:
                tsv.write('%s\t%d\t%s\n' % (
                    os.path.basename(d), i,
                    '\t'.join('%.3f' % r[q] for q in PARTS)))
        missing = sum(r is None for r in rounds)
        rounds = [r for r in rounds if r]
        if not rounds:
            print('%s: no traced round' % os.path.basename(d))
            continue
        works[k].append({f: n / len(rounds) for f, n in w.items()})
        mean = {p: sum(r[p] for r in rounds) / len(rounds) for p in PARTS}
        st = os.path.join(d, 'results/bench/round-stats.txt')
        if os.path.exists(st):
            rows = [list(map(float, line.split()[1:4])) for line in open(st)
                    if len(line.split()) == 4]
            for i, p in enumerate(STATS):
                mean[p] = sum(r[i] for r in rows) / len(rows) if rows else 0.0
        runs[k].append(mean)
        print('%s: %d rounds%s: %s' % (
            os.path.basename(d), len(rounds),
            ' (%d without a kill traced)' % missing if missing else '',
            ' '.join('%s %.2f' % (p, mean[p]) for p in PARTS + STATS
                     if p in mean)))
    for p in PARTS + STATS:
        old = [r[p] for r in runs['old'] if p in r]
        new = [r[p] for r in runs['new'] if p in r]
        if not old or not new or min(old) <= 0:
            print('%s: no ratio' % p)
            continue
        e, lo, hi = verdict.ratio_interval(old, new)
        print('%s: new/old %.3f [%.3f, %.3f], n=%d/%d; medians %.2f, %.2f' % (
            p, e, lo, hi, len(old), len(new), statistics.median(old),
            statistics.median(new)))

    # SPLIT_EXTRA=workqueue/workqueue_execute_start: the work run in the
    # window, a round, by function, most first; SPLIT_KPROBES' calls too.
    # The pooled figure is the mean of the runs' (every run kept as many
    # rounds in the runs so far); each run's and the ratio follow.
    for k in ('old', 'new'):
        pooled = {}
        for w in works[k]:
            for f, n in w.items():
                pooled[f] = pooled.get(f, 0) + n / len(works[k])
        if pooled:
            top = sorted(pooled.items(), key=lambda kv: -kv[1])[:12]
            print('%s work a round: %s' % (k, ', '.join(
                '%s %.1f' % (f, n) for f, n in top)))
    names = sorted({f for k in works for w in works[k] for f in w})
    for f in names:
        old = [w.get(f, 0) for w in works['old']]
        new = [w.get(f, 0) for w in works['new']]
        each = 'old %s; new %s' % (' '.join('%.1f' % x for x in old),
                                   ' '.join('%.1f' % x for x in new))
        if old and new and min(old) > 0:
            e, lo, hi = verdict.ratio_interval(old, new)
            print('%s a round: new/old %.3f [%.3f, %.3f]; %s' % (
                f, e, lo, hi, each))
        else:
            print('%s a round: no ratio; %s' % (f, each))

if __name__ == '__main__':
    main()
