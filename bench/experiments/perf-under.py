#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the samples under one function went, one level down.

  perf script -i perf.data -k vmlinux -F ip,sym | perf-under.py FUNC

For every sample whose call chain holds FUNC, count the frame FUNC
called (or <self> when FUNC itself was running).  A chain holding FUNC
twice counts at its innermost call.
"""
import collections
import sys


def main(target):
    below = collections.Counter()
    total = samples = 0
    stack = []

    def flush():
        nonlocal total, samples
        if not stack:
            return
        samples += 1
        if target in stack:
            i = stack.index(target)
            below[stack[i - 1] if i else '<self>'] += 1
            total += 1

    for line in sys.stdin:
        if line[:1] in ('\t', ' ') and line.strip():
            parts = line.split()
            if len(parts) >= 2:
                stack.append(parts[1].split('+')[0])
            continue
        flush()
        stack = []
    flush()
    print('%s: %d of %d samples' % (target, total, samples))
    for sym, n in below.most_common(25):
        print('  %6d %s' % (n, sym))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.stderr.write('usage: perf-under.py FUNC <perf-script-output\n')
        sys.exit(2)
    main(sys.argv[1])
