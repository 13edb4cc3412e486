#!/usr/bin/env python3
"""Generate corpus/signatures/<rule-id>/: for each general-pattern rule two
bundles where it must fire first and two near misses where it must stay
silent, as devices and collection scripts produce them (capture loops with
`date` lines, folders of /proc files, OpenWrt support tarballs with member
mtimes, logcat, dmesg, journal).

Deterministic (fixed seeds, fixed mtimes): running it again rewrites the same
bytes. The NAME.expect-rules files are written here too (they state the
intent of each bundle); the NAME.expected.json goldens come from
`tests/golden/run.py --update` and are read by eye.

  gen_signatures.py CORPUS_DIR
"""
import gzip
import io
import math
import os
import random
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "snapshots"))
from gen_corpus import (CACHES_64, SLAB_HDR, date_line, df_text, meminfo_text,  # noqa: E402
                        slab_row, write)

OUT = None


def path(rule, name):
    return os.path.join(OUT, "signatures", rule, name)


def expect(rule, name, lines):
    write(path(rule, name) + ".expect-rules", "".join(l + "\n" for l in lines))


def tarball(dest, members):
    """members: (name, text, mtime); gzip without name or time: stable bytes."""
    buf = io.BytesIO()
    tar = tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT)
    for name, text, mtime in members:
        data = text.encode()
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        ti.mtime = mtime
        ti.mode = 0o644
        ti.uname = ti.gname = "root"
        tar.addfile(ti, io.BytesIO(data))
    tar.close()
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "wb") as fh:
        with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(buf.getvalue())


def mem_loop(t0, step, n, fn, zone="UTC"):
    """A `while :; do date; cat /proc/meminfo; sleep N; done` capture."""
    out = []
    for i in range(n):
        t = t0 + i * step
        out.append(date_line(t, zone) + "\n" + fn(i, (t - t0) / 3600.0))
    return "".join(out)


def slab_loop(t0, step, n, caches, grow, rnd, zone="UTC"):
    """slabinfo capture loop; grow(name, h) returns objects or None."""
    out = []
    for i in range(n):
        t = t0 + i * step
        h = (t - t0) / 3600.0
        rows = []
        for name, osz, per, pages, base in caches:
            objs = grow(name, h)
            if objs is None:
                objs = base * (1 + rnd.gauss(0, 0.006))
            rows.append(slab_row(name, int(max(objs, 1)), osz, per, pages))
        out.append(date_line(t, zone) + "\n" + SLAB_HDR + "".join(rows))
    return "".join(out)


PSO_HDR = "  PID   RSS COMMAND\n"


def ps_loop(t0, step, n, procs, rss_of, zone="UTC"):
    """`ps -o pid,rss,comm` (busybox and procps) in a capture loop."""
    out = []
    for i in range(n):
        t = t0 + i * step
        h = (t - t0) / 3600.0
        rows = "".join("%5d %5d %s\n" % (pid, rss_of(pid, base, h, i), comm)
                       for pid, comm, base in procs)
        out.append(date_line(t, zone) + "\n" + PSO_HDR + rows)
    return "".join(out)


# --------------------------------------------------------------------------
# user-space-leak

def user_space_leak():
    rule = "user-space-leak"
    # 1. A Debian gateway: node-red leaks 12 MB/h; ps and meminfo loops, 6 h
    rnd = random.Random(101)
    procs = [(1, "systemd", 11800), (402, "systemd-journal", 36000), (611, "dbus-daemon", 4800),
             (702, "mosquitto", 9200), (733, "node-red", 88000), (801, "sshd", 7400),
             (902, "nginx", 14100), (903, "nginx", 9800)]

    def rss1(pid, base, h, i):
        if pid == 733:
            return int(base + 12288 * h + 9000 * math.sin(i * 1.7) + rnd.gauss(0, 1500))
        return int(base * (1 + rnd.gauss(0, 0.01)))
    t0 = 1710403200
    ps = ps_loop(t0, 900, 25, procs, rss1)
    write(path(rule, "gateway-node-red/ps.log"), ps)
    write(path(rule, "gateway-node-red/meminfo.log"), mem_loop(t0, 900, 25, lambda i, h: meminfo_text(
        2002400, int(600000 - 12400 * h + rnd.gauss(0, 6000)), int(1300000 - 12400 * h + rnd.gauss(0, 6000)),
        60000, 700000, int(260000 + 12288 * h + rnd.gauss(0, 3000)), 120000, 41000)))
    expect(rule, "gateway-node-red", ["first: user-space-leak", "count: user-space-leak 1",
                                      "not: kernel-unaccounted-leak", "not: slow-leak-trend"])

    # 2. OpenWrt support tarball: uwsgi workers leak (2 processes), busybox ps
    #    every 2 h, times from the members' mtimes
    rnd = random.Random(102)
    t0 = 1552096800
    members = [("support/dmesg",
                "[    0.000000] Linux version 4.14.95 (builder@buildhost) (gcc version 7.3.0 "
                "(OpenWrt GCC 7.3.0 r7676-cddd7b4c77)) #0 Mon Jan 28 16:31:28 2019\n"
                "[    0.000000] MIPS: machine is Phicomm K2T\n", t0 - 3600)]
    for i in range(8):
        t = t0 + i * 7200 + rnd.randint(0, 30)
        h = (t - t0) / 3600.0
        rows = [(1, "procd", 1480), (712, "ubusd", 1120), (1024, "logd", 1310), (1188, "dnsmasq", 1720),
                (1290, "uwsgi", int(9800 + 1100 * h + rnd.gauss(0, 60))),
                (1291, "uwsgi", int(9400 + 1050 * h + rnd.gauss(0, 60))), (1402, "hostapd", 2600)]
        members.append(("support/snap-%02d/ps" % i, PSO_HDR + "".join(
            "%5d %5d %s\n" % (p, r, c) for p, c, r in rows), t))
        members.append(("support/snap-%02d/meminfo" % i, meminfo_text(
            61032, int(12000 - 2150 * h * 0.3), int(42000 - 2150 * h + rnd.gauss(0, 150)), 1800, 12000,
            int(14000 + 2150 * h), 8600, 4300, shmem=700, kstack=520, pagetables=480, android=True), t))
    tarball(path(rule, "openwrt-k2t-uwsgi.tar.gz"), members)
    expect(rule, "openwrt-k2t-uwsgi.tar.gz", ["first: user-space-leak"])

    # 3. near miss: a JVM's RSS saws up and down with GC for 8 h, no trend
    rnd = random.Random(103)
    procs = [(1, "systemd", 12100), (512, "java", 1800000), (640, "sshd", 7400), (700, "rsyslogd", 5200)]

    def rss3(pid, base, h, i):
        if pid == 512:
            return int(base + 350000 * ((h * 1.6) % 1.0) + rnd.gauss(0, 20000))
        return int(base * (1 + rnd.gauss(0, 0.01)))
    t0 = 1699999200
    write(path(rule, "jvm-gc-sawtooth/ps.log"), ps_loop(t0, 600, 49, procs, rss3))
    expect(rule, "jvm-gc-sawtooth", ["not: user-space-leak"])

    # 4. near miss: a cache warms up in the first 40 minutes, then stays flat
    rnd = random.Random(104)
    procs = [(1, "init", 900), (233, "squid", 40000), (290, "sshd", 3200)]

    def rss4(pid, base, h, i):
        if pid == 233:
            return int(base + 160000 * min(h / 0.66, 1.0) + rnd.gauss(0, 800))
        return int(base * (1 + rnd.gauss(0, 0.01)))
    t0 = 1690000000
    write(path(rule, "squid-warmup-plateau/ps.log"), ps_loop(t0, 600, 49, procs, rss4))
    expect(rule, "squid-warmup-plateau", ["not: user-space-leak"])


# --------------------------------------------------------------------------
# kernel-slab-leak

def kernel_slab_leak():
    rule = "kernel-slab-leak"
    caches = [c for c in CACHES_64 if c[0] != "kmemleak_object"]
    # 1. CentOS 8 host: kmalloc-256 leaks 3 MB/h; slabinfo and meminfo loops
    rnd = random.Random(201)
    t0 = 1700600000
    sl = slab_loop(t0, 1200, 22, caches,
                   lambda n, h: 5200 + 12288 * h + rnd.gauss(0, 30) if n == "kmalloc-256" else None, rnd)
    write(path(rule, "centos8-kmalloc-256/slabinfo.log"), sl)
    write(path(rule, "centos8-kmalloc-256/meminfo.log"), mem_loop(t0, 1200, 22, lambda i, h: meminfo_text(
        7990000, int(2100000 - 3072 * h), int(5200000 - 3072 * h + rnd.gauss(0, 2000)), 200000, 3000000,
        1900000, int(380000 + 3072 * h), int(120000 + 3072 * h + rnd.gauss(0, 80)))))
    expect(rule, "centos8-kmalloc-256", ["first: kernel-slab-leak", "count: kernel-slab-leak 1",
                                         "not: slow-leak-trend"])

    # 2. Android arm64: one slabinfo file per hour (time in the name), a
    #    vendor driver's own cache grows, plus a second leaking cache
    rnd = random.Random(202)
    t0 = 1684929600
    for i in range(9):
        t = t0 + i * 3600 + rnd.randint(0, 40)
        h = (t - t0) / 3600.0
        rows = []
        for name, osz, per, pages, base in caches[:20] + [("qseecom_listener", 1024, 16, 4, 200),
                                                           ("ion_buffer_cache", 512, 16, 2, 900)]:
            objs = base * (1 + rnd.gauss(0, 0.005))
            if name == "qseecom_listener":
                objs = 200 + 2400 * h + rnd.gauss(0, 10)
            if name == "ion_buffer_cache":
                objs = 900 + 3000 * h + rnd.gauss(0, 12)
            rows.append(slab_row(name, int(objs), osz, per, pages))
        tm = __import__("time").gmtime(t)
        write(path(rule, "android-vendor-caches/slabinfo/slabinfo.%04d-%02d-%02d_%02d-%02d-%02d" % (
            tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)), SLAB_HDR + "".join(rows))
    expect(rule, "android-vendor-caches", ["first: kernel-slab-leak", "count: kernel-slab-leak 2"])

    # 3. near miss: kmalloc-1k grows and kmemleak names the culprit: the
    #    diagnosis is the culprit (kmemleak-suspect), not an anonymous cache
    rnd = random.Random(203)
    t0 = 1701000000
    caches3 = caches + [("kmemleak_object", 368, 22, 2, 90000)]
    sl = slab_loop(t0, 1800, 13, caches3, lambda n, h: (
        3300 + 4000 * h + rnd.gauss(0, 20) if n == "kmalloc-1k" else
        90000 + 4100 * h if n == "kmemleak_object" else None), rnd)
    write(path(rule, "kmalloc-1k-with-kmemleak/slabinfo.log"), sl)
    write(path(rule, "kmalloc-1k-with-kmemleak/kmemleak.txt"), kmemleak_dump([
        ("ffff9a41c3e0f800", 1024, "kworker/2:1", 4211230011, "nvmet_tcp_alloc_queue",
         ["kmalloc_trace+0x2a/0xa0", "nvmet_tcp_alloc_queue+0x6c/0x5a0 [nvmet_tcp]",
          "nvmet_tcp_accept_work+0x8b/0xe0 [nvmet_tcp]", "process_one_work+0x1c7/0x380",
          "worker_thread+0x4d/0x380", "kthread+0xe9/0x110", "ret_from_fork+0x34/0x50"], 3)]))
    expect(rule, "kmalloc-1k-with-kmemleak", ["first: kmemleak-suspect", "not: kernel-slab-leak"])

    # 5. kmemleak reports a 4 KiB culprit, but the cache that grows is
    #    kmalloc-64: the culprit does not explain it, both are diagnosed
    rnd = random.Random(205)
    t0 = 1701500000
    sl = slab_loop(t0, 1800, 13, caches3, lambda n, h: (
        21000 + 40000 * h + rnd.gauss(0, 60) if n == "kmalloc-64" else
        90000 + 300 * h if n == "kmemleak_object" else None), rnd)
    write(path(rule, "kmalloc-64-other-culprit/slabinfo.log"), sl)
    write(path(rule, "kmalloc-64-other-culprit/kmemleak.txt"), kmemleak_dump([
        ("ffff9a41c7a10000", 4096, "modprobe", 4295000101, "acpi_ut_initialize_buffer",
         ["__kmalloc+0x4a/0x1a0", "acpi_ut_initialize_buffer+0x6a/0xb0", "acpi_ut_copy_iobject_to_eobject+0x4f/0x100",
          "acpi_evaluate_object+0x21f/0x2b0", "acpi_thermal_add+0x11b/0x540 [thermal]"], 1)]))
    expect(rule, "kmalloc-64-other-culprit", ["has: kernel-slab-leak", "count: kernel-slab-leak 1",
                                              "has: kmemleak-suspect"])

    # 4. near miss: updatedb walks the disk: dentry and inode caches grow
    #    (reclaimable); kmemleak is on and its kmemleak_object grows
    rnd = random.Random(204)
    t0 = 1702000000
    caches4 = caches + [("kmemleak_object", 368, 22, 2, 120000)]
    sl = slab_loop(t0, 1200, 19, caches4, lambda n, h: (
        98000 + 90000 * h if n == "dentry" else
        41000 + 30000 * h if n == "ext4_inode_cache" else
        120000 + 50000 * h if n == "kmemleak_object" else
        15000 + 6000 * h if n == "radix_tree_node" else None), rnd)
    write(path(rule, "updatedb-dentry-kmemleak-bookkeeping/slabinfo.log"), sl)
    expect(rule, "updatedb-dentry-kmemleak-bookkeeping", ["not: kernel-slab-leak", "not: kmemleak-suspect"])


def kmemleak_dump(objs):
    """/sys/kernel/debug/kmemleak: (addr, size, comm, jiffies, _, frames, copies)."""
    out = []
    for addr, size, comm, jiffies, _, frames, copies in objs:
        base = int(addr, 16)
        for k in range(copies):
            out.append("unreferenced object 0x%x (size %d):\n" % (base + k * size * 4, size))
            out.append('  comm "%s", pid %d, jiffies %d (age %d.%03ds)\n' % (
                comm, 311 + k, jiffies + k * 977, 1200 + k * 3, 150 + k))
            out.append("  hex dump (first 32 bytes):\n"
                       "    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
                       "    01 00 00 00 00 00 00 00 a0 5b 1c c3 41 9a ff ff  .........[..A...\n")
            out.append("  backtrace:\n")
            for j, f in enumerate(frames):
                out.append("    [<%016x>] %s\n" % (0xffffffff81000000 + j * 0x1f3c1 + k, f))
    return "".join(out)


# --------------------------------------------------------------------------
# kernel-unaccounted-leak

def kernel_unaccounted_leak():
    rule = "kernel-unaccounted-leak"
    # 1. x86 box with a NIC driver leaking pages: MemAvailable falls 20 MB/h,
    #    anon, slab, shmem flat; ps loop flat too (split: kernel)
    rnd = random.Random(301)
    t0 = 1705000000
    procs = [(1, "systemd", 12000), (500, "haproxy", 180000), (650, "keepalived", 9000), (700, "sshd", 7000)]
    write(path(rule, "haproxy-nic-page-leak/ps.log"),
          ps_loop(t0, 1200, 31, procs, lambda pid, b, h, i: int(b * (1 + rnd.gauss(0, 0.01)))))
    write(path(rule, "haproxy-nic-page-leak/meminfo.log"), mem_loop(t0, 1200, 31, lambda i, h: meminfo_text(
        16300000, int(3000000 - 20480 * h), int(12900000 - 20480 * h + rnd.gauss(0, 15000)), 300000, 9000000,
        int(1500000 + rnd.gauss(0, 8000)), int(610000 + rnd.gauss(0, 2000)), int(200000 + rnd.gauss(0, 900)),
        shmem=int(42000 + rnd.gauss(0, 200)))))
    expect(rule, "haproxy-nic-page-leak", ["first: kernel-unaccounted-leak", "not: slow-leak-trend",
                                           "not: user-space-leak"])

    # 2. OpenWrt support tarball: meminfo every 2 h (member mtimes), 128 MB
    #    router losing 1.5 MB/h outside slab (ath10k RX buffers)
    rnd = random.Random(302)
    t0 = 1596240000
    members = []
    for i in range(9):
        t = t0 + i * 7200 + rnd.randint(0, 20)
        h = (t - t0) / 3600.0
        members.append(("tmp/support/%02d/meminfo" % i, meminfo_text(
            124372, int(30000 - 1536 * h * 0.5), int(64000 - 1536 * h + rnd.gauss(0, 120)), 2100, 26000,
            int(15000 + rnd.gauss(0, 100)), 9800, int(5100 + rnd.gauss(0, 20)), shmem=900, kstack=620,
            pagetables=540, android=True), t))
    tarball(path(rule, "openwrt-archer-meminfo.tar.gz"), members)
    expect(rule, "openwrt-archer-meminfo.tar.gz", ["first: kernel-unaccounted-leak"])

    # 3. near miss: MemAvailable falls because SUnreclaim grows (a slab leak)
    rnd = random.Random(303)
    t0 = 1706000000
    write(path(rule, "sunreclaim-grows/meminfo.log"), mem_loop(t0, 900, 33, lambda i, h: meminfo_text(
        8000000, int(2000000 - 8192 * h), int(5000000 - 8192 * h + rnd.gauss(0, 4000)), 200000, 3000000,
        int(1400000 + rnd.gauss(0, 5000)), int(300000 + 8192 * h), int(100000 + 8192 * h + rnd.gauss(0, 300)))))
    expect(rule, "sunreclaim-grows", ["not: kernel-unaccounted-leak"])

    # 4. near miss: page cache fills (MemFree falls, MemAvailable steady)
    rnd = random.Random(304)
    t0 = 1707000000
    write(path(rule, "page-cache-fills/meminfo.log"), mem_loop(t0, 900, 33, lambda i, h: meminfo_text(
        8000000, int(max(120000, 5000000 - 150000 * h)), int(6500000 + rnd.gauss(0, 20000)), 200000,
        int(1500000 + min(150000 * h, 4880000)), int(1200000 + rnd.gauss(0, 10000)), 300000, 100000)))
    expect(rule, "page-cache-fills", ["not: kernel-unaccounted-leak", "not: slow-leak-trend"])


# --------------------------------------------------------------------------
# memory-fragmentation

def buddy_row(zone, counts, node=0):
    return "Node %d, zone %8s %s \n" % (node, zone, " ".join("%6d" % c for c in counts))


def memory_fragmentation():
    rule = "memory-fragmentation"
    # 1. OpenWrt logread: ath10k order-3 failures, buddyinfo loop fragmenting
    rnd = random.Random(401)
    t0 = 1552089600
    bi = []
    for i in range(13):
        t = t0 + i * 1800
        f = i / 12.0
        c = [int(1900 + 900 * f), int(950 + 300 * f), int(260 * (1 - 0.4 * f)), int(90 * (1 - 0.9 * f)),
             int(30 * (1 - f)), int(8 * (1 - f)), 0, 0, 0, 0, 0]
        bi.append(date_line(t, "UTC") + "\n" + buddy_row("Normal", c))
    write(path(rule, "openwrt-ath10k-order3/buddyinfo.log"), "".join(bi))
    log = []
    for k, ts in enumerate((19810.221301, 21420.870113)):
        log += [
            "Sat Mar  9 %02d:%02d:%02d 2019 kern.warn kernel: [%12.6f] ath10k_pci 0000:01:00.0: "
            "failed to alloc rx buf\n" % (5 + k, 30 + k, 11, ts - 0.1),
            "Sat Mar  9 %02d:%02d:%02d 2019 kern.warn kernel: [%12.6f] kworker/0:2: page allocation failure: "
            "order:3, mode:0x1080020(GFP_ATOMIC), nodemask=(null)\n" % (5 + k, 30 + k, 11, ts),
            "Sat Mar  9 %02d:%02d:%02d 2019 kern.warn kernel: [%12.6f] CPU: 0 PID: 2231 Comm: kworker/0:2 "
            "Not tainted 4.14.95 #0\n" % (5 + k, 30 + k, 11, ts + 0.006),
            "Sat Mar  9 %02d:%02d:%02d 2019 kern.warn kernel: [%12.6f] Normal: 2710*4kB (UME) 1190*8kB (UME) "
            "170*16kB (UM) 12*32kB (U) 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 23192kB\n"
            % (5 + k, 30 + k, 12, ts + 0.09)]
    write(path(rule, "openwrt-ath10k-order3/logread.log"), "".join(log))
    expect(rule, "openwrt-ath10k-order3", ["first: memory-fragmentation"])

    # 2. one sosreport-style capture of /proc/buddyinfo and zoneinfo: DMA32
    #    and Normal hold GBs free, nearly none of it above order 2
    d = "sosreport-web03-fragmented"
    write(path(rule, d + "/proc/buddyinfo"),
          buddy_row("DMA", [0, 1, 1, 0, 2, 1, 1, 0, 1, 1, 3]) +
          buddy_row("DMA32", [61240, 40122, 9921, 512, 40, 3, 0, 0, 0, 0, 0]) +
          buddy_row("Normal", [412022, 290114, 61877, 1022, 88, 4, 1, 0, 0, 0, 0]))
    write(path(rule, d + "/uname"), "Linux web03 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 "
          "x86_64 x86_64 x86_64 GNU/Linux\n")
    expect(rule, d, ["first: memory-fragmentation", "count: memory-fragmentation 2"])

    # 3. near miss: only the tiny DMA zone looks fragmented; Normal is fine
    write(path(rule, "dma-zone-only/buddyinfo.txt"),
          buddy_row("DMA", [1020, 600, 30, 1, 0, 0, 0, 0, 0, 0, 0]) +
          buddy_row("DMA32", [3100, 2400, 1900, 1300, 700, 330, 160, 70, 30, 12, 380]) +
          buddy_row("Normal", [8100, 6400, 4900, 3300, 1700, 830, 360, 170, 80, 42, 1210]))
    expect(rule, "dma-zone-only", ["not: memory-fragmentation"])

    # 4. near miss: a 32 MB router simply out of memory: little free at all
    write(path(rule, "low-memory-not-fragmented/buddyinfo.txt"),
          buddy_row("Normal", [310, 98, 20, 4, 1, 0, 0, 0, 0, 0, 0]))
    expect(rule, "low-memory-not-fragmented", ["not: memory-fragmentation"])


# --------------------------------------------------------------------------
# tmpfs-growth

def tmpfs_growth():
    rule = "tmpfs-growth"
    # 1. OpenWrt writing logs to /tmp (tmpfs): meminfo and df every 30 min
    rnd = random.Random(501)
    t0 = 1552003200
    mis, dfs = [], []
    for i in range(17):
        t = t0 + i * 1800
        h = i / 2.0
        tmp = int(900 + 1800 * h + rnd.gauss(0, 30))
        mis.append(date_line(t, "UTC") + "\n" + meminfo_text(
            61032, int(21000 - tmp * 0.9), int(30000 - tmp + rnd.gauss(0, 80)), 1800, 9000 + tmp,
            14000, 8600, 4300, shmem=tmp + 120, kstack=520, pagetables=480, android=True))
        dfs.append(date_line(t, "UTC") + "\n" + df_text([
            ("/dev/root", 2560, 2560, "/rom"), ("tmpfs", 30516, tmp, "/tmp"),
            ("/dev/mtdblock6", 12288, 1168, "/overlay"), ("overlayfs:/overlay", 12288, 1168, "/"),
            ("tmpfs", 512, 0, "/dev")]))
    write(path(rule, "openwrt-logs-on-tmp/meminfo.log"), "".join(mis))
    write(path(rule, "openwrt-logs-on-tmp/df.log"), "".join(dfs))
    expect(rule, "openwrt-logs-on-tmp", ["first: tmpfs-growth", "not: kernel-unaccounted-leak",
                                         "not: slow-leak-trend"])

    # 2. a capture loop from a Windows-side collector (CRLF): journald's
    #    runtime journal in /run grows; meminfo only
    rnd = random.Random(502)
    t0 = 1709000000
    write(path(rule, "journald-run-crlf.log"), mem_loop(t0, 1200, 25, lambda i, h: meminfo_text(
        4030000, int(1500000 - 6000 * h), int(3000000 - 6000 * h + rnd.gauss(0, 3000)), 90000, 1400000 + int(6000 * h),
        600000, 180000, 52000, shmem=int(30000 + 6000 * h + rnd.gauss(0, 100)))), crlf=True)
    expect(rule, "journald-run-crlf.log", ["first: tmpfs-growth"])

    # 3. near miss: disk page cache grows (Cached), Shmem flat
    rnd = random.Random(503)
    t0 = 1708000000
    write(path(rule, "disk-cache-not-shmem/meminfo.log"), mem_loop(t0, 1200, 25, lambda i, h: meminfo_text(
        4030000, int(2500000 - 80000 * h), int(3100000 + rnd.gauss(0, 9000)), 90000, int(500000 + 80000 * h),
        600000, 180000, 52000, shmem=int(30000 + rnd.gauss(0, 100)))))
    expect(rule, "disk-cache-not-shmem", ["not: tmpfs-growth"])

    # 4. near miss: /tmp fills and logrotate empties it every 2 h (sawtooth)
    rnd = random.Random(504)
    t0 = 1708500000
    write(path(rule, "logrotate-sawtooth/meminfo.log"), mem_loop(t0, 600, 61, lambda i, h: meminfo_text(
        2000000, 900000, int(1400000 - 60000 * (h % 2.0) + rnd.gauss(0, 2000)), 50000, 500000, 300000,
        90000, 30000, shmem=int(20000 + 60000 * (h % 2.0) + rnd.gauss(0, 300)))))
    expect(rule, "logrotate-sawtooth", ["not: tmpfs-growth"])


# --------------------------------------------------------------------------
# slow-leak-trend

def slow_leak_trend():
    rule = "slow-leak-trend"
    # 1. Android test rig, 24 h: memory oscillates with the load, a slow leak
    #    spread over anon and kernel so no single counter claims a trend
    rnd = random.Random(601)
    t0 = 1565076912

    def m1(i, h):
        osc = 80000 * math.sin(2 * math.pi * h / 0.75) + rnd.gauss(0, 15000)
        leak = 8000 * h
        return meminfo_text(3809516, int(400000 - leak * 0.3 - osc * 0.3), int(1500000 - leak - osc), 41000, 900000,
                            int(1200000 + leak * 0.6 + osc * 0.9), int(142000 + leak * 0.4 + osc * 0.05),
                            int(61000 + leak * 0.4 + osc * 0.05 + rnd.gauss(0, 9000)), android=True)
    write(path(rule, "android-24h-oscillating/meminfo.log"), mem_loop(t0, 900, 97, m1, "CST"))
    expect(rule, "android-24h-oscillating", ["first: slow-leak-trend"])

    # 2. `free -k` in a busybox loop: no MemAvailable breakdown, free+cache
    #    falls 1.5 MB/h over 12 h on a 256 MB device
    rnd = random.Random(602)
    t0 = 1600000000
    out = []
    for i in range(25):
        t = t0 + i * 1800
        h = i / 2.0
        used = int(150000 + 1500 * h + 2500 * math.sin(i) + rnd.gauss(0, 800))
        free = 249000 - used - 40000
        out.append(date_line(t, "UTC") + "\n"
                   "              total        used        free      shared  buff/cache   available\n"
                   "Mem:         249000  %10d  %10d        1200       40000  %10d\n"
                   "Swap:             0           0           0\n" % (used, free, 249000 - used - 8000))
    write(path(rule, "busybox-free-loop.log"), "".join(out))
    expect(rule, "busybox-free-loop.log", ["first: slow-leak-trend"])

    # 3. near miss: a stable server for 8 h
    rnd = random.Random(603)
    t0 = 1680000000
    write(path(rule, "stable-server/meminfo.log"), mem_loop(t0, 900, 33, lambda i, h: meminfo_text(
        8000000, 2000000, int(5800000 + rnd.gauss(0, 50000)), 200000, 3000000,
        int(1400000 + rnd.gauss(0, 30000)), 300000, int(100000 + rnd.gauss(0, 1000)))))
    expect(rule, "stable-server", ["not: slow-leak-trend", "not: kernel-unaccounted-leak"])

    # 4. near miss: a service starts 40 min in and takes 600 MB, then flat
    rnd = random.Random(604)
    t0 = 1681000000
    write(path(rule, "service-start-step/meminfo.log"), mem_loop(t0, 900, 33, lambda i, h: meminfo_text(
        8000000, 2000000, int(5800000 - (600000 if h > 0.6 else 0) + rnd.gauss(0, 8000)), 200000, 3000000,
        int(1400000 + (600000 if h > 0.6 else 0) + rnd.gauss(0, 5000)), 300000, 100000)))
    expect(rule, "service-start-step", ["not: slow-leak-trend"])


# --------------------------------------------------------------------------
# kmemleak-suspect

def kmemleak_suspect():
    rule = "kmemleak-suspect"
    # 1. debugfs dump with two culprits (one diagnosis each) and kmemleak's
    #    own scan line in dmesg
    d = "debugfs-two-culprits"
    write(path(rule, d + "/kmemleak.txt"), kmemleak_dump([
        ("ffff8881055c1000", 512, "ksoftirqd/1", 4295001234, "mt7921_mcu_parse_response",
         ["__kmalloc_node_track_caller+0x52/0x160", "__alloc_skb+0x8b/0x1c0",
          "mt76_mcu_msg_alloc+0x39/0x90 [mt76]", "mt7921_mcu_parse_response+0x71/0x120 [mt7921_common]",
          "mt76_mcu_skb_send_and_get_msg+0xa6/0x120 [mt76]", "process_one_work+0x1c7/0x380"], 4),
        ("ffff888104a2e300", 96, "systemd-udevd", 4294912011, "snd_usb_create_mixer",
         ["kmalloc_trace+0x2a/0xa0", "snd_usb_create_mixer+0x1b1/0x700 [snd_usb_audio]",
          "usb_audio_probe+0x3c1/0x9e0 [snd_usb_audio]", "usb_probe_interface+0xe4/0x2f0",
          "really_probe+0x1a1/0x3c0"], 1)]))
    write(path(rule, d + "/dmesg.txt"),
          "[    0.000000] Linux version 6.6.8-arch1-1 (linux@archlinux) (gcc (GCC) 13.2.1 20230801, GNU ld "
          "(GNU Binutils) 2.41.0) #1 SMP PREEMPT_DYNAMIC Thu, 21 Dec 2023 19:01:01 +0000\n"
          "[    0.412331] kmemleak: Kernel memory leak detector initialized (mem pool available: 14317)\n"
          "[    0.412339] kmemleak: Automatic memory scanning thread started\n"
          "[ 1812.330112] kmemleak: 5 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n")
    expect(rule, d, ["first: kmemleak-suspect", "count: kmemleak-suspect 2"])

    # 2. kmalloc-4096 grows on an i.MX8 board and kmemleak names the culprit:
    #    the culprit is the diagnosis; the anonymous cache growth is not
    rnd = random.Random(702)
    t0 = 1703000000
    caches = [c for c in CACHES_64 if c[0] not in ("kmemleak_object", "kmalloc-4k")] + \
        [("kmalloc-4096", 4096, 8, 8, 1600), ("kmemleak_object", 368, 22, 2, 60000)]
    sl = slab_loop(t0, 1800, 13, caches, lambda n, h: (
        1600 + 1500 * h + rnd.gauss(0, 5) if n == "kmalloc-4096" else
        60000 + 1500 * h if n == "kmemleak_object" else None), rnd)
    write(path(rule, "imx8-kmalloc-4096/slabinfo.log"), sl)
    write(path(rule, "imx8-kmalloc-4096/kmemleak.txt"), kmemleak_dump([
        ("ffff00000a3c0000", 4096, "irq/64-fec", 4295880022, "fec_enet_rx_queue",
         ["__kmalloc_node_track_caller+0x1b8/0x2c0", "__netdev_alloc_skb+0x60/0x1a0",
          "fec_enet_rx_queue+0x3a4/0x7e0", "fec_enet_rx_napi+0x5c/0x140", "__napi_poll+0x40/0x1e0",
          "net_rx_action+0x2ec/0x380"], 3)]))
    expect(rule, "imx8-kmalloc-4096", ["first: kmemleak-suspect", "not: kernel-slab-leak"])

    # 3. near miss: dmesg says kmemleak found leaks, but the report itself
    #    was not collected: nothing to name
    write(path(rule, "summary-line-only/dmesg.txt"),
          "[    0.000000] Linux version 6.1.0-17-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian "
          "12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.69-1 "
          "(2023-12-30)\n"
          "[    0.522113] kmemleak: Kernel memory leak detector initialized (mem pool available: 15679)\n"
          "[  901.004411] kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n")
    expect(rule, "summary-line-only", ["not: kmemleak-suspect"])

    # 4. near miss: kmemleak enabled, its own kmemleak_object cache grows and
    #    nothing else; no report
    rnd = random.Random(704)
    t0 = 1704000000
    caches = [c for c in CACHES_64 if c[0] != "kmemleak_object"] + [("kmemleak_object", 368, 22, 2, 80000),
                                                                     ("kmemleak_scan_area", 64, 64, 1, 4000)]
    write(path(rule, "bookkeeping-only/slabinfo.log"), slab_loop(t0, 1800, 13, caches, lambda n, h: (
        80000 + 20000 * h if n == "kmemleak_object" else 4000 + 800 * h if n == "kmemleak_scan_area" else None),
        rnd))
    expect(rule, "bookkeeping-only", ["not: kmemleak-suspect", "not: kernel-slab-leak"])


# --------------------------------------------------------------------------
# cgroup-limit-oom

def memcg_v2_oom(ts, comm, pid, cg, limit_kb, anon_kb, shmem_kb, file_kb, host, style):
    p = (lambda m: "%s %s kernel: %s\n" % ("Mar 14 02:%02d:%02d" % (ts // 60 % 60, ts % 60), host, m)) \
        if style == "journal" else (lambda m: "[%11.6f] %s\n" % (ts, m))
    pages = anon_kb // 4
    lines = [
        "%s invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985" % comm,
        "CPU: 3 PID: %d Comm: %s Not tainted 5.15.0-1051-aws #56~20.04.1-Ubuntu" % (pid, comm),
        "Hardware name: Amazon EC2 m5.xlarge/, BIOS 1.0 10/16/2017",
        "Call Trace:", " <TASK>", " dump_stack_lvl+0x4a/0x63", " dump_header+0x4a/0x1f4",
        " oom_kill_process.cold+0xb/0x10", " out_of_memory+0x1bd/0x4f0", " mem_cgroup_out_of_memory+0x136/0x150",
        " try_charge_memcg+0x6d6/0x790", " charge_memcg+0x45/0xb0", " </TASK>",
        "memory: usage %dkB, limit %dkB, failcnt %d" % (limit_kb, limit_kb, ts * 7 % 5000 + 311),
        "swap: usage 0kB, limit 0kB, failcnt 0",
        "Memory cgroup stats for %s:" % cg,
        "anon %d" % (anon_kb * 1024), "file %d" % (file_kb * 1024), "kernel_stack 245760",
        "shmem %d" % (shmem_kb * 1024), "file_mapped 2420736",
        "Tasks state (memory values in pages):",
        "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
        "[%7d]     0 %5d   180412  %7d        1347584        0           985 %s" % (pid, pid, pages, comm),
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-1a2b3c.scope,mems_allowed=0,"
        "oom_memcg=%s,task_memcg=%s,task=%s,pid=%d,uid=0" % (cg, cg, comm, pid),
        "Memory cgroup out of memory: Killed process %d (%s) total-vm:721648kB, anon-rss:%dkB, file-rss:8120kB, "
        "shmem-rss:%dkB, UID:0 pgtables:1316kB oom_score_adj:985" % (pid, comm, anon_kb, shmem_kb)]
    return "".join(p(m) for m in lines)


def cgroup_limit_oom():
    rule = "cgroup-limit-oom"
    # 1. EKS node journal: a Go service hits its 512 MiB limit twice
    cg = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod4be1.slice/cri-containerd-1a2b3c.scope"
    text = ("Mar 14 01:00:00 ip-10-0-3-17 kernel: Linux version 5.15.0-1051-aws (buildd@lcy02-amd64-011) "
            "(gcc (Ubuntu 9.4.0-1ubuntu1~20.04.2) 9.4.0, GNU ld (GNU Binutils for Ubuntu) 2.34) "
            "#56~20.04.1-Ubuntu SMP Tue Nov 28 15:43:31 UTC 2023\n")
    text += memcg_v2_oom(3725, "ingest-api", 41002, cg, 524288, 503000, 0, 9000, "ip-10-0-3-17", "journal")
    text += memcg_v2_oom(3990, "ingest-api", 43517, cg, 524288, 506100, 0, 7000, "ip-10-0-3-17", "journal")
    write(path(rule, "eks-journal-two-kills.log"), text)
    expect(rule, "eks-journal-two-kills.log", ["first: cgroup-limit-oom", "count: cgroup-limit-oom 1"])

    # 2. docker host dmesg, cgroup v1: a container filled by tmpfs writes
    d = ("[    0.000000] Linux version 4.19.0-26-amd64 (debian-kernel@lists.debian.org) (gcc version 8.3.0 "
         "(Debian 8.3.0-6)) #1 SMP Debian 4.19.304-1 (2024-01-09)\n")
    for m in ["php-fpm invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0",
              "php-fpm cpuset=9c41d0aa mems_allowed=0",
              "CPU: 1 PID: 8122 Comm: php-fpm Not tainted 4.19.0-26-amd64 #1 Debian 4.19.304-1",
              "Hardware name: Dell Inc. PowerEdge R640/0H28RR, BIOS 2.19.1 06/04/2023",
              "Call Trace:", " dump_stack+0x66/0x90", " dump_header+0x6b/0x283", " oom_kill_process.cold+0xb/0x10",
              " out_of_memory+0x1a5/0x450", " mem_cgroup_out_of_memory+0xbe/0xd0",
              "Task in /docker/9c41d0aa killed as a result of limit of /docker/9c41d0aa",
              "memory: usage 1048576kB, limit 1048576kB, failcnt 9921",
              "memory+swap: usage 1048576kB, limit 9007199254740988kB, failcnt 0",
              "kmem: usage 12020kB, limit 9007199254740988kB, failcnt 0",
              "Memory cgroup stats for /docker/9c41d0aa: cache:803112KB rss:231410KB rss_huge:0KB shmem:798220KB "
              "mapped_file:1120KB dirty:0KB writeback:0KB swap:0KB inactive_anon:799001KB active_anon:230629KB "
              "inactive_file:2480KB active_file:2412KB unevictable:0KB",
              "Tasks state (memory values in pages):",
              "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
              "[   8101]    33  8101    71234     4100         454656        0             0 php-fpm",
              "[   8122]    33  8122    99211    52110         659456        0             0 php-fpm",
              "Memory cgroup out of memory: Kill process 8122 (php-fpm) score 211 or sacrifice child",
              "Killed process 8122 (php-fpm) total-vm:396844kB, anon-rss:200440kB, file-rss:8000kB, shmem-rss:0kB",
              "oom_reaper: reaped process 8122 (php-fpm), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"]:
        d += "[88123.%06d] %s\n" % (len(d) % 999983, m)
    write(path(rule, "docker-v1-shm-filled.dmesg"), d)
    expect(rule, "docker-v1-shm-filled.dmesg", ["first: cgroup-limit-oom"])

    # 3. near miss: a global OOM on a docker host (task in a container, but
    #    the limit is the machine's)
    g = ("[    0.000000] Linux version 5.10.0-27-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) "
         "10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP Debian 5.10.205-2 (2023-12-31)\n")
    for m in ["redis-server invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
              "CPU: 0 PID: 3311 Comm: redis-server Not tainted 5.10.0-27-amd64 #1 Debian 5.10.205-2",
              "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.14.0-2 04/01/2014",
              "Call Trace:", " dump_stack+0x6b/0x83", " dump_header+0x4a/0x1f4", " oom_kill_process.cold+0xb/0x10",
              " out_of_memory+0x1bd/0x500", " __alloc_pages_slowpath.constprop.0+0xb8c/0xc60",
              "Mem-Info:",
              "active_anon:480112 inactive_anon:2011 isolated_anon:0",
              " active_file:210 inactive_file:190 isolated_file:0",
              " unevictable:0 dirty:0 writeback:0",
              " slab_reclaimable:3012 slab_unreclaimable:9120",
              " mapped:300 shmem:420 pagetables:1320 bounce:0",
              " free:12411 free_pcp:120 free_cma:0",
              "Node 0 DMA32 free:49644kB min:44612kB low:55764kB high:66916kB reserved_highatomic:0KB "
              "active_anon:1920448kB inactive_anon:8044kB active_file:840kB inactive_file:760kB unevictable:0kB "
              "writepending:0kB present:2097012kB managed:2031476kB mlocked:0kB pagetables:5280kB bounce:0kB "
              "free_pcp:480kB local_pcp:240kB free_cma:0kB",
              "lowmem_reserve[]: 0 0 0 0",
              "Tasks state (memory values in pages):",
              "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
              "[    311]     0   311    12000      900         110592        0             0 dockerd",
              "[   3311]   999  3311   520112   478001        3956736        0             0 redis-server",
              "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=docker-77aa.scope,mems_allowed=0,"
              "global_oom,task_memcg=/system.slice/docker-77aa.scope,task=redis-server,pid=3311,uid=999",
              "Out of memory: Killed process 3311 (redis-server) total-vm:2080448kB, anon-rss:1912004kB, "
              "file-rss:0kB, shmem-rss:0kB, UID:999 pgtables:3864kB oom_score_adj:0"]:
        g += "[45012.%06d] %s\n" % (len(g) % 999983, m)
    write(path(rule, "global-oom-in-container.dmesg"), g)
    expect(rule, "global-oom-in-container.dmesg", ["not: cgroup-limit-oom"])

    # 4. near miss: a container restarted by its own healthcheck: no OOM,
    #    only cgroup-related noise in the log
    write(path(rule, "no-oom-healthcheck.log"),
          "Mar 14 03:10:00 node7 kernel: Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu "
          "11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #101-Ubuntu SMP Tue Nov 14 "
          "13:30:08 UTC 2023\n"
          "Mar 14 03:12:41 node7 kernel: docker0: port 2(veth3a1f2c0) entered disabled state\n"
          "Mar 14 03:12:41 node7 kernel: device veth3a1f2c0 left promiscuous mode\n"
          "Mar 14 03:12:42 node7 kernel: docker0: port 2(veth5b9e7d1) entered blocking state\n")
    expect(rule, "no-oom-healthcheck.log", ["not: cgroup-limit-oom"])


# --------------------------------------------------------------------------
# lowmem-killer-pressure

def lowmem_killer_pressure():
    rule = "lowmem-killer-pressure"
    # 1. Android 13 logcat: lmkd kills cached apps, then perceptible and
    #    visible ones
    kills = [("com.instagram.android", 23110, 10211, 999, 312004, "low watermark is breached and swap is low (4%)"),
             ("com.spotify.music", 19822, 10188, 200, 201556, "low watermark is breached and thrashing (118%)"),
             ("com.google.android.gm", 21041, 10144, 915, 98210, "low watermark is breached and swap is low (3%)"),
             ("com.whatsapp", 20411, 10201, 100, 187220, "critical watermark is breached and swap is low (2%)"),
             ("com.android.chrome:sandboxed_process0", 24511, 99001, 920, 77123,
              "low watermark is breached and swap is low (3%)")]
    log = "--------- beginning of main\n"
    for k, (comm, pid, uid, adj, kb, why) in enumerate(kills):
        log += "11-03 21:%02d:%02d.%03d   561   561 I lowmemorykiller: Kill '%s' (%d), uid %d, oom_score_adj %d " \
               "to free %dkB rss, %dkB swap; reason: %s\n" % (14 + k, 3 + 7 * k, 101 + 37 * k, comm, pid, uid, adj,
                                                              kb, kb // 6, why)
        log += "11-03 21:%02d:%02d.%03d  1603  1766 I ActivityManager: Process %s (pid %d) has died: %s\n" % (
            14 + k, 3 + 7 * k, 140 + 37 * k, comm, pid, "prcp FGS" if adj == 200 else "vis BFGS" if adj == 100 else "cch+75 CEM")
    write(path(rule, "android13-logcat-visible-kills.txt"), log)
    expect(rule, "android13-logcat-visible-kills.txt", ["first: lowmem-killer-pressure"])

    # 2. Android 8 kernel lowmemorykiller (oom_score_adj scale) in kmsg:
    #    the launcher and the foreground app are killed
    k = ("<5>[    0.000000] Linux version 4.4.78-perf+ (builder@abfarm) (gcc version 4.9.x 20150123 (prerelease) "
         "(GCC) ) #1 SMP PREEMPT Tue Feb 20 11:42:03 CST 2018\n")
    for ts, comm, pid, adj, kb in ((8120.1122, "com.tencent.mm:push", 7710, 906, 61220),
                                   (8122.4107, "com.android.launcher3", 2290, 100, 88120),
                                   (8123.0021, "com.tencent.mm", 7655, 0, 201112)):
        k += "<6>[%10.6f] lowmemorykiller: Killing '%s' (%d), adj %d,\n" % (ts, comm, pid, adj)
        k += "<6>[%10.6f]    to free %dkB on behalf of 'kswapd0' (98) because\n" % (ts, kb)
        k += "<6>[%10.6f]    cache 120424kB is below limit 122880kB for oom_score_adj 0\n" % ts
        k += "<6>[%10.6f]    Free memory is 4876kB above reserved\n" % ts
    write(path(rule, "android8-kernel-lmk-kmsg.txt"), k)
    expect(rule, "android8-kernel-lmk-kmsg.txt", ["first: lowmem-killer-pressure"])

    # 3. near miss: lmkd only reclaims cached apps (normal Android behaviour)
    log = "--------- beginning of main\n"
    for k2, (comm, pid, adj) in enumerate((("com.netflix.mediaclient", 30111, 950), ("com.ubercab", 30777, 985),
                                           ("com.google.android.youtube", 31020, 905))):
        log += "11-04 08:%02d:%02d.%03d   561   561 I lowmemorykiller: Kill '%s' (%d), uid 10%03d, oom_score_adj %d " \
               "to free 150000kB rss, 20000kB swap; reason: low watermark is breached\n" % (
                   11 + k2, 20, 500 + k2, comm, pid, 150 + k2, adj)
    write(path(rule, "android12-cached-kills-only.txt"), log)
    expect(rule, "android12-cached-kills-only.txt", ["not: lowmem-killer-pressure"])

    # 4. near miss: Android 4.4 kernel (oom_adj scale): hidden apps, adj 9-15
    k = ("<5>[    0.000000] Linux version 3.4.0-perf-g0a3b2f1 (builder@abfarm) (gcc version 4.7 (GCC) ) #1 SMP "
         "PREEMPT Tue Jan 14 11:22:01 CST 2014\n")
    for ts, comm, pid, adj, size in ((5120.3311, "com.android.email", 2001, 9, 9120),
                                     (5121.0102, "com.google.android.gm", 2110, 13, 11200),
                                     (5124.7713, "com.facebook.katana", 2230, 15, 30112)):
        k += "<6>[%10.6f] select %d (%s), adj %d, size %d, to kill\n" % (ts, pid, comm, adj, size)
        k += "<6>[%10.6f] send sigkill to %d (%s), adj %d, size %d\n" % (ts + 0.00004, pid, comm, adj, size)
    write(path(rule, "android4.4-hidden-apps-kmsg.txt"), k)
    expect(rule, "android4.4-hidden-apps-kmsg.txt", ["not: lowmem-killer-pressure"])


# --------------------------------------------------------------------------
# socket-buffer-growth

UDP_HDR = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
           "inode ref pointer drops\n")


def udp_row(sl, laddr, port, rxq, uid, inode, drops, st=7, ptr=0xffff8e0a4c6b2000):
    return "%5d: %s:%04X 00000000:0000 %02X 00000000:%08X 00:00000000 00000000 %5d        0 %d 2 %016x %d\n" % (
        sl, laddr, port, st, rxq, uid, inode, ptr + sl * 0x400, drops)


def socket_buffer_growth():
    rule = "socket-buffer-growth"
    # 1. OpenWrt router: a syslog UDP listener (port 514) that stopped
    #    reading; /proc/net/udp every 10 min, netstat -anup for the owner
    t0 = 1709632800
    loop = []
    for i in range(5):
        t = t0 + i * 600
        rxq = 400000 + i * 420000
        loop.append(date_line(t, "CET") + "\n" + UDP_HDR +
                    udp_row(12, "00000000", 514, rxq, 0, 18811, 900 * i) +
                    udp_row(40, "0100007F", 53, 0, 0, 1402, 0) +
                    udp_row(77, "00000000", 67, 0, 0, 1533, 0))
    write(path(rule, "openwrt-syslog-udp/udp-loop.txt"), "".join(loop))
    write(path(rule, "openwrt-syslog-udp/netstat-anup.txt"),
          "Active Internet connections (servers and established)\n"
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\n"
          "udp    2080000      0 0.0.0.0:514             0.0.0.0:*                           2211/syslog-ng\n"
          "udp        0      0 127.0.0.1:53            0.0.0.0:*                           1188/dnsmasq\n"
          "udp        0      0 0.0.0.0:67              0.0.0.0:*                           1188/dnsmasq\n")
    write(path(rule, "openwrt-syslog-udp/sysctl.txt"),
          "net.core.rmem_default = 4194304\nnet.core.rmem_max = 4194304\n")
    expect(rule, "openwrt-syslog-udp", ["first: socket-buffer-growth", "count: socket-buffer-growth 1"])

    # 2. a monitoring probe's raw ICMP socket (IPv4) never read: /proc/net/raw
    #    twice, in a sosreport-like tree
    base = "sosreport-mon01/proc/net/"
    raw = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
           "inode ref pointer drops\n")
    write(path(rule, base + "raw"), raw +
          udp_row(1, "00000000", 1, 6291456, 0, 50123, 11422) +
          udp_row(255, "00000000", 255, 0, 0, 50991, 0))
    write(path(rule, "sosreport-mon01/sos_commands/networking/ss_-nwpme"),
          "State      Recv-Q Send-Q Local Address:Port               Peer Address:Port              \n"
          "UNCONN     6291456 0         *:1                       *:*                   "
          "users:((\"smokeping\",pid=3120,fd=5)) ino:50123 sk:ffff9a41c6b2d000 <->\n"
          "\t skmem:(r6291456,rb6291456,t0,tb212992,f3072,w0,o0,bl0,d11422)\n")
    write(path(rule, "sosreport-mon01/sos_commands/kernel/sysctl_-a"),
          "net.core.rmem_default = 6291456\nnet.core.rmem_max = 8388608\nnet.core.wmem_default = 212992\n"
          "vm.min_free_kbytes = 67584\n")
    expect(rule, "sosreport-mon01", ["first: socket-buffer-growth"])

    # 3. near miss: zebra's raw6 socket with a small queue that drains
    loop = []
    for i in range(4):
        loop.append(date_line(1709640000 + i * 600, "CST") + "\n" +
                    "  sl  local_address                         remote_address                        st tx_queue "
                    "rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
                    "   53: 00000000000000000000000000000000:003A 00000000000000000000000000000000:0000 07 "
                    "00000000:%08X 00:00000000 00000000     0        0 23145 2 ffff8e0a4c6b2000 0\n" % (
                        (0, 2304, 0, 1152)[i]))
    write(path(rule, "raw6-small-queue/raw6-loop.txt"), "".join(loop))
    expect(rule, "raw6-small-queue", ["not: socket-buffer-growth"])

    # 4. near miss: a UDP socket held 3 MB, then its owner was restarted: the
    #    socket is gone from the latest snapshot
    loop = []
    for i in range(3):
        rows = udp_row(40, "0100007F", 53, 0, 0, 1402, 0)
        if i < 2:
            rows = udp_row(12, "00000000", 8125, 1500000 * (i + 1), 1000, 22811, 10 * i) + rows
        else:
            rows = udp_row(13, "00000000", 8125, 0, 1000, 23990, 0) + rows
        loop.append(date_line(1709700000 + i * 900, "UTC") + "\n" + UDP_HDR + rows)
    write(path(rule, "statsd-restarted/udp-loop.txt"), "".join(loop))
    expect(rule, "statsd-restarted", ["not: socket-buffer-growth"])


def main():
    global OUT
    OUT = sys.argv[1]
    user_space_leak()
    kernel_slab_leak()
    kernel_unaccounted_leak()
    memory_fragmentation()
    tmpfs_growth()
    slow_leak_trend()
    kmemleak_suspect()
    cgroup_limit_oom()
    lowmem_killer_pressure()
    socket_buffer_growth()


if __name__ == "__main__":
    main()
