#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Feed bench/report.py synthetic results, one per verdict and per way a
gate can go unmeasured, and check each gate's verdict in summary.json.

Prints one line per case: "ok NAME" or "not ok NAME: why".
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REPORT = os.path.join(ROOT, 'bench', 'report.py')
sys.path.insert(0, os.path.join(ROOT, 'bench'))
import verdict  # noqa: E402


def write_run(root, scen, kernel, i, metrics, events_max=None):
    d = kernel if i == 0 else '%s.r%d' % (kernel, i + 1)
    rdir = os.path.join(root, scen, d, 'results', 'bench')
    os.makedirs(rdir)
    with open(os.path.join(rdir, 'metrics.jsonl'), 'w') as f:
        for name, value in metrics.items():
            f.write(json.dumps({'name': name, 'value': value}) + '\n')
    if events_max is not None:
        with open(os.path.join(rdir, 'samples.jsonl'), 'w') as f:
            for t, m in ((0, 0), (1, events_max)):
                f.write(json.dumps({'t': t, 'vmstat': {},
                                    'memory.events': {'max': m}}) + '\n')


def results(runs, aa=False):
    """runs: {scenario: {kernel: [metrics, ...]}}; a metrics dict may hold
    'memory.events.max', written as samples the way the sampler does."""
    root = tempfile.mkdtemp(prefix='report-test.')
    with open(os.path.join(root, 'meta.json'), 'w') as f:
        json.dump({'base': 'test', 'kernels': {'base': 'b', 'patched': 'p'},
                   'bench': 'quick', 'duration': 1, 'mem_mib': 1, 'smp': 1,
                   'accel': 'none', 'workbench': 'test', 'aa': aa}, f)
    for scen, kernels in runs.items():
        for kernel, ms in kernels.items():
            for i, m in enumerate(ms):
                m = dict(m)
                ev = m.pop('memory.events.max', None)
                write_run(root, scen, kernel, i, m, ev)
    return root


def report(runs, aa=False):
    root = results(runs, aa)
    r = subprocess.run([sys.executable, REPORT, root], capture_output=True,
                       text=True)
    try:
        with open(os.path.join(root, 'summary.json')) as f:
            s = json.load(f)
    except (OSError, ValueError):
        s = {'gates': []}
    gates = {(g['scenario'], g['metric']): g for g in s['gates']}
    if aa:
        return r.returncode, s.get('aa_band') or {}, r.stdout + r.stderr
    return r.returncode, gates, r.stdout + r.stderr


def true_oom(lat, rec, n=None):
    return [{'oom_latency_mean_ms': x, 'oom_reclaim_ms_mean': y,
             'rounds': 3, 'oom_kill': 3, 'traced_kills': 3,
             'rounds_without_kill': 0}
            for x, y in zip(lat, rec)][:n]


def check(name, got, want, out):
    if got == want:
        print('ok %s' % name)
    else:
        print('not ok %s: %r, expected %r; %s' % (name, got, want,
                                                   out.strip()[-300:]))


def main():
    base = [1000, 1040, 980, 1010, 1020]
    slow = [1200, 1230, 1180, 1250, 1210]
    fast = [800, 820, 790, 810, 805]
    rc, g, out = report({'true_oom': {'base': true_oom(base, base),
                                      'patched': true_oom(slow, fast)}})
    check('report: a ratio wholly above its bound FAILs',
          g[('true_oom', 'oom_latency_mean_ms')]['verdict'], 'FAIL', out)
    check('report: a ratio wholly inside its bound PASSes',
          g[('true_oom', 'oom_reclaim_ms_mean')]['verdict'], 'PASS', out)
    check('report: a gate of a scenario not in the run is NOT MEASURED',
          (g[('scale', 'drop_caches_s')]['verdict'],
           g[('scale', 'drop_caches_s')]['ran']), ('NOT MEASURED', False),
          out)
    check('report: every gate measured, the report succeeds', rc, 0, out)

    rc, band, out = report({'true_oom': {'base': true_oom(base, base),
                                         'patched': true_oom(slow, base)}},
                           aa=True)
    lat = band.get('true_oom', {}).get('oom_latency_mean_ms', {})
    check('report: an A/A run gives a band per figure and no verdicts',
          (rc, lat.get('n'), lat.get('gated'), 'gates:' in out),
          (0, [5, 5], True, False), out)

    rc, g, out = report({'true_oom': {'base': true_oom(base, base, 3),
                                      'patched': true_oom(slow, fast, 3)}})
    check('report: three runs a kernel give no 95% interval: INCONCLUSIVE',
          g[('true_oom', 'oom_latency_mean_ms')]['verdict'], 'INCONCLUSIVE',
          out)

    bal = {'fio_randread_iops': 100, 'stress_ng_dentry_ops': 10}
    rc, g, out = report({'balance': {
        'base': [dict(bal, fio_randread_iops=0)] * 5,
        'patched': [bal] * 5}})
    check('report: a zero base is NOT MEASURED, and fails the report',
          (g[('balance', 'fio_randread_iops')]['verdict'], rc),
          ('NOT MEASURED', 3), out)

    rc, g, out = report({'scale': {
        'base': [{'memcgs': 10, 'stress_ng_ramfs_ops': 5, 'drop_caches_s': 1}]
        * 5,
        'patched': [{'memcgs': 10, 'stress_ng_ramfs_ops': 5}] * 5}})
    check('report: a missing figure is NOT MEASURED',
          g[('scale', 'drop_caches_s')]['verdict'], 'NOT MEASURED', out)

    rc, g, out = report({'false_oom': {
        'base': [{'oom_kill': 1, 'memory.events.max': 9}] * 3,
        'patched': [{'oom_kill': 0, 'memory.events.max': 0}] * 3}})
    check('report: no kill from a load that never reached its limit is '
          'NOT MEASURED', g[('false_oom', 'oom_kill')]['verdict'],
          'NOT MEASURED', out)

    rc, g, out = report({'false_oom': {
        'base': [{'oom_kill': 1, 'memory.events.max': 9}] * 3,
        'patched': [{'oom_kill': k, 'memory.events.max': 9}
                    for k in (0, 1, 0)]}})
    check('report: one run with a kill FAILs a count gate',
          g[('false_oom', 'oom_kill')]['verdict'], 'FAIL', out)

    rc, g, out = report({'xfs_inodes': {
        'base': [{'oom_kill': 2, 'files_made': 0,
                  'memory_max_events': 5}] * 5,
        'patched': [{'oom_kill': 0, 'files_made': 30000,
                     'memory_max_events': 5}] * 5}})
    check('report: a creator that made nothing is NOT MEASURED',
          g[('xfs_inodes', 'files_made')]['verdict'], 'NOT MEASURED', out)

    rc, g, out = report({'true_oom': {
        'base': true_oom(base, base),
        'patched': true_oom([800, float('nan'), 790, 810, 805], fast)}})
    check('report: a value that is not a finite number is NOT MEASURED',
          g[('true_oom', 'oom_latency_mean_ms')]['verdict'], 'NOT MEASURED',
          out)

    root = results({'true_oom': {'base': true_oom(base, base),
                                 'patched': true_oom(fast, fast)}})
    with open(os.path.join(root, 'true_oom', 'patched.r5', 'FAILED'),
              'w') as f:
        f.write('guest timed out\n')
    r = subprocess.run([sys.executable, REPORT, root], capture_output=True,
                       text=True)
    with open(os.path.join(root, 'summary.json')) as f:
        g = {(x['scenario'], x['metric']): x for x in json.load(f)['gates']}
    check('report: a failed run makes its gates NOT MEASURED',
          (g[('true_oom', 'oom_latency_mean_ms')]['verdict'],
           g[('true_oom', 'rounds_without_kill')]['verdict']),
          ('NOT MEASURED', 'NOT MEASURED'), r.stdout + r.stderr)

    root = results({'true_oom': {'base': true_oom(base, base),
                                 'patched': true_oom(fast, fast)}})
    with open(os.path.join(root, 'meta.json')) as f:
        meta = json.load(f)
    meta['repeat'] = 6
    with open(os.path.join(root, 'meta.json'), 'w') as f:
        json.dump(meta, f)
    r = subprocess.run([sys.executable, REPORT, root], capture_output=True,
                       text=True)
    with open(os.path.join(root, 'summary.json')) as f:
        g = {(x['scenario'], x['metric']): x for x in json.load(f)['gates']}
    check('report: fewer runs than REPEAT asked for is NOT MEASURED',
          g[('true_oom', 'rounds_without_kill')]['verdict'], 'NOT MEASURED',
          r.stdout + r.stderr)

    part = true_oom(fast, fast)
    part[2] = dict(part[2], traced_kills=1, rounds_without_kill=2)
    rc, g, out = report({'true_oom': {'base': true_oom(base, base),
                                      'patched': part}})
    check('report: a latency from a run whose trace missed a kill is '
          'NOT MEASURED, and the kill gate FAILs',
          (g[('true_oom', 'oom_latency_mean_ms')]['verdict'],
           g[('true_oom', 'rounds_without_kill')]['verdict']),
          ('NOT MEASURED', 'FAIL'), out)

    sm = {'fio_randread_iops': 9, 'slow_cache_allocated': 5,
          'memcg_reclaim_total_ms': 500, 'trace_events_memcg': 2}
    rc, g, out = report({'stalls_memcg': {
        'base': [sm] * 5,
        'patched': [dict(sm, memcg_reclaim_total_ms=0,
                         trace_events_memcg=1)] * 5}})
    check('report: no stall time from a trace that never ran is '
          'NOT MEASURED', g[('stalls_memcg', 'memcg_reclaim_total_ms')][
              'verdict'], 'NOT MEASURED', out)

    rc, g, out = report({'windup': {
        'base': [{'light_passes': 3, 'light_pass_worst_ratio': 1.0}] * 9,
        'patched': [{'light_passes': 3, 'light_pass_worst_ratio': v}
                    for v in (1.1, 1.2, 1.0, 5.0, 1.1, 1.3, 1.0, 1.2, 1.1)]}})
    check('report: one run\'s pass past a worst-case bound FAILs',
          g[('windup', 'light_pass_worst_ratio')]['verdict'], 'FAIL', out)

    sq = {'files_per_s_free': 100, 'files_made_squeezed': 50,
          'squeezed_oom_kills': 0}
    rc, g, out = report({'squeeze': {
        'base': [sq] * 6,
        'patched': [dict(sq, files_per_s_squeezed=v)
                    for v in (95, 96, 94, 97, 95, 93)]}})
    check('report: a level inside its bound in six runs PASSes',
          g[('squeeze', 'squeeze_loss_pct')]['verdict'], 'PASS', out)
    rc, g, out = report({'squeeze': {
        'base': [sq] * 3,
        'patched': [dict(sq, files_per_s_squeezed=v)
                    for v in (95, 96, 94)]}})
    check('report: a level from three runs is INCONCLUSIVE',
          g[('squeeze', 'squeeze_loss_pct')]['verdict'], 'INCONCLUSIVE',
          out)

    # a leaf storm is judged where its victims' OOMs began within 100 ms
    # of one another, whether or not the first kill came before the last
    # victim's reclaim began
    st = {'memcgs': 9, 'storm_memcgs': 8, 'storm_hogs_stopped': 8,
          'storm_memcgs_killed': 8, 'storm_victims_traced': 8,
          'trace_events_storm': 3, 'trace_asked_storm': 3,
          'trace_lost_storm': 0, 'storm_oom_local': 8,
          'storm_overlapped': 8, 'storm_spread_ms': 30}
    rc, g, out = report({'scale': {
        'base': [dict(st, storm_kill_ms_median=v, storm_overlapped=o)
                 for v, o in ((40, 7), (42, 8), (38, 6), (41, 8))],
        'patched': [dict(st, storm_kill_ms_median=v)
                    for v in (30, 31, 29, 30)]}})
    check('report: a leaf storm whose first kill came before a victim\'s '
          'reclaim began is judged',
          g[('scale', 'storm_kill_ms_median')]['verdict'] != 'NOT MEASURED',
          True, out)
    for wide, what in ((150, 'victims\' OOMs began 100 ms or more apart'),
                       (100.0, 'OOMs began exactly 100 ms apart')):
        rc, g, out = report({'scale': {
            'base': [dict(st, storm_kill_ms_median=40)] * 4,
            'patched': [dict(st, storm_kill_ms_median=30, storm_spread_ms=s)
                        for s in (30, wide, 20, 25)]}})
        check('report: a leaf storm whose %s is NOT MEASURED' % what,
              g[('scale', 'storm_kill_ms_median')]['verdict'],
              'NOT MEASURED', out)
    nospread = dict(st, storm_kill_ms_median=30)
    del nospread['storm_spread_ms']
    rc, g, out = report({'scale': {
        'base': [dict(st, storm_kill_ms_median=40)] * 4,
        'patched': [nospread] * 4}})
    check('report: a leaf storm without its spread recorded is NOT MEASURED',
          (g[('scale', 'storm_kill_ms_median')]['verdict'],
           'storm_spread_ms not recorded' in
           g[('scale', 'storm_kill_ms_median')].get('note', '')),
          ('NOT MEASURED', True), out)

    # negdentry's cost gates judge the trim only where it trimmed
    neg = {'nr_negative_peak': 9, 'neg_lookups': 100,
           'neg_lookups_per_cpu_s': 10}
    rc, g, out = report({'negdentry': {
        'base': [dict(neg, nr_negative_end_per_lookup=1.0)] * 4,
        'patched': [dict(neg, nr_negative_end_per_lookup=v)
                    for v in (1.0, 0.3, 0.3, 0.3)]}})
    check('report: a cost of the trim where the patched kernel trimmed '
          'nothing is NOT MEASURED',
          g[('negdentry', 'neg_lookups_per_cpu_s')]['verdict'],
          'NOT MEASURED', out)
    rc, g, out = report({'negdentry': {
        'base': [dict(neg, nr_negative_end_per_lookup=1.0)] * 4,
        'patched': [dict(neg, nr_negative_end_per_lookup=0.3)] * 4}})
    check('report: a cost of the trim where it trimmed is judged',
          g[('negdentry', 'neg_lookups_per_cpu_s')]['verdict'] !=
          'NOT MEASURED', True, out)

    # dying memcgs as a share of those cycled: 1% of 2000 is 20, as the
    # bound was; of the quick length's 300 it is 3, where 20 passed
    def dying(cycled, left):
        return [{'cgroups_cycled': cycled, 'dying_not_pagecache': x}
                for x in left]
    for cycled, left, want in ((2000, (0, 20, 5), 'PASS'),
                               (2000, (0, 21, 5), 'FAIL'),
                               (300, (0, 3, 1), 'PASS'),
                               (300, (0, 4, 1), 'FAIL')):
        rc, g, out = report({'dying_memcgs': {'base': dying(cycled, left),
                                              'patched': dying(cycled, left)}})
        res = g[('dying_memcgs', 'dying_not_pagecache')]
        check('report: %s of %d memcgs left dying at worst is %s against '
              '1%%' % (max(left), cycled, want),
              (res['verdict'], res['bound']),
              (want, '<= 1% of cgroups_cycled'), out)
    rc, g, out = report({'dying_memcgs': {'base': dying(300, (0, 0)),
                                          'patched': dying(0, (0, 0))}})
    check('report: a share of none cycled is NOT MEASURED',
          g[('dying_memcgs', 'dying_not_pagecache')]['verdict'],
          'NOT MEASURED', out)
    gate = {'scenario': 's', 'metric': 'm', 'kind': 'count', 'op': '<=',
            'bound': 1.0, 'what': '', 'needs': (), 'per': 'n'}
    runs = [{'m': 0, 'n': 10}, {'m': 1, 'n': 0}, {'m': 1}]
    try:
        res = verdict.judge(gate, [], runs)
        got = (res['verdict'], res['note'][:28])
    except Exception as e:  # noqa: BLE001
        got = repr(e)
    check('verdict: a share whose base is 0 or missing is NOT MEASURED '
          'even if the gate does not need it', got,
          ('NOT MEASURED', 'a need not met on patched: n'), '')
    res = verdict.judge(gate, [], [{'m': 1, 'n': 200}, {'m': 0, 'n': 300}])
    check('verdict: a share is shown in percent',
          verdict.estimate_cell(res, 'count'), 'worst run 0.500%', '')


if __name__ == '__main__':
    main()
