#!/usr/bin/env python3
"""Build the bundle corpus deterministically (fixed mtimes, sorted names,
no gzip timestamps): an Android bugreport zip, a sosreport tar.xz and an
OpenWrt sysupgrade-style backup. Run from the repository root:

    /usr/bin/python3 tests/corpus/make_bundles.py corpus/bundles

then regenerate the expected reports with tests/golden/run.py --update and
read them by eye."""
import gzip
import io
import lzma
import os
import sys
import tarfile
import zipfile

MTIME = 1705396811  # 2024-01-16 09:20:11 UTC

# ---------------------------------------------------------------- Android
BR_NAME = "bugreport-sargo-QQ3A.200805.001-2024-01-16-09-20-11"

MEMINFO = """MemTotal:        3721016 kB
MemFree:           63412 kB
MemAvailable:     412904 kB
Buffers:            3120 kB
Cached:           498240 kB
SwapCached:        41236 kB
Active:          1412780 kB
Inactive:         712544 kB
Active(anon):    1198212 kB
Inactive(anon):   402816 kB
Active(file):     214568 kB
Inactive(file):   309728 kB
Unevictable:      161840 kB
Mlocked:          161840 kB
SwapTotal:       2097148 kB
SwapFree:          12400 kB
Dirty:               312 kB
Writeback:             0 kB
AnonPages:       1764312 kB
Mapped:           401208 kB
Shmem:             17340 kB
KReclaimable:      96120 kB
Slab:             289748 kB
SReclaimable:      96120 kB
SUnreclaim:       193628 kB
KernelStack:       61296 kB
PageTables:       109420 kB
NFS_Unstable:          0 kB
Bounce:                0 kB
WritebackTmp:          0 kB
CommitLimit:     3957656 kB
Committed_AS:   98763412 kB
VmallocTotal:   263061440 kB
VmallocUsed:      148232 kB
VmallocChunk:          0 kB
CmaTotal:         163840 kB
CmaFree:            2048 kB
"""

SLABINFO = """slabinfo - version: 2.1
# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
ext4_inode_cache    9821  10240   1064   30    8 : tunables    0    0    0 : slabdata    342    342      0
dentry             61234  63504    192   21    1 : tunables    0    0    0 : slabdata   3024   3024      0
inode_cache        14520  15120    600   27    4 : tunables    0    0    0 : slabdata    560    560      0
kmalloc-8192         212    228   8192    4    8 : tunables    0    0    0 : slabdata     57     57      0
kmalloc-4096        1632   1696   4096    8    8 : tunables    0    0    0 : slabdata    212    212      0
kmalloc-2048        2210   2288   2048   16    8 : tunables    0    0    0 : slabdata    143    143      0
kmalloc-1024        4412   4640   1024   16    4 : tunables    0    0    0 : slabdata    290    290      0
kmalloc-512       212340 212352    512   16    2 : tunables    0    0    0 : slabdata  13272  13272      0
kmalloc-256        18230  18496    256   16    1 : tunables    0    0    0 : slabdata   1156   1156      0
kmalloc-128        30211  30464    128   32    1 : tunables    0    0    0 : slabdata    952    952      0
kmalloc-64         88120  88960     64   64    1 : tunables    0    0    0 : slabdata   1390   1390      0
skbuff_head_cache   4312   4480    256   16    1 : tunables    0    0    0 : slabdata    280    280      0
"""

BUDDYINFO = """Node 0, zone   Normal   4210   1811    402     61      9      1      0      0      0      0      0
Node 0, zone  Movable    118     36      8      2      0      0      0      0      0      0      0
"""

VMALLOCINFO = """0xffffff8008000000-0xffffff8008002000    8192 of_iomap+0x54/0x68 phys=0x17c90000 ioremap
0xffffff8008004000-0xffffff8008006000    8192 bpf_prog_alloc+0x44/0xc8 pages=1 vmalloc
0xffffff800a9f0000-0xffffff800abf1000 2101248 kgsl_sharedmem_page_alloc_user+0x1f0/0x4a8 pages=512 vmalloc vpages
0xffffff800ac00000-0xffffff800ac41000  266240 binder_mmap+0x90/0x1c0 user
"""

DMESG = """<6>[240811.214305] lowmemorykiller: Killing 'ogle.android.gm' (18231) (tgid 18231), adj 906,
<6>[240811.214305]    to free 61220kB on behalf of 'kswapd0' (103) because
<6>[240811.214305]    cache 182544kB is below limit 184320kB for oom_score_adj 900
<6>[240811.214305]    Free memory is 5204kB above reserved
<4>[240812.903114] kworker/u16:3: page allocation failure: order:4, mode:0x6040c0(GFP_KERNEL|__GFP_COMP), nodemask=(null)
<4>[240812.903140] CPU: 5 PID: 21877 Comm: kworker/u16:3 Tainted: G S      W  O    4.9.223-g3b6e3a1c2d4f #1
<4>[240812.903148] Hardware name: Qualcomm Technologies, Inc. SDM670 PM660 + PM660L MTP (DT)
<4>[240812.903160] Workqueue: kgsl-workqueue kgsl_process_event_group
<4>[240812.903169] Call trace:
<4>[240812.903181] [<ffffff93a088b1d0>] dump_backtrace+0x0/0x2c8
<4>[240812.903190] [<ffffff93a088b4bc>] show_stack+0x14/0x20
<4>[240812.903201] [<ffffff93a09ac1f4>] warn_alloc+0xe8/0x158
<4>[240812.903209] [<ffffff93a09acda8>] __alloc_pages_nodemask+0xa7c/0xc70
<4>[240812.903221] [<ffffff93a0e2f310>] kgsl_sharedmem_page_alloc_user+0x1f0/0x4a8
<4>[240812.903230] Mem-Info:
<4>[240812.903251] active_anon:299553 inactive_anon:100704 isolated_anon:0
<4>[240812.903251]  active_file:53642 inactive_file:77432 isolated_file:0
<4>[240812.903251]  unevictable:40460 dirty:78 writeback:0 unstable:0
<4>[240812.903251]  slab_reclaimable:24030 slab_unreclaimable:48407
<4>[240812.903251]  mapped:100302 shmem:4335 pagetables:27355 bounce:0
<4>[240812.903251]  free:15853 free_pcp:412 free_cma:512
<4>[240812.903280] Node 0 Normal: 4210*4kB (UMEH) 1811*8kB (UMEH) 402*16kB (UMEH) 61*32kB (UMH) 9*64kB (H) 1*128kB (H) 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 42648kB
<6>[240813.511020] binder: 1542:1570 transaction failed 29201/-28, size 4176-8 line 3135
<6>[240815.042711] healthd: battery l=61 v=3853 t=31.2 h=2 st=3 c=-412000 fc=2921000 cc=412 chg=
"""

SYSTEM_LOG = """--------- beginning of main
01-16 09:18:02.114  1000   781   781 I lowmemorykiller: Kill 'com.google.android.apps.photos' (20455), uid 10123, oom_score_adj 900 to free 81234kB rss, 2048kB swap; reason: low watermark is breached and swap is low (12400kB < 314572kB)
01-16 09:18:02.301  1000  1542  1612 I ActivityManager: Process com.google.android.apps.photos (pid 20455) has died: cch+5 CEM
01-16 09:18:40.877  1000   781   781 I lowmemorykiller: Kill 'com.spotify.music' (19102), uid 10188, oom_score_adj 800 to free 143112kB rss, 10240kB swap; reason: low watermark is breached and swap is low (12400kB < 314572kB)
--------- beginning of system
01-16 09:19:11.532  1000  1542  1569 W ActivityManager: Slow operation: 121ms so far, now at startProcess: done updating pids map
01-16 09:19:58.015 10071 21990 22010 E AndroidRuntime: FATAL EXCEPTION: RenderThread
01-16 09:19:58.015 10071 21990 22010 E AndroidRuntime: java.lang.OutOfMemoryError: Failed to allocate a 4194320 byte allocation with 1048576 free bytes and 3MB until OOM, target footprint 268435456, growth limit 268435456
"""

EVENT_LOG = """--------- beginning of events
01-16 09:18:02.118  1000   781   781 I killinfo: [20455,10123,900,2,81234,2048,5204,61232,182544,12400,2097148,41236,0,0,0,0,0,0]
01-16 09:18:02.302  1000  1542  1612 I am_proc_died: [0,20455,com.google.android.apps.photos,900,17]
01-16 09:18:40.881  1000   781   781 I killinfo: [19102,10188,800,2,143112,10240,5100,60112,181004,12400,2097148,41236,0,0,0,0,0,0]
01-16 09:18:40.902  1000  1542  1569 I am_low_memory: 14
01-16 09:19:11.540  1000  1542  1569 I am_kill: [0,21002,com.android.vending,906,empty #17]
"""

PROCRANK = """  PID       Vss      Rss      Pss      Uss     Swap    PSwap    USwap    ZSwap  cmdline
 1542  4411820K  412344K  268112K  241048K   81240K   80112K   80112K   26704K  system_server
 2211  2216540K  251200K  181932K  172004K   11220K   10244K   10244K    3414K  com.android.systemui
21990  1902112K  301104K  210330K  198220K    4120K    4012K    4012K    1337K  com.example.camera
  781    82116K    6120K    4012K    3904K     120K     118K     118K      39K  /system/bin/lmkd
                           ------   ------   ------  ------   ------   ------   ------  ------
                          1921112K 1711200K  412220K 401122K  401122K  133700K  TOTAL

 ZRAM: 134112K physical used for 401122K in swap (2097148K total swap)
 RAM: 3721016K total, 63412K free, 3120K buffers, 498240K cached, 17340K shmem, 289748K slab
"""

def dumpstate_text():
    out = []
    out.append("========================================================\n"
               "== dumpstate: 2024-01-16 09:20:11\n"
               "========================================================\n\n"
               "Build: QQ3A.200805.001\n"
               "Build fingerprint: 'google/sargo/sargo:10/QQ3A.200805.001/6578210:user/release-keys'\n"
               "Bootloader: b4s4-0.3-6388658\n"
               "Radio: g670-00042-200421-B-6414611\n"
               "Network: T-Mobile\n"
               "Kernel: Linux version 4.9.223-g3b6e3a1c2d4f (android-build@abfarm-us-west1-c-0087) "
               "(Android (5484270 based on r353983c) clang version 9.0.3) #1 SMP PREEMPT Wed Jun 10 22:10:17 UTC 2020\n"
               "Command line: console=ttyMSM0,115200n8 androidboot.hardware=sargo lpm_levels.sleep_disabled=1\n"
               "Uptime: up 2 days, 18:53,  0 users,  load average: 7.12, 6.80, 6.43\n"
               "Bugreport format version: 2.0\n"
               "Dumpstate info: id=1 pid=22611 dry_run=0 args=/system/bin/dumpstate -S -d -z extra_options=bugreportfull\n\n")
    def sec(title, body, dur):
        out.append("------ %s ------\n" % title)
        out.append(body)
        if dur is not None:
            short = title.split(" (")[0]
            out.append("------ %.3fs was the duration of '%s' ------\n" % (dur, short))
    sec("UPTIME (uptime)", " 09:20:11 up 2 days, 18:53,  0 users,  load average: 7.12, 6.80, 6.43\n", 0.006)
    sec("MEMORY INFO (/proc/meminfo)", MEMINFO, 0.001)
    sec("VIRTUAL MEMORY STATS (/proc/vmstat)",
        "nr_free_pages 15853\nnr_zone_inactive_anon 100704\nnr_zone_active_anon 299553\n"
        "pgfault 812337120\npgmajfault 1209331\nallocstall_normal 41233\ncompact_stall 3312\ncompact_fail 2871\n", 0.001)
    sec("VMALLOC INFO (/proc/vmallocinfo)", VMALLOCINFO, 0.004)
    sec("SLAB INFO (/proc/slabinfo)", SLABINFO, 0.012)
    sec("ZONEINFO (/proc/zoneinfo)", "Node 0, zone   Normal\n  pages free     15853\n        min      1418\n        low      5203\n        high     5912\n", 0.002)
    sec("PAGETYPEINFO (/proc/pagetypeinfo)",
        "*** Error dumping /proc/pagetypeinfo (PAGETYPEINFO): Permission denied\n", 0.000)
    sec("BUDDYINFO (/proc/buddyinfo)", BUDDYINFO, 0.000)
    sec("PSI memory (/proc/pressure/memory)",
        "some avg10=31.02 avg60=27.44 avg300=19.80 total=41233120021\n"
        "full avg10=12.10 avg60=10.95 avg300=7.31 total=14002311234\n", 0.000)
    sec("PROCRANK (procrank)", PROCRANK, 1.284)
    sec("LIBRANK (librank)", "*** command 'librank' timed out after 10.003s (killing pid 22702)\n", None)
    out.append("------ 10.004s was the duration of 'LIBRANK' ------\n")
    sec("KERNEL LOG (dmesg)", DMESG, 0.081)
    sec("SYSTEM LOG (logcat -v threadtime -v printable -v uid -d *:v)", SYSTEM_LOG, 0.912)
    sec("EVENT LOG (logcat -b events -v threadtime -v printable -v uid -d *:v)", EVENT_LOG, 0.204)
    out.append("========================================================\n"
               "== Android Framework Services\n"
               "========================================================\n")
    sec("DUMPSYS MEMINFO (/system/bin/dumpsys meminfo -a)",
        "-------------------------------------------------------------------------------\n"
        "DUMP OF SERVICE meminfo:\n"
        "Total RAM: 3,721,016K (status critical)\n"
        " Free RAM:   564,772K (   63,412K cached pss +   498,240K cached kernel +     3,120K free)\n"
        " Used RAM: 3,007,112K ( 2,611,200K used pss +   395,912K kernel)\n"
        " Lost RAM:   149,132K\n"
        "     ZRAM:   134,112K physical used for   401,122K in swap ( 2,097,148K total swap)\n", 2.131)
    out.append("========================================================\n"
               "== dumpstate: done (id 1)\n"
               "========================================================\n")
    return "".join(out).encode()

def make_bugreport(d):
    path = os.path.join(d, BR_NAME + ".zip")
    entries = [
        ("version.txt", b"2.0"),
        ("main_entry.txt", (BR_NAME + ".txt").encode()),
        (BR_NAME + ".txt", dumpstate_text()),
        ("dumpstate_log.txt",
         b"Starting dumpstate\nbugreport dir: /bugreports\nbase name: bugreport-sargo-QQ3A.200805.001\n"
         b"Running command 'librank' timed out after 10.003s\nDone\n"),
        ("FS/proc/meminfo", MEMINFO.encode()),
        ("FS/proc/buddyinfo", BUDDYINFO.encode()),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=(2024, 1, 16, 9, 20, 11))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)

# ---------------------------------------------------------------- sosreport
SOS_TOP = "sosreport-web02-2024-02-03-qkxzwtp"

SOS_DMESG = """[    0.000000] Linux version 5.14.0-362.8.1.el9_3.x86_64 (mockbuild@x86-64-01.build.eng.rdu2.redhat.com) (gcc (GCC) 11.4.1 20230605 (Red Hat 11.4.1-2), GNU ld version 2.35.2-42.el9) #1 SMP PREEMPT_DYNAMIC Tue Oct 3 11:12:36 EDT 2023
[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt2)/vmlinuz-5.14.0-362.8.1.el9_3.x86_64 root=/dev/mapper/rhel-root ro crashkernel=1G-4G:192M,4G-64G:256M
[    0.000000] BIOS-provided physical RAM map:
[ 8123.441201] nginx invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
[ 8123.441230] CPU: 1 PID: 20311 Comm: nginx Not tainted 5.14.0-362.8.1.el9_3.x86_64 #1
[ 8123.441235] Hardware name: Red Hat KVM/RHEL, BIOS 1.16.1-1.el9 04/01/2014
[ 8123.441499] Mem-Info:
[ 8123.441504] active_anon:101233 inactive_anon:771204 isolated_anon:0
[ 8123.441504]  active_file:12 inactive_file:40 isolated_file:0
[ 8123.441504]  unevictable:0 dirty:0 writeback:0
[ 8123.441504]  slab_reclaimable:8112 slab_unreclaimable:30122
[ 8123.441504]  mapped:221 shmem:1102 pagetables:4012
[ 8123.441504]  free:12998 free_pcp:56 free_cma:0
[ 8123.441630] Tasks state (memory values in pages):
[ 8123.441631] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
[ 8123.441640] [  20311]   991 20311  3422211   812330  6795264        0             0 nginx
[ 8123.441671] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/nginx.service,task=nginx,pid=20311,uid=991
[ 8123.441712] Out of memory: Killed process 20311 (nginx) total-vm:13688844kB, anon-rss:3249320kB, file-rss:0kB, shmem-rss:0kB, UID:991 pgtables:6636kB oom_score_adj:0
"""

SOS_MEMINFO = """MemTotal:        3861312 kB
MemFree:          151200 kB
MemAvailable:     212404 kB
Buffers:            2104 kB
Cached:           180232 kB
SwapCached:            0 kB
Active:           410222 kB
Inactive:        3082114 kB
SwapTotal:             0 kB
SwapFree:              0 kB
AnonPages:       3309120 kB
Slab:             152936 kB
SReclaimable:      32448 kB
SUnreclaim:       120488 kB
CommitLimit:     1930656 kB
Committed_AS:    6233120 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
"""

def sos_files():
    free = ("               total        used        free      shared  buff/cache   available\n"
            "Mem:         3861312     3527776      151200        4408      182336      212404\n"
            "Swap:              0           0           0\n")
    files = {
        "version.txt": "sosreport: 4.6.0\n",
        "sos_commands/kernel/dmesg": SOS_DMESG,
        "sos_commands/kernel/uname_-a": "Linux web02.example.com 5.14.0-362.8.1.el9_3.x86_64 #1 SMP PREEMPT_DYNAMIC Tue Oct 3 11:12:36 EDT 2023 x86_64 x86_64 x86_64 GNU/Linux\n",
        "sos_commands/kernel/sysctl_-a": "vm.min_free_kbytes = 67584\nvm.overcommit_memory = 0\nvm.panic_on_oom = 0\nnet.core.rmem_default = 212992\nnet.core.rmem_max = 212992\n",
        "sos_commands/memory/free": free,
        "sos_commands/memory/free_-m": free.replace("3861312", "3770").replace("3527776", "3445").replace("151200", "147").replace("182336", "178").replace("212404", "207").replace("4408", "4"),
        "sos_commands/memory/slabtop_-o": " Active / Total Objects (% used)    : 801234 / 845120 (94.8%)\n Active / Total Slabs (% used)      : 30122 / 30122 (100.0%)\n\n  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n212352 212340  99%    0.50K  13272       16    106176K kmalloc-512\n",
        "proc/meminfo": SOS_MEMINFO,
        "proc/buddyinfo": "Node 0, zone      DMA      0      0      0      1      2      1      1      0      1      1      3\nNode 0, zone    DMA32   1203    611    302     98     20      4      1      0      0      0      0\nNode 0, zone   Normal   2210    801    112     31      3      0      0      0      0      0      0\n",
        "proc/net/raw6": "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n   58: 00000000000000000000000000000000:003A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31312 2 0000000000000000 0\n",
        "proc/sys/vm/min_free_kbytes": "67584\n",
        "etc/hostname": "web02.example.com\n",
        "var/log/messages": "Feb  3 10:41:12 web02 kernel: nginx invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\nFeb  3 10:41:12 web02 kernel: Out of memory: Killed process 20311 (nginx) total-vm:13688844kB, anon-rss:3249320kB, file-rss:0kB, shmem-rss:0kB, UID:991 pgtables:6636kB oom_score_adj:0\nFeb  3 10:41:12 web02 systemd[1]: nginx.service: A process of this unit has been killed by the OOM killer.\n",
    }
    links = {"dmesg": "sos_commands/kernel/dmesg", "free": "sos_commands/memory/free",
             "uname": "sos_commands/kernel/uname_-a", "hostname": "etc/hostname"}
    return files, links

def add_tar(t, name, data=None, link=None, dirs=False):
    ti = tarfile.TarInfo(name)
    ti.mtime = MTIME
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = "root"
    if dirs:
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755
        t.addfile(ti)
    elif link is not None:
        ti.type = tarfile.SYMTYPE
        ti.linkname = link
        ti.mode = 0o777
        t.addfile(ti)
    else:
        ti.mode = 0o644
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))

def make_sosreport(d):
    files, links = sos_files()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
        add_tar(t, SOS_TOP, dirs=True)
        names = sorted(list(files) + list(links))
        for n in names:
            if n in links:
                add_tar(t, SOS_TOP + "/" + n, link=links[n])
            else:
                add_tar(t, SOS_TOP + "/" + n, files[n].encode())
    with open(os.path.join(d, SOS_TOP + ".tar.xz"), "wb") as f:
        f.write(lzma.compress(raw.getvalue(), preset=6))

# ---------------------------------------------------------------- OpenWrt
def make_openwrt_backup(d):
    files = {
        "etc/config/system": "config system\n\toption hostname 'OpenWrt'\n\toption timezone 'CST-8'\n\toption log_size '64'\n\toption log_file '/overlay/log/messages'\n",
        "etc/config/network": "config interface 'loopback'\n\toption device 'lo'\n\toption proto 'static'\n\toption ipaddr '127.0.0.1'\n\nconfig interface 'lan'\n\toption device 'br-lan'\n\toption proto 'static'\n\toption ipaddr '192.168.1.1'\n\toption netmask '255.255.255.0'\n",
        "etc/sysctl.conf": "vm.min_free_kbytes=1024\nnet.core.rmem_default=52428800\nnet.core.rmem_max=52428800\n",
        "etc/uwsgi.conf": "[uwsgi]\nstrict = true\nprocesses = 3\nthreads = 2\nlimit-as = 1000\nmax-requests = 5000\n",
        "etc/openwrt_release": "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='19.07.7'\nDISTRIB_REVISION='r11306-c4a6851c72'\nDISTRIB_TARGET='ramips/mt7621'\nDISTRIB_ARCH='mipsel_24kc'\n",
        "etc/crontabs/root": "*/10 * * * * /usr/sbin/logread > /overlay/log/logread.$(date +%H%M).txt\n",
    }
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
        for n in sorted(files):
            add_tar(t, n, files[n].encode())
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, filename="") as g:
        g.write(raw.getvalue())
    with open(os.path.join(d, "backup-OpenWrt-2024-01-16.tar.gz"), "wb") as f:
        f.write(gz.getvalue())

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "corpus/bundles"
    make_bugreport(out)
    make_sosreport(out)
    make_openwrt_backup(out)
