#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Per A/A run under docs/runs with alternating slots: in how many pairs
each time figure (unit s, ms, us or ns) read higher in the "patched" slot
than in the "base" slot.  Both slots boot the same kernel.
   tally.py DOCS_RUNS_DIR"""
import collections
import csv
import glob
import json
import os
import sys

TIME = ('s', 'ms', 'us', 'ns')


def main(root):
    for meta in sorted(glob.glob(os.path.join(root, '*', 'meta.json'))):
        m = json.load(open(meta))
        if not m.get('aa') or 'alternat' not in m.get('order', '') and \
           'every other pair' not in m.get('order', ''):
            continue
        d = os.path.dirname(meta)
        tsv = os.path.join(d, 'runs.tsv')
        if not os.path.exists(tsv):
            continue
        v = collections.defaultdict(dict)
        with open(tsv) as f:
            for row in csv.reader(f, delimiter='\t'):
                if row[0] == 'scenario' or row[5] not in TIME:
                    continue
                try:
                    v[(row[0], row[3])][(row[1], int(row[2]))] = float(row[4])
                except ValueError:
                    continue
        hi = lo = 0
        figs = []
        for (s, met), dd in sorted(v.items()):
            h = l = 0
            for r in sorted({r for _, r in dd}):
                a, b = dd.get(('base', r)), dd.get(('patched', r))
                if a is None or b is None:
                    continue
                h += b > a
                l += b < a
            if h + l:
                figs.append(f'{s}:{met} {h}/{h + l}')
                hi += h
                lo += l
        print(f'{os.path.basename(d)} repeat={m.get("repeat")} '
              f'icount={m.get("icount")}: patched slot higher in {hi} '
              f'of {hi + lo} pairs of time figures')
        for f in figs:
            print('   ', f)


if __name__ == '__main__':
    main(sys.argv[1])
