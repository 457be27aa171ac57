#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Read memcg-protection-fill.sh's samples: how full was the file?

B is memcg_test_1, the three children's parent; G is memcg_test_2, where
the test's load runs.  The test moves on as soon as B is within 3% of
150M, and never sleeps between its load and its checks, so a sampled B
that stays short of 150M, unchanged (within 1 MiB) and with G empty for
1.5 s or more, is the test waiting in vain: a fill race, the file sized
100M or 50M.  The denominator is the protection tests that ran, from
kselftest.txt (test_memcg_min and test_memcg_low, each run).

usage: memcg-protection-fill.py RESULTS_DIR...
"""
import glob
import os
import re
import sys
import tarfile

MB = 1 << 20
HELD_S = 1.5


def sample_files(d):
    """Yield (run, lines) for each samp.N in D or in D/samples.tar.xz."""
    tar = os.path.join(d, 'samples.tar.xz')
    if os.path.exists(tar):
        with tarfile.open(tar) as t:
            members = [m for m in t.getmembers() if m.isfile()]
            members.sort(key=lambda m: int(m.name.rsplit('.', 1)[1]))
            for m in members:
                text = t.extractfile(m).read().decode()
                yield m.name.rsplit('.', 1)[1], text.splitlines()
        return
    paths = glob.glob(os.path.join(d, 'samp.*'))
    paths.sort(key=lambda p: int(p.rsplit('.', 1)[1]))
    for path in paths:
        with open(path) as f:
            yield path.rsplit('.', 1)[1], f.read().splitlines()


def samples(lines):
    """Yield (uptime, B, G) a line; B is None with no subtree."""
    for line in lines:
        fields = line.split()
        if not fields:
            continue
        vals = dict(kv.split('=', 1) for kv in fields[1:] if '=' in kv)
        try:
            b = int(vals.get('B', ''))
        except ValueError:
            b = None
        try:
            g = int(vals.get('G', '') or 0)
        except ValueError:
            g = 0
        yield float(fields[0]), b, g


def plateaus(lines):
    """Yield (B, seconds) for each stretch of unchanged B with G empty."""
    run = []
    for t, b, g in samples(lines):
        if b is not None and g == 0 and run and abs(b - run[0][1]) <= MB:
            run.append((t, b))
            continue
        if len(run) > 1:
            yield run[-1][1], run[-1][0] - run[0][0]
        run = [(t, b)] if b is not None and g == 0 else []
    if len(run) > 1:
        yield run[-1][1], run[-1][0] - run[0][0]


def short_of_150m(b):
    return abs(b - 150 * MB) > (b + 150 * MB) * 0.03


def main(dirs):
    for d in dirs:
        with open(os.path.join(d, 'kselftest.txt')) as f:
            results = re.findall(r'^# ((?:not )?ok) \d+ (test_memcg_(?:min|low))$',
                                 f.read(), re.M)
        failed = sum(1 for st, _ in results if st != 'ok')
        lines = []
        sampled = 0
        for run, text in sample_files(d):
            sampled += 1
            for b, held in plateaus(text):
                if held >= HELD_S and short_of_150m(b):
                    lines.append('  run %s: B held %.1f MiB for %.1f s before '
                                 'the load' % (run, b / MB, held))
        print('%s: %d protection tests, %d failed; %d runs sampled, '
              '%d fill races' % (d, len(results), failed, sampled, len(lines)))
        for line in lines:
            print(line)
    return 0


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
