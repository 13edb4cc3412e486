#!/usr/bin/python3
"""Pathological inputs: cost must grow linearly with the input.

    run.py TOOL RULES_DIR WORKDIR PEAK_RSS FEED_LINES [--scale K] [--only NAME]

Each case generates one input at three sizes, 0 (its frame alone), N and 2N
records, runs `TOOL analyze FILE` on each under valgrind's callgrind and
reads the instructions executed (deterministic, unlike wall time). The
cost of the records is C(n) - C(0); a linear parser gives
(C(2N) - C(0)) / (C(N) - C(0)) close to 2, a quadratic one close to 4: the
test fails past 2.6. The 2N input is also analysed natively by PEAK_RSS
(tests/pathological/peak_rss.c: the library in-process, VmHWM), whose peak
resident memory must stay under a bound. Instructions are counted with a
record budget no input reaches (the budget would cap the larger inputs and
hide a quadratic step); peak RSS is measured with the default limits.

The cases (sizes kept small for CI; the shape is what matters):
  oom-tasks     an OOM kill whose task table has N rows
  kmemleak      a kmemleak dump of N objects with distinct backtraces
  long-line     one kernel-log line of N*4 KiB (cut at the line limit)
  snapshots     N /proc/meminfo snapshots of a capture loop in one file
  rule-regex    N log lines, each matching a log regex of the rules, and
                N lines matching all of them at once
  oom-flood     N OOM kill reports stamped in one millisecond (the
                duplicate finder compares neighbours in time)
  bundle        a tar archive of N members
  cr-lines      N lines ended by lone CRs, fed to the line reader in one
                call by FEED_LINES (tests/pathological/feed_lines.c): the
                sources cut input into 64 KiB chunks, so through TOOL a
                cost growing with the chunk looks linear; this case counts
                the reader alone on a whole buffer, and the peak RSS of
                TOOL on the same file
"""
import io
import json
import os
import re
import resource
import subprocess
import sys
import tarfile

import warnings
warnings.filterwarnings("ignore", category=DeprecationWarning)
try:
    import sre_parse
    from sre_constants import (ANY, AT, BRANCH, CATEGORY, CATEGORY_DIGIT, CATEGORY_NOT_DIGIT,
                               CATEGORY_SPACE, CATEGORY_NOT_SPACE, CATEGORY_WORD, CATEGORY_NOT_WORD,
                               IN, LITERAL, MAX_REPEAT, MIN_REPEAT, NEGATE, NOT_LITERAL, RANGE,
                               SUBPATTERN, GROUPREF, ASSERT, ASSERT_NOT)
except ImportError:  # pragma: no cover
    sre_parse = None

BOUND = 2.6
RSS_BOUND_MB = 64  # DESIGN: peak RSS under 64 MiB within the default limits


def klog(i, text):
    return "[%5d.%06d] %s\n" % (100 + i // 1000000, i % 1000000, text)


def gen_oom(n):
    out = [klog(0, "Linux version 6.1.0-18-amd64 (buildd@lcy02) (gcc 12.2.0) #1 SMP Debian 6.1.76-1"),
           klog(1, "sshd invoked oom-killer: gfp_mask=0x40cc0(GFP_KERNEL|__GFP_COMP), order=0, oom_score_adj=0"),
           klog(2, "Tasks state (memory values in pages):"),
           klog(3, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name")]
    for i in range(n):
        out.append(klog(4 + i, "[%7d]  %4d %7d %8d %8d %14d %8d %13d task%d" % (
            1000 + i, i % 2000, 1000 + i, 5000 + i, 1000 + i % 777, 40960, 0, 0, i)))
    out.append(klog(n + 5, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,"
                           "global_oom,task_memcg=/,task=task1,pid=1001,uid=0"))
    out.append(klog(n + 6, "Out of memory: Killed process 1001 (task1) total-vm:20004kB, anon-rss:4004kB, "
                           "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0"))
    return "".join(out).encode()


def gen_kmemleak(n):
    out = []
    for i in range(n):
        out.append("unreferenced object 0xffff8880%08x (size %d):\n"
                   "  comm \"kworker/u%d:2\", pid %d, jiffies %d (age 1843.052s)\n"
                   "  hex dump (first 32 bytes):\n"
                   "    a0 7c 44 1b 80 ff ff ff a0 7c 44 1b 80 ff ff ff  .|D......|D.....\n"
                   "    00 00 00 00 00 00 00 00 00 5c 8d 2a 80 ff ff ff  .........\\.*....\n"
                   "  backtrace:\n"
                   "    [<0000000036b3e479>] kmem_cache_alloc+0x1b4/0x2c0\n"
                   "    [<00000000a7e2cc30>] leaky_fn_%d+0x54/0x100\n"
                   "    [<0000000091c1d5a2>] caller_%d+0x3c8/0x2f90 [mod%d]\n"
                   "    [<000000002a8b5c61>] worker_thread+0x54/0x4c0\n"
                   "    [<0000000072f4a1b8>] kthread+0x14c/0x160\n"
                   % (i * 256, 32 + i % 4096, i % 16, 1000 + i % 30000, 4295073422 + i, i, i * 7, i % 97))
    return "".join(out).encode()


def gen_long_line(n):
    return (klog(0, "Linux version 6.1.0-18-amd64 (buildd@lcy02) #1 SMP") +
            "[    1.000000] " + "A" * (n * 4096) + "\n" + klog(2, "after the long line")).encode()


def gen_snapshots(n):
    out = []
    for i in range(n):
        out.append("MemTotal:        8042532 kB\nMemFree:         %8d kB\nMemAvailable:    %8d kB\n"
                   "Buffers:           81312 kB\nCached:          1220044 kB\nSwapTotal:             0 kB\n"
                   "SwapFree:              0 kB\nSlab:            %8d kB\nSReclaimable:      91244 kB\n"
                   "SUnreclaim:      %8d kB\n" % (900000 - i % 1000, 1900000 - i % 1000, 300000 + i % 5000,
                                                  200000 + i % 5000))
    return "".join(out).encode()


def _gen_re(tree, out):
    """Append to `out` a string the parsed regex matches (first choices)."""
    for op, av in tree:
        if op == LITERAL:
            out.append(chr(av))
        elif op == NOT_LITERAL:
            out.append("x" if av != ord("x") else "y")
        elif op == ANY:
            out.append("a")
        elif op == IN:
            neg = any(o == NEGATE for o, _ in av)
            ch = None
            for o, a in av:
                if neg:
                    break
                if o == LITERAL:
                    ch = chr(a)
                elif o == RANGE:
                    ch = chr(a[0])
                elif o == CATEGORY:
                    ch = {CATEGORY_DIGIT: "1", CATEGORY_SPACE: " ", CATEGORY_WORD: "a",
                          CATEGORY_NOT_DIGIT: "a", CATEGORY_NOT_SPACE: "a", CATEGORY_NOT_WORD: " "}[a]
                if ch is not None:
                    break
            out.append(ch if ch is not None else "\x01")
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, hi, sub = av
            for _ in range(max(lo, 1) if hi else 0):
                _gen_re(sub, out)
        elif op == SUBPATTERN:
            _gen_re(av[-1], out)
        elif op == BRANCH:
            _gen_re(av[1][0], out)
        elif op in (AT, ASSERT, ASSERT_NOT, GROUPREF):
            pass
        else:
            raise ValueError(op)


def rule_lines(rules_dir):
    """One log line per log regex of the rules that Python can parse and
    for which the generated string matches; all joined in one line too."""
    pats = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "log" and isinstance(v, str):
                    pats.append(v)
                elif k == "log" and isinstance(v, dict) and isinstance(v.get("regex"), str):
                    pats.append(v["regex"])
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    for f in sorted(os.listdir(rules_dir)):
        if f.endswith(".json"):
            try:
                walk(json.load(open(os.path.join(rules_dir, f))))
            except ValueError:
                pass
    lines = []
    for p in pats:
        try:
            out = []
            _gen_re(sre_parse.parse(p), out)
            s = "".join(out).replace("\n", " ")
            if re.search(p, s):
                lines.append(s)
        except Exception:
            continue
    return pats, lines


def gen_rule_regex(n, lines):
    one = " ".join(lines) if lines else "no log regex in the rules"
    out = [klog(0, "Linux version 6.1.0-18-amd64 (buildd@lcy02) #1 SMP")]
    for i in range(n):
        out.append(klog(1 + i, lines[i % len(lines)] if lines else one))
        out.append(klog(1 + i, one))
    return "".join(out).encode()


def gen_oom_flood(n):
    out = [klog(0, "Linux version 6.1.0-18-amd64 (buildd@lcy02) #1 SMP")]
    for i in range(n):
        out.append("[  100.000500] Out of memory: Killed process %d (task%d) total-vm:20004kB, "
                   "anon-rss:4004kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0\n"
                   % (1000 + i, i))
    return "".join(out).encode()


def gen_bundle(n):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for i in range(n):
            data = b"MemTotal: 8042532 kB\nMemFree: %d kB\n" % i
            info = tarfile.TarInfo("bundle/d%03d/m%06d.txt" % (i % 100, i))
            info.size = len(data)
            info.mtime = 1700000000
            t.addfile(info, io.BytesIO(data))
    return bio.getvalue()


def gen_cr_lines(n):
    # no LF anywhere: every line end is a lone CR, the old Mac convention
    return b"".join(b"progress %6d%%\r" % (i % 1000000) for i in range(n))


def instructions(cmd, path, work, focus=None):
    """Instructions callgrind counts for `cmd + [path]` (only inside the
    function `focus`, when given)."""
    out = os.path.join(work, "callgrind.out")
    opts = ["--toggle-collect=" + focus] if focus else []
    # The record budget would cap the records of the larger inputs and hide
    # a quadratic step behind the cap: the instruction counts are taken with
    # a budget no input here reaches; peak RSS is measured with the defaults.
    cmd = cmd + [path]
    if os.path.exists(out):
        os.unlink(out)  # a run that fails must not be read from the last one's counts
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + opts + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    # 0, or 1/4 (a --fail-on match, an unreadable part of the input) from
    # the CLI; a usage or rule error, or a crash, means nothing was measured
    if p.returncode not in (0, 1, 4) or not os.path.exists(out):
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(cmd), p.returncode,
                                                        p.stderr.decode(errors="replace")[-500:]))
    with open(out) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("no callgrind totals for " + path)


def peak_rss_mb(rss_tool, path):
    """Peak resident memory (MB) of one analysis of `path`, as measured by
    the peak_rss driver (VmHWM of its own address space), and its exit."""
    p = subprocess.run([rss_tool, path], capture_output=True, text=True)
    return int(p.stdout.split()[0]) / 1024.0, p.returncode


def main():
    tool, rules_dir, work, rss_tool, feed_tool = sys.argv[1:6]
    scale = 1.0
    only = None
    if "--scale" in sys.argv:
        scale = float(sys.argv[sys.argv.index("--scale") + 1])
    if "--only" in sys.argv:
        only = sys.argv[sys.argv.index("--only") + 1]
    os.makedirs(work, exist_ok=True)
    pats, lines = rule_lines(rules_dir)
    cases = [
        ("oom-tasks", gen_oom, 20000, ".dmesg"),
        ("kmemleak", gen_kmemleak, 4000, ".txt"),
        ("long-line", gen_long_line, 512, ".dmesg"),
        ("snapshots", gen_snapshots, 4000, ".meminfo"),
        ("rule-regex", lambda n: gen_rule_regex(n, lines), 4000, ".log"),
        # the whole run is dominated by the report of each event: count the
        # OOM analysis stage alone, where a pairwise duplicate search hid
        ("oom-flood", gen_oom_flood, 2000, ".dmesg", "mf_analyze_oom"),
        ("bundle", gen_bundle, 2000, ".tar"),
        ("cr-lines", gen_cr_lines, 20000, ".txt", None, [feed_tool]),
    ]
    bad = 0
    print("log regexes in the rules: %d, lines generated matching them: %d" % (len(pats), len(lines)))
    for name, gen, n, ext, *extra in cases:
        focus = extra[0] if extra else None
        counted = extra[1] if len(extra) > 1 else [tool, "analyze", "--max-record-bytes", "4G"]
        if only and name != only:
            continue
        n = max(1, int(n * scale))
        costs, sizes = [], []
        for k in (0, n, 2 * n):
            path = os.path.join(work, "%s-%d%s" % (name, k, ext))
            data = gen(k)
            with open(path, "wb") as f:
                f.write(data)
            sizes.append(len(data))
            costs.append(instructions(counted, path, work, focus))
        ratio = (costs[2] - costs[0]) / max(1, costs[1] - costs[0])
        rss, rc = peak_rss_mb(rss_tool, path)
        ok = ratio < BOUND and rss < RSS_BOUND_MB and rc == 0
        bad |= not ok
        print("%-4s %-10s%s N=%-6d bytes %9d/%9d  instr %11d/%11d/%11d  ratio %.2f  peak RSS(2N) %.1f MB exit %d" % (
            "ok" if ok else "FAIL", name, " (%s)" % focus if focus else "", n, sizes[1], sizes[2], costs[0], costs[1], costs[2], ratio, rss, rc),
            flush=True)
        for k in (0, n, 2 * n):
            os.unlink(os.path.join(work, "%s-%d%s" % (name, k, ext)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
