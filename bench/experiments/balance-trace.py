#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Split memcg reclaim's wall time in a balance-trace.sh trace.

For each task: memcg reclaim calls (begin to end), the slab pass and the
unpinning pass inside them (kprobe entry to return), and the time the
task spent off the CPU inside reclaim, preempted (prev_state R) or
asleep (any other state).  Also each command's time on the CPU over the
trace, to show what else ran (the drain worker is a kworker).

Usage: balance-trace.py TRACE [TRACE...]  (one line of totals a trace)
"""
import collections
import re
import sys

LINE = re.compile(r'^\s*(.*)-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(\d+)\]\s+\S+\s+([\d.]+): (\S+): ?(.*)$')
FIELD = re.compile(r'(\w+)=(\S+)')
# interval events: (what, 0 at its start or 1 at its end)
PAIR = {'mm_vmscan_memcg_reclaim_begin': ('reclaim', 0),
        'mm_vmscan_memcg_reclaim_end': ('reclaim', 1),
        'slab_in': ('slab', 0), 'slab_out': ('slab', 1),
        'unpin_in': ('unpin', 0), 'unpin_out': ('unpin', 1)}


def base_comm(comm):
    return re.sub(r'[\d/:]+.*$', '', comm) or comm


def overlap(a0, a1, ivs):
    t = 0.0
    for b0, b1 in ivs:
        lo, hi = max(a0, b0), min(a1, b1)
        if hi > lo:
            t += hi - lo
    return t


def analyse(path):
    open_at = {}            # (pid, what) -> start
    ivs = collections.defaultdict(lambda: collections.defaultdict(list))
    off_since = {}          # pid -> (t, state)
    on_since = {}           # cpu -> (t, comm)
    oncpu = collections.Counter()
    comm_of = {}
    prio = collections.Counter()
    queued = collections.Counter()     # work queued from inside reclaim
    work_ms = collections.Counter()    # work items' run time
    work_at = {}
    switched_to = collections.Counter()  # who took the CPU from reclaim
    unpin_freed = [0, 0, 0]
    first = last = None
    with open(path, errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            comm, pid, cpu, ts, ev, rest = m.groups()
            pid, cpu, ts = int(pid), int(cpu), float(ts)
            first = ts if first is None else first
            last = ts
            comm_of[pid] = comm.strip()
            if ev == 'workqueue_queue_work' and (pid, 'reclaim') in open_at:
                fn = re.search(r'function=(\S+)', rest)
                queued[fn.group(1) if fn else '?'] += 1
            elif ev == 'workqueue_execute_start':
                fn = re.search(r'function (\S+)', rest)
                work_at[pid] = (ts, fn.group(1) if fn else '?')
            elif ev == 'workqueue_execute_end' and pid in work_at:
                t0, fn = work_at.pop(pid)
                work_ms[fn] += (ts - t0) * 1000
            if ev == 'unpin_in':
                prio[int(dict(FIELD.findall(rest)).get('prio', -1))] += 1
            elif ev == 'unpin_out':
                unpin_freed[0] += int(dict(FIELD.findall(rest)).get('freed', 0))
            elif ev == 'jbd2_scan_out':
                unpin_freed[1] += 1
                unpin_freed[2] += int(dict(FIELD.findall(rest)).get('freed', 0))
            if ev in PAIR:
                what, end = PAIR[ev]
                if not end:
                    open_at[(pid, what)] = ts
                elif (pid, what) in open_at:
                    ivs[pid][what].append((open_at.pop((pid, what)), ts))
            elif ev == 'sched_switch':
                fl = dict(FIELD.findall(rest))
                prev, nxt = int(fl['prev_pid']), int(fl['next_pid'])
                state = fl.get('prev_state', '?')
                off_since[prev] = (ts, 'R' if state.startswith('R') else 'S')
                nc = re.search(r'next_comm=(.*) next_pid=', rest)
                if (prev, 'reclaim') in open_at:
                    switched_to[base_comm(nc.group(1) if nc else '?')] += 1
                if cpu in on_since:
                    t0, c = on_since[cpu]
                    oncpu[base_comm(c)] += ts - t0
                on_since[cpu] = (ts, nc.group(1) if nc else '?')
                if nxt in off_since:
                    t0, st = off_since.pop(nxt)
                    ivs[nxt]['off' + st].append((t0, ts))
    tot = collections.Counter()
    bycomm = collections.defaultdict(collections.Counter)
    for pid, d in ivs.items():
        c = base_comm(comm_of.get(pid, '?'))
        for r0, r1 in d['reclaim']:
            row = {'calls': 1, 'wall': r1 - r0,
                   'slab': overlap(r0, r1, d['slab']),
                   'unpin': overlap(r0, r1, d['unpin']),
                   'offR': overlap(r0, r1, d['offR']),
                   'offS': overlap(r0, r1, d['offS'])}
            for k, v in row.items():
                tot[k] += v
                bycomm[c][k] += v
    return (first, last, tot, bycomm, oncpu, prio, unpin_freed, queued,
            work_ms, switched_to)


def main():
    for path in sys.argv[1:]:
        (first, last, tot, bycomm, oncpu, prio, uf, queued, work_ms,
         switched_to) = analyse(path)
        if first is None:
            print(f'{path}: no events')
            continue
        ms = 1000.0

        def fmt(t):
            return (f"calls {int(t['calls'])} wall {t['wall'] * ms:.1f} ms: "
                    f"slab {t['slab'] * ms:.1f} unpin {t['unpin'] * ms:.1f} "
                    f"preempted {t['offR'] * ms:.1f} asleep {t['offS'] * ms:.1f}")
        print(f'{path}: {last - first:.1f} s traced')
        print(f'  memcg reclaim, all tasks: {fmt(tot)}')
        for c, t in sorted(bycomm.items(), key=lambda x: -x[1]['wall']):
            print(f'    {c}: {fmt(t)}')
        if prio:
            hist = ' '.join(f'{p}:{n}' for p, n in sorted(prio.items()))
            print(f'  unpinning passes by priority: {hist}; freed {uf[0]}; '
                  f'jbd2 scans {uf[1]} freed {uf[2]}')
        sw = ', '.join(f'{c} {n}' for c, n in switched_to.most_common(5))
        print(f'  switched out inside memcg reclaim: '
              f'{sum(switched_to.values())} times, to {sw or "nobody"}')
        q = ', '.join(f'{f} {n}' for f, n in queued.most_common(6))
        print(f'  work queued from inside memcg reclaim: {q or "none"}')
        w = ', '.join(f'{f} {t:.0f}' for f, t in work_ms.most_common(6))
        print(f'  work items run (ms, wall): {w or "none"}')
        top = ', '.join(f'{c} {t * ms:.0f}' for c, t in oncpu.most_common(8))
        print(f'  on the CPU (ms, both CPUs): {top}')


if __name__ == '__main__':
    main()
