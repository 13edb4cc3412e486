#!/usr/bin/env python3
"""Generate the multi-snapshot bundles of corpus/snapshots/bundles/.

Deterministic (fixed seeds): running it again rewrites the same bytes. Each
bundle tells one story from the field notes; the expected JSON beside each is
produced by `tests/golden/run.py --update` and read by eye.

  gen_corpus.py CORPUS_DIR
"""
import math
import os
import random
import sys
import time

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]


def date_line(epoch, zone="CST"):
    """`date` output as busybox/coreutils print it (zone name as given)."""
    t = time.gmtime(epoch)
    return "%s %s %2d %02d:%02d:%02d %s %d" % (
        DAYS[t.tm_wday], MONTHS[t.tm_mon - 1], t.tm_mday, t.tm_hour, t.tm_min,
        t.tm_sec, zone, t.tm_year)


def date_line_zh(epoch, zone="CST"):
    """`date` in the zh_CN.UTF-8 locale: 2019年 08月 06日 星期二 15:35:12 CST."""
    t = time.gmtime(epoch)
    week = ["一", "二", "三", "四", "五", "六", "日"][t.tm_wday]
    return "%d年 %02d月 %02d日 星期%s %02d:%02d:%02d %s" % (
        t.tm_year, t.tm_mon, t.tm_mday, week, t.tm_hour, t.tm_min, t.tm_sec, zone)


def write(path, text, crlf=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if crlf:
        text = text.replace("\n", "\r\n")
    with open(path, "w", newline="") as fh:
        fh.write(text)


SLAB_HDR = ("slabinfo - version: 2.1\n"
            "# name            <active_objs> <num_objs> <objsize> <objperslab> "
            "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
            "slabdata <active_slabs> <num_slabs> <sharedavail>\n")


def slab_row(name, objs, objsize, perslab, pages, active=None):
    slabs = (objs + perslab - 1) // perslab
    num = slabs * perslab
    if active is None:
        active = max(0, num - perslab // 2)
    return ("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata "
            "%6d %6d %6d\n" % (name, active, num, objsize, perslab, pages, 0, 0,
                               0, slabs, slabs, 0))


# (name, objsize, objperslab, pagesperslab, base objects) of a 64-bit box
CACHES_64 = [
    ("ext4_inode_cache", 1096, 29, 8, 41000), ("dentry", 192, 21, 1, 98000),
    ("inode_cache", 600, 27, 4, 22000), ("radix_tree_node", 584, 28, 4, 15000),
    ("buffer_head", 104, 39, 1, 120000), ("vm_area_struct", 208, 19, 1, 26000),
    ("anon_vma_chain", 64, 64, 1, 30000), ("anon_vma", 88, 46, 1, 14000),
    ("filp", 256, 16, 1, 9000), ("kmalloc-8k", 8192, 4, 8, 300),
    ("kmalloc-4k", 4096, 8, 8, 1600), ("kmalloc-2k", 2048, 16, 8, 2100),
    ("kmalloc-1k", 1024, 16, 4, 3300), ("kmalloc-512", 512, 16, 2, 4100),
    ("kmalloc-256", 256, 16, 1, 5200), ("kmalloc-192", 192, 21, 1, 6300),
    ("kmalloc-128", 128, 32, 1, 4800), ("kmalloc-96", 96, 42, 1, 5000),
    ("kmalloc-64", 64, 64, 1, 21000), ("kmalloc-32", 32, 128, 1, 17000),
    ("kmalloc-16", 16, 256, 1, 14000), ("kmalloc-8", 8, 512, 1, 12000),
    ("pool_workqueue", 256, 16, 1, 900), ("task_struct", 9792, 3, 8, 420),
    ("mm_struct", 1088, 30, 8, 180), ("sock_inode_cache", 704, 23, 4, 650),
    ("skbuff_head_cache", 256, 16, 1, 1400), ("kmemleak_object", 368, 22, 2, 0),
]


def bundle_stress_leak(out):
    """002: Android 4.9 arm64 under a kernel stress test for 24 h; a driver
    leaks 2 KB per iteration (kzalloc), memory use oscillates with the test
    and creeps up. meminfo every 15 min, slabinfo every 30 min, capture-loop
    files with date lines."""
    rnd = random.Random(2)
    d = os.path.join(out, "stress-leak-24h")
    t0 = 1565076912  # Tue Aug  6 07:35:12 2019 UTC
    total = 3809516
    leak_kb_h = 2 * 7 * 3600  # 2 KB a time, ~7 iterations a second: kB/h
    mi = []
    for i in range(97):
        t = t0 + i * 900 + rnd.randint(0, 4)
        h = (t - t0) / 3600
        osc = 190000 * math.sin(2 * math.pi * h / 0.75) + rnd.gauss(0, 40000)
        leak = leak_kb_h * h
        avail = int(1480000 - leak - osc)
        free = int(avail * 0.22)
        cached = int(avail * 0.61)
        slab = int(142000 + leak * 0.98 + rnd.gauss(0, 900))
        sunre = int(61000 + leak * 0.97 + rnd.gauss(0, 600))
        anon = int(1210000 + osc * 0.8 + rnd.gauss(0, 20000))
        mi.append(date_line(t) + "\n" + meminfo_text(
            total, free, avail, 41000, cached, anon, slab, sunre,
            shmem=int(23000 + rnd.gauss(0, 300)), kstack=int(21000 + rnd.gauss(0, 400)),
            pagetables=int(38000 + osc * 0.02), vmalloc=0, android=True))
    write(os.path.join(d, "meminfo.log"), "".join(mi))
    sl = []
    caches = [c for c in CACHES_64 if c[0] != "kmemleak_object"]
    for i in range(49):
        t = t0 + i * 1800 + rnd.randint(0, 4)
        h = (t - t0) / 3600
        rows = []
        for name, osz, per, pages, base in caches:
            objs = base * (1 + 0.05 * math.sin(2 * math.pi * h / 0.75 + len(name))) \
                + rnd.gauss(0, base * 0.004)
            if name == "kmalloc-2k":
                objs = base + leak_kb_h * h / 2 + rnd.gauss(0, 40)
            rows.append(slab_row(name, int(max(objs, 1)), osz, per, pages))
        sl.append(date_line(t) + "\n" + SLAB_HDR + "".join(rows))
    write(os.path.join(d, "slabinfo.log"), "".join(sl))


def meminfo_text(total, free, avail, buffers, cached, anon, slab, sunre,
                 shmem=20000, kstack=9000, pagetables=20000, vmalloc=0,
                 android=False, old=False, swap=0, hugepagesize=2048):
    rows = [("MemTotal", total), ("MemFree", free)]
    if not old:
        rows.append(("MemAvailable", avail))
    rows += [("Buffers", buffers), ("Cached", cached), ("SwapCached", 0),
             ("Active", int(anon * 0.7 + cached * 0.5)),
             ("Inactive", int(anon * 0.3 + cached * 0.5)),
             ("Active(anon)", int(anon * 0.7)), ("Inactive(anon)", int(anon * 0.3)),
             ("Active(file)", int(cached * 0.5)), ("Inactive(file)", int(cached * 0.5)),
             ("Unevictable", 256 if android else 0), ("Mlocked", 256 if android else 0),
             ("SwapTotal", swap), ("SwapFree", swap), ("Dirty", 84),
             ("Writeback", 0), ("AnonPages", anon), ("Mapped", int(cached * 0.3)),
             ("Shmem", shmem)]
    if not old:
        rows += [("KReclaimable", slab - sunre)]
    rows += [("Slab", slab), ("SReclaimable", slab - sunre), ("SUnreclaim", sunre),
             ("KernelStack", kstack), ("PageTables", pagetables),
             ("NFS_Unstable", 0), ("Bounce", 0), ("WritebackTmp", 0),
             ("CommitLimit", total // 2 + swap), ("Committed_AS", anon * 3),
             ("VmallocTotal", 263061440 if not old else 34359738367),
             ("VmallocUsed", vmalloc), ("VmallocChunk", 0)]
    out = "".join("%-16s%8d kB\n" % (k + ":", v) for k, v in rows)
    if not android:
        out += ("HugePages_Total:       0\nHugePages_Free:        0\n"
                "HugePages_Rsvd:        0\nHugePages_Surp:        0\n"
                "Hugepagesize:       %d kB\n" % hugepagesize)
    return out


def bundle_merged_slab(out):
    """004: openSUSE 15.5 on an Azure B1s (5.14.21, x86_64); ip6_dst_cache
    merged into pool_workqueue leaks through a suppress_prefixlength rule.
    One slabinfo file per hour (time in the file name), /sys/kernel/slab
    listing, dmesg with the banner, slabtop once."""
    rnd = random.Random(4)
    d = os.path.join(out, "merged-slab-ip6")
    write(os.path.join(d, "dmesg"),
          "[    0.000000] Linux version 5.14.21-150500.55.7-default (geeko@buildhost) "
          "(gcc (SUSE Linux) 7.5.0, GNU ld (GNU Binutils; SUSE Linux Enterprise 15) "
          "2.39.0.20220810-150100.7.40) #1 SMP PREEMPT_DYNAMIC Mon Jun 5 11:18:24 UTC 2023 (dc5f5a5)\n"
          "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-5.14.21-150500.55.7-default "
          "root=UUID=4b1c root=/dev/sda2 console=ttyS0\n"
          "[    0.000000] x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'\n"
          "[    0.021307] Memory: 845336K/916932K available (14339K kernel code)\n")
    caches = [c for c in CACHES_64 if c[0] not in ("kmemleak_object",)]
    base = 1684929600  # 2023-05-24 12:00:00 UTC
    for i in range(9):
        t = base + i * 3600 + rnd.randint(0, 30)
        h = (t - base) / 3600
        rows = []
        for name, osz, per, pages, b in caches:
            objs = b + rnd.gauss(0, b * 0.01)
            if name == "pool_workqueue":
                objs = 900 + 41000 * h + rnd.gauss(0, 300)
            rows.append(slab_row(name, int(max(objs, 1)), osz, per, pages))
        name = time.strftime("slabinfo.%Y-%m-%d_%H-%M-%S", time.gmtime(t))
        write(os.path.join(d, "slabinfo", name), SLAB_HDR + "".join(rows))
    links = [
        ("ip6_dst_cache", ":0000256"), ("pool_workqueue", ":0000256"),
        ("biovec-16", ":0000256"), ("filp", ":A-0000256"),
        ("dentry", ":a-0000192"),
        ("cred_jar", ":A-0000192"), ("kmalloc-192", ":0000192"),
        ("anon_vma_chain", ":A-0000064"), ("kmalloc-64", ":0000064"),
        ("fib6_nodes", ":0000064"), ("eventpoll_epi", ":A-0000128"),
        ("pid", ":A-0000128"),
    ]
    ls = ["total 0"]
    entries = []
    for n, tgt in links:
        entries.append((n, "lrwxrwxrwx 1 root root 0 May 24 20:01 %s -> %s" % (n, tgt)))
    for tgt in sorted(set(t for _, t in links)):
        entries.append((tgt, "drwxr-xr-x 2 root root 0 May 24 20:01 %s" % tgt))
    for n in ("task_struct", "mm_struct", "skbuff_head_cache", "sock_inode_cache",
              "kmalloc-256"):
        entries.append((n, "drwxr-xr-x 2 root root 0 May 24 20:01 %s" % n))
    ls += [e for _, e in sorted(entries)]
    write(os.path.join(d, "sys_kernel_slab.ls"), "\n".join(ls) + "\n")
    write(os.path.join(d, "ip_-6_rule"),
          "0:\tfrom all lookup local\n32765:\tfrom all lookup main suppress_prefixlength 0\n"
          "32766:\tfrom all lookup main\n")


def bundle_fragmentation(out):
    """002b: Android framework stop/start repeated for 12 h on 4.9 arm64:
    free memory stays, high-order blocks vanish. buddyinfo every 20 min with
    epochs; one zoneinfo."""
    rnd = random.Random(5)
    d = os.path.join(out, "fragmentation-stop-start")
    t0 = 1565161200
    snaps = []
    for i in range(37):
        t = t0 + i * 1200
        f = i / 36.0
        o = [int(9000 + 16000 * f + rnd.gauss(0, 300)),
             int(7000 + 9000 * f + rnd.gauss(0, 200)),
             int(4200 + 1500 * f + rnd.gauss(0, 100)),
             int(2100 * (1 - 0.85 * f) + rnd.gauss(0, 30)),
             int(900 * (1 - 0.9 * f) + rnd.gauss(0, 15)),
             int(420 * (1 - 0.95 * f) + rnd.gauss(0, 6)),
             int(160 * (1 - 0.97 * f) + rnd.gauss(0, 3)),
             int(60 * (1 - f)), int(22 * (1 - f)), int(8 * (1 - f)), int(3 * (1 - f))]
        o = [max(0, x) for x in o]
        snaps.append("%d\nNode 0, zone   Normal %s \n" % (
            t, " ".join("%6d" % x for x in o)))
    write(os.path.join(d, "buddyinfo.log"), "".join(snaps))
    write(os.path.join(d, "zoneinfo"),
          "Node 0, zone   Normal\n  pages free     112406\n        min      2783\n"
          "        low      7431\n        high     8127\n        spanned  1048064\n"
          "        present  1015808\n        managed  952391\n"
          "        protection: (0, 0, 0)\n      nr_free_pages 112406\n"
          "      nr_zone_inactive_anon 3081\n  pagesets\n    cpu: 0\n"
          "              count: 31\n              high:  186\n              batch: 31\n"
          "  node_unreclaimable:  0\n  start_pfn:           262144\n")


def df_text(rows):
    out = "Filesystem     1K-blocks    Used Available Use% Mounted on\n"
    for fs, size, used, mnt in rows:
        out += "%-14s %9d %7d %9d %3d%% %s\n" % (fs, size, used, size - used,
                                                 (used * 100 + size - 1) // size, mnt)
    return out


def bundle_tmpfs(out):
    """003: files piling up in /dev/shm (a tmpfs): df and du every 30 min
    for 10 h, meminfo Shmem with them."""
    rnd = random.Random(6)
    d = os.path.join(out, "tmpfs-growth")
    t0 = 1615708800
    dfs, dus, mis = [], [], []
    for i in range(21):
        t = t0 + i * 1800
        h = i / 2.0
        shm = int(1200 + 52000 * h + rnd.gauss(0, 800))
        run = int(9800 + rnd.gauss(0, 30))
        dfs.append(date_line(t, "UTC") + "\n" + df_text([
            ("/dev/sda2", 51474912, 21873540, "/"),
            ("devtmpfs", 4011096, 0, "/dev"),
            ("tmpfs", 4031480, shm, "/dev/shm"),
            ("tmpfs", 1612592, run, "/run"),
            ("tmpfs", 806296, 48, "/run/user/1000")]))
        files = int(3 + 40 * h)
        seg = shm - 1200
        dus.append(date_line(t, "UTC") + "\n" +
                   "%d\t/dev/shm/pulse-shm-1170\n%d\t/dev/shm/sem.loader\n%d\t/dev/shm/app-cache\n%d\t/dev/shm\n"
                   % (1184, 4, max(seg, 4), 1188 + max(seg, 4)))
        mis.append(date_line(t, "UTC") + "\n" + meminfo_text(
            8062960, int(5100000 - shm * 1.02 + rnd.gauss(0, 9000)),
            int(6900000 - shm + rnd.gauss(0, 9000)), 210000, 1900000 + shm,
            600000, 310000, 90000, shmem=shm + run + 300))
        _ = files
    write(os.path.join(d, "df.log"), "".join(dfs))
    write(os.path.join(d, "du_-k_dev_shm.log"), "".join(dus))
    write(os.path.join(d, "meminfo.log"), "".join(mis))


PS_HDR = "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"


def bundle_user_leak(out):
    """A user-space leaker: collectd's RSS grows 30 MB/h, ps aux and meminfo
    every 30 min for 8 h; the kernel side is flat."""
    rnd = random.Random(7)
    d = os.path.join(out, "user-leaker")
    t0 = 1700000000
    procs = [("root", 1, "/sbin/init splash"), ("root", 412, "/lib/systemd/systemd-journald"),
             ("message+", 702, "/usr/bin/dbus-daemon --system --address=systemd:"),
             ("root", 733, "/usr/sbin/collectd -C /etc/collectd/collectd.conf"),
             ("root", 801, "/usr/sbin/sshd -D"), ("postgres", 955, "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main"),
             ("postgres", 960, "postgres: 15/main: checkpointer"),
             ("postgres", 961, "postgres: 15/main: background writer"),
             ("root", 2, "[kthreadd]"), ("root", 88, "[kswapd0]")]
    base_rss = {1: 12800, 412: 48000, 702: 5200, 733: 21000, 801: 7800, 955: 31000,
                960: 9100, 961: 6900, 2: 0, 88: 0}
    pss, mis = [], []
    for i in range(17):
        t = t0 + i * 1800
        h = i / 2.0
        rows = []
        total_rss = 0
        for user, pid, cmd in procs:
            rss = base_rss[pid]
            if pid == 733:
                rss = int(21000 + 30720 * h + rnd.gauss(0, 300))
            elif rss:
                rss = int(rss * (1 + rnd.gauss(0, 0.01)))
            total_rss += rss
            vsz = rss * 3 + 10000 if rss else 0
            rows.append("%-10s %6d %4.1f %4.1f %6d %5d %-8s %-4s %-5s %6s %s\n" % (
                user, pid, 0.3, rss * 100.0 / 4030000, vsz, rss, "?", "Ss" if rss else "S",
                "Nov14", "0:%02d" % (i % 60), cmd))
        pss.append(date_line(t, "UTC") + "\n" + PS_HDR + "".join(rows))
        used = 900000 + total_rss + int(rnd.gauss(0, 3000))
        mis.append(date_line(t, "UTC") + "\n" + meminfo_text(
            4030000, 4030000 - used - 1500000, 4030000 - used, 90000, 1500000,
            total_rss, 180000, 52000))
    write(os.path.join(d, "ps_aux.log"), "".join(pss))
    write(os.path.join(d, "meminfo.log"), "".join(mis))


def bundle_stable(out):
    """Healthy system for 6 h: noise only, no claim anywhere."""
    rnd = random.Random(8)
    d = os.path.join(out, "stable-system")
    t0 = 1680000000
    mis, sls, bis = [], [], []
    for i in range(25):
        t = t0 + i * 900
        avail = int(2900000 + rnd.gauss(0, 60000))
        mis.append(date_line(t, "UTC") + "\n" + meminfo_text(
            4030000, avail - 1200000, avail, 88000, 1300000,
            int(700000 + rnd.gauss(0, 40000)), int(210000 + rnd.gauss(0, 3000)),
            int(70000 + rnd.gauss(0, 1500))))
        rows = "".join(slab_row(n, int(max(1, b * (1 + rnd.gauss(0, 0.01)))), o, p, g)
                       for n, o, p, g, b in CACHES_64[:18])
        sls.append(date_line(t, "UTC") + "\n" + SLAB_HDR + rows)
        bis.append(date_line(t, "UTC") + "\n" +
                   "Node 0, zone      DMA      0      1      1      0      2      1      1      0      1      1      3 \n"
                   "Node 0, zone    DMA32 %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d \n" %
                   tuple(max(0, int(v * (1 + rnd.gauss(0, 0.05)))) for v in
                         (3100, 2400, 1900, 1300, 700, 330, 160, 70, 30, 12, 380)))
    write(os.path.join(d, "meminfo.log"), "".join(mis))
    write(os.path.join(d, "slabinfo.log"), "".join(sls))
    write(os.path.join(d, "buddyinfo.log"), "".join(bis))


def bundle_garbled(out):
    """A capture loop (one file, CRLF from a Windows-side collector, `date`
    in the zh_CN locale) where one snapshot was garbled: a line cut, binary
    junk. Memory leaks ~12 MB/h through SUnreclaim over 8 h."""
    rnd = random.Random(9)
    t0 = 1650000000
    parts = []
    for i in range(33):
        t = t0 + i * 900
        h = i / 4.0
        leak = int(12288 * h)
        txt = meminfo_text(2029060, 300000 - leak, int(1100000 - leak + rnd.gauss(0, 20000)),
                           60000, 700000, 500000, 120000 + leak, 45000 + leak)
        if i == 14:
            lines = txt.splitlines(True)
            lines[3] = "Buff\x01\x7f\udcfe\udcff\x00zz 1\n"  # raw bytes
            lines[7] = lines[7][:9] + "\n"
            txt = "".join(lines[:12]) + "\udc89PNG\x1a junk here\n" + "".join(lines[12:20])
        parts.append(date_line_zh(t) + "\n" + txt)
    data = "".join(parts).replace("\n", "\r\n")
    p = os.path.join(out, "garbled-capture.log")
    os.makedirs(out, exist_ok=True)
    with open(p, "wb") as fh:
        fh.write(data.encode("utf-8", "surrogateescape"))


def vmstat_text(pgfault, pgpgin, free, compact, oom_kill):
    rows = [("nr_free_pages", free), ("nr_zone_inactive_anon", 40000),
            ("nr_zone_active_anon", 180000), ("nr_slab_reclaimable", 30000),
            ("nr_slab_unreclaimable", 20000), ("pgpgin", pgpgin),
            ("pgpgout", pgpgin // 3), ("pswpin", 0), ("pswpout", 0),
            ("pgalloc_normal", pgfault * 3), ("pgfree", pgfault * 3 + 1000),
            ("pgfault", pgfault), ("pgmajfault", pgfault // 2000),
            ("allocstall_normal", compact // 10), ("compact_stall", compact),
            ("compact_fail", compact // 2), ("compact_success", compact - compact // 2),
            ("oom_kill", oom_kill)]
    return "".join("%s %d\n" % r for r in rows)


def bundle_reboot(out):
    """Series across a reboot: `date; uptime; cat /proc/meminfo` and vmstat
    every 30 min; the box leaks, is rebooted after 5 h, leaks again for 7 h.
    The uptime goes back, the counters reset."""
    rnd = random.Random(10)
    d = os.path.join(out, "reboot-series")
    t0 = 1660000000
    mis, vss = [], []
    for i in range(25):
        t = t0 + i * 1800
        if i < 10:
            h = i / 2.0
            up = h
        else:
            h = (i - 10) / 2.0 + 0.25
            up = h
        leak = int(20480 * up)
        avail = int(3000000 - leak + rnd.gauss(0, 15000))
        upt = int(up * 3600 + 1500)
        mis.append(date_line(t, "UTC") + "\n" +
                   " %s up %s,  1 user,  load average: 0.%02d, 0.31, 0.28\n" % (
                       time.strftime("%H:%M:%S", time.gmtime(t)),
                       "%d:%02d" % (upt // 3600, upt // 60 % 60) if upt >= 3600
                       else "%d min" % (upt // 60), i + 10) +
                   meminfo_text(4030000, avail - 1000000, avail, 80000, 1000000, 700000,
                                150000 + leak, 60000 + leak))
        pf = int(120000 + 900000 * up)
        vss.append(date_line(t, "UTC") + "\n" + vmstat_text(
            pf, int(300000 + 50000 * up), avail // 4 // 2, int(10 * up), 0))
    write(os.path.join(d, "meminfo.log"), "".join(mis))
    write(os.path.join(d, "vmstat.log"), "".join(vss))


def bundle_openwrt_mtimes(out):
    """An OpenWrt router (MIPS 24Kc, 4.14, 128 MB, 32-bit) whose support
    script saved /proc files every 2 h into folders of a tar.gz: no date
    lines, so the times come from the archive members' mtimes. nf_conntrack
    and kmalloc-128 grow; buddyinfo fragments."""
    import gzip
    import io
    import tarfile
    rnd = random.Random(11)
    t0 = 1596240000
    buf = io.BytesIO()
    tar = tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT)

    def add(name, text, mtime):
        data = text.encode()
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        ti.mtime = mtime
        ti.mode = 0o644
        ti.uname = ti.gname = "root"
        tar.addfile(ti, io.BytesIO(data))

    caches = [("nf_conntrack", 240, 17, 1, 600), ("kmalloc-128", 128, 32, 1, 2100),
              ("skbuff_head_cache", 192, 21, 1, 1900), ("kmalloc-4096", 4096, 8, 8, 300),
              ("kmalloc-2048", 2048, 8, 4, 600), ("dentry", 136, 29, 1, 5200)]
    add("support/dmesg",
        "[    0.000000] Linux version 4.14.180 (builder@buildhost) (gcc version 7.5.0 "
        "(OpenWrt GCC 7.5.0 r11063-85e04e9f46)) #0 Sun May 31 13:11:14 2020\n"
        "[    0.000000] SoC: Qualcomm Atheros QCA956X ver 1 rev 0\n"
        "[    0.000000] bootconsole [early0] enabled\n"
        "[    0.000000] CPU0 revision is: 00019750 (MIPS 74Kc)\n"
        "[    0.000000] MIPS: machine is TP-Link Archer C7 v5\n"
        "[    0.000000] Determined physical RAM map:\n"
        "[    0.000000]  memory: 08000000 @ 00000000 (usable)\n", t0 - 86400)
    for i in range(8):
        t = t0 + i * 7200 + rnd.randint(0, 20)
        h = (t - t0) / 3600
        d = "support/snap-%02d/" % i
        rows = []
        for name, osz, per, pages, base in caches:
            objs = base * (1 + rnd.gauss(0, 0.01))
            if name == "nf_conntrack":
                objs = base + 850 * h + rnd.gauss(0, 20)
            if name == "kmalloc-128":
                objs = base + 1200 * h + rnd.gauss(0, 30)
            rows.append(slab_row(name, int(objs), osz, per, pages))
        add(d + "slabinfo", SLAB_HDR + "".join(rows), t)
        avail = int(61000 - 330 * h + rnd.gauss(0, 500))
        add(d + "meminfo", meminfo_text(124372, int(avail * 0.4), avail, 2100, 21000, 14000,
                                        9800 + int(310 * h), 5100 + int(300 * h), shmem=900,
                                        kstack=620, pagetables=540, old=False), t)
        f = i / 7.0
        counts = [int(300 + 200 * f), int(180 + 50 * f), int(90 * (1 - 0.3 * f)),
                  int(40 * (1 - 0.8 * f)), int(12 * (1 - f)), int(4 * (1 - f)), 0, 0, 0, 0, 0]
        add(d + "buddyinfo", "Node 0, zone   Normal %s \n" % " ".join("%6d" % c for c in counts), t)
    tar.close()
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "openwrt-mips-periodic.tar.gz"), "wb") as fh:
        with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(buf.getvalue())


def main():
    out = os.path.join(sys.argv[1], "snapshots", "bundles")
    bundle_stress_leak(out)
    bundle_merged_slab(out)
    bundle_fragmentation(out)
    bundle_tmpfs(out)
    bundle_user_leak(out)
    bundle_stable(out)
    bundle_garbled(out)
    bundle_reboot(out)
    bundle_openwrt_mtimes(out)


if __name__ == "__main__":
    main()
