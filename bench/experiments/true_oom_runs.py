# SPDX-License-Identifier: GPL-2.0
"""What true_oom-split.py and true_oom-prio.py read alike: the runs of an
ab-kernels.sh directory, each run's traced rounds, and a trace line."""
import glob
import os
import re

# "task-pid [cpu] flags timestamp: event: fields", as the trace file prints
LINE = re.compile(r'^\s*(\S+)-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+):\s+(\w+):\s*(.*)$')


def runs(out):
    """(kernel, directory) of every OUT/KERNEL.rN, by kernel, then N."""
    dirs = [d for d in glob.glob(os.path.join(out, '*.r*'))
            if os.path.isdir(d) and d.rsplit('.r', 1)[1].isdigit()]
    return [(os.path.basename(d).split('.r')[0], d)
            for d in sorted(dirs, key=lambda p: (p.rsplit('.r', 1)[0],
                                                 int(p.rsplit('.r', 1)[1])))]


def round_traces(d):
    """(round, path) of each trace-rN.txt run @d kept, by round."""
    return sorted((int(re.search(r'trace-r(\d+)', p).group(1)), p)
                  for p in glob.glob(os.path.join(d, 'results/bench/trace-r*.txt')))
