#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# By hand (review II-8): each arm's runs of run.sh OUT, their start (the
# first OOM kill's uptime on the console) and figures, and the ratios of
# the arms that answer the questions, Hodges-Lehmann with 95% intervals
# (bench/verdict.py, from the workbench's bench/).
import glob, json, os, re, statistics, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../bench'))
sys.path.insert(0, '/work/main/bench')
import verdict
out = sys.argv[1]
M = ('oom_latency_mean_ms', 'oom_reclaim_ms_mean', 'oom_reclaim_episodes_mean')
arms = {}
for d in sorted(glob.glob(os.path.join(out, '*.r*/'))):
    name = os.path.basename(d.rstrip('/'))
    arm, r = name.rsplit('.r', 1)
    m = os.path.join(d, 'results/bench/metrics.jsonl')
    if not os.path.exists(m):
        print('%s: no figures' % name)
        continue
    v = {j['name']: j['value'] for j in map(json.loads, open(m))}
    con = open(os.path.join(d, 'console.log'), errors='replace').read()
    t = re.search(r'\[\s*([\d.]+)\] \S+ invoked oom-killer', con)
    v['first_kill_s'] = float(t.group(1)) if t else float('nan')
    v['ktap'] = con.count('KTAP version')
    arms.setdefault(arm, {})[int(r)] = v
for arm in sorted(arms):
    runs = arms[arm]
    print('%s: %d runs; first kill at %.2f-%.2f s; KTAP lines %s' % (
        arm, len(runs), min(x['first_kill_s'] for x in runs.values()),
        max(x['first_kill_s'] for x in runs.values()),
        sorted({x['ktap'] for x in runs.values()})))
    for k in M:
        print('  %s: %s' % (k, ' '.join('%g' % runs[r][k] for r in sorted(runs))))
for new, old in (('patched-early', 'base-early'), ('patched-late', 'base-late'),
                 ('patched-kunit', 'base-early'), ('patched-kunit', 'patched-late'),
                 ('patched-early', 'patched-late'), ('base-early', 'base-late')):
    if new not in arms or old not in arms:
        continue
    for k in M[:2]:
        o = [arms[old][r][k] for r in sorted(arms[old])]
        n = [arms[new][r][k] for r in sorted(arms[new])]
        e, lo, hi = verdict.ratio_interval(o, n)
        print('%s / %s, %s: %.3f [%.3f, %.3f], medians %.2f, %.2f' % (
            new, old, k, e, lo, hi, statistics.median(o), statistics.median(n)))
