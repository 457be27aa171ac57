#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write docs/status.md from the runs committed under docs/runs.

For every gate of bench/report.py, the newest committed run that judged
it:
- a run with every run's figures (summary.json format 2) and the kernels
  the gate needs (base too for a ratio): the verdict bench/verdict.py
  gives on those figures now, the runs, the estimate and its interval,
  the newest A/A band, and the verdict the run's original mean-based
  report gave (report.v1.md), when it has one;
- else an older run that kept means only: its report's PASS or FAIL,
  marked as judged on means, and counted apart.
A gate no run judged is NOT MEASURED.  A gate bench/report.py retired
(RETIRED) keeps the verdict it last had, in a table apart, counted in no
total, beside what replaced it and why.  The verdict is the classic LRU's
on one node; runs on two nodes (meta.json "nodes") and with lru_gen on
("lru_gen") have columns of their own, each from the newest such run
with per-run figures, and "not run" where none has the scenario.  The
A/A band beside a verdict is from an A/A run whose guests kept time as
the judged run's did (meta.json "icount").  A run made at a workbench commit
whose kernel files (mm/ fs/ include/ patches/) differ from HEAD's, or
from a dirty tree, is marked so.  Nothing here is typed by hand: `make
status` rewrites the page, and a host test checks it is current.

  status.py RUNS_DIR OUT.md
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'bench'))
import report  # noqa: E402
import verdict  # noqa: E402


ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
KERNEL_PATHS = ['mm', 'fs', 'include', 'patches']
OLD_GATE = re.compile(r'^\| .*? \| ([\w]+/[\w.]+) \| .*? \| (?:(PASS|FAIL) '
                      r'\(([^)]*)\)[^|]*?|(no ratio: [^|]*?)) *\|')


def load_runs(runs_dir):
    """(run id, dir, meta, summary) of each bench run, newest first."""
    out = []
    for rid in sorted(os.listdir(runs_dir), reverse=True):
        d = os.path.join(runs_dir, rid)
        try:
            with open(os.path.join(d, 'summary.json')) as f:
                s = json.load(f)
            with open(os.path.join(d, 'meta.json')) as f:
                meta = json.load(f)
        except (OSError, ValueError):
            continue
        out.append((rid, d, meta, s))
    return out


def old_verdicts(path):
    """scenario/metric -> (PASS or FAIL, value) from a mean-based report."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                m = OLD_GATE.match(line)
                if m and m.group(2):
                    out[m.group(1)] = (m.group(2), m.group(3))
                elif m:
                    # neither a pass nor a fail: a zero base
                    out[m.group(1)] = (verdict.NOT_MEASURED, m.group(4))
    except OSError:
        pass
    return out


def kernel_state(wb):
    """'current', or why the run's kernel may not be today's."""
    if wb.endswith('-dirty'):
        return 'dirty tree'
    r = subprocess.run(['git', '-C', ROOT, 'diff', '--quiet', wb, 'HEAD',
                        '--'] + KERNEL_PATHS, capture_output=True)
    if r.returncode == 0:
        return 'kernel current'
    if r.returncode == 1:
        return 'kernel changed since'
    return 'commit unknown'


CONFIGS = (('2 nodes', lambda m: m.get('nodes', 1) == 2 and
             not m.get('lru_gen')),
           ('MGLRU', lambda m: m.get('nodes', 1) == 1 and m.get('lru_gen')))


def classic(meta):
    """A run of the classic LRU on one node, as every run before the
    NUMA and MGLRU columns was."""
    return meta.get('nodes', 1) == 1 and not meta.get('lru_gen')


def control(meta):
    """A run made with a BENCH_ENV setting that changes what its scenario
    compares (report.CONTROL_ENV): a control or a variant, which judges
    no gate here."""
    env = meta.get('bench_env') or ''
    return any(re.search(r'(^|\s)%s=' % v, env) for v in report.CONTROL_ENV)


def config_cell(runs, g, need, pick):
    """The verdict of the newest run @pick selects that judged @g on
    per-run figures, with its estimate and run id; or "not run"."""
    for rid, d, meta, s in runs:
        if meta.get('aa') or control(meta) or not pick(meta):
            continue
        res = judge_run(g, s, need)
        if res:
            wb = meta.get('workbench', '-')
            return '%s: %s (%s, %s%s%s)' % (
                res['verdict'], verdict.estimate_cell(res, g['kind']), rid,
                kernel_state(wb) if wb != '-' else 'commit unknown',
                clock_note(clock(meta)), start_note(meta))
    return 'not run'


def judge_run(g, s, need):
    """@g judged on the per-run figures of summary @s, or None when @s
    keeps means only or lacks a kernel in @need."""
    if s.get('format') != 2:
        return None
    k = s['scenarios'].get(g['scenario'])
    if not k or any(x not in k for x in need):
        return None
    failed = {x: k[x]['failed'] for x in need if k[x].get('failed')}
    return verdict.judge(g, k.get('base', {}).get('runs', []),
                         k['patched']['runs'], failed)


def previous(runs, g, need, clk):
    """(verdict, run) of the newest per-run-figures run of @g before the
    judged one, timed as it was (@clk): a verdict counted in instructions
    is not the one before a verdict in host time."""
    seen = 0
    for rid, d, meta, s in runs:
        if meta.get('aa') or control(meta) or not classic(meta):
            continue
        # the judged run is the newest of any clock: count it, then
        # look only at runs of its clock
        if seen and clock(meta) != clk:
            continue
        res = judge_run(g, s, need)
        if res:
            seen += 1
            # begun otherwise, it is still the verdict this one
            # replaced, and says how it began
            if seen == 2:
                return res['verdict'], rid + start_note(meta)
    return None


def clock(meta):
    """How the run's guests kept time: the host's, or counted instructions
    (meta.json "icount", `make bench ICOUNT=N`)."""
    return meta.get('icount')


def clock_note(clk):
    return '' if clk is None else ', icount %s' % clk


# scripts/lib.sh's WB_START_UPTIME, make bench's default START_UPTIME: past the patched kernel's
# third sweep, which gives an instance made before the first its first
# watermarks (a host test holds the two equal)
START_UPTIME = 35


def start_note(meta):
    """How a run's scenarios began, unless at START_UPTIME on both
    kernels (meta.json "start_uptime_s"): runs before bench guests booted
    with kunit.enable=0 (meta.json "boot_kunit" false) gave the patched
    kernel its KUnit suites first, 3.2 s of guest time base did not
    spend; runs after it began each kernel at its own end of boot; runs
    begun at an earlier START_UPTIME began before the instances made at
    boot had watermarks (docs/workbench.md)."""
    if meta.get('boot_kunit') is not False:
        return ', KUnit at boot'
    if 'start_uptime_s' not in meta:
        return ', begun at boot'
    up = meta['start_uptime_s']
    if isinstance(up, bool) or not isinstance(up, (int, float)):
        return ', start uptime unknown (%r)' % (up,)
    if up < START_UPTIME:
        return ', begun at %s s' % up
    return ''


def band_of(runs, scen, metric, clk, began):
    for rid, d, meta, s in runs:
        # the band of the configuration the verdict column judges, timed
        # and begun as its run was: a band in counted instructions says
        # nothing of the noise in host time, nor one begun at boot of
        # one begun at START_UPTIME
        if not meta.get('aa') or not classic(meta) or s.get('format') != 2 \
                or clock(meta) != clk or start_note(meta) != began:
            continue
        b = (s.get('aa_band') or {}).get(scen, {}).get(metric)
        if b:
            hi = b['high'] if b['high'] is not None else float('inf')
            return '%s [%s, %s], n=%s (%s%s%s)' % (
                verdict.fmt(b['estimate']), verdict.fmt(b['low']),
                verdict.fmt(hi), '/'.join(map(str, b['n'])), rid,
                clock_note(clk), start_note(meta))
    return 'not measured'


def kernels_of(g):
    """The kernels gate @g is judged on: base too for a ratio."""
    return ('base', 'patched') if g['kind'] == 'ratio' else ('patched',)


def gate_row(runs, g):
    """(the table row of @g, the kernels it needs, its verdict, or 'on
    means: X' for a gate judged on means only, and how its run's
    scenarios began: start_note())."""
    key = '%s/%s' % (g['scenario'], g['metric'])
    need = kernels_of(g)
    res, rid, wb, v1, clk, began = None, '-', '-', '-', None, ''
    for rid, d, meta, s in runs:
        if meta.get('aa') or control(meta) or not classic(meta):
            continue
        wb = meta.get('workbench', '-')
        clk = clock(meta)
        began = start_note(meta)
        if s.get('format') == 2:
            res = judge_run(g, s, need)
            if not res:
                continue
            old = old_verdicts(os.path.join(d, 'report.v1.md')).get(key)
            v1 = '%s (%s)' % old if old else '-'
            break
        old = old_verdicts(os.path.join(d, 'report.md')).get(key)
        if old and old[0] == verdict.NOT_MEASURED:
            res = {'verdict': verdict.NOT_MEASURED, 'estimate': None,
                   'note': 'a run that kept means only: %s' % old[1],
                   'values': {}}
            v1 = old[1]
            break
        if old:
            res = {'verdict': 'on means: %s' % old[0], 'estimate': None,
                   'note': 'a run that kept means only: %s (%s); no '
                   'per-run values' % old, 'values': {}}
            v1 = '%s (%s)' % old
            break
    if res is None:
        res = {'verdict': verdict.NOT_MEASURED, 'estimate': None,
               'note': 'no committed run judged it', 'values': {}}
        rid, wb, began = '-', '-', ''
    prev = previous(runs, g, need, clk)
    if prev and prev[0] != res['verdict'] and prev[1] != rid:
        res['note'] = ('%s; ' % res['note'] if res['note'] else '') + \
            'the run before it: %s (%s)' % prev
    n = res.get('n') or {}
    row = ('| %s | %s | %s | %s | %s | %s | %s | %s | %s (%s, %s%s%s) | %s'
           % (g['what'], key, verdict.bound_text(g), res['verdict'],
              '/'.join(str(n[x]) for x in ('base', 'patched')
                       if x in n) or '-',
              verdict.estimate_cell(res, g['kind']),
              band_of(runs, g['scenario'], g['metric'], clk, began)
              if g['kind'] == 'ratio' else '-', v1,
              rid, wb, kernel_state(wb) if wb != '-' else '-',
              clock_note(clk), began, res['note'] or '-'))
    return row, need, res['verdict'], began


def cited_verdict(run, g, key):
    """(verdict, figure) a cited @run's report gave retired gate @g: a
    mean-based report's line, or @g with its own needs on the run's
    per-run figures."""
    rid, d, meta, s = run
    old = old_verdicts(os.path.join(d, 'report.md')).get(key)
    if old:
        return old
    res = judge_run(g, s, kernels_of(g))
    if res:
        return res['verdict'], verdict.estimate_cell(res, g['kind'])
    return None


def retired_row(runs, g):
    """(the row of retired gate @g, the verdict its newest cited run's
    report gave), read from the reports of the runs report.py cites for
    it, never judged again on a newer run."""
    key = '%s/%s' % (g['scenario'], g['metric'])
    by_id = {run[0]: run for run in runs}
    said = []
    first = None
    for rid in g['runs']:
        old = cited_verdict(by_id[rid], g, key) if rid in by_id else None
        if not old:
            said.append('no verdict: run %s or its report missing' % rid)
            continue
        said.append('%s (%s) in %s' % (old[0], old[1], rid))
        first = first or old[0]
    first = first or verdict.NOT_MEASURED
    return ('| %s | %s | %s | %s | %s | %s | %s |' % (
        g['what'], key, verdict.bound_text(g), first, '; '.join(said),
        g['by'], g['why']), first)


def main(runs_dir, out_path):
    runs = load_runs(runs_dir)
    rows = []
    counts = {}
    means = {}
    not_started = 0
    for g in report.GATES:
        row, need, v, began = gate_row(runs, g)
        if v.startswith('on means: '):
            means[v[10:]] = means.get(v[10:], 0) + 1
        else:
            counts[v] = counts.get(v, 0) + 1
            not_started += bool(began)
        rows.append('%s | %s |' % (row, ' | '.join(
            config_cell(runs, g, need, pick) for _, pick in CONFIGS)))
    retired = []
    gone = {}
    for g in report.RETIRED:
        row, v = retired_row(runs, g)
        gone[v] = gone.get(v, 0) + 1
        retired.append(row)
    total = ', '.join('%d %s' % (counts.get(v, 0), v) for v in (
        verdict.PASS, verdict.FAIL, verdict.INCONCLUSIVE,
        verdict.NOT_MEASURED))
    total += (' (%d of them on runs not begun at %d s of uptime on both '
              'kernels)' % (not_started, START_UPTIME))
    total += '; judged on means only, by older runs that kept no per-run ' \
        'values: %d FAIL, %d PASS' % (means.get('FAIL', 0),
                                      means.get('PASS', 0))
    total += '; retired gates, as they last read: %s' % ', '.join(
        '%d %s' % (gone[v], v) for v in sorted(gone))
    lines = [
        '# Status: every gate, from the committed runs',
        '',
        'Generated by `make status` (scripts/status.py) from docs/runs; do '
        'not edit.  Each verdict is bench/verdict.py\'s on every run\'s '
        'figures of the newest committed run that has the scenario on both '
        'kernels.  A ratio is patched/base: the Hodges-Lehmann estimate '
        'and its 95% interval; a count gate gives its worst run.  The A/A '
        'band is the same ratio from the newest `make bench AA=1` run timed '
        'and begun as the judged run was: the width of the noise at the A/A run\'s '
        'n, which may differ from the judged run\'s.  A verdict that differs '
        'from the run before it names that run\'s.  "v1" is the verdict the '
        'run\'s original report gave on means.  "kernel changed since": '
        'mm/, fs/, include/ or patches/ differ between the run\'s workbench '
        'commit and this page\'s.  The verdict column is the classic LRU '
        'on one node; "2 nodes" (`make bench NODES=2`) and "MGLRU" (`make '
        'bench MGLRU=1`) give the newest such run\'s verdict, estimate and '
        'run.  "icount N" marks a run whose guests counted time in '
        'instructions (`make bench ICOUNT=N`); its A/A band is from an A/A '
        'run timed and begun the same way.  "begun at N s" marks a run '
        'whose scenarios began at N s of uptime, before the patched kernel\'s '
        'third sweep, which gives the instances it made before its first '
        'their first watermarks (' + str(START_UPTIME) +
        ' s, START_UPTIME now); "begun at boot" marks one whose scenarios began at each '
        'kernel\'s end of boot (before 0b3d6a9); "KUnit at boot" marks one '
        'made before '
        'bench guests booted with kunit.enable=0: its patched kernel ran '
        'its KUnit suites first, 3.2 s of guest time where base spent '
        'about 0.02 s on its own, so its scenario began later; true_oom\'s '
        'time gates went from INCONCLUSIVE to FAIL in the first run '
        'without them, which is not shown to be their doing '
        '(docs/workbench.md).',
        '',
        'Gates: ' + total,
        '',
        '| gate | metric | bound | verdict | runs (base/patched) | '
        'estimate [95% interval] | A/A band | v1 | run (workbench, kernel) '
        '| note | ' + ' | '.join(c for c, _ in CONFIGS) + ' |',
        '|---|---|---|---|---|---|---|---|---|---|' + '---|' * len(CONFIGS),
    ] + rows + [
        '',
        '## Retired gates',
        '',
        'Gates replaced after review, each with the verdict the reports '
        'of the runs that last judged it gave (bench/report.py RETIRED '
        'names the runs), beside the gates that replaced it and why.  '
        'No report judges them any more and no newer run changes these '
        'rows; their figures stay in every report as information.',
        '',
        '| gate | metric | bound | last verdict | what each cited run\'s '
        'report gave | replaced by | why |',
        '|---|---|---|---|---|---|---|',
    ] + retired + ['']
    with open(out_path, 'w') as f:
        f.write('\n'.join(lines))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.stderr.write('usage: status.py RUNS_DIR OUT.md\n')
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
