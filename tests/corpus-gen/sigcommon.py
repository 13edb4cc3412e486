"""Shared pieces of gen_known.py: deterministic archives, /proc
snapshots and kernel-log reports built from the formats of
shared/reference/formats.md (the OOM pieces come from gen_oom.py)."""
import gzip, io, os, sys, tarfile, time, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_oom as G  # noqa: E402  (Log, report, show_mem pieces)

FIXED_MTIME = 1700000000  # archives carry no build time


def write(path, text, crlf=False):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if crlf:
        text = text.replace("\n", "\r\n")
    with open(path, "w", newline="") as fh:
        fh.write(text)


def write_tree(root, files):
    """files: {relative path: text}"""
    for rel, text in sorted(files.items()):
        write(os.path.join(root, rel), text)


def tar_gz(path, files, prefix=""):
    """A .tar.gz with sorted members, fixed mtime/owner and a gzip header
    without a time stamp: the same bytes on every run."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        dirs = set()
        for rel in sorted(files):
            parts = (prefix + rel).split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d and d not in dirs:
                    dirs.add(d)
                    ti = tarfile.TarInfo(d)
                    ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, FIXED_MTIME
                    tf.addfile(ti)
            data = files[rel].encode()
            ti = tarfile.TarInfo(prefix + rel)
            ti.size, ti.mode, ti.mtime = len(data), 0o644, FIXED_MTIME
            ti.uname = ti.gname = "root"
            tf.addfile(ti, io.BytesIO(data))
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as gz:
            gz.write(raw.getvalue())


def zip_file(path, files):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in sorted(files):
            zi = zipfile.ZipInfo(rel, date_time=(2024, 5, 2, 10, 14, 30))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, files[rel])


# ------------------------------------------------------------ time stamps
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def date_line(epoch, tz="UTC"):
    """`date` output: Wed May 24 12:00:07 UTC 2023"""
    t = time.gmtime(epoch)
    return "%s %s %2d %02d:%02d:%02d %s %d" % (DAYS[t.tm_wday], G.MON[t.tm_mon - 1], t.tm_mday,
                                               t.tm_hour, t.tm_min, t.tm_sec, tz, t.tm_year)


def epoch(y, mo, d, h=0, mi=0, s=0):
    import calendar
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))


# ------------------------------------------------------------ /proc pieces
SLAB_HEAD = ("slabinfo - version: 2.1\n"
             "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> "
             "<batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n")


def slab_row(name, num, objsize, perslab, pages, active=None):
    slabs = (num + perslab - 1) // perslab
    num = slabs * perslab
    act = num - (num // 97 if active is None else num - active)
    return "%-18s %6d %6d %6d %4d %4d : tunables    0    0    0 : slabdata %6d %6d      0\n" % (
        name, act, num, objsize, perslab, pages, slabs, slabs)


# (name, objsize, objperslab, pagesperslab, base objects) of a 64-bit kernel
X86_CACHES = [("ext4_inode_cache", 1096, 29, 8, 40455), ("dentry", 192, 21, 1, 96957),
              ("inode_cache", 600, 27, 4, 20871), ("radix_tree_node", 584, 28, 4, 15540),
              ("buffer_head", 104, 39, 1, 113958), ("vm_area_struct", 208, 19, 1, 27208),
              ("anon_vma_chain", 64, 64, 1, 31424), ("filp", 256, 16, 1, 8672),
              ("kmalloc-4k", 4096, 8, 8, 1184), ("kmalloc-2k", 2048, 16, 8, 1920),
              ("kmalloc-1k", 1024, 16, 4, 3072), ("kmalloc-512", 512, 16, 2, 4608),
              ("kmalloc-256", 256, 16, 1, 5120), ("kmalloc-192", 192, 21, 1, 8421),
              ("kmalloc-128", 128, 32, 1, 6400), ("kmalloc-64", 64, 64, 1, 24576),
              ("skbuff_head_cache", 256, 16, 1, 1536), ("sock_inode_cache", 832, 19, 4, 1216),
              ("task_struct", 9856, 3, 8, 534), ("mm_struct", 1152, 28, 8, 252)]

# a 32-bit ARM/MIPS kernel of an embedded board (old kmalloc names)
EMB_CACHES = [("dentry", 136, 30, 1, 9120), ("inode_cache", 344, 23, 2, 4140),
              ("buffer_head", 64, 64, 1, 2560), ("vm_area_struct", 88, 46, 1, 3496),
              ("anon_vma_chain", 20, 204, 1, 3264), ("filp", 160, 25, 1, 1350),
              ("kmalloc-8192", 8192, 4, 8, 36), ("kmalloc-4096", 4096, 8, 8, 296),
              ("kmalloc-2048", 2048, 16, 8, 384), ("kmalloc-1024", 1024, 16, 4, 528),
              ("kmalloc-512", 512, 16, 2, 736), ("kmalloc-256", 256, 16, 1, 912),
              ("kmalloc-128", 128, 32, 1, 1472), ("kmalloc-64", 64, 64, 1, 4224),
              ("skbuff_head_cache", 192, 21, 1, 1281), ("sock_inode_cache", 384, 21, 2, 273),
              ("task_struct", 1408, 23, 8, 115)]


def slabinfo(caches, grow=None, i=0, jitter=True):
    """One /proc/slabinfo snapshot; grow = {name: objects added per snapshot}."""
    out = [SLAB_HEAD]
    for k, (name, size, per, pages, base) in enumerate(caches):
        n = base + (grow or {}).get(name, 0) * i
        if jitter and name not in (grow or {}):
            n += ((i * 7 + k * 3) % 5 - 2) * per  # reclaim noise
        out.append(slab_row(name, max(n, per), size, per, pages))
    return "".join(out)


def meminfo(total, free, avail, buffers=2048, cached=20000, slab=9000, sunreclaim=5000, shmem=800, anon=None,
            swap=(0, 0), vmalloc_used=4000):
    anon = anon if anon is not None else max(total - free - buffers - cached - slab - 8000, 1000)
    rows = [("MemTotal", total), ("MemFree", free), ("MemAvailable", avail), ("Buffers", buffers),
            ("Cached", cached), ("SwapCached", 0), ("Active", anon // 2 + cached // 2),
            ("Inactive", anon - anon // 2 + cached - cached // 2), ("Active(anon)", anon // 2),
            ("Inactive(anon)", anon - anon // 2), ("Active(file)", cached // 2), ("Inactive(file)", cached - cached // 2),
            ("Unevictable", 0), ("Mlocked", 0), ("SwapTotal", swap[0]), ("SwapFree", swap[1]), ("Dirty", 12),
            ("Writeback", 0), ("AnonPages", anon), ("Mapped", cached // 3), ("Shmem", shmem),
            ("KReclaimable", slab - sunreclaim), ("Slab", slab), ("SReclaimable", slab - sunreclaim),
            ("SUnreclaim", sunreclaim), ("KernelStack", 1200), ("PageTables", 900), ("NFS_Unstable", 0),
            ("Bounce", 0), ("WritebackTmp", 0), ("CommitLimit", total // 2 + swap[0]), ("Committed_AS", anon * 2),
            ("VmallocTotal", 1040384), ("VmallocUsed", vmalloc_used), ("VmallocChunk", 0)]
    return "".join("%-16s%8d kB\n" % (k + ":", v) for k, v in rows)


def net_dev(ifaces):
    """ifaces: [(name, rx_bytes, rx_packets, tx_bytes, tx_packets)]"""
    out = ["Inter-|   Receive                                                |  Transmit\n",
           " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"]
    for name, rb, rp, tb, tp in ifaces:
        out.append("%6s: %8d %7d    0    0    0     0          0         0 %8d %7d    0    0    0     0       0          0\n"
                   % (name, rb, rp, tb, tp))
    return "".join(out)


def ethtool_link(iface, speed="1000Mb/s", port="MII", link=True, autoneg="off", prompt="root@board:~# "):
    return ("%sethtool %s\nSettings for %s:\n\tSupported ports: [ %s ]\n\tSupported link modes:   1000baseT/Full \n"
            "\tSupports auto-negotiation: No\n\tSpeed: %s\n\tDuplex: Full\n\tPort: %s\n\tPHYAD: 0\n"
            "\tTransceiver: internal\n\tAuto-negotiation: %s\n\tLink detected: %s\n") % (
        prompt, iface, iface, port, speed, port, autoneg, "yes" if link else "no")


def raw6_table(rows):
    """rows: (slot, local_hex, proto, rx_queue, uid, inode, drops)"""
    out = ["  sl  local_address                         remote_address                        st tx_queue rx_queue tr "
           "tm->when retrnsmt   uid  timeout inode ref pointer drops\n"]
    for sl, local, proto, rxq, uid, inode, drops in rows:
        out.append("  %3d: %s:%04X 00000000000000000000000000000000:0000 07 00000000:%08X 00:00000000 00000000 %5d"
                   "        0 %d 2 ffff8e0a%08x %d\n" % (sl, local, proto, rxq, uid, inode, 0x4c6b2000 + sl * 0x400, drops))
    return "".join(out)


ANY6 = "00000000000000000000000000000000"


def kmemleak_object(addr, size, comm, pid, jiffies, age, frames, hexdump=None):
    """One /sys/kernel/debug/kmemleak record (frames: (address, symbol+off/len))."""
    L = ["unreferenced object 0x%s (size %d):" % (addr, size),
         "  comm \"%s\", pid %d, jiffies %d (age %.3fs)" % (comm, pid, jiffies, age)]
    if hexdump:
        L.append("  hex dump (first 32 bytes):")
        L += ["    " + h for h in hexdump]
    L.append("  backtrace:")
    L += ["    [<%s>] %s" % (a, f) for a, f in frames]
    return "\n".join(L) + "\n"
