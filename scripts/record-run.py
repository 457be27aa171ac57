#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Copy a make bench run into docs/runs, with what a reader checks it by.

    scripts/record-run.py RESULTS_DIR OUT_DIR [STAGES_LOG]

RESULTS_DIR is results/<timestamp>/.  OUT_DIR gets its meta.json,
report.md and summary.json, and, from every guest run's directory:
runs.tsv, each run's every metric (scenario, kernel, run, metric, value,
unit), sorted by scenario, metric, kernel and run; banners.txt, the
kernel each run booted (its console's "Linux version" line); start.txt,
the uptime each run began at, whether KUnit stayed off, the patched
kernel's instances without watermarks then, and lru_gen where set.  A
run that failed, or left no metrics, is named at runs.tsv's end by a
"#" line, never dropped; so is a metrics line it cannot read.
STAGES_LOG, make bench's stderr, gives stages.txt its stage lines.
README.md, with every run's values beside the verdicts, is the
recorder's to write.
"""
import json
import os
import re
import shutil
import sys

RUN = re.compile(r'^(base|patched)(?:\.r(\d+))?$')


def guest_runs(root):
    """(scenario, kernel, run, its directory), in scenario and run order."""
    out = []
    for scen in sorted(os.listdir(root)):
        sd = os.path.join(root, scen)
        if not os.path.isdir(sd):
            continue
        for kr in os.listdir(sd):
            m = RUN.match(kr)
            if m and os.path.isdir(os.path.join(sd, kr)):
                out.append((scen, m.group(1), int(m.group(2) or 1),
                            os.path.join(sd, kr)))
    return sorted(out, key=lambda r: (r[0], r[2], r[1]))


def label(kernel, run):
    return kernel if run == 1 else '%s.r%d' % (kernel, run)


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read().replace('\r', '')
    except OSError:
        return None


def cell(v):
    return '' if v is None else str(v)


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    src, dst = argv[1], argv[2]
    for f in ('meta.json', 'report.md', 'summary.json'):
        if not os.path.isfile(os.path.join(src, f)):
            sys.exit('record-run: %s has no %s: not a finished run' % (src, f))
    if os.path.exists(dst):
        sys.exit('record-run: %s exists; a recorded run is not written over' % dst)
    runs = guest_runs(src)
    if not runs:
        sys.exit('record-run: %s has no guest runs' % src)
    rows, banners, starts, notes = [], [], [], []
    for scen, k, r, d in runs:
        lab = '%s/%s' % (scen, label(k, r))
        why = read(os.path.join(d, 'FAILED'))
        if why is not None:
            notes.append('%s: FAILED: %s' % (lab, ' / '.join(
                why.split('\n')).strip(' /')))
        con = read(os.path.join(d, 'console.log')) or ''
        m = re.search(r'Linux version (\S+) .*?(#\d+ .*)$', con, re.M)
        banners.append('%s: %s' % (lab, '%s %s' % (m.group(1), m.group(2))
                                   if m else 'no banner on the console'))
        res = os.path.join(d, 'results')
        up = (read(os.path.join(res, 'start-uptime.txt')) or
              'unknown').strip()
        inst = (read(os.path.join(res, 'start-instances.txt')) or
                '').strip()
        lru = ' '.join((read(os.path.join(res, 'lru_gen.txt')) or
                        '').split())
        starts.append('%s: began at %s s; %s; KTAP lines %d%s%s' % (
            lab, up,
            'kunit: disabled' if 'kunit: disabled' in con
            else 'no "kunit: disabled"',
            con.count('KTAP version'),
            '; ' + inst if inst else '', '; lru_gen ' + lru if lru else ''))
        if why is not None:
            continue
        text = read(os.path.join(res, 'bench', 'metrics.jsonl'))
        if text is None:
            notes.append('%s: no metrics.jsonl' % lab)
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                j = json.loads(line)
                rows.append((scen, j['name'], k, r, j.get('value'),
                             j.get('unit', '')))
            except (ValueError, KeyError, TypeError):
                notes.append('%s: metrics.jsonl line %d unread: %s' %
                             (lab, n, line.strip()))
    rows.sort(key=lambda x: (x[0], x[1], x[2], x[3]))
    # written whole, or not at all: a half-written run would refuse the
    # next try as "exists"
    tmp = dst.rstrip('/') + '.tmp'
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    for f in ('meta.json', 'report.md', 'summary.json'):
        shutil.copy(os.path.join(src, f), tmp)
    with open(os.path.join(tmp, 'runs.tsv'), 'w') as f:
        f.write('scenario\tkernel\trun\tmetric\tvalue\tunit\n')
        for scen, name, k, r, v, u in rows:
            f.write('%s\t%s\t%d\t%s\t%s\t%s\n' % (scen, k, r, name,
                                                  cell(v), cell(u)))
        for line in notes:
            f.write('# %s\n' % line)
    with open(os.path.join(tmp, 'banners.txt'), 'w') as f:
        f.write('\n'.join(banners) + '\n')
    with open(os.path.join(tmp, 'start.txt'), 'w') as f:
        f.write('\n'.join(starts) + '\n')
    if len(argv) == 4:
        text = read(argv[3]) or ''
        with open(os.path.join(tmp, 'stages.txt'), 'w') as f:
            f.write(''.join(l + '\n' for l in text.splitlines()
                            if l.startswith('[')))
    os.rename(tmp, dst)
    print('record-run: %d guest runs, %d metrics, %d notes -> %s' % (
        len(runs), len(rows), len(notes), dst))


if __name__ == '__main__':
    main(sys.argv)
