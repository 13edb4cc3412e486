#!/usr/bin/env python3
"""Source-stage benchmark: a .tar.gz of logs through `memforensics parse`
against `tar -xzOf` on the same file (the issue's goal: at most 1.3x, peak
RSS under 64 MiB beyond the decompressor's dictionary). Prints both times,
the ratio and the peak RSS of each. Not a test: numbers depend on the host.

  bench_source.py MEMFORENSICS [--mib 1024] [--files 16] [--keep DIR]
"""
import argparse
import io
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time

LINES = [
    "[{t:12.6f}] eth0: rx queue {q} drops {n} (rmem {r} kB)",
    "[{t:12.6f}] EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)",
    "[{t:12.6f}] audit: type=1400 audit({e}.{q:03d}:{n}): avc:  denied  {{ read }} for  pid={p} comm=\"ip6tables\" scontext=u:r:netd:s0",
    "[{t:12.6f}] binder: {p}:{q} transaction failed 29201/-28, size {n}-8 line 3135",
    "[{t:12.6f}] CPU{q}: update max cpu_capacity {n}",
    "[{t:12.6f}] lowmemorykiller: Killing 'com.example.app{q}' ({p}), adj 906,",
    "[{t:12.6f}] kworker/u16:{q}: page allocation failure: order:{o}, mode:0x6040c0(GFP_KERNEL|__GFP_COMP), nodemask=(null)",
]


def make_input(path, mib, files):
    rnd = random.Random(1234)
    per_file = (mib << 20) // files
    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        for i in range(files):
            chunk = []
            size = 0
            t = 0.0
            while size < per_file:
                t += rnd.random() * 0.01
                line = rnd.choice(LINES).format(t=t, q=rnd.randrange(64), n=rnd.randrange(1 << 20),
                                                r=rnd.randrange(1 << 16), e=1700000000 + int(t),
                                                p=rnd.randrange(32768), o=rnd.randrange(5)) + "\n"
                chunk.append(line)
                size += len(line)
            data = "".join(chunk).encode()
            info = tarfile.TarInfo("var/log/kern.log.%d" % i)
            info.size = len(data)
            info.mtime = 1700000000
            tar.addfile(info, io.BytesIO(data))


def run(cmd):
    """Wall time and peak RSS (KiB) of one run. posix_spawn (vfork-like)
    so the child's peak is its own, not the Python parent's."""
    import shutil
    rss_file = None
    if os.access("/usr/bin/time", os.X_OK):
        # GNU time forks from a small process: the exact peak of the child
        fd, rss_file = tempfile.mkstemp()
        os.close(fd)
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd
    exe = shutil.which(cmd[0]) or cmd[0]
    start = time.monotonic()
    pid = os.posix_spawn(exe, cmd, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    elapsed = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit("%s failed with %d" % (cmd[-1], code))
    rss = ru.ru_maxrss
    if rss_file:
        with open(rss_file) as fh:
            rss = int(fh.read().split()[-1])
        os.unlink(rss_file)
    return elapsed, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("--mib", type=int, default=256, help="MiB of logs in the archive")
    ap.add_argument("--files", type=int, default=16)
    ap.add_argument("--keep", help="directory to keep the generated archive in")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--generate", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.generate:
        make_input(a.generate, a.mib, a.files)
        return
    d = a.keep or tempfile.mkdtemp(prefix="mf-bench-")
    path = os.path.join(d, "logs-%dMiB.tar.gz" % a.mib)
    if not os.path.exists(path):
        t0 = time.monotonic()
        subprocess.run([sys.executable, __file__, a.tool, "--generate", path,
                        "--mib", str(a.mib), "--files", str(a.files)], check=True)
        print("generated %s (%.1f MiB compressed) in %.1fs" %
              (path, os.path.getsize(path) / 1048576, time.monotonic() - t0))
    tar_t, tar_rss = min(run(["tar", "-xzOf", path]) for _ in range(a.runs))
    best = min(run([a.tool, "parse", path]) for _ in range(a.runs))
    mf_rss = best[1]
    print("input            %d MiB of logs in %d files" % (a.mib, a.files))
    print("tar -xzOf        %.3f s   peak RSS %.1f MiB" % (tar_t, tar_rss / 1024))
    print("memforensics     %.3f s   peak RSS %.1f MiB" % (best[0], mf_rss / 1024))
    print("ratio            %.2fx (goal <= 1.3x)" % (best[0] / tar_t))
    print("throughput       %.1f MiB/s of logs" % (a.mib / best[0]))
    if not a.keep:
        os.unlink(path)
        os.rmdir(d)


if __name__ == "__main__":
    main()
