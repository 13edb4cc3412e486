#!/usr/bin/env python3
"""Write the OOM corpus (corpus/oom/) from the formats of
shared/reference/formats.md §1: one realistic log per kernel era,
architecture and variant, wrapped as the device's logger wrote it.
Run once; the outputs are committed and read by eye with their expected
JSON. Numbers are chosen per case so the accounting tells its story."""
import os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "corpus/oom"

# ---------------------------------------------------------------- prefixes
class Clock:
    def __init__(self, t): self.t = t
    def tick(self, d=0.000011):
        self.t += d
        return self.t

MON = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

def wall(base, t):
    # base = (y, mon, day, h, m, s) at mono 0
    y, mo, d, h, mi, s = base
    tot = h * 3600 + mi * 60 + s + int(t)
    d += tot // 86400; tot %= 86400
    return y, mo, d, tot // 3600, tot % 3600 // 60, tot % 60

def fmt(style, t, msg, tid=None, host="host", level=4, base=(2023, 3, 14, 2, 11, 50), wd="Tue"):
    ts = "[%12.6f]" % t
    if style == "dmesg":
        return "%s %s" % (ts, msg)
    if style == "dmesg-level":
        return "<%d>%s %s" % (level, ts, msg)
    if style == "dmesg-caller":
        return "%s[%7s] %s" % (ts, tid or "T1", msg)
    if style == "kmsg-caller":
        return "<%d>%s[%7s] %s" % (level, ts, tid or "T1", msg)
    y, mo, d, h, mi, s = wall(base, t)
    if style == "syslog":
        return "%s %2d %02d:%02d:%02d %s kernel: %s %s" % (MON[mo - 1], d, h, mi, s, host, ts, msg)
    if style == "syslog-nots":
        return "%s %2d %02d:%02d:%02d %s kernel: %s" % (MON[mo - 1], d, h, mi, s, host, msg)
    if style == "journal":
        return "%s %02d %02d:%02d:%02d %s kernel: %s" % (MON[mo - 1], d, h, mi, s, host, msg)
    if style == "logread":
        lv = {3: "err", 4: "warn", 6: "info", 5: "notice"}.get(level, "warn")
        return "%s %s %2d %02d:%02d:%02d %d kern.%s kernel: %s %s" % (wd, MON[mo - 1], d, h, mi, s, y, lv, ts, msg)
    raise ValueError(style)

# ---------------------------------------------------------------- pieces
def buddy(prefix, counts, page_kb, letters=None):
    parts = []
    total = 0
    for o, c in enumerate(counts):
        size = page_kb << o
        total += c * size
        s = "%d*%dkB" % (c, size)
        if letters and c:
            s += " (%s)" % letters[o % len(letters)]
        parts.append(s)
    return "%s: %s = %dkB" % (prefix, " ".join(parts), total)

def meminfo_lines(c, era):
    """c: dict of counters in pages."""
    g = lambda k: c.get(k, 0)
    L = ["active_anon:%d inactive_anon:%d isolated_anon:%d" % (g("active_anon"), g("inactive_anon"), 0)]
    if era >= 6.01:
        L += [" active_file:%d inactive_file:%d isolated_file:%d" % (g("active_file"), g("inactive_file"), 0),
              " unevictable:%d dirty:%d writeback:%d" % (g("unevictable"), g("dirty"), 0),
              " slab_reclaimable:%d slab_unreclaimable:%d" % (g("slab_reclaimable"), g("slab_unreclaimable")),
              " mapped:%d shmem:%d pagetables:%d" % (g("mapped"), g("shmem"), g("pagetables")) +
              (" sec_pagetables:0" if era >= 6.01 else "") + " bounce:0",
              " kernel_misc_reclaimable:0",
              " free:%d free_pcp:%d free_cma:0" % (g("free"), g("free_pcp"))]
    elif era >= 5.08:
        L += [" active_file:%d inactive_file:%d isolated_file:%d" % (g("active_file"), g("inactive_file"), 0),
              " unevictable:%d dirty:%d writeback:%d" % (g("unevictable"), g("dirty"), 0),
              " slab_reclaimable:%d slab_unreclaimable:%d" % (g("slab_reclaimable"), g("slab_unreclaimable")),
              " mapped:%d shmem:%d pagetables:%d bounce:0" % (g("mapped"), g("shmem"), g("pagetables")),
              " free:%d free_pcp:%d free_cma:0" % (g("free"), g("free_pcp"))]
    else:
        L += [" active_file:%d inactive_file:%d isolated_file:%d" % (g("active_file"), g("inactive_file"), 0),
              " unevictable:%d dirty:%d writeback:%d unstable:0" % (g("unevictable"), g("dirty"), 0),
              " slab_reclaimable:%d slab_unreclaimable:%d" % (g("slab_reclaimable"), g("slab_unreclaimable")),
              " mapped:%d shmem:%d pagetables:%d bounce:0" % (g("mapped"), g("shmem"), g("pagetables")),
              " free:%d free_pcp:%d free_cma:0" % (g("free"), g("free_pcp"))]
    if era < 3.11:  # 2.6.32 / 3.10 print the first line with everything
        L = [("active_anon:%d inactive_anon:%d isolated_anon:0\n active_file:%d inactive_file:%d isolated_file:0\n"
              " unevictable:%d dirty:%d writeback:0 unstable:0\n free:%d slab_reclaimable:%d slab_unreclaimable:%d\n"
              " mapped:%d shmem:%d pagetables:%d bounce:0\n free_cma:0") %
             (g("active_anon"), g("inactive_anon"), g("active_file"), g("inactive_file"), g("unevictable"),
              g("dirty"), g("free"), g("slab_reclaimable"), g("slab_unreclaimable"), g("mapped"), g("shmem"),
              g("pagetables"))]
        L = L[0].split("\n")
    return L

def zone_line(era, node, z):
    pre = ("Node %d " % node) if node is not None else ""
    s = "%s%s free:%dkB" % (pre, z["name"], z["free"])
    if era >= 5.16:
        s += " boost:0kB"
    s += " min:%dkB low:%dkB high:%dkB" % (z["min"], z["low"], z["high"])
    if era >= 4.12:
        s += " reserved_highatomic:0KB"
    s += (" active_anon:%dkB inactive_anon:%dkB active_file:%dkB inactive_file:%dkB unevictable:0kB"
          " writepending:0kB present:%dkB managed:%dkB mlocked:0kB") % (
        z.get("aa", 0), z.get("ia", 0), z.get("af", 0), z.get("if", 0), z["present"], z["managed"])
    if era < 4.08:
        s = s.replace(" writepending:0kB", " isolated(anon):0kB isolated(file):0kB")
        s += " dirty:0kB writeback:0kB mapped:0kB shmem:0kB slab_reclaimable:0kB slab_unreclaimable:0kB"
    if era < 5.09:
        s += " kernel_stack:%dkB pagetables:%dkB" % (z.get("kstack", 0), z.get("pt", 0))
    s += " bounce:0kB free_pcp:%dkB local_pcp:0kB free_cma:0kB" % z.get("pcp", 0)
    if era < 4.08 and era >= 3.00:
        s += " writeback_tmp:0kB pages_scanned:%d all_unreclaimable? yes" % z.get("scanned", 1234)
    return s

def node_line(era, node, kstack, pt, shmem, anon, file):
    s = ("Node %d active_anon:%dkB inactive_anon:%dkB active_file:%dkB inactive_file:%dkB unevictable:0kB"
         " isolated(anon):0kB isolated(file):0kB mapped:%dkB dirty:0kB writeback:0kB shmem:%dkB") % (
        node, anon // 50, anon - anon // 50, file // 2, file - file // 2, file // 3, shmem)
    s += " shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB"
    if era >= 5.09:
        s += " kernel_stack:%dkB" % kstack
        s += " pagetables:%dkB" % pt if era >= 6.01 else ""
    s += " all_unreclaimable? yes"
    return s

def task_header(era):
    if era < 2.07:
        return "[ pid ]   uid  tgid total_vm      rss cpu oom_adj name"
    if era < 3.06:
        return "[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name"
    if era < 4.00:
        return "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name"
    if era < 4.15:
        return "[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name"
    if era < 4.19:
        return "[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
    if era < 6.08:
        return "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
    return "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name"

def task_row(era, t):
    pid, uid, vm, rss, adj, name = t
    if era < 2.07:
        return "[%5d] %5d %5d %8d %8d %3d %7d %s" % (pid, uid, pid, vm, rss, pid % 4, adj // 58 if adj > 0 else 0, name)
    if era < 3.06:
        return "[%5d] %5d %5d %8d %8d %3d %7d %13d %s" % (pid, uid, pid, vm, rss, pid % 4, 0, adj, name)
    if era < 4.00:
        return "[%5d] %5d %5d %8d %8d %7d %8d %13d %s" % (pid, uid, pid, vm, rss, vm // 512 + 3, 0, adj, name)
    if era < 4.15:
        return "[%5d] %5d %5d %8d %8d %7d %7d %8d %13d %s" % (pid, uid, pid, vm, rss, vm // 512 + 3, 3, 0, adj, name)
    if era < 4.19:
        return "[%5d] %5d %5d %8d %8d %14d %8d %13d %s" % (pid, uid, pid, vm, rss, (vm // 512 + 3) * 4096, 0, adj, name)
    if era < 6.08:
        return "[%7d] %5d %7d %8d %8d %14d %8d %13d %s" % (pid, uid, pid, vm, rss, (vm // 512 + 3) * 4096, 0, adj, name)
    anon = rss * 9 // 10
    return "[%7d] %5d %7d %8d %8d %8d %8d %9d %14d %8d %13d %s" % (
        pid, uid, pid, vm, rss, anon, rss - anon, 0, (vm // 512 + 3) * 4096, 0, adj, name)

def kill_lines(era, v, prefix="Out of memory", rhel=None):
    pid, comm, vm, rss, file, shmem, uid, adj, score = v
    # the task table's rss is anon + file + shmem of the same counters
    anon = max(rss - file - shmem, 0)
    L = []
    if era < 2.07 and rhel != "rhel6":
        L.append("%s: kill process %d (%s) score %d or a child" % (prefix, pid, comm, score))
        L.append("Killed process %d (%s)" % (pid, comm))
    elif rhel == "rhel6":
        L.append("%s: Kill process %d (%s) score %d or sacrifice child" % (prefix, pid, comm, score))
        L.append("Killed process %d, UID %d, (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB" % (pid, uid, comm, vm, anon, file))
    elif rhel == "rhel79":
        L.append("%s: Kill process %d (%s) score %d or sacrifice child" % (prefix, pid, comm, score))
        L.append("Killed process %d (%s), UID %d, total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:%dkB" % (pid, comm, uid, vm, anon, file, shmem))
    elif era < 4.05:
        L.append("%s: Kill process %d (%s) score %d or sacrifice child" % (prefix, pid, comm, score))
        L.append("Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB" % (pid, comm, vm, anon, file))
    elif era < 5.01:
        L.append("%s: Kill process %d (%s) score %d or sacrifice child" % (prefix, pid, comm, score))
        L.append("Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:%dkB" % (pid, comm, vm, anon, file, shmem))
    elif era < 5.04:
        L.append("%s: Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:%dkB" % (prefix, pid, comm, vm, anon, file, shmem))
    else:
        L.append("%s: Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:%dkB, UID:%d pgtables:%dkB oom_score_adj:%d" % (
            prefix, pid, comm, vm, anon, file, shmem, uid, vm // 512 * 4 + 12, adj))
    return L

def header(era, comm, gfp, flags, order, adj, nodemask="(null)"):
    if era < 2.07:
        return "%s invoked oom-killer: gfp_mask=0x%x, order=%d, oom_adj=%d" % (comm, gfp, order, 0)
    if era < 3.08 and era >= 2.07:
        return "%s invoked oom-killer: gfp_mask=0x%x, order=%d, oom_adj=%d, oom_score_adj=%d" % (comm, gfp, order, 0, adj)
    if era < 4.05:
        return "%s invoked oom-killer: gfp_mask=0x%x, order=%d, oom_score_adj=%d" % (comm, gfp, order, adj)
    if era < 4.09:
        return "%s invoked oom-killer: gfp_mask=%#x(%s), order=%d, oom_score_adj=%d" % (comm, gfp, flags, order, adj)
    if 4.14 <= era < 4.15:
        return "%s invoked oom-killer: gfp_mask=%#x(%s), nodemask=%s,  order=%d, oom_score_adj=%d" % (comm, gfp, flags, nodemask, order, adj)
    if era < 5.00:
        return "%s invoked oom-killer: gfp_mask=%#x(%s), nodemask=%s, order=%d, oom_score_adj=%d" % (comm, gfp, flags, nodemask, order, adj)
    return "%s invoked oom-killer: gfp_mask=%#x(%s), order=%d, oom_score_adj=%d" % (comm, gfp, flags, order, adj)

def cpu_line(era, cpu, pid, comm, release, taint="Not tainted", uid=None):
    if era < 2.07:
        return "Pid: %d, comm: %s %s %s #1" % (pid, comm, taint, release)
    if era >= 6.11:
        return "CPU: %d UID: %d PID: %d Comm: %s %s %s #1" % (cpu, uid or 0, pid, comm, taint, release)
    return "CPU: %d PID: %d Comm: %s %s %s #1" % (cpu, pid, comm, taint, release)

X86_TRACE_OLD = [" [<ffffffff8163a0fe>] dump_stack+0x19/0x1b", " [<ffffffff81635456>] dump_header+0x8e/0x225",
                 " [<ffffffff8116cdee>] oom_kill_process+0x24e/0x3c0", " [<ffffffff8116d616>] out_of_memory+0x4b6/0x4f0",
                 " [<ffffffff81173825>] __alloc_pages_nodemask+0xa95/0xb90", " [<ffffffff811b792a>] alloc_pages_vma+0x9a/0x150"]
X86_TRACE_NEW = [" <TASK>", " dump_stack_lvl+0x44/0x5c", " dump_header+0x4a/0x1ff", " oom_kill_process.cold+0xb/0x10",
                 " out_of_memory+0x1bd/0x4f0", " __alloc_pages_slowpath.constprop.0+0xbd2/0xcb0",
                 " __alloc_pages+0x306/0x330", " alloc_pages_vma+0x9d/0x380", " __handle_mm_fault+0x8a5/0x12a0",
                 " handle_mm_fault+0xd8/0x290", " exc_page_fault+0x78/0x170", " asm_exc_page_fault+0x22/0x30",
                 "RIP: 0033:0x7f1d2c3e4a2b", " </TASK>"]
ARM_TRACE = ["[<c010f4b8>] (unwind_backtrace) from [<c010b8b4>] (show_stack+0x10/0x14)",
             "[<c010b8b4>] (show_stack) from [<c05e3d60>] (dump_stack+0x88/0x9c)",
             "[<c05e3d60>] (dump_stack) from [<c01b1ae8>] (dump_header+0x68/0x1d8)",
             "[<c01b1ae8>] (dump_header) from [<c01b1130>] (oom_kill_process+0xd4/0x4b0)",
             "[<c01b1130>] (oom_kill_process) from [<c01b1f18>] (out_of_memory+0x2c8/0x330)"]
ARM64_TRACE = [" dump_backtrace+0x0/0x1b0", " show_stack+0x18/0x28", " dump_stack+0xb8/0x114",
               " dump_header+0x64/0x21c", " oom_kill_process+0x1d8/0x1f0", " out_of_memory+0x270/0x2f0",
               " __alloc_pages_slowpath+0x7c0/0xa18", " __alloc_pages_nodemask+0x2a0/0x2f0"]
MIPS_TRACE = ["Call Trace:", "[<800690d8>] show_stack+0x54/0x88", "[<8010a1c4>] dump_header+0x6c/0x1d8",
              "[<800b1a34>] oom_kill_process+0x9c/0x3f0", "[<800b2034>] out_of_memory+0x2c4/0x330"]

def show_mem(era, counters, zones, page_kb, ram_pages, reserved, swap=(0, 0), numa=True, pagecache=None,
             node_extra=None, hugepages=True, letters="UME"):
    """zones: list of (node, zonedict, buddy_counts)."""
    L = ["Mem-Info:"]
    if era < 3.11:
        for node, z, b in zones:
            pre = ("Node %d " % node) if numa else ""
            L.append("%s%s per-cpu:" % (pre, z["name"]))
            L.append("CPU    0: hi:  186, btch:  31 usd:  30")
    L += meminfo_lines(counters, era)
    if era >= 4.08:
        nodes = sorted(set(n for n, _, _ in zones))
        for n in nodes:
            ks = sum(z.get("kstack", 0) for nn, z, _ in zones if nn == n)
            pt = sum(z.get("pt", 0) for nn, z, _ in zones if nn == n)
            L.append(node_line(era, n if numa else 0, ks, pt, counters.get("shmem", 0) * page_kb,
                               (counters.get("active_anon", 0) + counters.get("inactive_anon", 0)) * page_kb,
                               (counters.get("active_file", 0) + counters.get("inactive_file", 0)) * page_kb))
    zl = [z for _, z, _ in zones]
    nres = 4 if numa else max(2, len(zones))
    for i, (node, z, b) in enumerate(zones):
        L.append(zone_line(era, node if numa else None, z))
        L.append("lowmem_reserve[]: " + " ".join(str(v) for v in z.get("reserve", [0] * nres)))
    for node, z, b in zones:
        pre = ("Node %d %s" % (node, z["name"])) if numa else z["name"]
        L.append(buddy(pre, b, page_kb, letters))
    if hugepages:
        nodes = sorted(set(n for n, _, _ in zones))
        for n in nodes:
            L.append("Node %d hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=%dkB" % (
                n if numa else 0, 2048 if page_kb == 4 else 524288))
    pc = pagecache if pagecache is not None else counters.get("active_file", 0) + counters.get("inactive_file", 0) + counters.get("shmem", 0)
    L.append("%d total pagecache pages" % pc)
    L.append("%d pages in swap cache" % 0)
    if era < 6.00:
        L.append("Swap cache stats: add 0, delete 0, find 0/0")
    L.append("Free swap  = %dkB" % swap[1])
    L.append("Total swap = %dkB" % swap[0])
    L.append("%d pages RAM" % ram_pages)
    L.append("0 pages HighMem/MovableOnly")
    L.append("%d pages reserved" % reserved)
    return L

# ---------------------------------------------------------------- writer
class Log:
    def __init__(self, style, start, host="host", base=(2023, 3, 14, 2, 11, 50), wd="Tue", tid="T1", crlf=False):
        self.style, self.c, self.host, self.base, self.wd, self.tid = style, Clock(start), host, base, wd, tid
        self.lines = []
        self.crlf = crlf
    def add(self, msgs, level=4, tid=None, dt=0.000011):
        for m in msgs:
            t = self.c.tick(dt)
            self.lines.append(fmt(self.style, t, m, tid=tid or self.tid, host=self.host, level=level, base=self.base, wd=self.wd))
    def raw(self, line):
        self.lines.append(line)
    def gap(self, s):
        self.c.t += s
    def write(self, name, cut=None):
        os.makedirs(os.path.dirname(os.path.join(OUT, name)) or OUT, exist_ok=True)
        nl = "\r\n" if self.crlf else "\n"
        text = nl.join(self.lines) + nl
        if cut is not None:
            text = text[:cut]
        with open(os.path.join(OUT, name), "w", newline="") as fh:
            fh.write(text)

def boot(log, release, extra=(), level=5):
    log.add(["Linux version %s (%s) #1 SMP %s" % release], level=level, dt=0)
    log.add(list(extra), level=6)

def x86_zones(free, mins, numa=True, nodes=1, managed_normal=None, buddies=None, dma32=True):
    """A small x86_64 layout: DMA, DMA32, Normal per node 0; Normal on other nodes."""
    Z = []
    Z.append((0, dict(name="DMA", free=free[0], min=mins[0], low=mins[0] * 5 // 4, high=mins[0] * 3 // 2,
                      present=15992, managed=15904, reserve=[0, 2815, 7759, 7759]), buddies[0]))
    if dma32:
        d32 = FIT_DMA32[0]
        FIT_DMA32[0] = 2970092
        Z.append((0, dict(name="DMA32", free=free[1], min=mins[1], low=mins[1] * 5 // 4, high=mins[1] * 3 // 2,
                          present=d32 + 159124 if d32 >= 2970092 else d32 + d32 // 20, managed=d32, kstack=2304, pt=6120, pcp=1124,
                          reserve=[0, 0, 4944, 4944]), buddies[1]))
    for n in range(nodes):
        Z.append((n, dict(name="Normal", free=free[2 + n], min=mins[2 + n], low=mins[2 + n] * 5 // 4,
                          high=mins[2 + n] * 3 // 2, present=managed_normal[n] + 65536, managed=managed_normal[n],
                          kstack=8160, pt=31244, pcp=2020, reserve=[0, 0, 0, 0]), buddies[2 + n]))
    return Z

# ---------------------------------------------------------------- reports
def report(log, era, trig, tpid, gfp, flags, order, release, trace, tasks, victim, mem=None,
           adj=0, cpu=0, numa=True, prefix="Out of memory", rhel=None, oomkill=None, uid=None,
           memcg=None, interleave=(), hw="QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
           nodemask="(null)", taint="Not tainted", tid=None, cut_after=None, reaper=None, cpuset_line=True,
           level=4):
    L = [header(era, trig, gfp, flags, order, adj, nodemask)]
    if era < 5.00 and cpuset_line:
        L.append("%s cpuset=%s mems_allowed=%s" % (trig, memcg["cpuset"] if memcg else "/", "0-1" if numa and era >= 4 else "0"))
    L.append(cpu_line(era, cpu, tpid, trig, release, taint, uid))
    if hw:
        L.append("Hardware name: " + hw)
    if not trace or not trace[0].startswith("Call Trace"):
        L.append("Call Trace:")
    L += trace
    if memcg:
        if era < 5.00:
            L.append("Task in %s killed as a result of limit of %s" % (memcg["task"], memcg["path"]))
        L.append("memory: usage %dkB, limit %dkB, failcnt %d" % (memcg["usage"], memcg["limit"], memcg["failcnt"]))
        if memcg.get("v") == 1:
            L.append("memory+swap: usage %dkB, limit %dkB, failcnt 0" % (memcg["usage"], 9007199254740988))
            L.append("kmem: usage %dkB, limit %dkB, failcnt 0" % (memcg.get("kmem", 0), 9007199254740988))
            L.append("Memory cgroup stats for %s: " % memcg["path"] + " ".join("%s:%dKB" % kv for kv in memcg["stats"]))
        else:
            if era >= 5.03:
                L.append("swap: usage %dkB, limit %dkB, failcnt 0" % (0, 9007199254740988))
            L.append("Memory cgroup stats for %s:" % memcg["path"])
            L += ["%s %d" % kv for kv in memcg["stats"]]
    if mem:
        L += show_mem(**mem)
    if tasks:
        if era >= 4.19:
            L.append("Tasks state (memory values in pages):")
        L.append(task_header(era))
        L += [task_row(era, t) for t in tasks]
    if oomkill:
        L.append(oomkill)
    L += kill_lines(era, victim, prefix, rhel)
    # interleave: list of (index, message) inserted before message index
    out = []
    ins = dict()
    for i, m in interleave:
        ins.setdefault(i, []).append(m)
    for i, m in enumerate(L):
        for x in ins.get(i, []):
            out.append(("I", x))
        out.append(("R", m))
    if cut_after is not None:
        out = out[:cut_after]
    for kind, m in out:
        if kind == "I":
            log.add([m], level=6, tid="C1")
        else:
            log.add([m], level=level if not m.startswith("Mem-Info") else 6, tid=tid)
    if reaper and cut_after is None:
        log.gap(0.041)
        log.add([reaper], level=6, tid="T57")

def v(pid, comm, rss_kb, vm_kb=None, uid=0, adj=0, file_kb=512, shmem=0, score=None):
    return (pid, comm, vm_kb or rss_kb * 5 // 4 + 20480, rss_kb, file_kb, shmem, uid, adj, score or 900)

def tasks_for(page_kb, items):
    """items: (pid, uid, rss_kb, adj, name) -> rows in pages."""
    return [(pid, uid, (rss * 5 // 4 + 8192) // page_kb, rss // page_kb, adj, name) for pid, uid, rss, adj, name in items]

SYSTEM_TASKS = [(312, 0, 18260, -250, "systemd-journal"), (338, 0, 5400, -1000, "systemd-udevd"),
                (612, 101, 4120, 0, "systemd-resolve"), (645, 0, 2980, 0, "cron"),
                (651, 104, 4912, 0, "dbus-daemon"), (702, 0, 7300, 0, "sshd"), (1, 0, 11020, 0, "systemd")]

def C(pg, free, anon, file, shmem=0, sr=0, su=0, pt=0, unev=0):
    p = lambda kb: kb // pg
    return dict(active_anon=p(anon) // 40, inactive_anon=p(anon) - p(anon) // 40 + p(shmem),
                active_file=p(file) // 3, inactive_file=p(file) - p(file) // 3, unevictable=p(unev),
                dirty=3, slab_reclaimable=p(sr), slab_unreclaimable=p(su), mapped=p(file) // 2,
                shmem=p(shmem), pagetables=p(pt), free=p(free), free_pcp=37)

B_LOW = [[3, 2, 1, 1, 2, 1, 1, 0, 1, 1, 3], [1164, 879, 411, 172, 48, 6, 0, 0, 0, 0, 0],
         [1851, 763, 302, 88, 14, 2, 0, 0, 0, 0, 0], [1020, 411, 97, 21, 3, 0, 0, 0, 0, 0, 0]]

def fit_managed(c, nodes=1, slack=0.015):
    """Zone sizes so the zones hold what the counters say (x86 4kB):
    returns [normal per node], and sets DMA32 through FIT_DMA32."""
    keys = ("active_anon", "inactive_anon", "active_file", "inactive_file", "unevictable", "slab_reclaimable",
            "slab_unreclaimable", "pagetables", "free")
    total = sum(c.get(k, 0) for k in keys) * 4 + 10464 * nodes
    rest = int(total * (1 + slack)) - 15904
    dma32 = min(2970092, rest // 2)
    FIT_DMA32[0] = dma32
    normal = rest - dma32
    return [max(normal // nodes, 1)] * nodes

FIT_DMA32 = [2970092]

def x86_global(name, era, release, style, trig, tpid, victim_items, counters, free, mins, tasks, nodes=1,
               managed=(3987456,), flags="GFP_HIGHUSER_MOVABLE|__GFP_ZERO", gfp=0x100cca, order=0, **kw):
    log = Log(style, kw.pop("start", 3412.0), host=kw.pop("host", "web01"), crlf=kw.pop("crlf", False))
    boot(log, (release, "buildd@lcy02-amd64-044) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld 2.38",
               "Tue Nov 14 13:30:08 UTC 2023"), ["x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'"])
    log.gap(kw.pop("gap", 3400.0))
    log.add(kw.pop("before", ["audit: type=1400 audit(1700000000.123:45): apparmor=\"DENIED\" operation=\"open\" profile=\"snap.lxd.daemon\""]), level=5)
    if kw.pop("fit", True):
        managed = fit_managed(counters, nodes)
    zones = x86_zones(free, mins, nodes=nodes, managed_normal=list(managed), buddies=kw.pop("buddies", B_LOW))
    ram = kw.pop("ram_pages", (15992 + 3129216 + sum(m + 65536 for m in managed)) // 4)
    mem = dict(era=era, counters=counters, zones=zones, page_kb=4, ram_pages=ram, reserved=kw.pop("reserved", 98711),
               swap=kw.pop("swap", (0, 0)), numa=True)
    after = kw.pop("after", ["systemd[1]: session-3.scope: A process of this unit has been killed by the OOM killer."])
    report(log, era, trig, tpid, gfp, flags, order, release, kw.pop("trace", X86_TRACE_NEW), tasks, victim_items, mem, **kw)
    log.add(after, level=6)
    log.write(name)
    return log

# ================================================================ cases
PG = 4
WEB = [(2101, 33, 412000, 0, "uwsgi"), (2102, 33, 398000, 0, "uwsgi"), (2103, 33, 405500, 0, "uwsgi"),
       (2104, 33, 401200, 0, "uwsgi"), (1890, 0, 22000, 0, "nginx"), (1891, 33, 31000, 0, "nginx")]

def case_515_user():
    t = tasks_for(PG, SYSTEM_TASKS + [(4242, 1000, 2310000, 0, "java"), (4300, 1000, 180000, 0, "Web Content"),
                                      (4301, 1000, 96000, 0, "kworker/u8:2"), (4302, 1000, 64000, 0, "(sd-pam)")])
    x86_global("ubuntu22-5.15-global.dmesg", 5.15, "5.15.0-91-generic", "dmesg-caller", "java", 4242,
               v(4242, "java", 2310000, uid=1000), C(PG, 67500, 3240000, 120000, 20000, 60000, 90000, 12000),
               [15360, 5120, 42100], [68, 5000, 60000], t, managed=(1900000,),
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-3.scope,task=java,pid=4242,uid=1000",
               tid="T4242", reaper="oom_reaper: reaped process 4242 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
               interleave=[(9, "e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None")])

def case_61_slab():
    t = tasks_for(PG, SYSTEM_TASKS + [(880, 0, 41000, 0, "containerd"), (1201, 0, 12000, 0, "zebra")])
    x86_global("debian12-6.1-slab-leak.dmesg", 6.01, "6.1.0-18-amd64", "dmesg", "sshd", 9812,
               v(880, "containerd", 41000), C(PG, 44000, 90000, 30000, 4000, 12000, 5600000, 3000),
               [15360, 4000, 24640], [68, 5000, 60000], t, managed=(2900000,),
               flags="GFP_KERNEL|__GFP_COMP", gfp=0x40cc0, order=0,
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/containerd.service,task=containerd,pid=880,uid=0",
               before=["bcm_sf2 1e700000.switch: unexpected skb leak"])

def case_68_unaccounted():
    # 6.8 task table with rss_anon/rss_file/rss_shmem; memory gone outside every counter
    t = tasks_for(PG, SYSTEM_TASKS + [(5120, 1000, 220000, 200, "Isolated Web Co"), (5121, 1000, 150000, 0, "firefox"),
                                      (5200, 0, 8000, 0, "NetworkManager")])
    x86_global("fedora40-6.8-driver-leak.dmesg", 6.08, "6.8.9-300.fc40.x86_64", "dmesg-level", "firefox", 5121,
               v(5120, "Isolated Web Co", 220000, uid=1000, adj=200), C(PG, 40000, 410000, 80000, 8000, 30000, 120000, 9000),
               [15360, 3000, 21640], [68, 5000, 60000], t, managed=(6000000,), fit=False, taint="Tainted: G           OE",
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=user.slice,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope,task=Isolated Web Co,pid=5120,uid=1000")

def case_611_shmem():
    t = tasks_for(PG, SYSTEM_TASKS + [(7001, 999, 35000, 0, "postgres"), (7002, 999, 22000, 0, "postgres")])
    x86_global("arch-6.11-tmpfs.dmesg", 6.11, "6.11.5-arch1-1", "dmesg", "cp", 8123,
               v(7001, "postgres", 35000, uid=999, shmem=20000), C(PG, 42000, 60000, 90000, 3500000, 20000, 60000, 4000),
               [15360, 3000, 23640], [68, 5000, 60000], t, managed=(2000000,), uid=1000,
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgresql.service,task=postgres,pid=7001,uid=999")

def case_numa_419():
    t = tasks_for(PG, SYSTEM_TASKS + WEB)
    x86_global("debian10-4.19-numa.dmesg", 4.19, "4.19.0-26-amd64", "dmesg", "uwsgi", 2104,
               v(2101, "uwsgi", 412000, uid=33), C(PG, 120000, 1700000, 140000, 10000, 40000, 80000, 16000),
               [15360, 6200, 45000, 52000], [68, 5000, 45000, 45000], t, nodes=2, managed=(950000, 1000000),
               nodemask="(null)", gfp=0x6280ca, flags="GFP_HIGHUSER_MOVABLE|__GFP_ZERO",
               buddies=B_LOW + [[2011, 930, 211, 40, 2, 0, 0, 0, 0, 0, 0]])

def case_54_journal():
    t = tasks_for(PG, SYSTEM_TASKS + [(3001, 112, 1500000, 0, "mysqld")])
    x86_global("ubuntu20-5.4-journal.log", 5.04, "5.4.0-150-generic", "journal", "mysqld", 3001,
               v(3001, "mysqld", 1500000, uid=112), C(PG, 60000, 1560000, 70000, 2000, 30000, 50000, 6000),
               [15360, 4000, 40640], [68, 5000, 30000], t, managed=(700000,), host="db02",
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/mysql.service,task=mysqld,pid=3001,uid=112")

def case_510_crlf():
    t = tasks_for(PG, SYSTEM_TASKS + [(6100, 0, 800000, 0, "node")])
    x86_global("win-collected-5.10-crlf.dmesg", 5.10, "5.10.0-28-amd64", "dmesg", "node", 6100,
               v(6100, "node", 800000), C(PG, 30000, 850000, 40000, 1000, 10000, 30000, 3000),
               [15360, 2000, 12640], [68, 5000, 12000], t, managed=(200000,), crlf=True,
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/app.service,task=node,pid=6100,uid=0")

def case_515_frag():
    # order-3 GFP_KERNEL: plenty of free order-0/1 pages, nothing at order >= 3
    t = tasks_for(PG, SYSTEM_TASKS + [(900, 0, 60000, 0, "dockerd")])
    frag = [[3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0], [52000, 21000, 900, 0, 0, 0, 0, 0, 0, 0, 0],
            [61000, 30500, 700, 0, 0, 0, 0, 0, 0, 0, 0]]
    x86_global("ubuntu22-5.15-order3-fragmentation.dmesg", 5.15, "5.15.0-105-generic", "dmesg-caller", "kworker/u16:3", 9123,
               v(900, "dockerd", 60000), C(PG, 628000, 900000, 400000, 10000, 90000, 210000, 8000),
               [15360, 385600, 494000], [68, 5000, 60000], t, managed=(1900000,),
               flags="GFP_KERNEL|__GFP_NOWARN|__GFP_COMP", gfp=0x42dc0, order=3, tid="T9123", buddies=frag,
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/docker.service,task=dockerd,pid=900,uid=0")

def case_manual():
    log = Log("dmesg-caller", 0.00)
    boot(log, ("5.15.0-91-generic", "buildd@lcy02-amd64-044) (gcc 11.4.0", "Tue Nov 14 13:30:08 UTC 2023"), [])
    log.gap(812.0)
    log.add(["sysrq: Manual OOM execution"], tid="C0", level=6)
    t = tasks_for(PG, SYSTEM_TASKS + [(2222, 1000, 300000, 0, "chrome")])
    cc = C(PG, 715360, 500000, 800000, 40000, 70000, 80000, 9000)
    zones = x86_zones([15360, 90000, 610000], [68, 5000, 60000], managed_normal=fit_managed(cc), buddies=B_LOW)
    mem = dict(era=5.15, counters=cc, zones=zones, page_kb=4,
               ram_pages=1290000, reserved=80000, swap=(2097148, 2097148))
    report(log, 5.15, "kworker/0:1", 7, 0xcc0, "GFP_KERNEL", -1, "5.15.0-91-generic", X86_TRACE_NEW[:4] + [" moom_callback+0x81/0xc0", " process_one_work+0x228/0x3d0", " </TASK>"],
           t, v(2222, "chrome", 300000, uid=1000), mem, tid="T31",
           oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-2.scope,task=chrome,pid=2222,uid=1000",
           reaper="oom_reaper: reaped process 2222 (chrome), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
    log.write("ubuntu22-5.15-sysrq-manual.dmesg")

def case_two_ooms():
    log = Log("dmesg", 0.00)
    boot(log, ("5.15.0-91-generic", "buildd@lcy02-amd64-044) (gcc 11.4.0", "Tue Nov 14 13:30:08 UTC 2023"), [])
    for k, (start, victim, rss) in enumerate([(1000.0, "stress-ng-vm", 1700000), (1900.0, "python3", 1650000)]):
        log.gap(start - log.c.t)
        t = tasks_for(PG, SYSTEM_TASKS + [(8000 + k, 1000, rss, 0, victim)])
        cc = C(PG, 62560, 1760000, 60000, 2000, 20000, 40000, 5000)
        zones = x86_zones([15360, 5200, 42000], [68, 5000, 60000], managed_normal=fit_managed(cc), buddies=B_LOW)
        mem = dict(era=5.15, counters=cc, zones=zones, page_kb=4,
                   ram_pages=1290000, reserved=80000)
        report(log, 5.15, victim, 8000 + k, 0x140cca, "GFP_HIGHUSER_MOVABLE|__GFP_COMP", 0, "5.15.0-91-generic",
               X86_TRACE_NEW, t, v(8000 + k, victim, rss, uid=1000), mem,
               oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=%s,pid=%d,uid=1000" % (victim, 8000 + k),
               reaper="oom_reaper: reaped process %d (%s), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" % (8000 + k, victim))
    log.write("ubuntu22-5.15-two-ooms.dmesg")

def case_truncated():
    log = Log("dmesg", 0.00)
    boot(log, ("5.10.0-28-amd64", "debian-kernel@lists.debian.org) (gcc-10 10.2.1", "Debian 5.10.209-2 (2024-01-31)"), [])
    log.gap(5000.0)
    t = tasks_for(PG, SYSTEM_TASKS)
    cc = C(PG, 32560, 900000, 30000, 1000, 10000, 20000, 3000)
    zones = x86_zones([15360, 5200, 12000], [68, 5000, 12000], managed_normal=fit_managed(cc), buddies=B_LOW)
    mem = dict(era=5.10, counters=cc, zones=zones, page_kb=4,
               ram_pages=850000, reserved=40000)
    # the console capture stops in the middle of the zone lines
    report(log, 5.10, "gunicorn", 3100, 0x100cca, "GFP_HIGHUSER_MOVABLE", 0, "5.10.0-28-amd64", X86_TRACE_NEW, t,
           v(3100, "gunicorn", 800000), mem, cut_after=30)
    log.write("debian11-5.10-truncated.console")

def case_headless():
    # a rotated log that begins inside a report
    log = Log("syslog", 4000.0, host="app3")
    t = tasks_for(PG, SYSTEM_TASKS[-3:] + [(4410, 48, 950000, 0, "ruby")])
    log.add(["Normal: 411*4kB (UME) 120*8kB (UME) 31*16kB (UM) 4*32kB (M) 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 3828kB",
             "Free swap  = 0kB", "Total swap = 0kB", "262013 pages RAM", "0 pages HighMem/MovableOnly", "6180 pages reserved",
             task_header(4.04)] + [task_row(4.04, x) for x in t] +
            kill_lines(4.04, v(4410, "ruby", 950000, uid=48)))
    log.add(["systemd[1]: puma.service: main process exited, code=killed, status=9/KILL"], level=6)
    log.write("ubuntu16-4.4-rotated-mid-report.log")

def case_alloc_task():
    log = Log("dmesg", 0.00)
    boot(log, ("4.9.0-19-amd64", "debian-kernel@lists.debian.org) (gcc version 6.3.0 20170516", "Debian 4.9.320-2 (2022-06-30)"), [])
    log.gap(700.0)
    t = tasks_for(PG, SYSTEM_TASKS[:3] + [(1555, 0, 700000, 0, "bash")])
    cc = C(PG, 31560, 720000, 30000, 1000, 10000, 20000, 3000)
    zones = x86_zones([15360, 5200, 11000], [68, 5000, 12000], managed_normal=fit_managed(cc), buddies=B_LOW)
    mem = dict(era=4.09, counters=cc, zones=zones, page_kb=4,
               ram_pages=850000, reserved=40000)
    report(log, 4.09, "bash", 1555, 0x24280ca, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", 0, "4.9.0-19-amd64",
           X86_TRACE_OLD, t, v(1555, "bash", 700000), mem, prefix="Out of memory (oom_kill_allocating_task)",
           nodemask="0", reaper="oom_reaper: unable to reap pid:1555 (bash)")
    log.write("debian9-4.9-allocating-task.dmesg")

def simple_zones(numa, pg, spec):
    """spec: list of (name, free, min, present, managed, buddy_counts, reserve)."""
    out = []
    for name, free, mn, present, managed, b, res in spec:
        out.append((0, dict(name=name, free=free, min=mn, low=mn * 5 // 4, high=mn * 3 // 2, present=present,
                            managed=managed, kstack=600, pt=900, reserve=res), b))
    return out

def case_2632():
    log = Log("dmesg", 0.00)
    boot(log, ("2.6.32-5-amd64", "Debian 2.6.32-48squeeze20) (dannf@debian.org) (gcc version 4.3.5 (Debian 4.3.5-4)", "Thu Mar 12 18:14:36 UTC 2015"), [])
    log.gap(91000.0)
    t = tasks_for(PG, [(1, 0, 800, 0, "init"), (391, 0, 900, -1000, "udevd"), (1402, 0, 1200, 0, "rsyslogd"),
                       (1723, 0, 1500, 0, "sshd"), (2019, 106, 820000, 0, "java"), (2044, 0, 2000, 0, "cron")])
    zones = [(0, dict(name="DMA", free=7908, min=40, low=48, high=60, present=15704, managed=15704, reserve=[0, 3000, 3000, 3000]), [1, 0, 0, 1, 2, 1, 1, 0, 1, 1, 1]),
             (0, dict(name="DMA32", free=4012, min=5000, low=6250, high=7500, present=1032124, managed=1032124, reserve=[0, 0, 0, 0]), [63, 31, 20, 8, 3, 1, 1, 1, 0, 0, 0])]
    mem = dict(era=2.06, counters=C(PG, 11920, 900000, 12000, 0, 3000, 9000, 2000), zones=zones, page_kb=4,
               ram_pages=262128, reserved=5316, swap=(0, 0), numa=True, hugepages=False)
    report(log, 2.06, "java", 2019, 0x201da, "", 0, "2.6.32-5-amd64", X86_TRACE_OLD, t,
           v(2019, "java", 820000, uid=106, score=734210), mem, hw=None)
    log.write("debian6-2.6.32.dmesg")

def case_rhel6():
    log = Log("syslog", 0.00, host="legacy-db", base=(2019, 11, 3, 4, 0, 0))
    boot(log, ("2.6.32-754.35.1.el6.x86_64", "mockbuild@x86-01.bsys.centos.org) (gcc version 4.4.7 20120313 (Red Hat 4.4.7-23) (GCC)", "Wed Oct 21 20:20:16 UTC 2020"), [])
    log.gap(7200.0)
    t = tasks_for(PG, [(1, 0, 900, 0, "init"), (612, 0, 1100, -17, "udevd"), (1310, 0, 1800, 0, "rsyslogd"),
                       (28656, 602, 3400000, 0, "java"), (28700, 602, 22000, 0, "java")])
    zones = [(0, dict(name="DMA", free=15640, min=16, low=20, high=24, present=15340, managed=15340, reserve=[0, 2990, 16120, 16120]), [2, 2, 2, 1, 2, 1, 0, 0, 1, 1, 3]),
             (0, dict(name="DMA32", free=60592, min=2904, low=3628, high=4356, present=3063500, managed=3063500, reserve=[0, 0, 13130, 13130]), [120, 96, 44, 21, 8, 3, 1, 0, 0, 0, 0]),
             (0, dict(name="Normal", free=12488, min=12740, low=15924, high=19108, present=13445120, managed=13445120, reserve=[0, 0, 0, 0]), [1998, 420, 10, 1, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=2.07, counters=C(PG, 88720, 15900000, 50000, 6000, 20000, 60000, 40000), zones=zones, page_kb=4,
               ram_pages=4194288, reserved=99340, swap=(4194300, 0), letters=None, hugepages=False)
    report(log, 2.07, "java", 28656, 0x201da, "", 0, "2.6.32-754.35.1.el6.x86_64", X86_TRACE_OLD, t,
           v(28656, "java", 3400000, uid=602, score=968), mem, rhel="rhel6", hw="VMware, Inc. VMware Virtual Platform/440BX Desktop Reference Platform, BIOS 6.00 12/12/2018")
    log.write("centos6-rhel6-2.6.32-754.messages")

def case_rhel7():
    log = Log("syslog", 0.00, host="db01", base=(2021, 3, 14, 2, 11, 50))
    boot(log, ("3.10.0-1160.el7.x86_64", "mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-44) (GCC)", "Mon Oct 19 16:18:59 UTC 2020"), [])
    log.gap(86000.0)
    t = tasks_for(PG, [(1, 0, 6400, 0, "systemd"), (512, 0, 9800, 0, "systemd-journal"), (1022, 0, 3200, 0, "sshd"),
                       (3310, 27, 6100000, 0, "mysqld"), (4100, 48, 120000, 0, "httpd"), (4101, 48, 118000, 0, "httpd")])
    zones = [(0, dict(name="DMA", free=15908, min=32, low=40, high=48, present=15992, managed=15908, reserve=[0, 2815, 7807, 7807]), [1, 0, 1, 0, 2, 1, 1, 0, 1, 1, 3]),
             (0, dict(name="DMA32", free=70120, min=5564, low=6952, high=8344, present=3129216, managed=2884388, reserve=[0, 0, 4991, 4991]), [212, 118, 76, 41, 22, 9, 3, 1, 0, 0, 0]),
             (0, dict(name="Normal", free=49712, min=50012, low=62512, high=75016, present=5242880, managed=5111144, reserve=[0, 0, 0, 0]), [2411, 1020, 402, 120, 12, 1, 0, 0, 0, 0, 0])]
    mem = dict(era=3.10, counters=C(PG, 135740, 6900000, 60000, 9000, 40000, 110000, 30000), zones=zones, page_kb=4,
               ram_pages=2097054, reserved=66531, swap=(2097148, 0), letters="UEMR", hugepages=True)
    # rsyslog writes the multi-line Mem-Info printk as one line with #012
    L = [header(3.10, "mysqld", 0x201da, "", 0, 0), "mysqld cpuset=/ mems_allowed=0",
         cpu_line(3.10, 2, 3310, "mysqld", "3.10.0-1160.el7.x86_64", "Not tainted"),
         "Hardware name: Red Hat KVM, BIOS 0.5.1 01/01/2011", "Call Trace:"] + X86_TRACE_OLD
    sm = show_mem(**mem)
    mi = sm.index("Mem-Info:")
    counters = [l for l in sm if l.startswith(" ") or l.startswith("active_anon")]
    rest = [l for l in sm if l not in counters]
    joined = counters[0] + "".join("#012" + c for c in counters[1:])
    L += rest[:mi + 1 - 0 if False else 1]
    L += [l for l in rest[1:] if "per-cpu" in l or l.startswith("CPU ")]
    L.append(joined)
    L += [l for l in rest[1:] if not ("per-cpu" in l or l.startswith("CPU "))]
    L.append(task_header(3.10))
    L += [task_row(3.10, x) for x in t]
    L += kill_lines(3.10, v(3310, "mysqld", 6100000, uid=27, score=887), rhel="rhel79")
    log.add(L[:7])
    log.add(["NetworkManager[712]: <info>  [1615773310.2311] dhcp4 (eth0): state changed bound -> bound"], level=6)
    log.add(L[7:])
    log.write("centos7-rhel7.9-3.10.0-1160.messages")

def case_el7_early():
    log = Log("dmesg", 0.00)
    boot(log, ("3.10.0-514.el7.x86_64", "builder@kbuilder.dev.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-11) (GCC)", "Tue Nov 22 16:42:41 UTC 2016"), [])
    log.gap(3000.0)
    t = tasks_for(PG, [(1, 0, 6400, 0, "systemd"), (812, 0, 3200, 0, "sshd"), (2210, 1001, 1800000, 0, "php-fpm: pool www")])
    zones = [(0, dict(name="DMA", free=15908, min=132, low=164, high=196, present=15992, managed=15908, reserve=[0, 1822, 1822, 1822]), [1, 0, 1, 0, 2, 1, 1, 0, 1, 1, 3]),
             (0, dict(name="DMA32", free=7010, min=7044, low=8804, high=10564, present=2080640, managed=1866592, reserve=[0, 0, 0, 0]), [712, 118, 76, 11, 2, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=3.10, counters=C(PG, 22918, 1800000, 20000, 2000, 10000, 30000, 8000), zones=zones, page_kb=4,
               ram_pages=524157, reserved=20000, letters="UEMR")
    report(log, 3.10, "php-fpm", 2210, 0x280da, "", 0, "3.10.0-514.el7.x86_64", X86_TRACE_OLD, t,
           v(2210, "php-fpm: pool www", 1800000, uid=1001, score=921), mem, hw="Xen HVM domU, BIOS 4.2.amazon 08/24/2006")
    log.write("centos7.3-3.10.0-514.dmesg")

def case_44():
    log = Log("syslog", 0.00, host="ci-runner", base=(2018, 6, 2, 9, 0, 0))
    boot(log, ("4.4.0-210-generic", "buildd@lgw01-amd64-009) (gcc version 5.4.0 20160609 (Ubuntu 5.4.0-6ubuntu1~16.04.12)", "Fri Apr 16 13:32:46 UTC 2021"), [])
    log.gap(5000.0)
    t = tasks_for(PG, SYSTEM_TASKS[:4] + [(9001, 1001, 310000, 0, "cc1plus"), (9002, 1001, 305000, 0, "cc1plus"),
                                          (9003, 1001, 298000, 0, "cc1plus"), (9004, 1001, 301000, 0, "cc1plus"), (9010, 1001, 12000, 0, "make")])
    zones = [(0, dict(name="DMA", free=15904, min=264, low=328, high=396, present=15992, managed=15904, reserve=[0, 1942, 1942, 1942]), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 3]),
             (0, dict(name="DMA32", free=7212, min=7240, low=9048, high=10860, present=2080640, managed=1992796, reserve=[0, 0, 0, 0]), [504, 211, 90, 22, 6, 1, 0, 0, 0, 0, 0])]
    mem = dict(era=4.04, counters=C(PG, 23116, 1230000, 40000, 3000, 15000, 45000, 9000), zones=zones, page_kb=4,
               ram_pages=524157, reserved=12000, swap=(1046524, 0))
    report(log, 4.04, "cc1plus", 9004, 0x24201ca, "", 0, "4.4.0-210-generic", X86_TRACE_OLD, t,
           v(9001, "cc1plus", 310000, uid=1001, score=151), mem, hw="Google Google Compute Engine/Google Compute Engine, BIOS Google 01/01/2011")
    log.write("ubuntu16-4.4-syslog")

def case_k2t():
    # Phicomm K2T, 64 MB, OpenWrt 19.07 (4.14), logs on flash via logread
    log = Log("logread", 0.00, base=(2019, 8, 6, 15, 30, 1), wd="Tue")
    boot(log, ("4.14.131", "builder@buildhost) (gcc version 7.4.0 (OpenWrt GCC 7.4.0 r10273-2a1f2d6c4b)", "Thu Jun 27 12:18:52 2019"),
         ["CPU: ARMv7 Processor [410fc075] revision 5 (ARMv7), cr=10c5387d", "OF: fdt: Machine model: Phicomm K2T"])
    log.gap(301.0)
    t = tasks_for(PG, [(1, 0, 1100, 0, "procd"), (402, 0, 900, 0, "ubusd"), (860, 0, 1400, 0, "logd"),
                       (1021, 0, 1800, 0, "netifd"), (1290, 453, 2400, 0, "dnsmasq"), (1330, 0, 5200, 0, "hostapd"),
                       (1402, 0, 2100, 0, "uhttpd"), (1611, 0, 9800, 0, "uwsgi"), (1612, 0, 9700, 0, "uwsgi"),
                       (1613, 0, 9600, 0, "uwsgi"), (1614, 0, 9900, 0, "uwsgi")])
    zones = [(0, dict(name="Normal", free=2944, min=2896, low=3620, high=4344, present=65536, managed=56320, kstack=680, pt=420, reserve=[0, 0]),
              [212, 104, 41, 7, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=4.14, counters=C(PG, 2944, 34000, 2800, 600, 1400, 11200, 420), zones=zones, page_kb=4,
               ram_pages=16384, reserved=2304, numa=False, hugepages=False)
    report(log, 4.14, "uwsgi", 1614, 0x14200ca, "GFP_HIGHUSER_MOVABLE", 0, "4.14.131", ARM_TRACE, t,
           v(1614, "uwsgi", 9900), mem, numa=False, hw="Generic DT based system", nodemask="(null)",
           interleave=[(12, "ath10k_pci 0000:01:00.0: failed to increase tx pending count: -16, dropping")])
    log.add(["procd: Instance uwsgi::instance1 s in a crash loop 6 crashes, 0 seconds since last crash"], level=6)
    log.write("openwrt-k2t-4.14-arm-64mb.logread")

def case_mips():
    log = Log("dmesg", 0.00)
    boot(log, ("4.14.180", "builder@buildhost) (gcc version 7.5.0 (OpenWrt GCC 7.5.0 r11063-85e04e9f46)", "Sun Jun 14 12:32:59 2020"),
         ["CPU0 revision is: 00019750 (MIPS 74Kc)"])
    log.gap(5400.0)
    t = tasks_for(PG, [(1, 0, 900, 0, "procd"), (760, 0, 1200, 0, "logd"), (1010, 0, 2200, 0, "netifd"),
                       (1501, 0, 14000, 0, "collectd"), (1700, 0, 1600, 0, "dropbear")])
    zones = [(0, dict(name="Normal", free=1012, min=724, low=904, high=1084, present=32768, managed=27952, kstack=312, pt=180, reserve=[0, 0]),
              [99, 44, 12, 3, 1, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=4.14, counters=C(PG, 1012, 16000, 1900, 300, 900, 5400, 180), zones=zones, page_kb=4,
               ram_pages=8192, reserved=1204, numa=False, hugepages=False)
    report(log, 4.14, "collectd", 1501, 0x14201ca, "GFP_HIGHUSER_MOVABLE|__GFP_COLD", 0, "4.14.180", MIPS_TRACE, t,
           v(1501, "collectd", 14000), mem, numa=False, hw=None, nodemask="(null)")
    log.write("openwrt-ath79-4.14-mips-32mb.dmesg")

def case_arm64_64k():
    log = Log("dmesg", 0.00)
    pg = 64
    boot(log, ("4.18.0-513.5.1.el8_9.aarch64", "mockbuild@aarch64-01.build.eng.rdu2.redhat.com) (gcc version 8.5.0 20210514 (Red Hat 8.5.0-20) (GCC)", "Fri Sep 29 05:21:10 EDT 2023"),
         ["Boot CPU: AArch64 Processor [413fd0c1]"])
    log.gap(40000.0)
    t = tasks_for(pg, [(1, 0, 14000, 0, "systemd"), (2001, 0, 16000, 0, "sshd"), (5100, 1001, 7200000, 0, "spark-worker"),
                       (5101, 1001, 6100000, 0, "spark-executor")])
    zones = [(0, dict(name="DMA32", free=20000, min=24000, low=30000, high=36000, present=4194304, managed=4100000, reserve=[0, 0, 12000, 12000]), [1200, 300, 40, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
             (0, dict(name="Normal", free=150000, min=160000, low=200000, high=240000, present=12582912, managed=12100000, reserve=[0, 0, 0, 0]), [2100, 140, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=4.18, counters=C(pg, 170000, 13500000, 700000, 20000, 300000, 900000, 90000), zones=zones, page_kb=pg,
               ram_pages=262144, reserved=9000, swap=(4194240, 0))
    report(log, 4.18, "spark-executor", 5101, 0x6200ca, "GFP_HIGHUSER_MOVABLE", 0, "4.18.0-513.5.1.el8_9.aarch64", ARM64_TRACE, t,
           v(5100, "spark-worker", 7200000, uid=1001), mem, hw="Ampere Altra Mt. Jade/Mt. Jade, BIOS 2.10.20230517 05/17/2023", nodemask="(null)")
    log.write("rhel8-4.18-arm64-64k-pages.dmesg")

def case_android():
    log = Log("kmsg-caller", 0.00)
    boot(log, ("5.10.177-android12-9-00001-g8b4c4f0b12ad-ab10411133", "build-user@build-host) (Android (8508608, based on r450784e) clang version 14.0.7", "Wed Jul 12 00:00:00 UTC 2023"),
         ["Boot CPU: AArch64 Processor [411fd411]"])
    log.gap(20000.0)
    t = tasks_for(PG, [(1, 0, 4100, -1000, "init"), (612, 1000, 190000, -900, "system_server"), (1301, 10123, 820000, 0, "com.example.game"),
                       (1402, 10080, 90000, 200, "com.android.chrome"), (1403, 10080, 60000, 200, "com.android.chrome:sandboxed_process0"),
                       (701, 1041, 8000, -1000, "audioserver")])
    zones = [(0, dict(name="Normal", free=31200, min=11900, low=29000, high=31400, present=3900000, managed=3702000, pcp=400, reserve=[0, 0, 0]),
              [4012, 1300, 102, 8, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=5.10, counters=C(PG, 31200, 1600000, 300000, 40000, 90000, 410000, 60000), zones=zones, page_kb=4,
               ram_pages=975000, reserved=32000, swap=(2097148, 0), numa=False)
    report(log, 5.10, "HeapTaskDaemon", 1335, 0x100cca, "GFP_HIGHUSER_MOVABLE", 0, "5.10.177-android12-9-00001-g8b4c4f0b12ad-ab10411133",
           ARM64_TRACE, t, v(1301, "com.example.game", 820000, uid=10123), mem, numa=False, tid="T1335",
           hw="Qualcomm Technologies, Inc. Lahaina MTP", taint="Tainted: G        W  O",
           oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=top-app,mems_allowed=0,global_oom,task_memcg=/,task=com.example.game,pid=1301,uid=10123",
           interleave=[(6, "kgsl kgsl-3d0: |kgsl_get_unmapped_area| _get_unmapped_area: pid 1301 mmap_base b0000000 addr 0 pgoff 0 len 1048576 failed error: -12"),
                       (20, "binder: 612:655 transaction failed 29189/-12, size 4512-96 line 3141")],
           reaper="oom_reaper: reaped process 1301 (com.example.game), now anon-rss:0kB, file-rss:0kB, shmem-rss:104kB")
    log.write("android12-5.10-arm64.kmsg")

def case_memcg_v1():
    log = Log("dmesg", 0.00)
    boot(log, ("4.19.0-26-amd64", "debian-kernel@lists.debian.org) (gcc version 8.3.0 (Debian 8.3.0-6)", "Debian 4.19.304-1 (2024-01-09)"), [])
    log.gap(9000.0)
    cg = "/docker/3f2a9c1e5b7d8e0f"
    t = tasks_for(PG, [(21001, 0, 2200, 0, "tini"), (21020, 0, 510000, 0, "python3"), (21033, 0, 12000, 0, "sh")])
    memcg = dict(v=1, task=cg, path=cg, cpuset="3f2a9c1e5b7d8e0f", usage=524288, limit=524288, failcnt=1874, kmem=9300,
                 stats=[("cache", 1320), ("rss", 512960), ("rss_huge", 0), ("shmem", 0), ("mapped_file", 264), ("dirty", 0),
                        ("writeback", 0), ("swap", 0), ("inactive_anon", 0), ("active_anon", 512900),
                        ("inactive_file", 700), ("active_file", 620), ("unevictable", 0)])
    report(log, 4.19, "python3", 21020, 0x6000c0, "GFP_KERNEL", 0, "4.19.0-26-amd64", X86_TRACE_NEW[1:7], t,
           v(21020, "python3", 510000), None, memcg=memcg, prefix="Memory cgroup out of memory", nodemask="(null)")
    log.write("debian10-4.19-docker-memcg-v1.dmesg")

def case_memcg_v2_51():
    log = Log("dmesg", 0.00)
    boot(log, ("5.1.21-050121-generic", "kernel@kathleen) (gcc version 9.1.0 (Ubuntu 9.1.0-9ubuntu2)", "Sat Jul 27 10:49:13 UTC 2019"), [])
    log.gap(600.0)
    cg = "/system.slice/batch.service"
    t = tasks_for(PG, [(4001, 0, 2000, 0, "bash"), (4010, 0, 1020000, 0, "sort")])
    memcg = dict(v=2, path=cg, usage=1048576, limit=1048576, failcnt=411,
                 stats=[("anon", 1040187392), ("file", 4096000), ("kernel_stack", 73728), ("slab", 2215936), ("sock", 0),
                        ("shmem", 0), ("file_mapped", 1048576), ("file_dirty", 0), ("file_writeback", 0)])
    report(log, 5.01, "sort", 4010, 0x6000c0, "GFP_KERNEL", 0, "5.1.21-050121-generic", X86_TRACE_NEW, t,
           v(4010, "sort", 1020000), None, memcg=memcg, prefix="Memory cgroup out of memory",
           oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=%s,task_memcg=%s,task=sort,pid=4010,uid=0" % (cg, cg))
    log.write("ubuntu-mainline-5.1-memcg-v2-constraint-none.dmesg")

def case_memcg_k8s():
    log = Log("journal", 1000.0, host="node-7", base=(2024, 2, 20, 11, 0, 0))
    boot(log, ("5.15.0-1051-aws", "buildd@lcy02-amd64-010) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0", "Fri Nov 24 13:31:08 UTC 2023"), [])
    log.gap(50000.0)
    cg = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7c1d.slice"
    tcg = cg + "/cri-containerd-91ab.scope"
    t = tasks_for(PG, [(30011, 65535, 400, -998, "pause"), (30102, 1000, 300000, 985, "java"), (30150, 1000, 2000, 985, "sh")])
    memcg = dict(v=2, path=cg, usage=307200, limit=307200, failcnt=92,
                 stats=[("anon", 155189248), ("file", 8192000), ("kernel", 4915200), ("kernel_stack", 294912),
                        ("pagetables", 1228800), ("percpu", 0), ("sock", 0), ("vmalloc", 0), ("shmem", 150994944),
                        ("file_mapped", 2097152), ("slab", 3145728)])
    report(log, 5.15, "java", 30102, 0xcc0, "GFP_KERNEL", 0, "5.15.0-1051-aws", X86_TRACE_NEW, t,
           v(30102, "java", 300000, uid=1000, adj=985, shmem=140000), None, memcg=memcg, prefix="Memory cgroup out of memory",
           hw="Amazon EC2 m5.xlarge/, BIOS 1.0 10/16/2017",
           oomkill="oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-91ab.scope,mems_allowed=0,oom_memcg=%s,task_memcg=%s,task=java,pid=30102,uid=1000" % (cg, tcg))
    log.add(["containerd[812]: time=\"2024-02-20T11:50:13Z\" level=info msg=\"TaskOOM event container_id:\\\"91ab\\\"\""], level=6)
    log.write("eks-5.15-k8s-memcg-v2-shmem.journal")

def case_memcg_exiting():
    log = Log("dmesg", 0.00)
    boot(log, ("4.15.0-213-generic", "buildd@lcy02-amd64-079) (gcc version 7.5.0 (Ubuntu 7.5.0-3ubuntu1~18.04)", "Fri Jun 2 14:27:32 UTC 2023"), [])
    log.gap(3000.0)
    cg = "/lxc/build01"
    memcg = dict(v=1, task=cg + "/init.scope", path=cg, cpuset="build01", usage=2097152, limit=2097152, failcnt=20011, kmem=61000,
                 stats=[("cache", 10240), ("rss", 2025000), ("rss_huge", 0), ("shmem", 0), ("mapped_file", 4096)])
    L = [header(4.15, "ld", 0x14000c0, "GFP_KERNEL", 0, 0), "ld cpuset=build01 mems_allowed=0",
         cpu_line(4.15, 1, 7711, "ld", "4.15.0-213-generic"), "Call Trace:"] + X86_TRACE_NEW[1:6] + [
         "Task in %s killed as a result of limit of %s" % (memcg["task"], cg),
         "memory: usage 2097152kB, limit 2097152kB, failcnt 20011",
         "memory+swap: usage 2097152kB, limit 9007199254740988kB, failcnt 0",
         "kmem: usage 61000kB, limit 9007199254740988kB, failcnt 0",
         "Memory cgroup stats for %s: " % cg + " ".join("%s:%dKB" % kv for kv in memcg["stats"]),
         task_header(4.15), task_row(4.15, (7701, 100000, 60000, 2000, 0, "make")),
         task_row(4.15, (7711, 100000, 600000, 506000, 0, "ld")),
         "Memory cgroup out of memory: OOM victim 7711 (ld) is already exiting. Skip killing the task"]
    log.add(L)
    log.write("ubuntu18-4.15-lxc-memcg-victim-exiting.dmesg")

def case_bundle(base="rhel8-bundle", messages_style="syslog"):
    # the same OOM in dmesg and /var/log/messages of one sosreport-like folder
    rel = "4.18.0-477.27.1.el8_8.x86_64"
    def build(style):
        log = Log(style, 0.00, host="app7", base=(2023, 10, 2, 8, 0, 0))
        boot(log, (rel, "mockbuild@x86-vm-07.build.eng.bos.redhat.com) (gcc version 8.5.0 20210514 (Red Hat 8.5.0-18) (GCC)", "Thu Aug 31 10:29:22 EDT 2023"), [])
        log.gap(21000.0)
        t = tasks_for(PG, SYSTEM_TASKS + [(6611, 1000, 3000000, 0, "gitlab-puma"), (6612, 1000, 800000, 0, "gitlab-puma")])
        cc = C(PG, 81360, 3950000, 150000, 30000, 60000, 120000, 20000)
        zones = x86_zones([15360, 6000, 60000], [68, 6000, 64000], managed_normal=fit_managed(cc), buddies=B_LOW)
        mem = dict(era=4.18, counters=cc, zones=zones, page_kb=4,
                   ram_pages=2097000, reserved=60000, swap=(0, 0))
        report(log, 4.18, "gitlab-puma", 6612, 0x6280ca, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", 0, rel, X86_TRACE_NEW, t,
               v(6611, "gitlab-puma", 3000000, uid=1000), mem, nodemask="(null)", hw="Red Hat KVM/RHEL, BIOS 1.16.0-3.module+el8.8.0+16781+9f4724c2 04/01/2014",
               reaper="oom_reaper: reaped process 6611 (gitlab-puma), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
        return log
    build("dmesg").write(base + "/sos_commands/kernel/dmesg")
    m = build(messages_style)
    m.lines.insert(3, "Oct  2 13:50:00 app7 systemd[1]: Started Session 12 of user git.")
    m.write(base + "/var/log/messages")

def case_bundle_nostamps():
    # rsyslog fed by journald writes kernel lines without the kernel's stamps
    case_bundle("rhel8-bundle-messages-without-stamps", "syslog-nots")

CASES = [case_515_user, case_61_slab, case_68_unaccounted, case_611_shmem, case_numa_419, case_54_journal, case_510_crlf,
         case_515_frag, case_manual, case_two_ooms, case_truncated, case_headless, case_alloc_task, case_2632, case_rhel6,
         case_rhel7, case_el7_early, case_44, case_k2t, case_mips, case_arm64_64k, case_android, case_memcg_v1,
         case_memcg_v2_51, case_memcg_k8s, case_memcg_exiting, case_bundle, case_bundle_nostamps]

if __name__ == "__main__":
    for c in CASES:
        c()
    print("wrote", len(CASES), "cases to", OUT)
