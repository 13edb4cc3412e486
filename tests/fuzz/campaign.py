#!/usr/bin/python3
"""Fuzzing campaign: build the libFuzzer targets, run each for a given time
resuming from its committed corpus, minimise the corpus back into
tests/fuzz/corpus/NAME/ and append one row per target to docs/fuzzing.md.

    tests/fuzz/campaign.py [--seconds N] [--build DIR] [--no-merge] [TARGET[:SECONDS]...]
    tests/fuzz/campaign.py --minimise [TARGET...]
    tests/fuzz/campaign.py --large [TARGET[:SECONDS]...]
    tests/fuzz/campaign.py --coverage [--show FILE] [TARGET...]

--large checks inputs up to 1 MiB, which the campaign's 64 KiB -max_len
never makes: every committed input of the target grown to 1 MiB (its bytes
repeated after the selector byte) runs once under -timeout=1, then the
fuzzer mutates those for SECONDS (default 120) with -max_len=1048576. One
row per target goes to the "Inputs up to 1 MiB" table of docs/fuzzing.md.

One fuzzer process at a time (-jobs=1 -workers=1 equivalent: a single
process), -timeout=1, -rss_limit_mb=2048, -len_control=0 (the corpora are
mature: mutants may be as long as -max_len from the start, instead of a
length limit that libFuzzer raises slowly over the run, which made the
last third search a larger space than the first two), the format's
dictionary from
tests/fuzz/dict/NAME.dict. Work corpora and artifacts (crash-*, leak-*,
timeout-*, oom-*) live under BUILD/campaign/NAME/. A target whose run ends
with an artifact is reported as 'finding' with the artifact's name; fix it,
copy the artifact into the replay corpus, and run again.

Cross-seeding: the whole-library target (analyze) reaches every parser
through classification, and the parser targets explore each parser far
deeper than it can; the other way round, analyze's corpus holds files of
every kind that a parser target may never have made. Before a target runs,
the committed inputs of the targets that read the same formats are written
into its work corpus, converted to its input layout (the way OSS-Fuzz
cross-pollinates corpora): a parser target's input becomes an analyze
input (entry point 2, the member name that classifies to the same parser,
the content without the parser target's selector bytes) and back; oom and
kmemleak (whose selector 1 is the whole kernel-log module) exchange kernel
logs. The golden corpus (corpus/) seeds every target the same way: its
members by the kind their .expected.json gives them, its bundles whole (a
folder packed as a tar) for analyze, corpus/lines for the normaliser, the
shipped rules for the rule loader. The end-of-run merge keeps the ones that
add edges. `--cross-seed TARGET...` does only this (a running fuzzer
reloads its work corpus every second and picks them up).

Coverage flatness: libFuzzer prints 'cov:' on every status line with the
execution count; the run is 'flat' when the cov at two thirds of the
executions equals the final cov.
"""
import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ["analyze", "dumpstate", "oom", "kmemleak", "snapshots", "netcfg", "rules",
           "logcat", "eventlog"]
MAX_LEN = 65536          # inputs the fuzzer makes; committed files stay <= 64 KiB
STATUS = re.compile(r"^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+)")
LARGE = 1 << 20         # --large: the hang bound
LARGE_INPUTS = 200      # --large: committed inputs grown, at most
LARGE_HEAD = """
| date (UTC) | target | grown inputs | slowest (ms) | fuzz seconds | execs | findings | status |
| --- | --- | --- | --- | --- | --- | --- | --- |
"""
DOC_HEAD = """
| date (UTC) | target | seconds | execs | cov | ft | cov flat over last third | corpus files | findings | status |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
"""


def build(bdir):
    if not os.path.exists(os.path.join(bdir, "CMakeCache.txt")):
        env = dict(os.environ, CC="clang", CXX="clang++")
        subprocess.run(["cmake", "-S", ROOT, "-B", bdir, "-DMF_BUILD_FUZZERS=ON", "-DMF_SANITIZE=ON",
                        "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", bdir, "-j2"], check=True, stdout=subprocess.DEVNULL)


def target_paths(bdir, name):
    """The fuzzer, its committed corpus, its work folder and its artifact
    prefix (created), and the artifacts already there."""
    exe = os.path.join(bdir, "tests", "fuzz_" + name)
    seeds = os.path.join(ROOT, "tests", "fuzz", "corpus", name)
    work = os.path.join(bdir, "campaign", name)
    arts = os.path.join(work, "artifacts") + "/"
    os.makedirs(arts, exist_ok=True)
    return exe, seeds, work, arts, set(os.listdir(arts))


def c_table(harness, table, item=r'"([^"]*)"'):
    """The entries of a `TABLE[] = {...}` table of tests/fuzz/HARNESS.c, in
    order (the selector bytes index them): its strings, or what `item`
    matches (r"&(\\w+)" for a table of pointers)."""
    src = open(os.path.join(ROOT, "tests", "fuzz", harness + ".c")).read()
    m = re.search(r"\b%s\[\] = \{(.*?)\};" % table, src, re.S)
    if not m:
        raise SystemExit("campaign.py: no table %s in %s.c" % (table, harness))
    return re.findall(item, m.group(1))


# The analyze member name (an entry of fuzz_analyze.c's `names`) that
# classifies to the parser each entry of the snapshot harness's `kinds` and
# the network harness's `paths` selects. The tables' order is read from the
# harnesses; an entry missing here stops the campaign.
SNAPSHOT_AS = {"slabinfo": "proc/slabinfo", "slabtop": "slabtop",
               "slab-sysfs": "sys/kernel/slab/kmalloc-64/objects", "buddyinfo": "proc/buddyinfo",
               "pagetypeinfo": "proc/pagetypeinfo", "meminfo": "proc/meminfo",
               "vmallocinfo": "proc/vmallocinfo", "zoneinfo": "proc/zoneinfo",
               "vmstat": "proc/vmstat", "psi-memory": "proc/pressure/memory", "process-list": "ps",
               "proc-status": "proc/1/status", "tmpfs-du": "du_-sk_tmp", "tmpfs-df": "df",
               "free": "free"}
NETCFG_AS = {"proc/net/raw6": "proc/net/raw6", "proc/net/raw": "proc/net/raw",
             "proc/net/udp6": "proc/net/udp6", "proc/net/udp": "proc/net/udp",
             "proc/net/sockstat": "proc/net/sockstat",
             "netstat-anp": "sos_commands/networking/netstat_-W_-neopa",
             "ss_-nwp": "sos_commands/networking/ss_-peaonmi",
             "proc/net/rt6_stats": "proc/net/rt6_stats", "proc/net/dev": "proc/net/dev",
             "ethtool_-S_eth0": "sos_commands/networking/ethtool_-S_eth0",
             "ip_-6_rule": "sos_commands/networking/ip_-6_rule",
             "proc/sys/net/core/rmem_default": "sos_commands/kernel/sysctl_-a",
             "proc/config.gz": "boot/config-6.1.0-13-amd64", "uname_-a": "sos_commands/kernel/uname_-a",
             "etc/board.json": "etc/os-release", "etc/config/uwsgi": "etc/config/uwsgi"}
KLOG_NAMES = ["dmesg", "kmsg", "messages", "var/log/syslog", "logread", "journalctl_--no-pager"]


def as_names(harness, table, mapping):
    try:
        return [mapping[k] for k in c_table(harness, table)]
    except KeyError as e:
        raise SystemExit("campaign.py: %s.c's %s entry %s has no analyze name" % (harness, table, e))


def to_analyze(target, d, snap, net):
    """A parser target's input as (analyze member name, content)."""
    if target == "kmemleak":
        return ("dmesg" if d[0] & 1 else "sys/kernel/debug/kmemleak", d[1:])
    if target == "oom":
        return ("dmesg", d[1:])
    if target == "snapshots":
        return (snap[d[0] % len(snap)], d[2:])
    if target == "netcfg":
        return (net[d[0] % len(net)], d[1:])
    return ({"logcat": "logcat.txt", "eventlog": "events.log"}[target], d)


def from_analyze(target, name, content, snap, net):
    """An analyze member (name, content) as an input of `target`, or None."""
    if target == "kmemleak":
        if name == "sys/kernel/debug/kmemleak":
            return b"\0" + content
        return b"\1" + content if name in KLOG_NAMES else None
    if target == "oom":
        return b"\0" + content if name in KLOG_NAMES else None
    if target == "logcat":
        return content if name == "logcat.txt" else None
    if target == "eventlog":
        return content if name == "events.log" else None
    if target == "snapshots" and name in snap:
        return bytes([snap.index(name), 0]) + content
    if target == "netcfg" and name in net:
        return bytes([net.index(name)]) + content
    return None


def cross_units(target):
    """(source target, unit) for every committed input of the other targets
    that converts to an input of `target`."""
    names = c_table("fuzz_analyze", "names")
    snap = as_names("fuzz_snapshots", "kinds", SNAPSHOT_AS)
    net = as_names("fuzz_netcfg", "paths", NETCFG_AS)
    corpus = os.path.join(ROOT, "tests", "fuzz", "corpus")

    def inputs(t):
        d = os.path.join(corpus, t)
        for f in sorted(os.listdir(d)):
            data = open(os.path.join(d, f), "rb").read()
            if len(data) >= 2:
                yield data

    if target == "analyze":
        for t in ("eventlog", "kmemleak", "logcat", "netcfg", "oom", "snapshots"):
            for data in inputs(t):
                name, content = to_analyze(t, data, snap, net)
                if name not in names:
                    raise SystemExit("campaign.py: %s is not in fuzz_analyze.c's names" % name)
                yield t, bytes([2, names.index(name)]) + content
        return
    for data in inputs("analyze"):
        if data[0] == 2:
            unit = from_analyze(target, names[data[1] % len(names)], data[2:], snap, net)
        elif data[0] == 1 and target in ("kmemleak", "oom"):  # a log for the normaliser
            unit = (b"\1" if target == "kmemleak" else b"\0") + data[1:]
        else:
            unit = None
        if unit is not None:
            yield "analyze", unit
    if target == "kmemleak":      # the OOM reader's logs for the whole kernel-log module
        for data in inputs("oom"):
            yield "oom", b"\1" + data[1:]
    if target == "oom":           # kmemleak's kernel logs, one message a line
        for data in inputs("kmemleak"):
            if data[0] & 1:
                yield "kmemleak", b"\0" + data[1:]


def golden_members():
    """(kind, content) of every golden-corpus member that is a file on disk or
    an entry of a tar or zip bundle, as the bundle's .expected.json classifies
    it (parsed members only; dumpstate sections and nested archives are
    skipped)."""
    import json
    import tarfile
    import zipfile
    corpus = os.path.join(ROOT, "corpus")
    for top, _, files in sorted(os.walk(corpus)):
        for f in sorted(files):
            if not f.endswith(".expected.json"):
                continue
            bundle = os.path.join(top, f[: -len(".expected.json")])
            try:
                members = json.load(open(os.path.join(top, f)))["input"]["members"]
            except (ValueError, KeyError, TypeError):
                continue
            want = {m["path"]: m["kind"] for m in members
                    if m.get("status") == "parsed" and "#" not in m["path"]}
            if os.path.isdir(bundle):
                for path, kind in sorted(want.items()):
                    p = os.path.join(bundle, path)
                    if os.path.isfile(p):
                        yield kind, open(p, "rb").read()
            elif os.path.basename(bundle) in want:
                yield want[os.path.basename(bundle)], open(bundle, "rb").read()
            elif tarfile.is_tarfile(bundle):
                with tarfile.open(bundle) as t:
                    for e in t.getmembers():
                        if e.isfile() and e.name in want:
                            yield want[e.name], t.extractfile(e).read()
            elif zipfile.is_zipfile(bundle):
                with zipfile.ZipFile(bundle) as z:
                    for e in z.infolist():
                        if e.filename in want:
                            yield want[e.filename], z.read(e)


def golden_bundles():
    """The golden corpus's bundles as single inputs: every file (a log, a
    single capture, an archive) and every folder packed as an uncompressed
    tar, the way a user hands them to `memforensics analyze`."""
    import io
    import tarfile
    corpus = os.path.join(ROOT, "corpus")
    for top, dirs, files in sorted(os.walk(corpus)):
        for f in sorted(files):
            if ".expected" not in f and not f.endswith(".expect-rules"):
                yield open(os.path.join(top, f), "rb").read()
        for d in sorted(dirs):
            path = os.path.join(top, d)
            if not os.path.exists(path + ".expected.json"):
                continue
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
                t.add(path, arcname=d)
            yield buf.getvalue()


# gzip, zip, xz, zstd, bzip2: inputs the source stage opens as archives
ARCHIVE_MAGIC = (b"\x1f\x8b", b"PK", b"\xfd7", b"(\xb5", b"BZ")


def golden_units(target):
    """The golden corpus (corpus/: every format, variant and device mess the
    parsers are tested on) as inputs of `target`: members by their classified
    kind, whole bundles for analyze, corpus/lines for the normaliser, the
    shipped rules for the rule loader."""
    if target == "analyze":
        for data in golden_bundles():
            yield bytes([0]) + data
            if data[:2] in ARCHIVE_MAGIC or data[257:262] == b"ustar":
                yield bytes([3]) + data
        lines = os.path.join(ROOT, "corpus", "lines")
        for f in sorted(os.listdir(lines)):
            if ".expected" not in f:
                yield bytes([1]) + open(os.path.join(lines, f), "rb").read()
        return
    if target == "rules":
        rules = os.path.join(ROOT, "rules")
        for f in sorted(os.listdir(rules)):
            if f.endswith(".json"):
                yield open(os.path.join(rules, f), "rb").read()
        return
    snap = c_table("fuzz_snapshots", "kinds")
    net = [module_name(s) for s in c_table("fuzz_netcfg", "mods", r"&(\w+)")]
    for kind, content in golden_members():
        if target == "oom" and kind == "kernel-log":
            yield b"\0" + content
        elif target == "kmemleak" and kind in ("kernel-log", "kmemleak"):
            yield (b"\1" if kind == "kernel-log" else b"\0") + content
        elif target == "logcat" and kind == "logcat":
            yield content
        elif target == "eventlog" and kind == "event-log":
            yield content
        elif target == "dumpstate" and kind == "dumpstate":
            yield b"\x3f" + content
        elif target == "snapshots" and kind in snap:
            yield bytes([snap.index(kind), 0]) + content
        elif target == "netcfg" and kind in net:
            yield bytes([net.index(kind)]) + content


def module_name(symbol):
    """The kind name of the parse module defined as `symbol`."""
    parse = os.path.join(ROOT, "libmemforensics", "src", "parse")
    for f in sorted(os.listdir(parse)):
        if f.endswith(".c"):
            m = re.search(r"\bconst mf_module %s = \{\s*\"([^\"]+)\"" % symbol,
                          open(os.path.join(parse, f)).read())
            if m:
                return m.group(1)
    raise SystemExit("campaign.py: no definition of %s" % symbol)


def cross_seed(bdir, target):
    """Write the converted inputs into `target`'s work corpus; returns how
    many were not there yet."""
    import hashlib
    wcorp = os.path.join(bdir, "campaign", target, "corpus")
    os.makedirs(wcorp, exist_ok=True)
    new = 0
    units = [("golden", u[:MAX_LEN]) for u in golden_units(target)]
    for src, unit in units + list(cross_units(target)):
        path = os.path.join(wcorp, "x-%s-%s" % (src, hashlib.sha1(unit).hexdigest()))
        if not os.path.exists(path):
            with open(path, "wb") as out:
                out.write(unit)
            new += 1
    return new


def run_target(bdir, name, seconds, merge):
    exe, seeds, work, arts, before = target_paths(bdir, name)
    wcorp = os.path.join(work, "corpus")
    os.makedirs(wcorp, exist_ok=True)
    cross_seed(bdir, name)
    args = [exe, "-max_total_time=%d" % seconds, "-timeout=1", "-rss_limit_mb=2048",
            "-max_len=%d" % MAX_LEN, "-len_control=0", "-print_final_stats=1",
            "-artifact_prefix=" + arts]
    d = os.path.join(ROOT, "tests", "fuzz", "dict", name + ".dict")
    if os.path.exists(d):
        args.append("-dict=" + d)
    args += [wcorp, seeds]
    log = os.path.join(work, "fuzz.log")
    with open(log, "w") as f:
        rc = subprocess.run(args, stdout=f, stderr=subprocess.STDOUT).returncode
    points, execs = [], 0
    for line in open(log, errors="replace"):
        m = STATUS.match(line)
        if m:
            points.append((int(m.group(1)), int(m.group(3)), int(m.group(4))))
        m = re.match(r"stat::number_of_executed_units: (\d+)", line)
        if m:
            execs = int(m.group(1))
    if not execs and points:
        execs = points[-1][0]
    cov = points[-1][1] if points else 0
    ft = points[-1][2] if points else 0
    at = [p for p in points if p[0] <= execs * 2 // 3]
    # "yes", or how many edges the last third still found ("no (+3)")
    flat = "yes" if at and at[-1][1] == cov else (
        "no (+%d)" % (cov - at[-1][1]) if at else "no")
    new = sorted(set(os.listdir(arts)) - before)
    findings = ", ".join(new) if new else "none"
    status = "ok" if rc == 0 and not new else "finding (rc %d)" % rc
    if merge and rc == 0:
        # merge the work corpus into the committed one: only inputs that add
        # edges are copied (-use_counters=0: hit counts would keep thousands
        # of files); the committed files keep their names
        subprocess.run([exe, "-merge=1", "-use_counters=0", "-max_len=%d" % MAX_LEN, "-timeout=5",
                        "-rss_limit_mb=2048", seeds, wcorp],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    nfiles = len(os.listdir(seeds))
    return dict(target=name, seconds=seconds, execs=execs, cov=cov, ft=ft, flat=flat,
                files=nfiles, findings=findings, status=status, log=log)


def minimise(bdir, name):
    """Rebuild tests/fuzz/corpus/NAME/ as: the files git tracks there,
    plus the fewest other files that add edges (-use_counters=0)."""
    exe = os.path.join(bdir, "tests", "fuzz_" + name)
    seeds = os.path.join(ROOT, "tests", "fuzz", "corpus", name)
    tmp = os.path.join(bdir, "campaign", name, "minimised")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    tracked = subprocess.run(["git", "-C", ROOT, "ls-files", "tests/fuzz/corpus/" + name],
                             capture_output=True, text=True, check=True).stdout.split()
    for t in tracked:
        shutil.copy(os.path.join(ROOT, t), tmp)
    subprocess.run([exe, "-merge=1", "-use_counters=0", "-max_len=%d" % MAX_LEN, "-timeout=5",
                    "-rss_limit_mb=2048", tmp, seeds], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    before = len(os.listdir(seeds))
    shutil.rmtree(seeds)
    shutil.copytree(tmp, seeds)
    return before, len(os.listdir(seeds))


def coverage(name, cdir, show):
    """Source-based coverage of the library by the committed corpus of
    `name`, and by the golden corpus's inputs for it on top: the regions
    (clang -fcoverage-mapping) each file leaves unrun. A region the golden
    inputs run and the committed corpus does not is ground the fuzzer had
    not reached; what neither runs is where a new seed would help. `show`
    (a path under libmemforensics/src/) prints that file's unrun lines."""
    import hashlib
    import tempfile
    if not os.path.exists(os.path.join(cdir, "CMakeCache.txt")):
        flags = "-fprofile-instr-generate -fcoverage-mapping"
        subprocess.run(["cmake", "-S", ROOT, "-B", cdir, "-DCMAKE_BUILD_TYPE=Debug",
                        "-DCMAKE_C_FLAGS=" + flags, "-DCMAKE_EXE_LINKER_FLAGS=-fprofile-instr-generate"],
                       check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, CC="clang", CXX="clang++"))
    exe = os.path.join(cdir, "tests", "fuzz_%s_replay" % name)
    subprocess.run(["cmake", "--build", cdir, "-j2", "--target", os.path.basename(exe)],
                   check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        golden = os.path.join(tmp, "golden")
        os.makedirs(golden)
        for u in golden_units(name):
            u = u[:MAX_LEN]
            with open(os.path.join(golden, hashlib.sha1(u).hexdigest()), "wb") as f:
                f.write(u)
        raws = []
        for label, d in (("committed", os.path.join(ROOT, "tests", "fuzz", "corpus", name)),
                         ("golden", golden)):
            raw = os.path.join(tmp, label + ".profraw")
            subprocess.run([exe, d], env=dict(os.environ, LLVM_PROFILE_FILE=raw),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            raws.append(raw)
        missed = []
        for n in (1, 2):
            prof = os.path.join(tmp, "p%d.profdata" % n)
            subprocess.run(["llvm-profdata", "merge", "-o", prof] + raws[:n], check=True)
            rep = subprocess.run(["llvm-cov", "report", exe, "-instr-profile=" + prof],
                                 capture_output=True, text=True, check=True).stdout
            rows = {}
            for line in rep.splitlines():
                f = line.split()
                if len(f) > 3 and "libmemforensics/" in f[0] and f[1].isdigit() and f[2].isdigit():
                    rows[f[0][f[0].index("libmemforensics/"):]] = (int(f[1]), int(f[2]))
            missed.append(rows)
        if show:
            # with -show-regions, a region never run is marked "^0" on the
            # line under its source line; a whole line never run has count 0
            out = subprocess.run(["llvm-cov", "show", exe, "-instr-profile=" + prof, "-show-regions",
                                  os.path.join(ROOT, "libmemforensics", "src", show)],
                                 capture_output=True, text=True, check=True).stdout.splitlines()
            for i, line in enumerate(out):
                if re.match(r"^\s*\d+\|\s*0\|", line):
                    print(line)
                elif re.match(r"^\s*\d+\|", line) and i + 1 < len(out) and re.search(r"\^0\b", out[i + 1]) \
                        and not re.match(r"^\s*\d+\|", out[i + 1]):
                    print(line)
                    print(out[i + 1])
            return 0
    print("%-48s %8s %10s %14s" % ("file (" + name + ")", "regions", "unrun", "unrun +golden"))
    tot = [0, 0, 0]
    for f in sorted(missed[0]):
        regions, a = missed[0][f]
        b = missed[1].get(f, (regions, a))[1]
        tot = [tot[0] + regions, tot[1] + a, tot[2] + b]
        if a and b < regions:  # files the target reaches, not those it only links
            print("%-48s %8d %10d %14d" % (f, regions, a, b))
    print("%-48s %8d %10d %14d" % ("total", tot[0], tot[1], tot[2]))
    return 0


def grow(data, size):
    """The input repeated to `size` bytes, its first (selector) byte kept
    once at the front."""
    if len(data) < 2:
        return None
    head, body = data[:1], data[1:]
    reps = (size - 1) // len(body) + 1
    return (head + body * reps)[:size]


def run_large(bdir, name, seconds):
    exe, seeds, work, arts, before = target_paths(bdir, name)
    big = os.path.join(work, "large")
    shutil.rmtree(big, ignore_errors=True)
    os.makedirs(big)
    grown = 0
    names = sorted(os.listdir(seeds))
    if len(names) > LARGE_INPUTS:  # an even sample: 1 MiB inputs are slow under ASan
        names = [names[i * len(names) // LARGE_INPUTS] for i in range(LARGE_INPUTS)]
    for f in names:
        with open(os.path.join(seeds, f), "rb") as fh:
            g = grow(fh.read(), LARGE)
        if g:
            with open(os.path.join(big, f), "wb") as out:
                out.write(g)
            grown += 1
    log = os.path.join(work, "large.log")
    common = ["-timeout=1", "-rss_limit_mb=2048", "-artifact_prefix=" + arts]
    d = os.path.join(ROOT, "tests", "fuzz", "dict", name + ".dict")
    with open(log, "w") as f:
        # each grown input once (libFuzzer runs the files it is given)
        files = sorted(os.path.join(big, x) for x in os.listdir(big))
        rc = 0
        for i in range(0, len(files), 200):
            r = subprocess.run([exe] + common + files[i:i + 200], stdout=f,
                               stderr=subprocess.STDOUT).returncode
            rc = rc or r
        if rc == 0 and seconds > 0:
            args = [exe, "-max_total_time=%d" % seconds, "-max_len=%d" % LARGE,
                    "-print_final_stats=1"] + common
            if os.path.exists(d):
                args.append("-dict=" + d)
            rc = subprocess.run(args + [big], stdout=f, stderr=subprocess.STDOUT).returncode
    slowest, execs, running = 0, 0, None
    for line in open(log, errors="replace"):
        m = re.match(r"Running: (.*)", line)
        if m:
            running = m.group(1).strip()
        m = re.search(r"ERROR: (libFuzzer: \w+|\w+Sanitizer)", line)
        if m and running and os.path.exists(running):
            # a file run writes no artifact: keep the grown input that failed
            kind = m.group(1).replace("libFuzzer: ", "").split("Sanitizer")[0].lower()
            shutil.copy(running, arts + "%s-large-%s" % (kind, os.path.basename(running)))
            running = None
        m = re.match(r"Executed .* in (\d+) ms", line)
        if m:
            slowest = max(slowest, int(m.group(1)))
        m = re.match(r"stat::number_of_executed_units: (\d+)", line)
        if m:
            execs = int(m.group(1))
    new = sorted(set(os.listdir(arts)) - before)
    shutil.rmtree(big, ignore_errors=True)  # 1 MiB each: not kept
    return dict(target=name, grown=grown, slowest=slowest, seconds=seconds, execs=execs,
                findings=", ".join(new) if new else "none",
                status="ok" if rc == 0 and not new else "finding (rc %d)" % rc, log=log)


def append_large_doc(r):
    doc = os.path.join(ROOT, "docs", "fuzzing.md")
    text = open(doc).read()
    marker = "<!-- large-table -->\n"
    if marker not in text:
        at = text.index("## Campaign runs")
        text = (text[:at] + "## Inputs up to 1 MiB\n\n" + marker + LARGE_HEAD.lstrip("\n") + "\n" +
                text[at:])
    date = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
    row = "| %s | %s | %d | %d | %d | %d | %s | %s |\n" % (
        date, r["target"], r["grown"], r["slowest"], r["seconds"], r["execs"], r["findings"],
        r["status"])
    start = text.index(marker) + len(marker)
    end = text.index("\n\n", start) + 1  # the table ends at the first blank line
    text = text[:end] + row + text[end:]
    open(doc, "w").write(text)


def append_doc(rows):
    doc = os.path.join(ROOT, "docs", "fuzzing.md")
    text = open(doc).read() if os.path.exists(doc) else "# Fuzzing\n"
    if "<!-- campaign-table -->" not in text:
        text += "\n## Campaign runs\n\n<!-- campaign-table -->\n" + DOC_HEAD
    date = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
    for r in rows:
        text += "| %s | %s | %d | %d | %d | %d | %s | %d | %s | %s |\n" % (
            date, r["target"], r["seconds"], r["execs"], r["cov"], r["ft"], r["flat"], r["files"],
            r["findings"], r["status"])
    open(doc, "w").write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=600, help="time per target (600)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-fuzz"))
    ap.add_argument("--no-merge", action="store_true", help="leave tests/fuzz/corpus alone")
    ap.add_argument("--no-doc", action="store_true", help="do not append to docs/fuzzing.md")
    ap.add_argument("--large", action="store_true",
                    help="inputs up to 1 MiB: grown corpus inputs once, then SECONDS of fuzzing (120)")
    ap.add_argument("--minimise", action="store_true",
                    help="only minimise the committed corpora (tracked files + files adding edges)")
    ap.add_argument("--cross-seed", action="store_true",
                    help="only write the golden corpus and the other targets' inputs, converted, "
                         "into the targets' work corpora")
    ap.add_argument("--coverage", action="store_true",
                    help="only report the regions each library file leaves unrun by the committed "
                         "corpus, and with the golden corpus's inputs added (clang source coverage, "
                         "in BUILD-cov)")
    ap.add_argument("--show", metavar="FILE",
                    help="with --coverage and one target: the unrun lines of libmemforensics/src/FILE")
    ap.add_argument("targets", nargs="*", default=TARGETS)
    a = ap.parse_args()
    if a.coverage:
        for t in a.targets:
            coverage(t.partition(":")[0], a.build.rstrip("/") + "-cov", a.show)
        return 0
    if a.cross_seed:
        for t in a.targets:
            t = t.partition(":")[0]
            print("%-10s %5d new inputs from the golden corpus and the other targets' corpora"
                  % (t, cross_seed(a.build, t)))
        return 0
    build(a.build)
    if a.minimise:
        for t in a.targets:
            b, n = minimise(a.build, t.partition(":")[0])
            print("%-10s %d -> %d files" % (t, b, n), flush=True)
        return 0
    if a.large:
        bad = 0
        for spec in a.targets:
            t, _, secs = spec.partition(":")
            r = run_large(a.build, t, int(secs) if secs else 120)
            print("%-10s grown %4d slowest %5d ms execs %7d findings %s" % (
                t, r["grown"], r["slowest"], r["execs"], r["findings"]), flush=True)
            bad += r["status"] != "ok"
            if not a.no_doc:
                append_large_doc(r)
        return 1 if bad else 0
    rows = []
    for spec in a.targets:
        t, _, secs = spec.partition(":")
        r = run_target(a.build, t, int(secs) if secs else a.seconds, not a.no_merge)
        print("%-10s execs %9d cov %5d ft %6d flat %-3s files %4d findings %s" % (
            t, r["execs"], r["cov"], r["ft"], r["flat"], r["files"], r["findings"]), flush=True)
        rows.append(r)
        if not a.no_doc:
            append_doc([r])
    return 1 if any(r["status"] != "ok" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
