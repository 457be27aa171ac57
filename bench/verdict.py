# SPDX-License-Identifier: GPL-2.0
"""Gate verdicts from every run's value, never from a mean.

Each gate ends PASS, FAIL, INCONCLUSIVE or NOT MEASURED:

- ratio gates bound patched/base.  The estimate is the Hodges-Lehmann
  ratio (the median of every patched/base ratio of runs); its 95%
  interval is the set of ratios r for which the exact two-sided
  Mann-Whitney test (scipy) does not reject "patched is base times r".
  PASS when the whole interval meets the bound, FAIL when none of it
  does, INCONCLUSIVE otherwise.
  The test inverts a pure scale shift: where the kernels' spreads
  differ the interval covers somewhat less than 95% (about 92% in a
  simulation at 4-8 runs), and the estimate is not a ratio of medians.
- count gates (kills, dying memcgs, a worst pass) bound every run: PASS
  when each run meets the bound, FAIL when one does not.  With "per",
  the bound is on the count as a percentage of another of the run's
  figures (dying memcgs of the memcgs cycled).
- level gates bound the patched kernel's median; its 95% interval comes
  from the binomial order statistics (the sign test's).

Missing input, a failed run, a value that is not a finite number, a load
that did not run or a base that reads zero is NOT MEASURED, never a
pass; too few runs for the interval is INCONCLUSIVE.
"""
import math
import numbers as _numbers
import statistics

from scipy import stats

ALPHA = 0.05

PASS = 'PASS'
FAIL = 'FAIL'
INCONCLUSIVE = 'INCONCLUSIVE'
NOT_MEASURED = 'NOT MEASURED'


def value(v):
    """@v as a float if it is a finite number (not a bool), else None."""
    if isinstance(v, bool) or not isinstance(v, _numbers.Real):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def numbers(runs, name):
    """@name's finite value in each run that has one, in run order."""
    vals = [value(r.get(name)) for r in runs]
    return [v for v in vals if v is not None]


def meets(v, op, bound):
    return v <= bound if op == '<=' else v >= bound


def ratio_interval(base, patched, alpha=ALPHA):
    """Hodges-Lehmann ratio of @patched to @base, and its interval.

    Both lists hold positive base values; patched values may be zero.
    Return (estimate, low, high); low is 0 and high infinite where the
    test cannot reject that far at this many runs.
    """
    ratios = sorted(p / b for b in base for p in patched)
    est = statistics.median(ratios)
    distinct = sorted(set(ratios))

    def accepted(r):
        # scaling base by r is the null "patched = r * base"
        res = stats.mannwhitneyu(patched, [r * b for b in base],
                                 alternative='two-sided', method='exact')
        return res.pvalue > alpha

    # probe between the breakpoints, where no pair ties
    probes = [distinct[0] / 2.0]
    probes += [(a + b) / 2.0 for a, b in zip(distinct, distinct[1:])]
    probes.append(distinct[-1] * 2.0 if distinct[-1] > 0 else 1.0)
    ok = [i for i, r in enumerate(probes) if accepted(r)]
    if not ok:
        # cannot happen with finite values; never let it read as certain
        return est, 0.0, math.inf
    lo = 0.0 if ok[0] == 0 else distinct[ok[0] - 1]
    hi = math.inf if ok[-1] == len(probes) - 1 else distinct[ok[-1]]
    return est, lo, hi


def median_interval(vals, alpha=ALPHA):
    """The median of @vals and its distribution-free interval."""
    xs = sorted(vals)
    n = len(xs)
    med = statistics.median(xs)
    # the largest k with P(Bin(n, 1/2) <= k - 1) <= alpha / 2
    k = 0
    while k < n // 2 and stats.binom.cdf(k, n, 0.5) <= alpha / 2:
        k += 1
    if k == 0:
        return med, -math.inf, math.inf
    return med, xs[k - 1], xs[n - k]


# REPEAT's limit in scripts/bench.sh
MAX_RUNS = 20


def repeats_note(n, est, lo, hi, bound):
    """A rough guess at the runs per kernel that would settle a ratio.

    It takes the estimate for the truth and the interval's width to
    shrink as 1/sqrt(n), and asks for 80% power ((1.96 + 0.84) / 1.96
    squared, about 2x the runs that would just touch the bound).
    """
    if n < 4:
        return 'too few runs for a 95% interval; at least 4 per kernel'
    if math.isinf(hi) or lo <= 0 or est <= 0:
        return 'the interval reaches 0 or infinity: no guess at the runs'
    half = (math.log(hi) - math.log(lo)) / 2.0
    gap = abs(math.log(est) - math.log(bound))
    if gap == 0 or half == 0:
        return 'the estimate sits on the bound: repeats will not settle it'
    need = math.ceil(n * (half / gap) ** 2 * ((1.96 + 0.84) / 1.96) ** 2)
    need = max(need, n + 1)
    if need > MAX_RUNS:
        return ('a rough guess: more than the %d runs a kernel REPEAT '
                'allows' % MAX_RUNS)
    return 'a rough guess: about %d runs per kernel' % need


def fmt(v):
    if v is None:
        return '-'
    if isinstance(v, float) and math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if isinstance(v, float) and not v.is_integer():
        return '%.3f' % v
    return '%d' % v


def bound_text(gate):
    """@gate's bound as the report and status.md show it."""
    if gate.get('per'):
        return '%s %s%% of %s' % (gate['op'], fmt(gate['bound']),
                                  gate['per'])
    return '%s %s' % (gate['op'], gate['bound'])


def estimate_cell(res, kind):
    """A judged gate's estimate as the report and status.md show it: a
    count gate's worst run, else the estimate and its interval."""
    if res['estimate'] is None:
        return '-'
    if kind == 'count':
        return 'worst run %s%s' % (fmt(res['estimate']), res.get('unit', ''))
    return '%s [%s, %s]' % (fmt(res['estimate']), fmt(res['low']),
                            fmt(res['high']))


def load_missing(runs, needs):
    """The first run (1-based) and figure showing the load did not run.

    A need is a figure that must be above zero, or (figure, want): the
    figure must equal want, a number or another figure of the run (every
    round's kill traced, every event asked for on), or (figure, '<',
    want): the figure must be below want.
    """
    for i, r in enumerate(runs):
        for need in needs:
            if isinstance(need, tuple) and len(need) == 3:
                name, op, want = need
                if op != '<' or isinstance(want, str):
                    raise ValueError('need %r: only (figure, \'<\', '
                                     'number)' % (need,))
                v = value(r.get(name))
                if name not in r:
                    return '%s not recorded in run %d' % (name, i + 1)
                if v is None or not v < want:
                    return '%s is %s, not below %s, in run %d' % (
                        name, r.get(name, '-'), want, i + 1)
                continue
            name, want = need if isinstance(need, tuple) else (need, None)
            v = value(r.get(name))
            if want is None:
                if v is None or v <= 0:
                    return '%s is %s in run %d' % (name, r.get(name, '-'),
                                                   i + 1)
                continue
            w = value(r.get(want)) if isinstance(want, str) else want
            if v is None or w is None or v != w:
                return '%s is %s, not %s, in run %d' % (
                    name, r.get(name, '-'), want, i + 1)
    return None


def judge(gate, base_runs, patched_runs, failed=None):
    """One gate against every run of both kernels.

    @gate: dict with scenario, metric, kind ('ratio', 'count' or 'level'),
    op ('<=' or '>='), bound, what, and needs (figures every run must
    have above zero, or the load did not run), and needs_patched (the
    same, of the patched kernel's runs only).
    Return a dict: verdict, estimate, low, high, n, values, note.
    """
    kind, op, bound = gate['kind'], gate['op'], gate['bound']
    metric = gate['metric']
    out = {'verdict': NOT_MEASURED, 'estimate': None, 'low': None,
           'high': None, 'note': '', 'values': {}}
    kernels = {'patched': patched_runs}
    if kind == 'ratio':
        kernels['base'] = base_runs
    for k, runs in kernels.items():
        if failed and failed.get(k):
            # a failed run is a run the verdict would otherwise not see
            out['note'] = '%s failed' % ', '.join(failed[k])
            return out
        if not runs:
            out['note'] = 'no %s run' % k
            return out
        needs = tuple(gate.get('needs', ()))
        if gate.get('per'):
            # a share of nothing is no share: @per must be above zero
            needs += (gate['per'],)
        if k == 'patched':
            # what only the patched kernel does, which its runs must show
            needs += tuple(gate.get('needs_patched', ()))
        miss = load_missing(runs, needs)
        if miss:
            out['note'] = 'a need not met on %s: %s' % (k, miss)
            return out
        vals = numbers(runs, metric)
        out['values'][k] = vals
        if len(vals) < len(runs):
            out['note'] = '%s missing in %d of %d %s runs' % (
                metric, len(runs) - len(vals), len(runs), k)
            return out
    p = out['values']['patched']
    out['n'] = {k: len(v) for k, v in out['values'].items()}

    if kind == 'count':
        per = gate.get('per')
        if per:
            # a share of what the run did, in percent: @per is a need
            # (above), so every run has it above zero
            p = [100.0 * v / value(r.get(per))
                 for v, r in zip(p, patched_runs)]
            out['values']['patched'] = p
            out['unit'] = '%'
        bad = [i + 1 for i, v in enumerate(p) if not meets(v, op, bound)]
        # the worst run, not an interval
        out['estimate'] = max(p) if op == '<=' else min(p)
        out['verdict'] = FAIL if bad else PASS
        if bad:
            out['note'] = 'runs %s out of bound' % ','.join(map(str, bad))
        return out

    if kind == 'level':
        est, lo, hi = median_interval(p)
    else:
        b = out['values']['base']
        if any(v <= 0 for v in b):
            out['note'] = 'a base run reads %s: no ratio' % fmt(min(b))
            return out
        if any(v < 0 for v in p):
            out['note'] = 'a negative patched value: no ratio'
            return out
        est, lo, hi = ratio_interval(b, p)
    out['estimate'], out['low'], out['high'] = est, lo, hi
    if meets(hi if op == '<=' else lo, op, bound):
        out['verdict'] = PASS
    elif not meets(lo if op == '<=' else hi, op, bound):
        out['verdict'] = FAIL
    else:
        out['verdict'] = INCONCLUSIVE
        if kind == 'ratio':
            out['note'] = repeats_note(min(out['n'].values()), est, lo, hi,
                                       bound)
        else:
            out['note'] = 'the median\'s interval spans the bound'
            if math.isinf(hi):
                out['note'] = 'too few runs for a 95% interval; at least 6'
    return out
