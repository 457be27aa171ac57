#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Workbench result handling: kernel splats, KTAP from the console,
kselftest TAP, known failures and the closing summary line.

  wbtap.py splats CONSOLE            print kernel reports, exit 1 if any
  wbtap.py kunit CONSOLE OUT.tap     extract KUnit KTAP from the console
  wbtap.py kselftest IN OUT.tap      normalise kselftest runner output
  wbtap.py summary KNOWN TAP...      apply known failures, print totals
  wbtap.py retry FLAKY MODE TAP      programs to run again: those with a
                                     failure FLAKY lists for MODE
  wbtap.py merge TAP RETRY.TAP FLAKY MODE PROG...
                                     replace PROGs' results in TAP with
                                     the retry's, noting the first failure;
                                     a first failure FLAKY does not list
                                     for MODE stays failed
  wbtap.py skip SKIPS MODE TAP       mark the results SKIPS lists for MODE
                                     as skipped, with the cause, whatever
                                     their outcome
  wbtap.py listing TAP...            the results' names and outcomes, one
                                     a line: a mode's expected list
  wbtap.py expect LIST OUT.tap TAP...
                                     a failure in OUT.tap for each result
                                     LIST has that is missing or newly
                                     skipped (a kernel without an option
                                     a test needs); new results are named
  wbtap.py times CONSOLE             seconds from boot to the plan and in
                                     each kselftest program, from the
                                     marks the plan writes to /dev/kmsg
  wbtap.py races CONSOLE SYMS OUT.tap
                                     KCSAN data-race reports: a failure
                                     if KCSAN did not run, or if the top
                                     frame of an access is a function
                                     SYMS lists (one name a line; empty
                                     on base: listed only), the others
                                     printed; splats leaves them
  wbtap.py patched-functions BASE PATCHED FILE...
                                     the functions the patches add or
                                     change in FILEs (tree-relative)
"""
import re
import sys

TS = re.compile(r'^\[\s*\d+\.\d+\]\s?')

# Kernel lines (with a printk timestamp) that mean the run is not clean.
SPLATS = [
    (re.compile(r'Kernel panic - not syncing'), 'panic'),
    (re.compile(r'\bBUG: (KASAN|KFENCE|kernel|unable|sleeping|scheduling|'
                r'using|spinlock|workqueue|soft lockup|Bad|key|'
                r'[A-Za-z]+)'), 'BUG'),
    (re.compile(r'\bOops: |general protection fault'), 'oops'),
    (re.compile(r'^WARNING: |^------------\[ cut here \]'), 'WARN'),
    (re.compile(r'possible circular locking|possible recursive locking|'
                r'inconsistent lock state|suspicious RCU usage|'
                r'lock held when returning|bad unlock balance'), 'lockdep'),
    (re.compile(r'INFO: task .* blocked for more than'), 'hung task'),
    (re.compile(r'rcu: INFO: .* detected stalls'), 'RCU stall'),
    (re.compile(r'kmemleak: \d+ new suspected memory leaks'), 'kmemleak'),
    (re.compile(r'UBSAN: '), 'UBSAN'),
]


def kernel_lines(path):
    with open(path, 'rb') as f:
        for raw in f:
            line = raw.decode('utf-8', 'replace').rstrip('\r\n')
            m = TS.match(line)
            if m:
                yield line[m.end():]


# A KCSAN report is judged by races(): whose code raced, not that a race
# was seen somewhere in the kernel.
RACE = re.compile(r'\bBUG: KCSAN: ')


def splats(console):
    found = []
    for line in kernel_lines(console):
        if RACE.search(line):
            continue
        for rx, what in SPLATS:
            if rx.search(line):
                found.append('%s: %s' % (what, line.strip()))
                break
    return found


RESULT = re.compile(r'^(not ok|ok) (\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$')


def parse_ktap(lines):
    """Leaf results of KTAP (KUnit) as (name, status, directive).

    A result with child results is a suite or parameterised case: its
    children are counted instead, and it is counted itself only when it
    failed while none of its children did (a crash, a suite init error).
    """
    out = []
    names = {}      # depth -> name from '# Subtest: ' at that depth
    children = {}   # depth -> statuses of results seen at that depth
    plans = {}      # depth -> the plan of the results at that depth

    def planned(depth, got, full, status=None):
        """A result for a plan that the results at @depth do not meet.
        A suite that failed or skipped whole, with no case run, stands
        for its cases: its own result says it."""
        want = plans.pop(depth, None)
        if got == 0 and status in ('fail', 'skip'):
            return
        if want is not None and want != got:
            out.append((full + '.(plan)', 'fail',
                        'planned %d, %d results' % (want, got)))

    for line in lines:
        stripped = line.lstrip(' ')
        depth = (len(line) - len(stripped)) // 4
        if depth == 0 and stripped.startswith('KTAP version'):
            # each KTAP document (built-in suites, then each module's)
            # has its own top-level plan
            planned(0, len(children.get(0, [])), '(top)')
            children[0] = []
            continue
        m = re.match(r'^# Subtest: (.*)$', stripped)
        if m:
            names[depth] = m.group(1).strip()
            for k in [k for k in names if k > depth]:
                del names[k]
            children[depth] = []
            continue
        m = re.match(r'^1\.\.(\d+)\s*$', stripped)
        if m:
            # a suite's plan sits one level in from its "# Subtest:"
            plans[depth] = int(m.group(1))
            continue
        m = RESULT.match(stripped)
        if not m:
            continue
        ok = m.group(1) == 'ok'
        name = m.group(3).strip()
        directive = (m.group(4) or '').strip()
        status = 'pass' if ok else 'fail'
        if directive.upper().startswith('SKIP'):
            status = 'skip'
        full = '.'.join([names[k] for k in sorted(names) if 0 < k <= depth] + [name])
        kids = children.pop(depth + 1, [])
        planned(depth + 1, len(kids), full, status)
        if kids:
            if status == 'fail' and 'fail' not in kids:
                out.append((full + '.(suite)', 'fail', directive))
        else:
            out.append((full, status, directive))
        children.setdefault(depth, []).append(status)
    # a suite cut off (a crash, a hang) before its result line
    for depth in sorted(plans, reverse=True):
        prefix = [names[k] for k in sorted(names) if 0 < k <= depth]
        planned(depth, len(children.get(depth, [])),
                '.'.join(prefix) or '(top)')
    return out


def kunit(console):
    lines = []
    on = False
    for line in kernel_lines(console):
        if line.startswith('KTAP version'):
            on = True
        if on:
            lines.append(line)
    return [('kunit:' + n, s, d) for n, s, d in parse_ktap(lines)]


def outcome(res, directive):
    """pass, fail or skip of a TAP result ("ok"/"not ok", directive)."""
    if directive.upper().startswith('SKIP'):
        return 'skip'
    return 'pass' if res == 'ok' else 'fail'


def kselftest(path):
    """Subtests of each kselftest program, or the program itself."""
    out = []
    cur = []
    plan_skip = ''
    plan = None
    prog = None     # the program whose output this is, until its result
    runner = []     # [planned, results] of each runner TAP document

    def runner_done():
        if runner and runner[-1][0] != runner[-1][1]:
            out.append(('kselftest:(plan)', 'fail',
                        'the runner planned %d programs, %d results' %
                        tuple(runner[-1])))

    with open(path, errors='replace') as f:
        for raw in f:
            line = raw.rstrip('\n')
            m = re.match(r'^1\.\.(\d+)\s*$', line)
            if m:
                runner_done()
                runner.append([int(m.group(1)), 0])
                continue
            m = re.match(r'^# selftests: (\S+): (\S+)\s*$', line)
            if m:
                prog = '%s:%s' % (m.group(1), m.group(2))
                continue
            # A program that skips whole says why in its plan line,
            # "1..0 # SKIP reason"; the runner's own line only says SKIP.
            m = re.match(r'^# 1\.\.0\s*#\s*(SKIP\b.*)$', line, re.I)
            if m:
                plan_skip = m.group(1).strip()
                continue
            m = re.match(r'^# 1\.\.(\d+)\s*$', line)
            if m:
                plan = int(m.group(1))
                continue
            m = re.match(r'^# (not ok|ok) \d+ (.*?)(?:\s+#\s*(.*))?$', line)
            if m:
                name, directive = m.group(2).strip(), m.group(3) or ''
                # ksft_test_result_skip() prints "ok N # SKIP <test>".
                if name.startswith('#') or not name:
                    directive = name.lstrip('# ').strip() or directive
                    words = directive.split()
                    name = words[1] if len(words) > 1 else 'unnamed'
                cur.append((name, m.group(1), directive))
                continue
            m = re.match(r'^(not ok|ok) \d+ selftests: (\S+): (\S+)(?:\s+#\s*(.*))?$', line)
            if not m:
                continue
            col, name, directive = m.group(2), m.group(3), m.group(4) or ''
            if runner:
                runner[-1][1] += 1
            prog = None
            if plan_skip and re.match(r'^SKIP\s*$', directive, re.I):
                directive = plan_skip
            plan_skip = ''
            top_ok = m.group(1) == 'ok'
            base = '%s:%s' % (col, name)
            for name, res, d in cur:
                out.append(('%s:%s' % (base, name), outcome(res, d), d))
            if not cur or (not top_ok and not any(r[1] == 'not ok' for r in cur)):
                out.append((base if not cur else base + ':(exit)',
                            outcome(m.group(1), directive), directive))
            # a program that died, or lost count, before its plan was
            # done; one that skipped the rest (ksft_exit_skip()) ends on
            # a skipped result and says SKIP in the runner's line
            skipped_rest = directive.upper().startswith('SKIP') and cur \
                and cur[-1][2].upper().startswith('SKIP')
            if plan is not None and plan != len(cur) and not skipped_rest:
                out.append((base + ':(plan)', 'fail',
                            'planned %d, %d results' % (plan, len(cur))))
            cur = []
            plan = None
    # the output ends inside a program: the guest died or hung in it
    if prog is not None:
        for name, res, d in cur:
            out.append(('%s:%s' % (prog, name), outcome(res, d), d))
        out.append((prog + ':(plan)', 'fail',
                    'the output ends before its result'))
    runner_done()
    return out


def write_tap(results, path):
    with open(path, 'w') as f:
        f.write('TAP version 13\n1..%d\n' % len(results))
        for i, (n, s, d) in enumerate(results, 1):
            word = 'ok' if s in ('pass', 'skip') else 'not ok'
            reason = re.sub(r'^SKIP\s*', '', d, flags=re.I)
            dirv = ' # SKIP %s' % reason if s == 'skip' else (' # %s' % d if d else '')
            f.write('%s %d %s%s\n' % (word, i, n, dirv))


def read_tap(path):
    out = []
    with open(path) as f:
        for line in f:
            m = RESULT.match(line.rstrip('\n'))
            if not m:
                continue
            d = m.group(4) or ''
            st = 'pass' if m.group(1) == 'ok' else 'fail'
            if d.upper().startswith('SKIP'):
                st = 'skip'
            out.append((m.group(3).strip(), st, d))
    return out


def load_known(path):
    known = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                if not line:
                    continue
                parts = line.split(None, 1)
                known[parts[0]] = parts[1] if len(parts) > 1 else ''
    except FileNotFoundError:
        pass
    return known


def summary(known_path, taps):
    known = load_known(known_path)
    npass = nfail = nskip = nxfail = 0
    for tap in taps:
        for name, st, d in read_tap(tap):
            if name in known:
                if st == 'fail':
                    nxfail += 1
                    print('XFAIL %s (known: %s)' % (name, known[name]))
                    continue
                if st == 'pass':
                    nfail += 1
                    print('FAIL  %s: known failure now passes; update %s'
                          % (name, known_path))
                    continue
            if st == 'pass':
                npass += 1
            elif st == 'skip':
                nskip += 1
                print('SKIP  %s (%s)' % (name, d))
            else:
                nfail += 1
                print('FAIL  %s%s' % (name, ' (%s)' % d if d else ''))
    if nxfail:
        print('%d known failures, counted as skipped (%s)' % (nxfail, known_path))
    print('%d passed, %d failed, %d skipped' % (npass, nfail, nskip + nxfail))
    return 1 if nfail else 0


def load_mode_list(path, mode):
    """Lines: MODE NAME CAUSE; returns {NAME: CAUSE} for MODE."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                parts = line.split(None, 2)
                if len(parts) >= 2 and parts[0] == mode:
                    out[parts[1]] = parts[2] if len(parts) > 2 else ''
    except FileNotFoundError:
        pass
    return out


def load_flaky(path, mode):
    """FLAKY lines: MODE NAME CAUSE; NAME is a result or its prefix."""
    return list(load_mode_list(path, mode))


def program(name):
    return ':'.join(name.split(':')[:2])


def listed(name, flaky):
    """NAME is a flaky entry, or a result under one."""
    return any(name == f or name.startswith(f + ':') for f in flaky)


def retry(flaky_path, mode, tap):
    flaky = load_flaky(flaky_path, mode)
    progs = []
    for name, st, _ in read_tap(tap):
        if st != 'fail' or not listed(name, flaky):
            continue
        if program(name) not in progs:
            progs.append(program(name))
    for p in progs:
        print(p)
    return 0


def merge(tap, retry_tap, flaky_path, mode, progs):
    """Replace PROGS' results in TAP by the retry's.  The retry clears only
    what tests/flaky.txt lists for MODE: an unlisted result that failed in
    the first run stays failed, whatever the rerun gave."""
    flaky = load_flaky(flaky_path, mode)
    first = read_tap(tap)
    again = read_tap(retry_tap)
    out = []
    kept = set()
    for name, st, d in first:
        if program(name) not in progs:
            out.append((name, st, d))
        elif st == 'fail':
            print('RETRY %s failed in the first run%s'
                  % (name, ' (%s)' % d if d else ''))
            if not listed(name, flaky):
                kept.add(name)
                out.append((name, st, 'failed in the first run, not listed '
                            'as flaky, so a retry does not clear it%s'
                            % (': %s' % d if d else '')))
                print('RETRY %s is not listed in %s mode: kept failed'
                      % (name, mode))
    rerun = set()
    for name, st, d in again:
        if program(name) not in progs:
            continue
        rerun.add(name)
        if name in kept:
            print('RETRY %s: %s on retry, not applied' % (name, st))
            continue
        out.append((name, st, d))
        print('RETRY %s: %s on retry' % (name, st))
    if not any(program(n) == p for n, _, _ in again for p in progs):
        return 1
    # a result the first run had and the retry lost is not a pass
    for name, st, d in first:
        if program(name) in progs and name not in kept and name not in rerun:
            out.append((name, 'fail', 'missing in the retry (first run: %s)'
                        % st))
            print('RETRY %s: missing in the retry' % name)
    write_tap(out, tap)
    return 0


def skip(skips_path, mode, tap):
    skips = load_mode_list(skips_path, mode)
    out = []
    for name, st, d in read_tap(tap):
        if name in skips and st != 'skip':
            print('NOT JUDGED %s (was %s): %s' % (name, st, skips[name]))
            st, d = 'skip', 'in %s mode: %s' % (mode, skips[name])
        out.append((name, st, d))
    write_tap(out, tap)
    return 0


def result_key(name):
    """A result's name without what it measured: our selftests put their
    figures in the name, "(2900 listed, 1 dying)", and the debug run
    makes 20000 files where the default run makes 60000."""
    prev = None
    while prev != name:
        prev = name
        name = re.sub(r'\s*\([^()]*\)', '', name)
    # "N", not "#": a key is written into TAP, where "#" starts a
    # directive.  Digits after "=" or inside a word name a variant
    # (overcommit_memory=2, mlock2-tests) and stay; a size or a time is
    # a figure (mrelease_test reaps "1MB", or "2MB" when the child was
    # gone first).
    return re.sub(r'(?<![=\w])\d+(?:[KMGT]i?B|[mun]?s)?(?!\w)', 'N',
                  name).strip()


def listing(taps):
    for tap in taps:
        for name, st, _ in read_tap(tap):
            print('%s %s' % (st, result_key(name)))
    return 0


def expect(list_path, out_path, taps):
    """Every result the mode's list has must still run: a result that is
    gone, or that skips where it ran (a guest kernel without an option
    the test needs), is a failure named in OUT.tap.  Results the list
    lacks are printed, to be added to it.  Names are compared without
    their figures (result_key()), and one can repeat (a program that
    reports one check per size): each is counted."""
    want = {}
    try:
        with open(list_path) as f:
            for line in f:
                parts = line.rstrip('\n').split(None, 1)
                if len(parts) == 2 and not parts[0].startswith('#'):
                    want.setdefault(parts[1], []).append(parts[0])
    except FileNotFoundError:
        pass
    if not want:
        sys.stderr.write('%s lists no results\n' % list_path)
        return 2
    got = {}
    for tap in taps:
        for name, st, d in read_tap(tap):
            got.setdefault(result_key(name), []).append((st, d))
    bad = []
    for name, sts in want.items():
        have = got.get(name, [])
        if len(have) < len(sts):
            bad.append((name, 'fail', 'lost: %d in %s, %d in this run'
                        % (len(sts), list_path, len(have))))
            continue
        ran = sum(1 for st in sts if st != 'skip')
        skipped = [d for st, d in have if st == 'skip']
        if len(have) - len(skipped) < ran:
            bad.append((name, 'fail', 'now skipped (%s), ran in %s'
                        % (skipped[0], list_path)))
    for name, have in got.items():
        if len(have) > len(want.get(name, [])):
            print('NEW   %s (%s): not in %s' % (name, have[-1][0], list_path))
    for name, _, d in bad:
        print('LOST  %s: %s' % (name, d))
    write_tap([('expected:' + n, s, d) for n, s, d in bad], out_path)
    return 1 if bad else 0


MARK = re.compile(r'\[\s*(\d+\.\d+)\]\s?wb-mark: (.*)$')
PROG = re.compile(r'^(?:# selftests: |(?:not )?ok \d+ selftests: )(\S+): (\S+)')


def times(console):
    """Where a guest run's time went: (what, seconds) in run order.

    The plan copies the runner's program lines to /dev/kmsg, so each
    start and end has a printk time; a program with no end (the guest
    died in it) is reported as running to the last mark.
    """
    out = []
    start = {}
    last = None
    with open(console, "rb") as f:
        for raw in f:
            # the console may put userspace output before it on the line
            m = MARK.search(raw.decode('utf-8', 'replace').rstrip('\r\n'))
            if not m:
                continue
            t, what = float(m.group(1)), m.group(2)
            if last is None:
                out.append(('boot and KUnit', t))
            last = t
            p = PROG.match(what)
            if not p:
                continue
            name = '%s:%s' % (p.group(1), p.group(2))
            if what.startswith('#'):
                start[name] = t
            elif name in start:
                out.append((name, t - start.pop(name)))
    for name, t0 in start.items():
        out.append((name + ' (no end)', last - t0))
    if out and last is not None:
        out.append(('total', last))
    return out


RACE_END = re.compile(r'^=+$')
ACCESS = re.compile(r'^(race at unknown origin, with )?(read|write|read-write)\b'
                    r'.* to 0x[0-9a-f]+ of \d+ bytes by .* on cpu \d+:$')
FRAME = re.compile(r'^\s*([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+')
# KCSAN built in is not KCSAN armed: "non-strict mode configured" is
# printed either way.  Armed at boot it says "enabled early".  Its boot
# selftest only checks its own encoding and matching, on one CPU (and
# panics on a failure); what shows that it sees races between CPUs in
# this guest is the test module's canary (test_module.sh), a race the
# run must report.
KCSAN_ON = re.compile(r'^kcsan: enabled early$')
KCSAN_SELFTEST = re.compile(r'^kcsan: selftest: (\d+)/(\d+) tests passed$')
CANARY = 'st_race_canary'
HEADER_FN = re.compile(r'([A-Za-z_][\w.]*)(?:\+0x[0-9a-f]+/0x[0-9a-f]+)?(?: \[\w+\])?$')


def race_reports(console):
    """Each KCSAN report as (header, [function of each access's top frame]).

    Only the frame that made the access counts: the rest of its stack is
    who called it, and the framework's scan is under every shrinker's
    callback, so a race inside a callback would otherwise count as ours.
    """
    out = []
    cur = None
    want = False
    for line in kernel_lines(console):
        m = RACE.search(line)
        if m:
            cur = (line[m.start():].strip(), [])
            out.append(cur)
            want = False
            continue
        if cur is None:
            continue
        text = line.strip()
        if RACE_END.match(text):
            cur = None
            continue
        if ACCESS.match(text):
            want = True
            continue
        f = FRAME.match(line)
        if f and want:
            cur[1].append(f.group(1).split('.')[0])
            want = False
    # A report whose access lines did not parse (an assertion's wording,
    # a format this does not know) is judged by the functions its
    # header names, never let through for want of a frame.
    for header, tops in out:
        if not tops:
            tops.extend(header_functions(header))
    return out


def header_functions(header):
    """The functions a report's header names: "data-race in A / B"."""
    m = re.search(r'\bin (.*)$', header)
    if not m:
        return []
    out = []
    for part in m.group(1).split(' / '):
        f = HEADER_FN.match(part.strip())
        if f:
            out.append(f.group(1).split('.')[0])
    return out


def kcsan_ran(console, reports):
    """'' if KCSAN was armed, its selftest passed and the test module's
    canary race is among REPORTS (race_reports() of CONSOLE), else why
    not."""
    armed, selftest = False, None
    for line in kernel_lines(console):
        text = line.strip()
        armed = armed or bool(KCSAN_ON.match(text))
        m = KCSAN_SELFTEST.match(text)
        if m:
            selftest = (int(m.group(1)), int(m.group(2)))
    if not armed:
        return 'no "kcsan: enabled early" line on the console'
    if selftest is None:
        return 'no "kcsan: selftest" line on the console'
    if selftest[1] == 0 or selftest[0] != selftest[1]:
        return 'its boot selftest passed %d of %d' % selftest
    if not any(CANARY in header_functions(h) or CANARY in tops
               for h, tops in reports):
        return ('no report of the canary race (%s, test_module.sh): '
                'it did not run, or KCSAN saw nothing' % CANARY)
    return ''


def races(console, syms_path, out_path):
    """TAP: KCSAN ran, and no access of a race was the framework's.

    SYMS lists the framework's functions, one a line: those of its own
    files and those the patches change elsewhere (wbtap.py
    patched-functions).  An empty SYMS means a base kernel: its reports
    are listed, not judged.
    """
    with open(syms_path) as f:
        syms = set(l.strip() for l in f if l.strip())
    reports = race_reports(console)
    ours, others, unjudged = [], [], []
    for header, tops in reports:
        hit = sorted(set(tops) & syms)
        if not tops:
            # no function in its frames or header: whose it is is unknown
            unjudged.append((header, tops, hit))
            continue
        (ours if hit else others).append((header, tops, hit))
    for header, tops, _ in others:
        print('elsewhere: %s [%s]' % (header, ' '.join(tops)))
    for header, _, _ in unjudged:
        print('not judged: %s' % header)
    lines = ['TAP version 13', '1..2']
    why = kcsan_ran(console, reports)
    if not why:
        lines.append('ok 1 kcsan:the detector ran (%d reports)' % len(reports))
    else:
        lines.append('not ok 1 kcsan:the detector ran (%s)' % why)
    name = 'kcsan:no data race made by the framework'
    if not syms:
        lines.append('ok 2 %s # SKIP no framework functions (base kernel); '
                     '%d reports listed' % (name, len(others) + len(unjudged)))
    elif ours or unjudged:
        lines.append('not ok 2 %s (%d reports%s)' %
                     (name, len(ours), ', %d that name no function' %
                      len(unjudged) if unjudged else ''))
        for header, tops, hit in ours[:20]:
            lines.append('# %s [%s]' % (header, ' '.join(hit)))
        for header, _, _ in unjudged[:20]:
            lines.append('# not judged: %s' % header)
    else:
        lines.append('ok 2 %s (%d reports elsewhere)' % (name, len(others)))
    with open(out_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return 0


# A line that starts a C function definition: an identifier at column 0,
# a parenthesis, and no semicolon at its end (a prototype, a macro call).
FUNC_DEF = re.compile(r'^(?!#|typedef\b|struct\s+\w+\s*\{)[A-Za-z_][^;]*?'
                      r'\b([A-Za-z_]\w*)\s*\((?!.*;\s*$)')
# Kernel style puts the return type on a line of its own: the name then
# opens its line, after a line that is only a type.
FUNC_NAME = re.compile(r'^([A-Za-z_]\w*)\s*\((?!.*;\s*$)')
TYPE_LINE = re.compile(r'^(?!#|return\b|else\b|typedef\b)[A-Za-z_][\w\s*]*$')
HUNK = re.compile(r'^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@')


def defined_at(lines, i):
    """The function whose definition starts at line i (0-based), or None."""
    m = FUNC_NAME.match(lines[i])
    if m and i > 0 and TYPE_LINE.match(lines[i - 1]):
        return m.group(1)
    m = FUNC_DEF.match(lines[i])
    return m.group(1) if m else None


def functions_defined(lines, start=0, end=None):
    end = len(lines) if end is None else end
    return set(f for f in (defined_at(lines, i) for i in range(start, end))
               if f)


def enclosing_function(lines, i):
    """The function line i (0-based) is in, or None outside any."""
    while i >= 0:
        if lines[i].startswith('}'):
            return None
        fn = defined_at(lines, i)
        if fn:
            return fn
        i -= 1
    return None


def patched_functions(base_tree, patched_tree, files):
    """The functions the patches add or change in FILES (tree-relative)."""
    import subprocess
    out = set()
    for rel in files:
        new = '%s/%s' % (patched_tree, rel)
        old = '%s/%s' % (base_tree, rel)
        with open(new, errors='replace') as f:
            lines = f.read().split('\n')
        try:
            open(old).close()
        except OSError:
            out |= functions_defined(lines)
            continue
        diff = subprocess.run(['diff', '-U0', old, new], capture_output=True,
                              text=True, errors='replace')
        if diff.returncode > 1:
            raise OSError('diff %s: %s' % (rel, diff.stderr.strip()))
        for h in diff.stdout.split('\n'):
            m = HUNK.match(h)
            if not m:
                continue
            first = int(m.group(1)) - 1
            n = 1 if m.group(2) is None else int(m.group(2))
            out |= functions_defined(lines, first, first + n)
            # a deletion's hunk starts at the line before it
            fn = enclosing_function(lines, first)
            if fn:
                out.add(fn)
    return out


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd = argv[1]
    if cmd == 'splats':
        found = splats(argv[2])
        for s in found[:20]:
            print(s)
        return 1 if found else 0
    if cmd == 'kunit':
        res = kunit(argv[2])
        write_tap(res, argv[3])
        return 0 if res else 1
    if cmd == 'kselftest':
        res = kselftest(argv[2])
        write_tap(res, argv[3])
        return 0 if res else 1
    if cmd == 'summary':
        return summary(argv[2], argv[3:])
    if cmd == 'retry' and len(argv) == 5:
        return retry(argv[2], argv[3], argv[4])
    if cmd == 'skip' and len(argv) == 5:
        return skip(argv[2], argv[3], argv[4])
    if cmd == 'listing':
        return listing(argv[2:])
    if cmd == 'expect' and len(argv) >= 5:
        try:
            return expect(argv[2], argv[3], argv[4:])
        except (OSError, ValueError) as e:
            sys.stderr.write('wbtap.py expect: %s\n' % e)
            return 3
    if cmd == 'times':
        res = times(argv[2])
        for what, t in res:
            print('%-40s %7.0f s' % (what, t))
        return 0 if res else 1
    if cmd == 'patched-functions' and len(argv) >= 4:
        try:
            for fn in sorted(patched_functions(argv[2], argv[3], argv[4:])):
                print(fn)
        except OSError as e:
            sys.stderr.write('wbtap.py patched-functions: %s\n' % e)
            return 3
        return 0
    if cmd == 'races' and len(argv) == 5:
        try:
            return races(argv[2], argv[3], argv[4])
        except (OSError, ValueError) as e:
            sys.stderr.write('wbtap.py races: %s\n' % e)
            return 3
    if cmd == 'merge' and len(argv) >= 7:
        return merge(argv[2], argv[3], argv[4], argv[5], argv[6:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
