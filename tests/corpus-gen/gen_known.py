#!/usr/bin/env python3
"""Write the signature corpus (corpus/signatures/<rule>/) and the field-note
stories (corpus/stories/): for every known-bug rule two bundles that show it
as a device or collection script would hand them over, and near misses that
must stay silent. Run from the source root:
    tests/corpus-gen/gen_known.py [corpus] [case_...]
Archives are built deterministically (sigcommon.py). The expected outputs
are regenerated with tests/golden/run.py --update and read by eye."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigcommon as S  # noqa: E402
from sigcommon import G  # noqa: E402

CORPUS = sys.argv[1] if len(sys.argv) > 1 else "corpus"
SIG = os.path.join(CORPUS, "signatures")
STORIES = os.path.join(CORPUS, "stories")
PG = 4


def expect(path, lines):
    S.write(path + ".expect-rules", "".join(l + "\n" for l in lines))


def text(log):
    return "\n".join(log.lines) + "\n"


# ====================================================================== ath10k
OWRT_BANNER = "builder@buildhost) (gcc version 7.5.0 (OpenWrt GCC 7.5.0 r11257-5090152ae3)"


def owrt_release(rel, rev, target, arch):
    return ("DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='%s'\nDISTRIB_REVISION='%s'\nDISTRIB_TARGET='%s'\n"
            "DISTRIB_ARCH='%s'\nDISTRIB_DESCRIPTION='OpenWrt %s %s'\nDISTRIB_TAINTS=''\n") % (
        rel, rev, target, arch, rel, rev)


def board_json(mid, name):
    return ('{\n\t"model": {\n\t\t"id": "%s",\n\t\t"name": "%s"\n\t},\n\t"network": {\n\t\t"lan": {\n'
            '\t\t\t"ifname": "eth0",\n\t\t\t"protocol": "static"\n\t\t}\n\t}\n}\n') % (mid, name)


def ath10k_ipq40xx_dmesg():
    """A 128 MB IPQ40xx access point (GL.iNet GL-B1300) with two ath10k-ct
    radios (qca4019 on AHB): a page allocation failure in the HTT RX ring
    refill, the driver's -12, then the OOM killer."""
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.14.195", OWRT_BANNER, "Thu Sep 10 07:53:15 2020"),
           ["CPU: ARMv7 Processor [410fc075] revision 5 (ARMv7), cr=10c5387d",
            "OF: fdt: Machine model: GL.iNet GL-B1300",
            "Memory: 118140K/131072K available (6144K kernel code, 278K rwdata, 1536K rodata, 1024K init, 277K bss, 12932K reserved, 0K cma-reserved, 0K highmem)"])
    log.gap(11.2)
    log.add(["ath10k_ahb a000000.wifi: qca4019 hw1.0 target 0x01000000 chip_id 0x003b00ff sub 0000:0000",
             "ath10k_ahb a000000.wifi: kconfig debug 0 debugfs 1 tracing 0 dfs 1 testmode 0",
             "ath10k_ahb a000000.wifi: firmware ver 10.4b-ct-4019-fW-13-5ae337bb1 api 5 features wowlan,mfp,peer-flow-ctrl,txstatus-noack,wmi-10.x-CT,ratemask-CT,regdump-CT,txrate-CT,flush-all-CT,pingpong-CT,ch-regs-CT,nop-CT,set-special-CT,tx-rc-CT,cust-stats-CT,txrate2-CT,beacon-cb-CT,wmi-block-ack-CT,wmi-bcn-rc-CT crc32 ce2a9e0f",
             "ath10k_ahb a000000.wifi: board_file api 2 bmi_id 0:16 crc32 8e73ee5b",
             "ath10k_ahb a000000.wifi: htt-ver 2.2 wmi-op 6 htt-op 4 cal file max-sta 512 raw 0 hwcrypto 1",
             "ath10k_ahb a800000.wifi: qca4019 hw1.0 target 0x01000000 chip_id 0x003b00ff sub 0000:0000",
             "ath10k_ahb a800000.wifi: firmware ver 10.4b-ct-4019-fW-13-5ae337bb1 api 5 features wowlan,mfp,peer-flow-ctrl,txstatus-noack,wmi-10.x-CT,ratemask-CT crc32 ce2a9e0f",
             "ath10k_ahb a800000.wifi: htt-ver 2.2 wmi-op 6 htt-op 4 cal file max-sta 512 raw 0 hwcrypto 1"], level=6)
    log.gap(2870.0)
    af = ["kworker/u8:2: page allocation failure: order:0, mode:0x1080020(GFP_ATOMIC), nodemask=(null)",
          "CPU: 1 PID: 1893 Comm: kworker/u8:2 Not tainted 4.14.195 #0",
          "Hardware name: Generic DT based system",
          "Workqueue: ath10k_wq ath10k_htt_rx_replenish_timer [ath10k_core]",
          "[<c030f8c4>] (unwind_backtrace) from [<c030b6c4>] (show_stack+0x10/0x14)",
          "[<c030b6c4>] (show_stack) from [<c06ea51c>] (dump_stack+0x94/0xa8)",
          "[<c06ea51c>] (dump_stack) from [<c03a0ab0>] (warn_alloc+0xa8/0x168)",
          "[<c03a0ab0>] (warn_alloc) from [<c03a1634>] (__alloc_pages_nodemask+0xb14/0xc00)",
          "[<c03a1634>] (__alloc_pages_nodemask) from [<c03a1890>] (page_frag_alloc+0x5c/0x118)",
          "[<c03a1890>] (page_frag_alloc) from [<c062a7f4>] (__netdev_alloc_skb+0x9c/0x110)",
          "[<c062a7f4>] (__netdev_alloc_skb) from [<bf1b2f6c>] (ath10k_htt_rx_ring_fill_n+0x58/0x1f0 [ath10k_core])",
          "[<bf1b2f6c>] (ath10k_htt_rx_ring_fill_n [ath10k_core]) from [<bf1b3164>] (ath10k_htt_rx_msdu_buff_replenish+0x60/0x94 [ath10k_core])",
          "[<bf1b3164>] (ath10k_htt_rx_msdu_buff_replenish [ath10k_core]) from [<c0336e4c>] (process_one_work+0x1d8/0x3c4)",
          "[<c0336e4c>] (process_one_work) from [<c0337c58>] (worker_thread+0x2a0/0x3f0)",
          "[<c0337c58>] (worker_thread) from [<c033c8a0>] (kthread+0x128/0x130)",
          "[<c033c8a0>] (kthread) from [<c0307de8>] (ret_from_fork+0x14/0x2c)",
          "Mem-Info:",
          "active_anon:3188 inactive_anon:41 isolated_anon:0",
          " active_file:610 inactive_file:702 isolated_file:0",
          " unevictable:0 dirty:0 writeback:0 unstable:0",
          " slab_reclaimable:402 slab_unreclaimable:2788",
          " mapped:419 shmem:168 pagetables:118 bounce:0",
          " free:610 free_pcp:21 free_cma:0",
          "Normal free:2440kB min:1416kB low:1768kB high:2120kB active_anon:12752kB inactive_anon:164kB active_file:2440kB inactive_file:2808kB unevictable:0kB writepending:0kB present:131072kB managed:118140kB mlocked:0kB kernel_stack:544kB pagetables:472kB bounce:0kB free_pcp:84kB local_pcp:0kB free_cma:0kB",
          "lowmem_reserve[]: 0 0",
          "Normal: 324*4kB (UMEH) 97*8kB (UMEH) 11*16kB (UM) 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 2392kB",
          "1480 total pagecache pages",
          "32768 pages RAM",
          "0 pages HighMem/MovableOnly",
          "3233 pages reserved"]
    log.add(af, level=4, dt=0.00031)
    log.add(["ath10k_ahb a000000.wifi: failed to post pci rx buf: -12"] * 1, level=3)
    log.gap(4.1)
    t = G.tasks_for(PG, [(1, 0, 1020, 0, "procd"), (410, 0, 880, 0, "ubusd"), (812, 0, 1180, 0, "logd"),
                         (1030, 0, 1760, 0, "netifd"), (1288, 453, 1920, 0, "dnsmasq"), (1320, 0, 4720, 0, "hostapd"),
                         (1401, 0, 1940, 0, "uhttpd"), (1602, 0, 2440, 0, "uwsgi"), (1603, 0, 2440, 0, "uwsgi"),
                         (1700, 0, 1120, 0, "dropbear")])
    zones = [(0, dict(name="Normal", free=2312, min=1416, low=1768, high=2120, present=131072, managed=118140,
                      kstack=544, pt=472, reserve=[0, 0]), [302, 95, 11, 0, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=4.14, counters=G.C(PG, 2312, 13200, 5200, 680, 1600, 11200, 472), zones=zones, page_kb=4,
               ram_pages=32768, reserved=3233, numa=False, hugepages=False)
    G.report(log, 4.14, "hostapd", 1320, 0x14200ca, "GFP_HIGHUSER_MOVABLE", 0, "4.14.195", G.ARM_TRACE, t,
             G.v(1320, "hostapd", 4720), mem, numa=False, hw="Generic DT based system", nodemask="(null)")
    return text(log)


def case_ath10k():
    d = os.path.join(SIG, "ath10k-small-ram")
    # 1. a folder a support script pulled off a 128 MB IPQ4018 AP with two radios
    S.write_tree(os.path.join(d, "gl-b1300-128mb"), {
        "dmesg.txt": ath10k_ipq40xx_dmesg(),
        "meminfo.txt": S.meminfo(118140, 2380, 9120, buffers=0, cached=6020, slab=16400, sunreclaim=12600, shmem=680,
                                 anon=12900),
        "etc/openwrt_release": owrt_release("19.07.4", "r11208-ce6496d796", "ipq40xx/generic", "arm_cortex-a7_neon-vfpv4"),
        "etc/board.json": board_json("glinet,gl-b1300", "GL.iNet GL-B1300"),
        "proc/sys/vm/min_free_kbytes": "1416\n",
    })
    expect(os.path.join(d, "gl-b1300-128mb"), ["first: ath10k-small-ram", "evaluable: ath10k-small-ram"])
    # 2. a sysupgrade-style dump (tar.gz) from a 64 MB QCA9563 + QCA9888 router:
    #    logread only, the OOM report gives the RAM
    log = G.Log("logread", 0.0, base=(2020, 11, 3, 21, 4, 10), wd="Tue")
    G.boot(log, ("4.14.209", OWRT_BANNER, "Sun Nov 22 12:27:45 2020"),
           ["CPU0 revision is: 00019750 (MIPS 74Kc)", "Memory: 57772K/65536K available (4389K kernel code, 178K rwdata, 1076K rodata, 1200K init, 214K bss, 7764K reserved, 0K cma-reserved)"])
    log.gap(14.0)
    log.add(["ath10k_pci 0000:00:00.0: pci irq legacy oper_irq_mode 1 irq_mode 0 reset_mode 0",
             "ath10k_pci 0000:00:00.0: qca9888 hw2.0 target 0x01000000 chip_id 0x00000000 sub 0000:0000",
             "ath10k_pci 0000:00:00.0: kconfig debug 0 debugfs 1 tracing 0 dfs 1 testmode 0",
             "ath10k_pci 0000:00:00.0: firmware ver 10.4b-ct-9888-fW-13-5ae337bb1 api 5 features peer-flow-ctrl,txstatus-noack,wmi-10.x-CT,ratemask-CT crc32 2a0b7d91",
             "ath10k_pci 0000:00:00.0: htt-ver 2.2 wmi-op 6 htt-op 4 cal otp max-sta 512 raw 0 hwcrypto 1"], level=6)
    log.gap(1210.0)
    log.add(["ath10k_pci 0000:00:00.0: failed to alloc CE src ring 0: -12",
             "ath10k_pci 0000:00:00.0: failed to allocate copy engine pipe 0: -12"], level=3)
    t = G.tasks_for(PG, [(1, 0, 840, 0, "procd"), (388, 0, 760, 0, "ubusd"), (760, 0, 980, 0, "logd"),
                         (1001, 0, 1540, 0, "netifd"), (1280, 453, 1760, 0, "dnsmasq"), (1310, 0, 3900, 0, "hostapd"),
                         (1399, 0, 1520, 0, "uhttpd"), (1411, 0, 2440, 0, "uwsgi"), (1412, 0, 2440, 0, "uwsgi"),
                         (1413, 0, 2440, 0, "uwsgi"), (1414, 0, 2440, 0, "uwsgi")])
    zones = [(0, dict(name="Normal", free=1188, min=1024, low=1280, high=1536, present=65536, managed=57772,
                      kstack=352, pt=300, reserve=[0, 0]), [141, 57, 13, 2, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=4.14, counters=G.C(PG, 1188, 15400, 2100, 440, 780, 6200, 300), zones=zones, page_kb=4,
               ram_pages=16384, reserved=1941, numa=False, hugepages=False)
    G.report(log, 4.14, "uhttpd", 1399, 0x14200ca, "GFP_HIGHUSER_MOVABLE", 0, "4.14.209", G.MIPS_TRACE, t,
             G.v(1414, "uwsgi", 2440), mem, numa=False, hw=None, nodemask="(null)")
    log.add(["procd: Instance uwsgi::instance1 s in a crash loop 6 crashes, 0 seconds since last crash"], level=6)
    S.tar_gz(os.path.join(d, "archer-c6-v2-64mb.tar.gz"), {
        "logread.txt": text(log),
        "etc/openwrt_release": owrt_release("19.07.5", "r11257-5090152ae3", "ath79/generic", "mips_24kc"),
        "etc/uwsgi.conf": "[uwsgi]\nstrict = true\nsocket = /var/run/luci-webui.socket\nprocesses = 4\nthreads = 1\n"
                          "buffer-size = 10000\ncheaper = 1\nthunder-lock = true\n",
        "proc/sys/vm/min_free_kbytes": "8192\n",
    }, prefix="dump/")
    expect(os.path.join(d, "archer-c6-v2-64mb.tar.gz"), ["first: ath10k-small-ram"])
    # near miss 1: the same radio and an OOM on a 512 MB router: a process leak, not ath10k
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("5.4.143", OWRT_BANNER, "Thu Oct 7 11:45:30 2021"),
           ["CPU: ARMv7 Processor [512f04d0] revision 0 (ARMv7), cr=10c5387d", "OF: fdt: Machine model: Linksys EA8500",
            "Memory: 493560K/524288K available (7168K kernel code, 471K rwdata, 1888K rodata, 1024K init, 248K bss, 30728K reserved, 0K cma-reserved, 0K highmem)"])
    log.gap(10.0)
    log.add(["ath10k_pci 0000:01:00.0: qca99x0 hw2.0 target 0x01000000 chip_id 0x003b01ff sub 0000:0000",
             "ath10k_pci 0000:01:00.0: firmware ver 10.4b-ct-99x0-fW-13-5ae337bb1 api 5 features peer-flow-ctrl,txstatus-noack,wmi-10.x-CT crc32 cdfe3201",
             "ath10k_pci 0000:01:00.0: htt-ver 2.2 wmi-op 6 htt-op 4 cal otp max-sta 512 raw 0 hwcrypto 1"], level=6)
    log.gap(86000.0)
    t = G.tasks_for(PG, [(1, 0, 1200, 0, "procd"), (1030, 0, 1900, 0, "netifd"), (1290, 453, 2100, 0, "dnsmasq"),
                         (1320, 0, 5100, 0, "hostapd"), (2211, 0, 402000, 0, "nlbwmon"), (1700, 0, 1200, 0, "dropbear")])
    zones = [(0, dict(name="Normal", free=4100, min=2824, low=3530, high=4236, present=524288, managed=493560,
                      kstack=600, pt=1300, reserve=[0, 0]), [520, 160, 40, 5, 1, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=5.04, counters=G.C(PG, 4100, 418000, 8200, 900, 4000, 26000, 1300), zones=zones, page_kb=4,
               ram_pages=131072, reserved=7682, numa=False, hugepages=False)
    G.report(log, 5.04, "nlbwmon", 2211, 0x100cca, "GFP_HIGHUSER_MOVABLE", 0, "5.4.143", G.ARM_TRACE, t,
             G.v(2211, "nlbwmon", 402000), mem, numa=False, hw="Generic DT based system", nodemask="(null)",
             oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=nlbwmon,pid=2211,uid=0")
    S.write(os.path.join(d, "ea8500-512mb-nlbwmon.dmesg"), text(log))
    expect(os.path.join(d, "ea8500-512mb-nlbwmon.dmesg"), ["not: ath10k-small-ram"])
    # near miss 2: a 64 MB MT7628 router (mt76 radio) killed by the OOM killer: no ath10k
    log = G.Log("logread", 0.0, base=(2021, 2, 14, 9, 0, 0), wd="Sun")
    G.boot(log, ("4.14.221", OWRT_BANNER, "Mon Feb 15 15:09:44 2021"),
           ["CPU0 revision is: 00019655 (MIPS 24KEc)", "Memory: 60140K/65536K available (4037K kernel code, 165K rwdata, 956K rodata, 156K init, 203K bss, 5396K reserved, 0K cma-reserved)"])
    log.add(["mt76_wmac 10300000.wmac: ASIC revision: 76280001", "mt76_wmac 10300000.wmac: Firmware Version: 20151201"], level=6)
    log.gap(9000.0)
    t = G.tasks_for(PG, [(1, 0, 800, 0, "procd"), (1001, 0, 1500, 0, "netifd"), (1280, 453, 1700, 0, "dnsmasq"),
                         (1390, 0, 33000, 0, "transmission-daemon"), (1399, 0, 1400, 0, "uhttpd")])
    zones = [(0, dict(name="Normal", free=1020, min=720, low=900, high=1080, present=65536, managed=60140,
                      kstack=300, pt=280, reserve=[0, 0]), [95, 40, 12, 2, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=4.14, counters=G.C(PG, 1020, 38400, 2300, 400, 900, 4200, 280), zones=zones, page_kb=4,
               ram_pages=16384, reserved=1349, numa=False, hugepages=False)
    G.report(log, 4.14, "transmission-da", 1390, 0x14200ca, "GFP_HIGHUSER_MOVABLE", 0, "4.14.221", G.MIPS_TRACE, t,
             G.v(1390, "transmission-daemon", 33000), mem, numa=False, hw=None, nodemask="(null)")
    S.tar_gz(os.path.join(d, "mt7628-64mb-no-ath10k.tar.gz"), {
        "logread.txt": text(log),
        "etc/openwrt_release": owrt_release("19.07.7", "r11306-c4a6851c72", "ramips/mt76x8", "mipsel_24kc")})
    expect(os.path.join(d, "mt7628-64mb-no-ath10k.tar.gz"), ["not: ath10k-small-ram"])


CASES = [case_ath10k]


# ============================================================ Bluetooth HCI
HCI_FRAMES_44 = [("ffffffff818d89d9", "kmemleak_alloc+0x49/0xa0"), ("ffffffff8116bba8", "kmem_cache_alloc+0x128/0x180"),
                 ("ffffffff8167c1df", "skb_clone+0x4f/0xa0"), ("ffffffff817aa351", "hci_event_packet+0xc1/0x3290"),
                 ("ffffffff8179a57b", "hci_rx_work+0x18b/0x360"), ("ffffffff810692ea", "process_one_work+0x14a/0x440"),
                 ("ffffffff81069623", "worker_thread+0x43/0x4d0"), ("ffffffff8106ead4", "kthread+0xc4/0xe0"),
                 ("ffffffff818dd38f", "ret_from_fork+0x1f/0x40"), ("ffffffffffffffff", "0xffffffffffffffff")]


def hci_kmemleak_44(n, first_pid=1011):
    out = []
    for i in range(n):
        out.append(S.kmemleak_object("ffff88000533%04x" % (0x9a00 + i * 0x100), 256, "kworker/u3:%d" % (1 + i % 2),
                                     first_pid + (i % 2) * 7, 4294671976 + i * 3000, 107.389 + (n - i) * 12.0,
                                     HCI_FRAMES_44,
                                     ["00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................",
                                      "00 40 29 05 00 88 ff ff 00 00 00 00 00 00 00 00  .@).............."]))
    return "".join(out)


def bt_boot(log, hci="hci0"):
    log.add(["Bluetooth: Core ver 2.21", "NET: Registered protocol family 31", "Bluetooth: HCI device and connection manager initialized",
             "Bluetooth: HCI socket layer initialized", "Bluetooth: L2CAP socket layer initialized",
             "Bluetooth: SCO socket layer initialized", "usbcore: registered new interface driver btusb",
             "Bluetooth: RFCOMM TTY layer initialized", "Bluetooth: BNEP (Ethernet Emulation) ver 1.3"], level=6)


def case_hci():
    d = os.path.join(SIG, "bluetooth-hci-skb-leak")
    # 1. an x86 gateway on 4.4 (the field note's report): dmesg + debugfs kmemleak + slabinfo over a day
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.4.0-21-generic", "buildd@lgw01-21) (gcc version 5.3.1 20160413 (Ubuntu 5.3.1-14ubuntu2)",
                 "Wed Apr 20 14:36:57 UTC 2016"), ["x86/fpu: Supporting XSAVE feature 0x01: 'x87 floating point registers'",
                                                   "Memory: 1918216K/2096696K available (8368K kernel code, 1280K rwdata, 3928K rodata, 1480K init, 1292K bss, 178480K reserved, 0K cma-reserved)",
                                                   "kmemleak: Kernel memory leak detector initialized",
                                                   "kmemleak: Automatic memory scanning thread started"])
    log.gap(4.0)
    bt_boot(log)
    log.gap(600.0)
    log.add(["kmemleak: 9 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"], level=3)
    log.gap(3600.0)
    log.add(["kmemleak: 31 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"], level=3)
    t0 = S.epoch(2016, 9, 2, 8, 0, 0)
    snaps = []
    for i in range(8):
        snaps.append(S.date_line(t0 + i * 3600 + (i * 13) % 40) + "\n" + S.slabinfo(S.X86_CACHES, {"skbuff_head_cache": 2600}, i))
    S.write_tree(os.path.join(d, "gateway-4.4-kmemleak"), {
        "dmesg.txt": text(log),
        "kmemleak.txt": hci_kmemleak_44(40),
        "slabinfo.log": "".join(snaps)})
    expect(os.path.join(d, "gateway-4.4-kmemleak"), ["first: bluetooth-hci-skb-leak", "count: bluetooth-hci-skb-leak 1", "# the general rules about the same culprit and cache are suppressed", "not: kmemleak-suspect", "not: kernel-slab-leak"])
    # 2. captures pulled with adb from an Android 12 phone (5.10 GKI, before the 5.10.215 backport):
    #    `adb shell dmesg`, `adb shell cat /sys/kernel/debug/kmemleak`, `adb shell getprop`
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("5.10.198-android12-9-00085-g226a9632f13d", "build-user@build-host) (Android (7284624, based on r416183b) clang version 12.0.5",
                 "Fri Oct 13 08:12:51 UTC 2023"), ["Booting Linux on physical CPU 0x0000000000 [0x412fd050]",
                                                  "Memory: 3643908K/3931136K available (19456K kernel code, 2310K rwdata, 8632K rodata, 1792K init, 846K bss, 254460K reserved, 32768K cma-reserved)",
                                                  "kmemleak: Kernel memory leak detector initialized (mem pool available: 14387)"])
    log.gap(3.0)
    log.add(["Bluetooth: Core ver 2.22", "Bluetooth: HCI device and connection manager initialized", "Bluetooth: HCI socket layer initialized",
             "Bluetooth: hci0: QCA controller version 0x02000200", "Bluetooth: hci0: QCA Downloading qca/crbtfw21.tlv"], level=6)
    log.gap(2400.0)
    log.add(["kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"], level=3)
    fr = [("000000003a4c1d7e", "kmem_cache_alloc+0x1b4/0x2c0"), ("00000000a7e2cc30", "skb_clone+0x54/0x100"),
          ("0000000091c1d5a2", "hci_event_packet+0x3c8/0x2f90 [bluetooth]"), ("00000000e49a4c3a", "hci_rx_work+0x1d8/0x3f0 [bluetooth]"),
          ("000000005f3f83e2", "process_one_work+0x1e8/0x440"), ("000000002a8b5c61", "worker_thread+0x54/0x4c0"),
          ("0000000072f4a1b8", "kthread+0x14c/0x160"), ("00000000b0e1a95b", "ret_from_fork+0x10/0x30")]
    objs = "".join(S.kmemleak_object("ffffff8012c9%04x" % (0xd900 + i * 0x100), 224, "kworker/u17:%d" % (i % 2 * 2), 1312 + i,
                                     4295073422 + i * 977, 1843.052 - i * 4.1, fr,
                                     ["a0 7c 44 1b 80 ff ff ff a0 7c 44 1b 80 ff ff ff  .|D......|D.....",
                                      "00 00 00 00 00 00 00 00 00 5c 8d 2a 80 ff ff ff  .........\\.*...."]) for i in range(17))
    S.write_tree(os.path.join(d, "pixel-adb-captures"), {
        "dmesg.txt": text(log), "kmemleak.txt": objs,
        "getprop.txt": "[ro.board.platform]: [sm6150]\n[ro.build.description]: [sunfish-userdebug 12 SP1A.210812.016.C1 7865541 dev-keys]\n"
                       "[ro.build.version.release]: [12]\n[ro.product.board]: [sunfish]\n[ro.product.model]: [Pixel 4a]\n"})
    expect(os.path.join(d, "pixel-adb-captures"), ["first: bluetooth-hci-skb-leak", "not: kmemleak-suspect"])
    # near miss 1: Bluetooth frames in an unrelated leak (an L2CAP channel leaked by a driver's connect path)
    fr = [("00000000c43a10be", "kmem_cache_alloc_trace+0x1a4/0x2e0"), ("0000000088d2a3f1", "l2cap_chan_create+0x44/0x1b0 [bluetooth]"),
          ("000000003f9a4b20", "l2cap_sock_alloc.constprop.0+0x90/0x110 [bluetooth]"), ("00000000f0a1b3c4", "l2cap_sock_create+0x84/0x120 [bluetooth]"),
          ("00000000a1c2d3e4", "bt_sock_create+0x80/0x100 [bluetooth]"), ("000000005d6e7f80", "__sock_create+0x168/0x260"),
          ("0000000011223344", "__sys_socket+0x58/0xf0"), ("0000000055667788", "__arm64_sys_socket+0x24/0x30"),
          ("0000000099aabbcc", "el0_svc_common.constprop.0+0x7c/0x1c0"), ("00000000ddeeff00", "el0_svc+0x28/0x90")]
    objs = "".join(S.kmemleak_object("ffffff80134a%04x" % (0x1000 + i * 0x400), 1024, "bluetoothd", 702, 4295112000 + i * 5000,
                                     900.5 - i * 20, fr) for i in range(6))
    S.write(os.path.join(d, "l2cap-chan-leak-5.10.kmemleak"), objs)
    expect(os.path.join(d, "l2cap-chan-leak-5.10.kmemleak"), ["not: bluetooth-hci-skb-leak", "# another culprit: the general rule reports it", "has: kmemleak-suspect"])
    # near miss 2: skbuff_head_cache growing with Bluetooth active, a kmemleak scan that found a
    # different culprit in the event path (a LE meta event buffer), not the cloned event skb
    fr = [("ffffffff818d89d9", "kmemleak_alloc+0x49/0xa0"), ("ffffffff811cc2b5", "__kmalloc+0x1c5/0x250"),
          ("ffffffffc07a1f0e", "hci_le_adv_report_evt+0x1ae/0x390 [bluetooth]"), ("ffffffffc07a6b33", "hci_le_meta_evt+0x93/0x1b0 [bluetooth]"),
          ("ffffffffc07a9c70", "hci_event_packet+0x1a50/0x3290 [bluetooth]"), ("ffffffffc079a57b", "hci_rx_work+0x18b/0x360 [bluetooth]"),
          ("ffffffff810692ea", "process_one_work+0x14a/0x440"), ("ffffffff81069623", "worker_thread+0x43/0x4d0"),
          ("ffffffff8106ead4", "kthread+0xc4/0xe0")]
    objs = "".join(S.kmemleak_object("ffff88003c21%04x" % (0x4000 + i * 0x40), 64, "kworker/u9:1", 1422, 4295012000 + i * 400,
                                     640.0 - i * 3, fr) for i in range(5))
    t0 = S.epoch(2019, 6, 11, 0, 0, 0)
    snaps = "".join(S.date_line(t0 + i * 3600) + "\n" + S.slabinfo(S.X86_CACHES, {"skbuff_head_cache": 1400, "kmalloc-64": 64}, i)
                    for i in range(7))
    S.write_tree(os.path.join(d, "le-adv-report-leak-4.19"), {"kmemleak.txt": objs, "slabinfo.log": snaps,
                                                              "uname_-a": "Linux beacon-gw 4.19.0-6-amd64 #1 SMP Debian 4.19.67-2+deb10u2 (2019-11-11) x86_64 GNU/Linux\n"})
    expect(os.path.join(d, "le-adv-report-leak-4.19"), ["not: bluetooth-hci-skb-leak", "has: kmemleak-suspect"])


CASES.append(case_hci)


# ==================================================================== DPAA
SDK_DPAA_BOOT = ["fsl_dpa: FSL DPAA Ethernet driver", "fsl_advanced: FSL DPAA Advanced drivers:", "fsl_proxy: FSL DPAA Proxy initialization driver",
                 "fsl_oh: FSL FMan Offline Parsing port driver"] + [
    "fsl_mac 1ae%d000.ethernet: FMan MEMAC" % i for i in (0, 2, 4, 6, 8)] + [
    "fsl_mac 1af0000.ethernet: FMan MEMAC",
    "fsl_dpa soc:fsl,dpaa:ethernet@2: Probed interface fm1-mac3", "fsl_dpa soc:fsl,dpaa:ethernet@3: Probed interface fm1-mac4",
    "fsl_dpa soc:fsl,dpaa:ethernet@4: Probed interface fm1-mac5", "fsl_dpa soc:fsl,dpaa:ethernet@5: Probed interface fm1-mac6",
    "fsl_dpa soc:fsl,dpaa:ethernet@8: Probed interface fm1-mac9"]


def dpaa_oom(log, era, release, trig, tpid, victim, tasks_items, anon, file, su, free, managed=1003520, ram=262144):
    t = G.tasks_for(PG, tasks_items)
    zones = [(0, dict(name="DMA", free=free, min=5632, low=7040, high=8448, present=ram * 4, managed=managed,
                      kstack=4200, pt=1900, reserve=[0, 0, 0]), [890, 310, 61, 9, 1, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=era, counters=G.C(PG, free, anon, file, 300, 9800, su, 1900), zones=zones, page_kb=4,
               ram_pages=ram, reserved=ram - managed // 4, numa=False, hugepages=True)
    G.report(log, era, trig, tpid, 0x6200ca, "GFP_HIGHUSER_MOVABLE", 0, release, G.ARM64_TRACE, t, victim, mem,
             numa=False, hw="LS1043A RDB Board (DT)", nodemask="(null)")


def ethtool_S(port, t, rx, tx, conf, ctime, entered, congested, prompt="root@ls1043ardb:~# "):
    c = [("interrupts [CPU 0]", rx // 4), ("interrupts [CPU 1]", rx // 5), ("rx packets [CPU 0]", rx), ("tx packets [CPU 0]", tx),
         ("tx confirm [CPU 0]", conf), ("tx S/G [CPU 0]", 0), ("tx error [CPU 0]", 0), ("rx error [CPU 0]", 0), ("bp count [CPU 0]", 128),
         ("rx dma error", 0), ("rx frame physical error", 0), ("rx frame size error", 0), ("rx header error", 0), ("rx csum error", 0),
         ("qman cg_tdrop", 0), ("qman wred", 0), ("qman error cond", 0), ("qman early window", 0), ("qman late window", 0),
         ("qman fq tdrop", 0), ("qman fq retired", 0), ("qman orp disabled", 0), ("congestion time (ms)", ctime),
         ("entered congestion", entered), ("congested (0/1)", congested)]
    return S.date_line(t) + "\n%sethtool -S %s\nNIC statistics:\n" % (prompt, port) + "".join("     %s: %d\n" % kv for kv in c)


DPAA_TASKS = [(1, 0, 2900, 0, "systemd"), (190, 0, 5100, 0, "systemd-journal"), (402, 0, 2400, 0, "syslog-ng"),
              (611, 0, 3300, 0, "sshd"), (880, 0, 21000, 0, "wigig-bridge"), (912, 0, 9800, 0, "snmpd"), (940, 0, 14000, 0, "fwd-agent")]


def case_dpaa():
    d = os.path.join(SIG, "dpaa-egress-congestion")
    # 1. LS1043A board with NXP's SDK kernel (LSDK 18.06, 4.14): Wi-Gig ingress forwarded to fm1-mac9 (1G)
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.14.47", "oe-user@oe-host) (gcc version 7.3.0 (GCC)", "PREEMPT Tue Jul 10 09:12:44 UTC 2018"),
           ["Booting Linux on physical CPU 0x0", "Machine model: LS1043A RDB Board",
            "Memory: 1003520K/1048576K available (10236K kernel code, 1282K rwdata, 4012K rodata, 1216K init, 566K bss, 45056K reserved, 0K cma-reserved)"])
    log.gap(3.1)
    log.add(SDK_DPAA_BOOT, level=6)
    log.gap(7200.0)
    log.add(["NETDEV WATCHDOG: fm1-mac9 (fsl_dpa): transmit queue 2 timed out",
             "fsl_dpa soc:fsl,dpaa:ethernet@8 fm1-mac9: Transmit timeout latency: 9384 ms"], level=4)
    log.gap(60.0)
    dpaa_oom(log, 4.14, "4.14.47", "snmpd", 912, G.v(880, "wigig-bridge", 21000), DPAA_TASKS,
             anon=60800, file=22000, su=48000, free=16200)
    t0 = S.epoch(2018, 9, 20, 14, 0, 0)
    eth = "".join([ethtool_S("fm1-mac9", t0, 10000000, 8000000, 7990000, 0, 0, 0),
                   ethtool_S("fm1-mac9", t0 + 300, 14600000, 12100000, 11350000, 151000, 6, 1),
                   ethtool_S("fm1-mac9", t0 + 600, 19100000, 16200000, 14900000, 436000, 14, 1)])
    kconf = ("#\n# Automatically generated file; DO NOT EDIT.\n# Linux/arm64 4.14.47 Kernel Configuration\n#\nCONFIG_ARM64=y\nCONFIG_64BIT=y\n"
             "CONFIG_FSL_SDK_DPAA_ETH=y\nCONFIG_FSL_DPAA_1588=y\nCONFIG_FSL_DPAA_ETH_MAX_BUF_COUNT=128\nCONFIG_FSL_DPAA_ETH_REFILL_THRESHOLD=80\n"
             "CONFIG_FSL_DPAA_CS_THRESHOLD_1G=0x06000000\nCONFIG_FSL_DPAA_CS_THRESHOLD_10G=0x10000000\n"
             "CONFIG_FSL_DPAA_INGRESS_CS_THRESHOLD=0x10000000\n# CONFIG_FSL_DPAA_ETH_JUMBO_FRAME is not set\n")
    S.write_tree(os.path.join(d, "ls1043ardb-sdk-4.14"), {"dmesg.txt": text(log), "ethtool-S-fm1-mac9.log": eth,
                                                          "boot/config-4.14.47": kconf})
    expect(os.path.join(d, "ls1043ardb-sdk-4.14"), ["first: dpaa-egress-congestion"])
    # 2. LS1046A with the mainline driver (5.4, Yocto), /var/log/messages from syslog: no config, no ethtool
    log = G.Log("syslog", 0.0, host="ls1046a-fwd", base=(2021, 3, 2, 6, 0, 0))
    G.boot(log, ("5.4.47-rt28+gd2c4f8a", "oe-user@oe-host) (gcc version 9.2.0 (GCC)", "PREEMPT Thu Jul 23 08:20:51 UTC 2020"),
           ["Machine model: LS1046A RDB Board",
            "Memory: 1980412K/2097152K available (12926K kernel code, 1662K rwdata, 5644K rodata, 1408K init, 830K bss, 116740K reserved, 0K cma-reserved)"])
    log.gap(2.7)
    log.add(["fsl_dpaa_mac 1ae8000.ethernet: FMan MEMAC", "fsl_dpaa_mac 1ae8000.ethernet: FMan MAC address: 00:04:9f:05:e1:03",
             "fsl_dpaa_mac 1aea000.ethernet: FMan MEMAC", "fsl_dpaa_mac 1af0000.ethernet: FMan MEMAC",
             "fsl_dpaa_mac 1ae8000.ethernet fm1-mac5: renamed from eth0", "fsl_dpaa_mac 1af0000.ethernet fm1-mac9: renamed from eth2"], level=6)
    log.gap(30000.0)
    log.add(["NETDEV WATCHDOG: fm1-mac5 (fsl_dpaa_mac): transmit queue 5 timed out",
             "fsl_dpaa_mac 1ae8000.ethernet fm1-mac5: transmit timeout latency: 5210 ms"], level=4)
    log.gap(40.0)
    dpaa_oom(log, 5.04, "5.4.47-rt28+gd2c4f8a", "kswapd0", 71, G.v(1180, "strongswan", 18800),
             [(1, 0, 4100, 0, "systemd"), (231, 0, 6800, 0, "systemd-journal"), (1180, 0, 18800, 0, "strongswan"),
              (1210, 0, 7400, 0, "sshd"), (1302, 0, 12100, 0, "fwd-agent")],
             anon=52000, file=30000, su=61000, free=29000, managed=1980412, ram=524288)
    S.write(os.path.join(d, "ls1046a-mainline-5.4.messages"), text(log))
    expect(os.path.join(d, "ls1046a-mainline-5.4.messages"), ["first: dpaa-egress-congestion"])
    # near miss 1: the same SDK board under load, congested for a while, no memory pressure
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.14.47", "oe-user@oe-host) (gcc version 7.3.0 (GCC)", "PREEMPT Tue Jul 10 09:12:44 UTC 2018"),
           ["Machine model: LS1043A RDB Board",
            "Memory: 1003520K/1048576K available (10236K kernel code, 1282K rwdata, 4012K rodata, 1216K init, 566K bss, 45056K reserved, 0K cma-reserved)"])
    log.add(SDK_DPAA_BOOT, level=6)
    t0 = S.epoch(2018, 9, 21, 10, 0, 0)
    eth = "".join([ethtool_S("fm1-mac9", t0, 3000000, 2900000, 2899000, 1200, 1, 0),
                   ethtool_S("fm1-mac9", t0 + 300, 4100000, 4000000, 3999100, 1900, 2, 0)])
    S.write_tree(os.path.join(d, "ls1043ardb-congested-no-oom"), {"dmesg.txt": text(log), "ethtool-S-fm1-mac9.log": eth,
                                                                  "boot/config-4.14.47": kconf})
    expect(os.path.join(d, "ls1043ardb-congested-no-oom"), ["not: dpaa-egress-congestion"])
    # near miss 2: a DPAA board whose OOM is a process (a runaway collector): memory in anon pages
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.14.47", "oe-user@oe-host) (gcc version 7.3.0 (GCC)", "PREEMPT Tue Jul 10 09:12:44 UTC 2018"),
           ["Machine model: LS1043A RDB Board",
            "Memory: 1003520K/1048576K available (10236K kernel code, 1282K rwdata, 4012K rodata, 1216K init, 566K bss, 45056K reserved, 0K cma-reserved)"])
    log.add(SDK_DPAA_BOOT, level=6)
    log.gap(50000.0)
    dpaa_oom(log, 4.14, "4.14.47", "collectd", 1501, G.v(1501, "collectd", 842000),
             DPAA_TASKS + [(1501, 0, 842000, 0, "collectd")], anon=880000, file=21000, su=36000, free=16800)
    S.write(os.path.join(d, "ls1043ardb-collectd-oom.dmesg"), text(log))
    expect(os.path.join(d, "ls1043ardb-collectd-oom.dmesg"), ["not: dpaa-egress-congestion"])


CASES.append(case_dpaa)


# ===================================================================== SFP
def sfp_captures(t0, step, n, cache, per_snap, ifaces, caches=S.EMB_CACHES):
    """slabinfo and /proc/net/dev loops: ifaces = [(name, rx0, rxp0, drx, drxp, tx0, txp0, dtx, dtxp)]"""
    slab, dev = [], []
    for i in range(n):
        t = t0 + i * step + (i * 7) % 3
        slab.append(S.date_line(t) + "\n" + S.slabinfo(caches, {cache: per_snap} if cache else {}, i))
        dev.append("%d\n" % t + S.net_dev([(nm, rb + i * drb, rp + i * drp, tb + i * dtb, tp + i * dtp)
                                          for nm, rb, rp, drb, drp, tb, tp, dtb, dtp in ifaces]))
    return "".join(slab), "".join(dev)


def case_sfp():
    d = os.path.join(SIG, "sfp-absent-tx-leak")
    # 1. a line card (ARM, 4.9) with libsfp managing the cage from userspace; eth1 has no module
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.9.118-lc2", "builder@ci) (gcc version 6.4.0 (Buildroot 2018.02.5)", "PREEMPT Fri Aug 10 03:12:40 UTC 2018"),
           ["CPU: ARMv7 Processor [410fc075] revision 5 (ARMv7), cr=10c5387d", "OF: fdt: Machine model: LS1021A line card",
            "Memory: 484180K/524288K available (7168K kernel code, 381K rwdata, 2244K rodata, 1024K init, 282K bss, 40108K reserved, 0K cma-reserved, 0K highmem)"])
    log.add(["fsl-gianfar soc:ethernet@2d10000 eth0: mac: 00:04:9f:04:1a:10", "fsl-gianfar soc:ethernet@2d50000 eth1: mac: 00:04:9f:04:1a:11",
             "Fixed MDIO Bus: probed", "fsl-gianfar soc:ethernet@2d50000 eth1: Link is Up - 1Gbps/Full - flow control off"], level=6)
    slab, dev = sfp_captures(S.epoch(2019, 4, 2, 9, 0, 0), 600, 13, "kmalloc-4096", 210,
                             [("lo", 4120, 52, 0, 0, 4120, 52, 0, 0),
                              ("eth0", 90000000, 120000, 600000, 800, 80000000, 110000, 550000, 700),
                              ("eth1", 0, 0, 0, 0, 120000000, 80000, 315000, 210)])
    S.write_tree(os.path.join(d, "ls1021a-linecard-captures"), {
        "dmesg.txt": text(log), "slabinfo.log": slab, "net-dev.log": dev,
        "ethtool-eth1.txt": S.ethtool_link("eth1", prompt="root@linecard:~# ")})
    expect(os.path.join(d, "ls1021a-linecard-captures"), ["first: sfp-absent-tx-leak", "not: kernel-slab-leak"])
    # 2. a collection script's tarball from a second board: hourly for 6 h, kmalloc-2048 (skb data for 1500-byte frames)
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.14.98-bsp3", "builder@ci) (gcc version 7.3.0 (GCC)", "SMP PREEMPT Tue Mar 12 11:02:13 UTC 2019"),
           ["CPU: ARMv7 Processor [410fc075] revision 5 (ARMv7), cr=10c5387d",
            "Memory: 236012K/262144K available (6144K kernel code, 301K rwdata, 1880K rodata, 1024K init, 250K bss, 26132K reserved, 0K cma-reserved, 0K highmem)"])
    log.add(["mvneta f1034000.ethernet eth2: Using hardware mac address 00:50:43:02:01:12",
             "mvneta f1034000.ethernet eth2: Link is Up - 1Gbps/Full - flow control off"], level=6)
    log.gap(14000.0)
    log.add(["NETDEV WATCHDOG: eth2 (mvneta): transmit queue 0 timed out"], level=4)
    slab, dev = sfp_captures(S.epoch(2019, 5, 6, 0, 0, 0), 3600, 7, "kmalloc-2048", 2900,
                             [("lo", 9000, 120, 0, 0, 9000, 120, 0, 0),
                              ("eth0", 310000000, 400000, 9000000, 12000, 210000000, 350000, 7000000, 10000),
                              ("eth2", 0, 0, 0, 0, 400000000, 270000, 4300000, 2900)])
    S.tar_gz(os.path.join(d, "a385-board-collect.tar.gz"), {
        "cmd/dmesg": text(log), "proc/slabinfo.log": slab, "proc/net_dev.log": dev,
        "cmd/ethtool_eth2": S.ethtool_link("eth2", port="FIBRE", prompt="# ")}, prefix="collect-a385-20190506/")
    expect(os.path.join(d, "a385-board-collect.tar.gz"), ["first: sfp-absent-tx-leak", "not: kernel-slab-leak"])
    # near miss 1: kmalloc-4096 grows, but kmemleak names the culprit and every port receives
    slab, dev = sfp_captures(S.epoch(2020, 1, 14, 0, 0, 0), 600, 13, "kmalloc-4096", 180,
                             [("lo", 4120, 52, 0, 0, 4120, 52, 0, 0),
                              ("eth0", 90000000, 120000, 600000, 800, 80000000, 110000, 550000, 700),
                              ("eth1", 41000000, 52000, 420000, 510, 38000000, 50000, 400000, 480)])
    fr = [("c02d1f3c", "kmem_cache_alloc_trace+0x150/0x1c4"), ("bf0a21d8", "spidev_ioctl+0x5a4/0x8c0 [vendor_spi]"),
          ("c02fa2c4", "do_vfs_ioctl+0x9c/0x8ac"), ("c02fab14", "SyS_ioctl+0x40/0x64"), ("c0107e80", "ret_fast_syscall+0x0/0x48")]
    objs = "".join(S.kmemleak_object("d8a1%04x" % (0x2000 + i * 0x1000), 4096, "fpga-agent", 733, 2600000 + i * 60, 880.0 - i,
                                     fr) for i in range(8))
    S.write_tree(os.path.join(d, "kmalloc-4096-kmemleak-culprit"), {
        "slabinfo.log": slab, "net-dev.log": dev, "kmemleak.txt": objs,
        "ethtool-eth1.txt": S.ethtool_link("eth1", prompt="root@linecard:~# ")})
    expect(os.path.join(d, "kmalloc-4096-kmemleak-culprit"), ["not: sfp-absent-tx-leak", "has: kmemleak-suspect"])
    # near miss 2: eth1 transmits into an empty cage, but the slab is flat (the driver frees on timeout)
    slab, dev = sfp_captures(S.epoch(2019, 4, 3, 9, 0, 0), 600, 13, None, 0,
                             [("lo", 4120, 52, 0, 0, 4120, 52, 0, 0),
                              ("eth0", 90000000, 120000, 600000, 800, 80000000, 110000, 550000, 700),
                              ("eth1", 0, 0, 0, 0, 120000000, 80000, 315000, 210)])
    S.write_tree(os.path.join(d, "empty-cage-flat-slab"), {
        "slabinfo.log": slab, "net-dev.log": dev, "ethtool-eth1.txt": S.ethtool_link("eth1", prompt="root@linecard:~# ")})
    expect(os.path.join(d, "empty-cage-flat-slab"), ["not: sfp-absent-tx-leak"])


CASES.append(case_sfp)


# ==================================================================== raw6
SYSCTL_BASE = [("kernel.panic", "10"), ("net.core.netdev_max_backlog", "1000"), ("net.core.optmem_max", "20480"),
               ("net.core.rmem_default", "212992"), ("net.core.rmem_max", "212992"), ("net.core.somaxconn", "4096"),
               ("net.core.wmem_default", "212992"), ("net.core.wmem_max", "212992"),
               ("net.ipv4.tcp_mem", "94038\t125386\t188076"), ("net.ipv4.udp_mem", "188076\t250770\t376152"),
               ("net.ipv6.conf.all.forwarding", "1"), ("net.ipv6.route.max_size", "4096"),
               ("vm.min_free_kbytes", "67584"), ("vm.overcommit_memory", "0")]


def sysctl_a(over):
    kv = dict(SYSCTL_BASE)
    kv.update(over)
    return "".join("%s = %s\n" % (k, kv[k]) for k in sorted(kv))


def case_raw6():
    d = os.path.join(SIG, "raw6-unread-socket")
    # 1. sosreport of an FRR 7.5 router (RHEL 8) with rmem_default raised to 50 MB: one snapshot each
    base = os.path.join(d, "sosreport-edge-rtr2-2024-03-05")
    raw6 = S.raw6_table([(53, S.ANY6, 58, 49999872, 0, 23145, 90211), (61, S.ANY6, 58, 0, 0, 31877, 0),
                         (103, "000080FE00000000FEA80254F3B6EBFE", 103, 0, 0, 24410, 0)])
    S.write_tree(base, {
        "proc/net/raw6": raw6,
        "sos_commands/kernel/sysctl_-a": sysctl_a({"net.core.rmem_default": "50000000", "net.core.rmem_max": "50000000"}),
        "sos_commands/kernel/uname_-a": "Linux edge-rtr2 4.18.0-477.10.1.el8_8.x86_64 #1 SMP Wed Apr 5 13:35:01 EDT 2023 x86_64 x86_64 x86_64 GNU/Linux\n",
        "sos_commands/networking/netstat_-W_-neopa": (
            "Active Internet connections (servers and established)\n"
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name     Timer\n"
            "tcp        0      0 0.0.0.0:179             0.0.0.0:*               LISTEN      92         31870      1230/bgpd            off (0.00/0/0)\n"
            "tcp6       0      0 :::2601                 :::*                    LISTEN      92         23140      1211/zebra           off (0.00/0/0)\n"
            "raw6  49999872      0 :::58                   :::*                    7           0          23145      1211/zebra           off (0.00/0/0)\n"
            "raw6       0      0 :::58                   :::*                    7           0          31877      1230/bgpd            off (0.00/0/0)\n"
            "raw6       0      0 fe80::5402:a8fe:feeb:103 :::*                   7           0          24410      1240/ospf6d          off (0.00/0/0)\n"),
        "etc/os-release": 'NAME="Red Hat Enterprise Linux"\nVERSION="8.8 (Ootpa)"\nID="rhel"\nVERSION_ID="8.8"\nPRETTY_NAME="Red Hat Enterprise Linux 8.8 (Ootpa)"\n'})
    expect(base, ["first: raw6-unread-socket", "# the same socket is not also socket-buffer-growth", "not: socket-buffer-growth"])
    # 2. an OpenWrt/FRR box: a capture loop of /proc/net/raw6 and `ss -nwpm` over 40 minutes, tar.gz
    t0 = S.epoch(2024, 7, 9, 13, 0, 0)
    loop, q, dr = [], 2100000, 0
    for i in range(5):
        loop.append(S.date_line(t0 + i * 600, "CEST") + "\n" + S.raw6_table([(12, S.ANY6, 58, min(q, 16777216), 0, 4821, dr),
                                                                              (19, S.ANY6, 58, 0, 0, 5390, 0)]) + "\n")
        q += 4100000
        dr = max(0, (q - 16777216) // 1300)
    ss = ("State   Recv-Q   Send-Q  Local Address:Port  Peer Address:Port Process\n"
          "UNCONN  16777216 0             *:58               *:*     users:((\"zebra\",pid=2087,fd=21)) ino:4821 sk:1 <->\n"
          "\t skmem:(r16777216,rb16777216,t0,tb212992,f0,w0,o0,bl0,d%d)\n"
          "UNCONN  0        0             *:58               *:*     users:((\"watchfrr\",pid=2071,fd=9)) ino:5390 sk:2 <->\n"
          "\t skmem:(r0,rb16777216,t0,tb212992,f0,w0,o0,bl0,d0)\n") % dr
    S.tar_gz(os.path.join(d, "openwrt-frr-raw6-loop.tar.gz"), {
        "raw6.log": "".join(loop), "ss-nwpm.txt": ss,
        "sysctl.txt": sysctl_a({"net.core.rmem_default": "16777216", "net.core.rmem_max": "16777216", "vm.min_free_kbytes": "16384"}),
        "etc/openwrt_release": owrt_release("23.05.3", "r23809-234f1a2efa", "x86/64", "x86_64")}, prefix="frr-debug/")
    expect(os.path.join(d, "openwrt-frr-raw6-loop.tar.gz"), ["first: raw6-unread-socket", "not: socket-buffer-growth"])
    # near miss 1: radvd's ICMPv6 socket with a few router solicitations queued (12 KB) on the same big rmem_default
    raw6 = S.raw6_table([(40, S.ANY6, 58, 12288, 0, 18211, 0), (41, S.ANY6, 58, 0, 0, 18230, 0)])
    S.write_tree(os.path.join(d, "radvd-small-queue"), {
        "proc/net/raw6": raw6, "sysctl-a.txt": sysctl_a({"net.core.rmem_default": "50000000"})})
    expect(os.path.join(d, "radvd-small-queue"), ["not: raw6-unread-socket"])
    # near miss 2: a syslog receiver's UDP socket is full (udp6 :514), raw6 sockets are empty
    udp6 = ("  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
            "  411: 00000000000000000000000000000000:0202 00000000000000000000000000000000:0000 07 00000000:02FAF000 00:00000000 00000000     0        0 19877 2 ffff9a3c51e0c800 88104\n"
            "  803: 00000000000000000000000000000000:0223 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 20311 2 ffff9a3c51e0d400 0\n")
    raw6 = S.raw6_table([(53, S.ANY6, 58, 0, 0, 23145, 0)])
    S.write_tree(os.path.join(d, "udp6-syslog-full"), {
        "proc/net/udp6": udp6, "proc/net/raw6": raw6, "sysctl-a.txt": sysctl_a({"net.core.rmem_default": "50000000"})})
    expect(os.path.join(d, "udp6-syslog-full"), ["not: raw6-unread-socket", "has: socket-buffer-growth"])


CASES.append(case_raw6)


# ====================================================== ip6 suppress dst leak
IP6_RULES_WG = ("0:\tfrom all lookup local\n32764:\tfrom all lookup main suppress_prefixlength 0\n"
                "32765:\tnot from all fwmark 0xca6c lookup 51820\n32766:\tfrom all lookup main\n")
IP6_RULES_PLAIN = "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n"


def slab_loop(t0, step, n, caches, grow, tz="UTC"):
    return "".join(S.date_line(t0 + i * step + (i * 11) % 29, tz) + "\n" + S.slabinfo(caches, grow, i) for i in range(n))


def with_cache(caches, name, size, per, pages, base):
    return [c for c in caches if c[0] != name] + [(name, size, per, pages, base)]


def rt6_loop(t0, step, vals):
    return "".join("=== %s ===\n0021 0011 0001 0018 0000 %04x 0000\n" % (
        __import__("time").strftime("%Y-%m-%d %H:%M:%S", __import__("time").gmtime(t0 + i * step)), v) for i, v in enumerate(vals))


def case_ip6():
    d = os.path.join(SIG, "ipv6-suppress-prefix-dst-leak")
    caches = with_cache(S.X86_CACHES, "pool_workqueue", 256, 16, 1, 2200)
    # 1. sosreport of a WireGuard gateway on Debian 11 (5.10.46): wg-quick's suppress rule; slabinfo every 30 min
    base = os.path.join(d, "sosreport-wg-gw1-debian11")
    S.write_tree(base, {
        "sos_commands/networking/ip_-6_rule": IP6_RULES_WG,
        "sos_commands/networking/ip_-4_rule": IP6_RULES_WG.replace("0xca6c lookup 51820", "0xca6c lookup 51820"),
        "sos_commands/kernel/uname_-a": "Linux wg-gw1 5.10.0-8-amd64 #1 SMP Debian 5.10.46-4 (2021-08-03) x86_64 GNU/Linux\n",
        "sos_commands/memory/slabinfo-every-30min.log": slab_loop(S.epoch(2021, 10, 12, 8, 0, 0), 1800, 12, caches, {"pool_workqueue": 9800}),
        "etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\nID=debian\n'})
    expect(base, ["first: ipv6-suppress-prefix-dst-leak", "# the same cache is not also kernel-slab-leak", "not: kernel-slab-leak"])
    # 2. captures from an Arch box booted with slab_nomerge: ip6_dst_cache by name, rt6_stats, the route cache overflow
    log = G.Log("journal", 0.0, host="edge", base=(2021, 11, 20, 9, 0, 0))
    G.boot(log, ("5.15.2-arch1-1", "linux@archlinux) (gcc (GCC) 11.1.0, GNU ld (GNU Binutils) 2.36.1",
                 "PREEMPT Fri, 12 Nov 2021 19:22:10 +0000"),
           ["Command line: BOOT_IMAGE=/vmlinuz-linux root=UUID=6f1c0b5e-2e43-4c8b-9d77-1a9d0c8f5e21 rw slab_nomerge",
            "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
            "Memory: 3991684K/4193772K available (14344K kernel code, 2063K rwdata, 8800K rodata, 1632K init, 4308K bss, 201828K reserved, 0K cma-reserved)"])
    log.gap(30000.0)
    log.add(["IPv6: Route cache is full: consider increasing sysctl net.ipv6.route.max_size."] * 3, level=4, dt=3.1)
    caches2 = with_cache(with_cache(S.X86_CACHES, "pool_workqueue", 256, 16, 1, 1200), "ip6_dst_cache", 256, 16, 1, 960)
    t0 = S.epoch(2021, 11, 20, 12, 0, 0)
    S.write_tree(os.path.join(d, "arch-slab-nomerge-captures"), {
        "journal-k.txt": text(log),
        "slabinfo.log": slab_loop(t0, 1200, 10, caches2, {"ip6_dst_cache": 6100}),
        "rt6_stats-loop.txt": rt6_loop(t0, 3600, [0x2f10, 0x8a41, 0xe3c0, 0x13d9a]),
        "ip-6-rule.txt": IP6_RULES_WG})
    expect(os.path.join(d, "arch-slab-nomerge-captures"), ["first: ipv6-suppress-prefix-dst-leak", "not: kernel-slab-leak"])
    # near miss 1: the same wg-quick rule on a fixed kernel (Debian 5.10.162): pool_workqueue flat
    base = os.path.join(d, "sosreport-wg-gw1-fixed-kernel")
    S.write_tree(base, {
        "sos_commands/networking/ip_-6_rule": IP6_RULES_WG,
        "sos_commands/kernel/uname_-a": "Linux wg-gw1 5.10.0-21-amd64 #1 SMP Debian 5.10.162-1 (2023-01-21) x86_64 GNU/Linux\n",
        "sos_commands/memory/slabinfo-every-30min.log": slab_loop(S.epoch(2023, 2, 2, 8, 0, 0), 1800, 12, caches, {}),
        "etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\nID=debian\n'})
    expect(base, ["not: ipv6-suppress-prefix-dst-leak", "not: kernel-slab-leak"])
    # near miss 2: pool_workqueue grows on a host without any suppress rule (5.10.16, same range)
    base = os.path.join(d, "pool-workqueue-no-suppress-rule")
    S.write_tree(base, {
        "ip_-6_rule": IP6_RULES_PLAIN,
        "uname_-a": "Linux build7 5.10.16-1-default #1 SMP Wed Feb 17 11:47:22 UTC 2021 (f2e4c95) x86_64 x86_64 x86_64 GNU/Linux\n",
        "slabinfo.log": slab_loop(S.epoch(2021, 3, 1, 0, 0, 0), 1800, 12, caches, {"pool_workqueue": 5200})})
    expect(base, ["not: ipv6-suppress-prefix-dst-leak", "# an unexplained slab growth: the general rule reports it", "has: kernel-slab-leak"])


CASES.append(case_ip6)


# ================================================================= stories
def story(name, bundle):
    return os.path.join(STORIES, name, bundle)


def story_000_k2t():
    """Field note 000: Phicomm K2T (64 MB, QCA9563 + QCA9888), self-built OpenWrt with LuCI; the log was kept
    on flash to survive the crashes; 5 GHz radio only; uwsgi ran 4 workers of 2440 KB each; min_free_kbytes
    8192; dnsmasq and udhcpc on a bridged AP; OOM kills uwsgi and uhttpd within minutes of the radio coming up."""
    log = G.Log("logread", 0.0, base=(2019, 8, 6, 20, 41, 2), wd="Tue")
    G.boot(log, ("4.14.131", "builder@buildhost) (gcc version 7.4.0 (OpenWrt GCC 7.4.0 r10273-2a1f2d6c4b)", "Thu Jun 27 12:18:52 2019"),
           ["CPU0 revision is: 00019750 (MIPS 74Kc)", "SoC: Qualcomm Atheros QCA956X ver 1 rev 0", "OF: fdt: Machine model: Phicomm K2T",
            "Memory: 56320K/65536K available (4389K kernel code, 178K rwdata, 1076K rodata, 1200K init, 214K bss, 9216K reserved, 0K cma-reserved)"], level=5)
    log.gap(6.0)
    log.raw("Tue Aug  6 20:41:10 2019 daemon.notice procd: /etc/rc.d/S19dnsmasq: udhcpc: started, v1.30.1")
    log.add(["ath10k_pci 0000:00:00.0: qca9888 hw2.0 target 0x01000000 chip_id 0x00000000 sub 0000:0000",
             "ath10k_pci 0000:00:00.0: kconfig debug 0 debugfs 1 tracing 0 dfs 1 testmode 0",
             "ath10k_pci 0000:00:00.0: firmware ver 10.4b-ct-9888-fW-13-5ae337bb1 api 5 features peer-flow-ctrl,txstatus-noack,wmi-10.x-CT,ratemask-CT,regdump-CT,txrate-CT,flush-all-CT,pingpong-CT,ch-regs-CT,nop-CT,set-special-CT,tx-rc-CT,cust-stats-CT,txrate2-CT,beacon-cb-CT,wmi-block-ack-CT crc32 2a0b7d91",
             "ath10k_pci 0000:00:00.0: board_file api 2 bmi_id N/A crc32 19644295",
             "ath10k_pci 0000:00:00.0: htt-ver 2.2 wmi-op 6 htt-op 4 cal otp max-sta 512 raw 0 hwcrypto 1"], level=6)
    log.raw("Tue Aug  6 20:41:19 2019 daemon.notice hostapd: wlan0: interface state UNINITIALIZED->ENABLED")
    log.gap(290.0)
    log.add(["ath10k_pci 0000:00:00.0: failed to post pci rx buf: -12"], level=3)
    t = G.tasks_for(PG, [(1, 0, 1100, 0, "procd"), (402, 0, 900, 0, "ubusd"), (860, 0, 1400, 0, "logd"),
                         (1021, 0, 1800, 0, "netifd"), (1188, 0, 1060, 0, "udhcpc"), (1290, 453, 2400, 0, "dnsmasq"),
                         (1330, 0, 5200, 0, "hostapd"), (1402, 0, 2100, 0, "uhttpd"), (1611, 0, 2440, 0, "uwsgi"),
                         (1612, 0, 2440, 0, "uwsgi"), (1613, 0, 2440, 0, "uwsgi"), (1614, 0, 2440, 0, "uwsgi")])
    zones = [(0, dict(name="Normal", free=2944, min=2896, low=3620, high=4344, present=65536, managed=56320, kstack=680, pt=420, reserve=[0, 0]),
              [212, 104, 41, 7, 0, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=4.14, counters=G.C(PG, 2944, 16800, 2800, 600, 1400, 7900, 420), zones=zones, page_kb=4,
               ram_pages=16384, reserved=2304, numa=False, hugepages=False)
    G.report(log, 4.14, "uwsgi", 1614, 0x14200ca, "GFP_HIGHUSER_MOVABLE", 0, "4.14.131", G.MIPS_TRACE, t,
             G.v(1614, "uwsgi", 2440), mem, numa=False, hw=None, nodemask="(null)")
    log.gap(0.4)
    G.report(log, 4.14, "hostapd", 1330, 0x14200ca, "GFP_HIGHUSER_MOVABLE", 0, "4.14.131", G.MIPS_TRACE,
             [r for r in t if r[5] != "uwsgi" or r[0] != 1614], G.v(1402, "uhttpd", 2100), mem, numa=False, hw=None, nodemask="(null)")
    log.raw("Tue Aug  6 20:46:15 2019 daemon.info procd: Instance uwsgi::instance1 s in a crash loop 6 crashes, 0 seconds since last crash")
    ps = ("  PID USER       VSZ STAT COMMAND\n    1 root      1536 S    /sbin/procd\n  402 root      1180 S    /sbin/ubusd\n"
          "  860 root      1012 S    /sbin/logd -S 64\n 1021 root      1612 S    /sbin/netifd\n 1188 root      1068 S    udhcpc -p /var/run/udhcpc-br-lan.pid -s /lib/netifd/dhcp.script -f -t 0 -i br-lan\n"
          " 1290 dnsmasq   1204 S    /usr/sbin/dnsmasq -C /var/etc/dnsmasq.conf.cfg01411c -k -x /var/run/dnsmasq/dnsmasq.cfg01411c.pid\n"
          " 1330 root      5312 S    /usr/sbin/hostapd -s -P /var/run/wifi-phy0.pid -B /var/run/hostapd-phy0.conf\n"
          " 1402 root      1876 S    /usr/sbin/uhttpd -f -h /www -r K2T -x /cgi-bin -u /ubus -t 60 -T 30 -k 20 -A 1 -n 3 -N 100 -R -p 0.0.0.0:80\n"
          + "".join(" %d root      9104 S    /usr/sbin/uwsgi --ini /etc/uwsgi.conf\n" % p for p in (1611, 1612, 1613, 1614)))
    files = {
        "overlay/log/messages": text(log),
        "etc/openwrt_release": owrt_release("19.07.0", "r10273-2a1f2d6c4b", "ath79/generic", "mips_24kc"),
        "etc/board.json": board_json("phicomm,k2t", "Phicomm K2T"),
        "etc/uwsgi.conf": "[uwsgi]\nstrict = true\nsocket = /var/run/luci-webui.socket\nchdir = /usr/lib/lua/luci\n"
                          "processes = 4\nthreads = 1\nbuffer-size = 10000\nthunder-lock = true\n",
        "etc/config/system": "config system\n\toption hostname 'K2T'\n\toption log_file '/overlay/log/messages'\n\toption log_size '512'\n"
                             "\toption conloglevel '8'\n\toption cronloglevel '8'\n",
        "proc/sys/vm/min_free_kbytes": "8192\n",
        "proc/sys/vm/dirty_ratio": "20\n",
        "ps-w.txt": ps,
    }
    S.tar_gz(story("000-phicomm-k2t-ath10k", "k2t-sysupgrade-backup.tar.gz"), files)
    expect(story("000-phicomm-k2t-ath10k", "k2t-sysupgrade-backup.tar.gz"),
           ["# 64 MB K2T: the ath10k radio's buffers, not the uwsgi workers, take the memory", "first: ath10k-small-ram",
            "evaluable: ath10k-small-ram", "not: user-space-leak"])


def story_001_casebook():
    """Field note 001: the forwarding board of the OOM casebook: Wi-Gig in, DPAA 1G out with the SDK's
    default CS threshold; zebra's raw ICMPv6 socket never read with rmem_default 50000000; and a kmemleak
    scan that found the Bluetooth HCI request leak (the note's report, comm kworker/u3:1, size 256)."""
    log = G.Log("dmesg", 0.0)
    G.boot(log, ("4.4.60", "oe-user@oe-host) (gcc version 5.3.0 (GCC)", "SMP PREEMPT Tue Aug 22 09:51:00 CST 2017"),
           ["Booting Linux on physical CPU 0x0", "Machine model: LS1043A Forwarding Board",
            "Memory: 1003520K/1048576K available (8636K kernel code, 1092K rwdata, 3396K rodata, 960K init, 424K bss, 45056K reserved, 0K cma-reserved)",
            "kmemleak: Kernel memory leak detector initialized"])
    log.add(SDK_DPAA_BOOT, level=6)
    bt_boot(log)
    log.gap(20000.0)
    log.add(["kmemleak: 12 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"], level=3)
    log.gap(9000.0)
    log.add(["NETDEV WATCHDOG: fm1-mac9 (fsl_dpa): transmit queue 2 timed out",
             "fsl_dpa soc:fsl,dpaa:ethernet@8 fm1-mac9: Transmit timeout latency: 11020 ms"], level=4)
    dpaa_oom(log, 4.04, "4.4.60", "wigig-bridge", 880, G.v(1211, "zebra", 9100),
             DPAA_TASKS + [(1211, 92, 9100, 0, "zebra"), (1230, 92, 11800, 0, "bgpd")], anon=66000, file=20500, su=52000, free=15800)
    t0 = S.epoch(2017, 9, 12, 10, 0, 0)
    eth = "".join([ethtool_S("fm1-mac9", t0, 21000000, 18800000, 18700000, 9000, 2, 0, prompt="root@fwd:~# "),
                   ethtool_S("fm1-mac9", t0 + 600, 29900000, 25100000, 22400000, 388000, 19, 1, prompt="root@fwd:~# ")])
    raw6 = "".join(S.date_line(t0 + i * 600, "CST") + "\n" + S.raw6_table([(53, S.ANY6, 58, [31457280, 42991616, 49999872][i], 0, 23145, [0, 0, 20417][i]),
                                                                           (61, S.ANY6, 58, 0, 0, 31877, 0)]) for i in range(3))
    netstat = ("Active Internet connections (servers and established)\n"
               "Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name\n"
               "tcp6       0      0 :::2601                 :::*                    LISTEN      92         23140      1211/zebra\n"
               "tcp6       0      0 :::2605                 :::*                    LISTEN      92         31870      1230/bgpd\n"
               "raw6  49999872      0 :::58                   :::*                    7           0          23145      1211/zebra\n"
               "raw6       0      0 :::58                   :::*                    7           0          31877      1230/bgpd\n")
    objs = hci_kmemleak_44(12)
    kconf = ("CONFIG_ARM64=y\nCONFIG_FSL_SDK_DPAA_ETH=y\nCONFIG_FSL_DPAA_CS_THRESHOLD_1G=0x06000000\n"
             "CONFIG_FSL_DPAA_CS_THRESHOLD_10G=0x10000000\nCONFIG_DEBUG_KMEMLEAK=y\nCONFIG_BT=m\n")
    S.write_tree(story("001-oom-casebook-forwarding-board", "fwd-board-captures"), {
        "dmesg.txt": text(log), "ethtool-S-fm1-mac9.log": eth, "proc-net-raw6.log": raw6, "netstat-6-anpe.txt": netstat,
        "sysctl-a.txt": sysctl_a({"net.core.rmem_default": "50000000", "net.core.rmem_max": "50000000"}),
        "kmemleak.txt": objs, "config-4.4.60": kconf})
    expect(story("001-oom-casebook-forwarding-board", "fwd-board-captures"),
           ["# three of the casebook's root causes on one board", "has: dpaa-egress-congestion", "has: raw6-unread-socket",
            "has: bluetooth-hci-skb-leak", "not: kmemleak-suspect", "not: socket-buffer-growth"])


def story_002_android_a57():
    """Field note 002: Android P on a Cortex-A57 board (4.9): a kernel stress script leaks 2 KB per
    iteration; memory use oscillates and creeps up for 24 h of meminfo samples; lowmemorykiller kills
    around hour 16; a kmemleak scan after each run names the driver; repeated framework stop/start
    leaves the buddy lists without high-order blocks."""
    t0 = S.epoch(2019, 3, 4, 9, 0, 0)
    total = 3809516
    mem, buddy = [], []
    import math
    for i in range(24 * 6 + 1):
        t = t0 + i * 600
        osc = int(60000 * math.sin(i * 0.9)) + int(25000 * math.sin(i * 2.3))
        avail = 2100000 - i * 7800 + osc  # ~47 MB/h of 2 KB leaks and fragmentation waste
        free = avail // 3
        mem.append(S.date_line(t, "CST") + "\n" + S.meminfo(total, free, avail, cached=avail - free - 90000, slab=210000 + i * 900,
                                                            sunreclaim=120000 + i * 880, shmem=9000, anon=1300000 - osc // 2))
        if i % 6 == 0:
            k = i // 6
            hi = [max(0, int(c * (1 - k / 26.0))) for c in (2031, 897, 406, 163, 60, 22, 8, 3)]
            buddy.append("%d\nNode 0, zone   Normal  %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d \n" % (
                t, 8646 + k * 410, 6770 + k * 170, 4266 + k * 20, *hi))
    log = G.Log("kmsg-caller", 0.0)
    G.boot(log, ("4.9.148-g3c1f2e9", "android-build@soc-builder) (gcc version 4.9.x 20150123 (prerelease) (GCC)",
                 "PREEMPT Mon Feb 25 10:02:11 CST 2019"), ["Booting Linux on physical CPU 0x0", "Memory: 3765872K/3932160K available"])
    log.gap(57600.0)
    for n, (name, pid, adj, free_kb) in enumerate([("com.android.systemui", 1402, 0, 121000), ("com.android.launcher3", 2210, 600, 88000),
                                                   ("com.android.phone", 1780, 800, 42000)]):
        log.add(["lowmemorykiller: Killing '%s' (%d) (tgid %d), adj %d," % (name, pid, pid, adj),
                 "   to free %dkB on behalf of 'kswapd0' (86) because" % free_kb,
                 "   cache 118220kB is below limit 122880kB for oom_score_adj %d" % adj,
                 "   Free memory is 9020kB above reserved"], level=6, tid="T86")
        log.gap(4.0)
    fr = [("ffffff800823a1b4", "kmem_cache_alloc_trace+0x1b4/0x2c0"), ("ffffff8008a7c3d0", "bug_driver+0x38/0x90"),
          ("ffffff8008a7c6e8", "bug_dev_ioctl+0x1f0/0x2a8"), ("ffffff80082b5d2c", "do_vfs_ioctl+0xb0/0x848"),
          ("ffffff80082b6554", "SyS_ioctl+0x90/0xa4"), ("ffffff8008083730", "el0_svc_naked+0x24/0x28")]
    objs = "".join(S.kmemleak_object("ffffffc0b7a%05x" % (0x10000 + i * 0x800), 2048, "kernel_submit", 5120 + i // 4,
                                     4295000000 + i * 2500, 3000.0 - i * 9, fr) for i in range(24))
    S.write_tree(story("002-android-a57-stress", "stress-24h-captures"), {
        "meminfo-24h.log": "".join(mem), "buddyinfo.log": "".join(buddy), "kmsg.txt": text(log), "kmemleak-after-run.txt": objs,
        "getprop.txt": "[ro.build.version.release]: [9]\n[ro.product.board]: [a57evb]\n[ro.product.model]: [A57 EVB]\n"})
    expect(story("002-android-a57-stress", "stress-24h-captures"),
           ["# a driver leak and fragmentation: general patterns, none of the known bugs",
            "has: kmemleak-suspect", "has: slow-leak-trend", "has: memory-fragmentation", "has: lowmem-killer-pressure"]
           + ["not: %s" % r for r in ("ath10k-small-ram", "bluetooth-hci-skb-leak", "dpaa-egress-congestion", "sfp-absent-tx-leak",
                                      "raw6-unread-socket", "ipv6-suppress-prefix-dst-leak")])


def story_003_method():
    """Field note 003: the checklist on a server short of memory: free, ps aux --sort=-%mem (processes
    flat), /proc/meminfo with Slab climbing, slabinfo, vmallocinfo, a kmemleak dump, du -sh /tmp/*."""
    t0 = S.epoch(2023, 7, 18, 9, 0, 0)
    mem = "".join(S.date_line(t0 + i * 1800) + "\n" + S.meminfo(8029944, 900000 - i * 14000, 5200000 - i * 30000, cached=3900000,
                                                                 slab=410000 + i * 26000, sunreclaim=180000 + i * 25500, shmem=52000 + i * 3100,
                                                                 anon=1900000) for i in range(13))
    slab = "".join(S.date_line(t0 + i * 1800 + 2) + "\n" + S.slabinfo(S.X86_CACHES, {"kmalloc-512": 49800}, i) for i in range(13))
    fr = [("ffffffff8131f0d5", "kmalloc_trace+0x25/0x90"), ("ffffffffc0a2b3f1", "nf_conn_acct_ext_add+0x41/0x90 [vendor_dpi]"),
          ("ffffffffc0a2c5e2", "dpi_flow_new+0x1a2/0x3c0 [vendor_dpi]"), ("ffffffffc0a2d0aa", "dpi_hook_in+0x9a/0x150 [vendor_dpi]"),
          ("ffffffff81a3c2b1", "nf_hook_slow+0x41/0xc0"), ("ffffffff81a8e7c2", "ip_rcv+0x92/0xd0")]
    objs = "".join(S.kmemleak_object("ffff9b21%08x" % (0x44a00000 + i * 0x200), 512, "softirq", 0, 4300000000 + i * 300,
                                     1500.0 - i * 2, fr) for i in range(30))
    du = "".join(S.date_line(t0 + i * 1800) + "\n%d\t/tmp/app-debug.log\n4\t/tmp/systemd-private-1f2e\n" % (52000 + i * 3100) for i in range(13))
    ps = ("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
          "mysql       1201  3.1 14.9 2731040 1196544 ?    Ssl  Jul17  41:02 /usr/sbin/mysqld\n"
          "www-data    2210  0.4  2.1 412304 170112 ?      S    Jul17   3:10 php-fpm: pool www\n"
          "root        1002  0.0  0.3  55744 25060 ?       Ss   Jul17   0:05 /lib/systemd/systemd-journald\n")
    S.write_tree(story("003-method-checklist", "checklist-captures"), {
        "meminfo.log": mem, "slabinfo.log": slab, "kmemleak.txt": objs, "du-tmp.log": du, "ps-aux-sort-mem.txt": ps,
        "uname-a.txt": "Linux db-7 5.15.0-76-generic #83-Ubuntu SMP Thu Jun 15 19:16:32 UTC 2023 x86_64 x86_64 x86_64 GNU/Linux\n"})
    expect(story("003-method-checklist", "checklist-captures"),
           ["# the method's path: processes flat, slab climbing, kmemleak names the culprit; logs fill /tmp",
            "first: kmemleak-suspect", "has: tmpfs-growth", "not: user-space-leak"]
           + ["not: %s" % r for r in ("ath10k-small-ram", "bluetooth-hci-skb-leak", "dpaa-egress-congestion", "sfp-absent-tx-leak",
                                      "raw6-unread-socket", "ipv6-suppress-prefix-dst-leak")])


def story_004_azure():
    """Field note 004: an Azure B1s (1 GiB) on openSUSE Leap 15.5: IPv6 traffic makes pool_workqueue
    grow (ip6_dst_cache merged into it) because cloud-netconfig added `from all lookup main
    suppress_prefixlength 0`; the OOM killer finally took sshd."""
    t0 = S.epoch(2023, 10, 9, 1, 0, 0)
    caches = with_cache(S.X86_CACHES, "pool_workqueue", 256, 16, 1, 1800)
    slab = slab_loop(t0, 3600, 31, caches, {"pool_workqueue": 76000})
    log = G.Log("journal", 0.0, host="b1s-leap", base=(2023, 10, 9, 0, 40, 0))
    G.boot(log, ("5.14.21-150500.55.28-default", "geeko@buildhost) (gcc (SUSE Linux) 7.5.0, GNU ld (GNU Binutils; SUSE Linux Enterprise 15) 2.39.0.20220810-150100.7.40",
                 "PREEMPT_DYNAMIC Fri Sep 22 10:03:27 UTC 2023 (b2a9e1d)"),
           ["x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
            "Memory: 872452K/1048052K available (14339K kernel code, 3071K rwdata, 11460K rodata, 2564K init, 13352K bss, 175340K reserved, 0K cma-reserved)",
            "Hypervisor detected: Microsoft Hyper-V"])
    log.gap(112000.0)
    t = G.tasks_for(PG, [(1, 0, 9800, 0, "systemd"), (402, 0, 12100, -250, "systemd-journal"), (811, 0, 6400, 0, "sshd"),
                         (903, 0, 21000, 0, "python3"), (1120, 0, 14400, 0, "nginx"), (1121, 497, 9900, 0, "nginx")])
    zones = [(0, dict(name="DMA", free=3900, min=356, low=444, high=532, present=15996, managed=15360, reserve=[0, 812, 812, 812]),
              [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0]),
             (0, dict(name="DMA32", free=38200, min=20084, low=25104, high=30124, present=1032056, managed=857092, kstack=2400, pt=2300,
                      reserve=[0, 0, 0, 0]), [2100, 990, 410, 120, 12, 0, 0, 0, 0, 0, 0])]
    mem = dict(era=5.14, counters=G.C(PG, 42100, 61000, 12000, 2100, 21000, 690000, 2300), zones=zones, page_kb=4,
               ram_pages=262012, reserved=43882, swap=(2097148, 40))
    G.report(log, 5.14, "sshd", 811, 0x1100cca, "GFP_HIGHUSER_MOVABLE", 0, "5.14.21-150500.55.28-default", G.X86_TRACE_NEW, t,
             G.v(811, "sshd", 6400), mem, numa=True, hw="Microsoft Corporation Virtual Machine/Virtual Machine, BIOS Hyper-V UEFI Release v4.1 05/09/2022",
             oomkill="oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/sshd.service,task=sshd,pid=811,uid=0")
    S.write_tree(story("004-azure-b1s-ip6-dst", "b1s-leap-captures"), {
        "slabinfo-hourly.log": slab,
        "ip-6-rule.txt": "0:\tfrom all lookup local\n32765:\tfrom all lookup main suppress_prefixlength 0\n32766:\tfrom all lookup main\n",
        "journalctl-k.txt": text(log),
        "etc/os-release": 'NAME="openSUSE Leap"\nVERSION="15.5"\nID="opensuse-leap"\nVERSION_ID="15.5"\nPRETTY_NAME="openSUSE Leap 15.5"\n',
        "uname-a.txt": "Linux b1s-leap 5.14.21-150500.55.28-default #1 SMP PREEMPT_DYNAMIC Fri Sep 22 10:03:27 UTC 2023 (b2a9e1d) x86_64 x86_64 x86_64 GNU/Linux\n"})
    expect(story("004-azure-b1s-ip6-dst", "b1s-leap-captures"),
           ["first: ipv6-suppress-prefix-dst-leak", "# the merged cache is explained: no general slab-leak diagnosis", "not: kernel-slab-leak"])


CASES += [story_000_k2t, story_001_casebook, story_002_android_a57, story_003_method, story_004_azure]

if __name__ == "__main__":
    only = sys.argv[2:] if len(sys.argv) > 2 else None
    for c in CASES:
        if not only or c.__name__ in only:
            c()
