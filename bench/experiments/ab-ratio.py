#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The new/old ratios of an ab-kernels.sh run, as the bench judges one.

  ab-ratio.py OUT/runs.tsv METRIC...

For each metric, every run's value on each kernel and the Hodges-Lehmann
ratio new/old with its 95% interval (bench/verdict.py's ratio_interval).
"""
import csv
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import verdict  # noqa: E402


def main(path, metrics):
    vals = {}
    with open(path) as f:
        for r in csv.DictReader(f, delimiter='\t'):
            vals.setdefault((r['kernel'], r['metric']), []).append(
                (int(r['run']), float(r['value'])))
    for m in metrics:
        old = [v for _, v in sorted(vals.get(('old', m), []))]
        new = [v for _, v in sorted(vals.get(('new', m), []))]
        print('%s: old %s; new %s' % (m, ' '.join('%g' % v for v in old),
                                      ' '.join('%g' % v for v in new)))
        if len(old) < 4 or len(new) < 4 or min(old) <= 0:
            print('  ratio: not measured (%d/%d runs)' % (len(old), len(new)))
            continue
        est, lo, hi = verdict.ratio_interval(old, new)
        print('  new/old %s [%s, %s], n=%d/%d' % (
            verdict.fmt(est), verdict.fmt(lo), verdict.fmt(hi), len(old),
            len(new)))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.stderr.write('usage: ab-ratio.py RUNS_TSV METRIC...\n')
        sys.exit(2)
    main(sys.argv[1], sys.argv[2:])
