#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Size each slab pass of a balance-trace.sh trace, on either kernel.

Reads vmscan:mm_shrink_slab_start (6.12's event, which the patched
kernel keeps) for one scan callback and puts each pass's delta beside
the delta the priority alone gives, (freeable >> priority) * 4 / seeks,
6.12's.  A ratio above 1 is pressure the priority does not explain
(the patched kernel's share of what the LRUs lost, and its cost
weight).  Also how many passes reached a batch (total_scan >= BATCH, or
all of a smaller cache), and, from mm_shrink_slab_end, what they freed.
On the patched kernel shrinker:shrinker_instance_scan, where traced,
gives each scanned pass's cost weight (1024 is neutral), to tell the
LRU share from the weight.

Usage: slab-pass-sizes.py [--scan FN] [--seeks N] [--batch N] [--top N]
                          TRACE...
"""
import argparse
import collections
import re

START = re.compile(r'\[(\d+)\].* ([\d.]+): mm_shrink_slab_start: (\S+) (\S+): '
                   r'nid: (\d+) objects to shrink (-?\d+) gfp_flags (\S+) '
                   r'cache items (\d+) delta (-?\d+) total_scan (-?\d+) '
                   r'priority (-?\d+)')
END = re.compile(r'\[(\d+)\].* ([\d.]+): mm_shrink_slab_end: (\S+) (\S+): '
                 r'nid: (\d+) unused scan count (-?\d+) new scan count '
                 r'(-?\d+) total_scan (-?\d+) last shrinker return val '
                 r'(-?\d+)')
INST = re.compile(r'shrinker_instance_scan: (\S+) .*priority=(-?\d+) '
                  r'freeable=(\d+) delta=(\d+) weight=(\d+)')


def quantile(xs, q):
    if not xs:
        return float('nan')
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def analyse(path, scan, seeks, batch, top):
    """One block a shrinker (the event's hashed pointer, stable within a
    boot), the TOP with the most freeable objects over their passes."""
    sh = collections.defaultdict(lambda: {'passes': 0, 'reached': 0,
                                          'delta': 0, 'prio': 0, 'total': 0,
                                          'freeable': 0, 'half': 0,
                                          'by_prio': collections.defaultdict(list)})
    weights = []
    freed = collections.Counter()
    with open(path, errors='replace') as f:
        for line in f:
            m = START.search(line)
            if m and m.group(3).startswith(scan + '+'):
                st = sh[m.group(4)]
                freeable, delta = int(m.group(8)), int(m.group(9))
                total, prio = int(m.group(10)), int(m.group(11))
                base = (freeable >> prio) * 4 // seeks if prio >= 0 else 0
                st['passes'] += 1
                st['delta'] += delta
                st['prio'] += base
                st['total'] += total
                st['freeable'] += freeable
                # a seeks-0 cache (proc, kernfs) is asked half at any priority
                st['half'] += delta == freeable // 2
                if total >= batch or (freeable and total >= freeable):
                    st['reached'] += 1
                if base:
                    st['by_prio'][prio].append(delta / base)
                continue
            m = INST.search(line)
            if m and m.group(1).startswith(scan + '+'):
                weights.append(int(m.group(5)) / 1024)
                continue
            m = END.search(line)
            if m and m.group(3).startswith(scan + '+'):
                freed[m.group(4)] += max(0, int(m.group(9)))
    print('%s: %d shrinkers of %s' % (path, len(sh), scan))
    if weights:
        print('  cost weight of %d scanned passes (all of them): median %.2f, '
              'p10 %.2f, p90 %.2f' % (len(weights), quantile(weights, 0.5),
                                      quantile(weights, 0.1),
                                      quantile(weights, 0.9)))
    order = sorted(sh, key=lambda k: -sh[k]['freeable'])
    for k in order[:top]:
        st = sh[k]
        print('  %s: %d passes, mean freeable %.0f, %d asked half (seeks 0), '
              '%d reached a batch; delta %d, by priority alone %d (%s); '
              'total_scan %d; freed %d' %
              (k, st['passes'], st['freeable'] / st['passes'], st['half'],
               st['reached'], st['delta'], st['prio'],
               '%.2fx' % (st['delta'] / st['prio']) if st['prio'] else 'n/a',
               st['total'], freed[k]))
        for prio in sorted(st['by_prio'], reverse=True):
            rs = st['by_prio'][prio]
            print('    priority %2d: %6d passes with a priority-only delta, '
                  'delta / that: median %.2f, p90 %.2f, max %.2f' %
                  (prio, len(rs), quantile(rs, 0.5), quantile(rs, 0.9),
                   max(rs)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--scan', default='super_cache_scan')
    ap.add_argument('--seeks', type=int, default=2)
    ap.add_argument('--batch', type=int, default=1024)
    ap.add_argument('--top', type=int, default=3)
    ap.add_argument('traces', nargs='+')
    a = ap.parse_args()
    for t in a.traces:
        analyse(t, a.scan, a.seeks, a.batch, a.top)


if __name__ == '__main__':
    main()
