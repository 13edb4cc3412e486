/* Memory events: kmemleak grouping and culprits, allocation failures, and
 * low-memory-killer kills from kernel logs, logcat and the event log; the
 * pieces (frame normalising, plumbing list, buddy lines) and whole analyses,
 * also with every allocation failing in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "failalloc.h"
#include "analyze/events.h"
#include "parse/alloc_failure.h"
#include "parse/kmemleak.h"
#include "testutil.h"

static double num(const cJSON *doc, const char *path)
{
    const cJSON *n = tu_get(doc, path);
    assert_true(cJSON_IsNumber(n));
    return n->valuedouble;
}

static bool is_null(const cJSON *doc, const char *path)
{
    return cJSON_IsNull(tu_get(doc, path));
}

static cJSON *run(const char *text, const char *name)
{
    int rc = -1;
    cJSON *doc = tu_analyze_buffer(text, strlen(text), name, NULL, &rc);
    assert_int_equal(rc, MF_OK);
    assert_non_null(doc);
    return doc;
}

/* ---- pieces ---- */

static void frames_are_normalised(void **state)
{
    (void)state;
    char out[256];
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"    [<ffffffff818d89d9>] kmemleak_alloc+0x49/0xa0", "kmemleak_alloc"},
        {"[<0000000091c1d5a2>] hci_event_packet+0x3c8/0x2f90 [bluetooth]",
         "hci_event_packet [bluetooth]"},
        {"    hci_alloc_dev_priv+0x26/0x8c0 [bluetooth]", "hci_alloc_dev_priv [bluetooth]"},
        {"[<ffffffff8157d1ae>] kzalloc include/linux/slab.h:721 [inline]", "kzalloc"},
        {"[<ffffffff8157d1ae>] hci_alloc_dev_priv+0x1e/0x9e0 net/bluetooth/hci_core.c:2478",
         "hci_alloc_dev_priv"},
        {"[<c05cf0a4>] hdd_smeRoamCallback.constprop.12+0x3b8/0x9a0 [wlan]",
         "hdd_smeRoamCallback.constprop.12 [wlan]"},
        {" [<ffffffff8116e482>] ? kmem_getpages+0x62/0x170", "kmem_getpages"},
        {"? __alloc_pages_direct_compact+0x198/0x1b0", "__alloc_pages_direct_compact"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = mf_kml_frame_normalise(cases[i].in, strlen(cases[i].in), out, sizeof out);
        assert_int_equal(n, strlen(cases[i].want));
        assert_string_equal(out, cases[i].want);
    }
    static const char *const none[] = {"[<ffffffffffffffff>] 0xffffffffffffffff",
                                       "    [<c0123456>] 0xc0123456", "", "   "};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_int_equal(mf_kml_frame_normalise(none[i], strlen(none[i]), out, sizeof out), 0);
    /* too small an output buffer: no frame rather than a cut one */
    assert_int_equal(mf_kml_frame_normalise("kmalloc_trace+0x1/0x2", 21, out, 4), 0);
}

static void plumbing_matches_whole_names_and_prefixes(void **state)
{
    (void)state;
    mf_plumbing p;
    assert_int_equal(mf_plumbing_init(&p, &mf_default_allocator, mf_kmemleak_plumbing_txt), 0);
    static const char *const yes[] = {"kmemleak_alloc", "kmalloc", "__kmalloc_node_track_caller",
                                      "kmem_cache_alloc_trace", "kzalloc", "skb_clone",
                                      "__alloc_skb", "kstrdup_const", "pcpu_alloc",
                                      "kmalloc_noprof", "__kmalloc_cache_noprof", "sk_prot_alloc",
                                      "kobject_init_and_add", "alloc_pages_current"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(mf_plumbing_match(&p, yes[i], strlen(yes[i])));
    static const char *const no[] = {"hci_alloc_dev", "hci_alloc_dev_priv", "hci_event_packet",
                                     "skb_clone_sk", "my_kmalloc", "alloc_skb_fclone_x",
                                     "sk_alloc_x", "vhci_alloc", ""};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(mf_plumbing_match(&p, no[i], strlen(no[i])));
    mf_plumbing_free(&p);
    /* a user's own list: comments, blanks, CRLF, prefixes */
    assert_int_equal(mf_plumbing_init(&p, &mf_default_allocator,
                                      "# mine\r\n\r\nvendor_alloc*  # wrappers\r\nexact_one\r\n"), 0);
    assert_true(mf_plumbing_match(&p, "vendor_alloc_buf", 16));
    assert_true(mf_plumbing_match(&p, "exact_one", 9));
    assert_false(mf_plumbing_match(&p, "exact_one_more", 14));
    assert_false(mf_plumbing_match(&p, "kmalloc", 7));
    mf_plumbing_free(&p);
    /* bare names drop compiler suffixes, offsets and modules */
    assert_int_equal(mf_frame_bare_name("tun_set_iff.constprop.51 [tun]", 30), 11);
    assert_int_equal(mf_frame_bare_name("foo.cold", 8), 3);
    assert_int_equal(mf_frame_bare_name("rawv6_sendmsg.part.0", 20), 13);
    assert_int_equal(mf_frame_bare_name("bar.isra.7+0x1/0x2", 18), 3);
}

static void buddy_lines_parse(void **state)
{
    (void)state;
    mf_buddy_zone z;
    const char *a = "Node 0 DMA: 45*4kB (U) 40*8kB (UE) 131*16kB (U) 0*32kB 0*64kB 0*128kB "
                    "0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 2876kB";
    assert_true(mf_buddy_line_parse(a, strlen(a), &z));
    assert_int_equal(z.node, 0);
    assert_string_equal(z.zone, "DMA");
    assert_int_equal(z.norders, 11);
    assert_int_equal(z.counts[2], 131);
    assert_int_equal(z.page_kb, 4);
    assert_int_equal(z.free_kb, 2876);
    const char *b = "Normal: 12*64kB (UME) 3*128kB = 1152kB";
    assert_true(mf_buddy_line_parse(b, strlen(b), &z));
    assert_int_equal(z.node, -1);
    assert_int_equal(z.page_kb, 64);
    static const char *const bad[] = {"Normal free:5560kB min:1020kB low:1272kB",
                                      "Node 0 DMA: 45*4kB (U", "DMA: = 0kB",
                                      "lowmem_reserve[]: 0 0", "Normal: 12*4kB 3*8kB"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(mf_buddy_line_parse(bad[i], strlen(bad[i]), &z));
}

/* ---- kmemleak ---- */

#define OBJ(addr, size, comm, f3)                                                  \
    "unreferenced object " addr " (size " size "):\n"                              \
    "  comm \"" comm "\", pid 12, jiffies 4294671976 (age 107.389s)\n"              \
    "  hex dump (first 32 bytes):\n"                                              \
    "    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"        \
    "  backtrace:\n"                                                              \
    "    [<ffffffff818d89d9>] kmemleak_alloc+0x49/0xa0\n"                           \
    "    [<ffffffff8116bba8>] kmem_cache_alloc+0x128/0x180\n"                       \
    "    [<ffffffff817aa351>] " f3 "\n"                                             \
    "    [<ffffffff8179a57b>] process_one_work+0x18b/0x360\n"

static void kmemleak_groups_rank_by_bytes(void **state)
{
    (void)state;
    const char *text = OBJ("0xffff880005339a00", "256", "kworker/u3:1", "hci_event_packet+0xc1/0x3290 [bluetooth]")
        OBJ("0xffff880005339b00", "512", "kworker/u3:2", "hci_event_packet+0xc9/0x3290 [bluetooth]")
        OBJ("0xffff880005339c00", "64", "ip", "fib6_info_alloc.isra.3+0x2d/0x80")
        OBJ("0xffff880005339d00", "1024", "ip", "fib6_info_alloc.isra.3+0x2d/0x80")
        OBJ("0xffff880005339e00", "256", "kworker/u3:1", "hci_event_packet+0xc1/0x3290 [bluetooth]");
    cJSON *doc = run(text, "kmemleak");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kmemleak");
    assert_int_equal(num(doc, "findings.kmemleak.objects"), 5);
    assert_int_equal(num(doc, "findings.kmemleak.bytes"), 2112);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.kmemleak.groups")), 2);
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.1.culprit"), "hci_event_packet");
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.1.title"), "memory leak in hci_event_packet");
    assert_int_equal(num(doc, "findings.kmemleak.groups.1.count"), 3);
    assert_int_equal(num(doc, "findings.kmemleak.groups.1.bytes"), 1024);
    assert_int_equal(num(doc, "findings.kmemleak.groups.1.sizes.0"), 256);
    assert_int_equal(num(doc, "findings.kmemleak.groups.1.sizes.1"), 512);
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.1.comms.0"), "kworker/u3:1");
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.1.comms.1"), "kworker/u3:2");
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.1.frames.2"), "hci_event_packet [bluetooth]");
    assert_int_equal(num(doc, "findings.kmemleak.groups.1.first.line"), 1);
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.0.culprit"), "fib6_info_alloc");
    assert_int_equal(num(doc, "findings.kmemleak.groups.0.bytes"), 1088);
    cJSON_Delete(doc);
}

static void kmemleak_in_dmesg_with_interleaving(void **state)
{
    (void)state;
    const char *text =
        "[    0.000000] Linux version 5.4.0 (b@h) (gcc version 9.4.0) #1 SMP\n"
        "[ 1207.228191] kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n"
        "[ 1207.228204] kmemleak: unreferenced object 0xffff9c3f7a0e1c00 (size 128):\n"
        "[ 1207.228207] kmemleak:   comm \"softirq\", pid 0, jiffies 4295193721 (age 615.924s)\n"
        "[ 1207.228216] kmemleak:   backtrace:\n"
        "[ 1207.228219] kmemleak:     [<00000000d02bc6a4>] kmem_cache_alloc+0x16d/0x280\n"
        "[ 1207.228224] e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex\n"
        "[ 1207.228226] kmemleak:     [<00000000a4be0aa1>] hci_alloc_dev+0x29/0x80\n"
        "[ 1207.228228] kmemleak:     [<00000000f8a3e9e3>] vhci_open+0x1fd/0x3f0\n";
    cJSON *doc = run(text, "dmesg");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kernel-log");
    assert_int_equal(num(doc, "findings.kmemleak.objects"), 1);
    /* hci_alloc_dev contains "alloc" but is no plumbing */
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.0.culprit"), "hci_alloc_dev");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.kmemleak.groups.0.frames")), 3);
    assert_int_equal(num(doc, "findings.kmemleak.summaries.0.count"), 1);
    assert_int_equal(num(doc, "findings.kmemleak.summaries.0.line"), 2);
    cJSON_Delete(doc);
    /* a kernel log without kmemleak output: the section is absent, not zero */
    doc = run("[    1.000000] Booting\n[    2.000000] random: crng init done\n", "dmesg");
    assert_null(tu_get(doc, "findings.kmemleak.objects"));
    cJSON_Delete(doc);
}

static void kmemleak_truncated_and_crlf(void **state)
{
    (void)state;
    const char *text =
        "unreferenced object 0xc5a3e2c0 (size 64):\r\n"
        "  comm \"ueventd\", pid 118, jiffies 4294939650\r\n"
        "  backtrace (crc 6b3e8f0c):\r\n"
        "    kmalloc_trace_noprof+0x26/0x90\r\n"
        "    msm_bus_register+0x48/0x6d4\r\n"
        "unreferenced object 0xc5a3e300 (size 64):\r\n"
        "  comm \"ueventd\", pid 118, jiffies 4294939650\r\n"
        "  hex dump (first 32 bytes on cpu 1):\r\n";
    cJSON *doc = run(text, "kmemleak");
    assert_int_equal(num(doc, "findings.kmemleak.objects"), 2);
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.0.culprit"), "msm_bus_register");
    assert_true(is_null(doc, "findings.kmemleak.groups.1.culprit"));
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.1.title"), "memory leak (no backtrace)");
    assert_string_equal(tu_str(doc, "warnings.0.code"), "kmemleak-truncated");
    cJSON_Delete(doc);
}

static void kmemleak_without_indentation(void **state)
{
    (void)state;
    const char *text =
        "unreferenced object 0xffff880005339a00 (size 256):\n"
        "comm \"kworker/u3:1\", pid 1011, jiffies 4294671976 (age 107.389s)\n"
        "hex dump (first 32 bytes):\n"
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
        "backtrace:\n"
        "[<ffffffff8116bba8>] kmem_cache_alloc+0x128/0x180\n"
        "[<ffffffff817aa351>] hci_event_packet+0xc1/0x3290\n"
        "some other tool output\n";
    cJSON *doc = run(text, "kmemleak");
    assert_int_equal(num(doc, "findings.kmemleak.objects"), 1);
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.0.culprit"), "hci_event_packet");
    assert_string_equal(tu_str(doc, "findings.kmemleak.groups.0.comms.0"), "kworker/u3:1");
    cJSON_Delete(doc);
}

static void kmemleak_group_limit_counts_everything(void **state)
{
    (void)state;
    const char *text = OBJ("0x1", "10", "a", "one+0x1/0x2") OBJ("0x2", "20", "a", "two+0x1/0x2")
        OBJ("0x3", "30", "a", "three+0x1/0x2") OBJ("0x4", "40", "a", "one+0x1/0x2");
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_records = 2;
    int rc;
    cJSON *doc = tu_analyze_buffer(text, strlen(text), "kmemleak", &o, &rc);
    assert_non_null(doc);
    assert_int_equal(num(doc, "findings.kmemleak.objects"), 4);
    assert_int_equal(num(doc, "findings.kmemleak.bytes"), 100);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.kmemleak.groups")), 2);
    assert_string_equal(tu_str(doc, "warnings.0.code"), "record-limit");
    cJSON_Delete(doc);
}

/* ---- allocation failures ---- */

static void alloc_failure_variants(void **state)
{
    (void)state;
    const char *text =
        "[  100.000000] swapper: page allocation failure. order:1, mode:0x20\n"
        "[  200.000000] kworker/0:1: page allocation failure: order:3, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0\n"
        "[  200.000010] CPU: 1 PID: 77 Comm: kworker/0:1 Not tainted 5.10.0 #1\n"
        "[  200.000020] Call Trace:\n"
        "[  200.000030]  dump_stack+0x6b/0x83\n"
        "[  200.000040]  warn_alloc.cold+0x87/0x12a\n"
        "[  200.000050]  __alloc_pages_nodemask+0x2e1/0x310\n"
        "[  200.000060]  mydrv_refill+0x3c/0xa0 [mydrv]\n"
        "[  200.000070] Mem-Info:\n"
        "[  200.000080] Node 0 Normal: 10*4kB (U) 2*8kB = 56kB\n"
        "[  300.000000] kswapd0: page allocation stalls for 10260ms, order:0, mode:0x24200ca(GFP_HIGHUSER_MOVABLE)\n"
        "[  400.000000] a.out: vmalloc: allocation failure: 4096 bytes, mode:0x14000c0(GFP_KERNEL), nodemask=(null)\n"
        "[  500.000000] b.out: vmalloc error: size 8192, vm_struct allocation failed, mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0\n"
        "[  600.000000] vmalloc: allocation failure: 1048576 bytes\n"
        "[  600.000010] mediaserver: page allocation failure: order:0, mode:0xd2\n";
    cJSON *doc = run(text, "dmesg");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.alloc_failures")), 6);
    assert_string_equal(tu_str(doc, "findings.alloc_failures.0.comm"), "swapper");
    assert_int_equal(num(doc, "findings.alloc_failures.0.order"), 1);
    assert_string_equal(tu_str(doc, "findings.alloc_failures.0.mode"), "0x20");
    assert_int_equal(num(doc, "findings.alloc_failures.1.pid"), 77);
    assert_string_equal(tu_str(doc, "findings.alloc_failures.1.gfp_flags.1"), "__GFP_COMP");
    assert_string_equal(tu_str(doc, "findings.alloc_failures.1.nodemask"), "(null)");
    assert_string_equal(tu_str(doc, "findings.alloc_failures.1.culprit"), "mydrv_refill");
    assert_string_equal(tu_str(doc, "findings.alloc_failures.1.frames.3"), "mydrv_refill [mydrv]");
    assert_int_equal(num(doc, "findings.alloc_failures.1.buddy.0.free_kb"), 56);
    assert_int_equal(num(doc, "findings.alloc_failures.1.buddy.0.counts.1"), 2);
    assert_string_equal(tu_str(doc, "findings.alloc_failures.2.kind"), "stall");
    assert_int_equal(num(doc, "findings.alloc_failures.2.stall_ms"), 10260);
    assert_string_equal(tu_str(doc, "findings.alloc_failures.3.kind"), "vmalloc");
    assert_string_equal(tu_str(doc, "findings.alloc_failures.3.comm"), "a.out");
    assert_int_equal(num(doc, "findings.alloc_failures.3.size_bytes"), 4096);
    assert_int_equal(num(doc, "findings.alloc_failures.4.size_bytes"), 8192);
    assert_string_equal(tu_str(doc, "findings.alloc_failures.5.kind"), "vmalloc");
    assert_string_equal(tu_str(doc, "findings.alloc_failures.5.comm"), "mediaserver");
    assert_int_equal(num(doc, "findings.alloc_failures.5.size_bytes"), 1048576);
    cJSON_Delete(doc);
}

static void alloc_failure_ignores_other_callers(void **state)
{
    (void)state;
    const char *text =
        "<4>[ 7342.118201][    C5] irq/312-wlan: page allocation failure: order:2, mode:0xa20(GFP_ATOMIC)\n"
        "<4>[ 7342.118240][    C5] Call trace:\n"
        "<4>[ 7342.118243][    C5]  dump_backtrace+0xf4/0x118\n"
        "<6>[ 7342.118244][  T812] binder: 1021:1033 transaction failed 29189/-22\n"
        "<4>[ 7342.118246][    C5]  warn_alloc+0x178/0x1fc\n"
        "<4>[ 7342.118248][    C5]  dp_rx_process+0x9f8/0xe04 [qca_cld3_kiwi]\n"
        "<4>[ 7342.118250][    C5] Mem-Info:\n";
    cJSON *doc = run(text, "kmsg");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.alloc_failures.0.frames")), 3);
    assert_string_equal(tu_str(doc, "findings.alloc_failures.0.culprit"), "dp_rx_process");
    cJSON_Delete(doc);
}

/* ---- low-memory killers ---- */

static void lmk_kernel_variants(void **state)
{
    (void)state;
    const char *text =
        "<6>[ 4811.203351] send sigkill to 2317 (com.google.android.apps.maps), adj 11, size 14215\n"
        "<6>[21311.440128] lowmemorykiller: Killing 'com.android.vending' (12345), adj 904,\n"
        "<6>[21311.440128]    to free 48232kB on behalf of 'kswapd0' (95) because\n"
        "<6>[21311.440128]    cache 151220kB is below limit 153600kB for oom_score_adj 900\n"
        "<6>[21311.440128]    Free memory is 9420kB above reserved\n"
        "<6>[21320.000000] lowmemorykiller: Killing 'it's' (7), adj 1000,\\x0a   to free 1024KB on behalf of 'x' (1) because\n";
    cJSON *doc = run(text, "dmesg");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.lmk_kills")), 3);
    assert_string_equal(tu_str(doc, "findings.lmk_kills.0.source"), "kernel-lmk");
    assert_int_equal(num(doc, "findings.lmk_kills.0.size_pages"), 14215);
    assert_true(is_null(doc, "findings.lmk_kills.0.freed_kb"));
    assert_string_equal(tu_str(doc, "findings.lmk_kills.1.comm"), "com.android.vending");
    assert_int_equal(num(doc, "findings.lmk_kills.1.freed_kb"), 48232);
    assert_int_equal(num(doc, "findings.lmk_kills.1.min_adj"), 900);
    assert_string_equal(tu_str(doc, "findings.lmk_kills.1.reason"), "cache 151220kB is below limit 153600kB");
    assert_string_equal(tu_str(doc, "findings.lmk_kills.2.comm"), "it's");
    assert_int_equal(num(doc, "findings.lmk_kills.2.freed_kb"), 1024);
    cJSON_Delete(doc);
}

static void lmkd_logcat_and_event_log_join(void **state)
{
    (void)state;
    const char *text =
        "--------- beginning of main\n"
        "08-06 15:35:11.502   684   712 I lowmemorykiller: Kill 'com.android.chrome' (21044), uid 10087, oom_score_adj 900 to free 120036kB rss, 44120kB swap; reason: low watermark is breached\n"
        "08-06 15:35:11.503   684   712 I killinfo: [21044,10087,900,800,120036,3,12212]\n"
        "08-06 15:35:11.600   684   712 I lmkd    : Kill 'x' (5), uid 10001, oom_adj 906 to free 98544kb\n"
        "08-06 15:35:11.700  1017  1033 I am_low_memory: 9\n"
        "08-06 15:35:11.800  1017  1033 I ActivityManager: Killing 12:com.foo/u0a1 (adj 900): empty\n";
    cJSON *doc = run(text, "logcat.txt");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "logcat");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.lmk_kills")), 3);
    assert_int_equal(num(doc, "findings.lmk_kills.0.swap_kb"), 44120);
    assert_string_equal(tu_str(doc, "findings.lmk_kills.0.reason"), "low watermark is breached");
    assert_string_equal(tu_str(doc, "findings.lmk_kills.0.time.wall"), "--08-06T15:35:11.502");
    assert_string_equal(tu_str(doc, "findings.lmk_kills.1.source"), "killinfo");
    assert_string_equal(tu_str(doc, "findings.lmk_kills.1.comm"), "com.android.chrome");
    assert_string_equal(tu_str(doc, "findings.lmk_kills.1.reason"), "low_mem_and_swap");
    assert_int_equal(num(doc, "findings.lmk_kills.2.freed_kb"), 98544);
    assert_int_equal(num(doc, "findings.lmk_pressure.0.processes"), 9);
    cJSON_Delete(doc);
}

static void event_log_am_kill_versions(void **state)
{
    (void)state;
    const char *text =
        "01-05 10:21:33.418   388   401 I am_kill : [2811,com.android.calendar,15,empty #17]\n"
        "08-06 15:35:11.480  1017  1033 I am_kill : [0,20998,com.android.vending,906,empty #17]\n"
        "08-06 15:38:03.911  1017  1048 I am_kill : [0,7517,com.google.android.gms,999,excessive cpu,95860]\n"
        "08-06 15:38:04.000  1017  1048 I am_proc_died: [0,7517,com.google.android.gms]\n";
    cJSON *doc = run(text, "events.txt");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "event-log");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.lmk_kills")), 3);
    assert_int_equal(num(doc, "findings.lmk_kills.0.pid"), 2811);
    assert_int_equal(num(doc, "findings.lmk_kills.0.adj"), 15);
    assert_int_equal(num(doc, "findings.lmk_kills.1.pid"), 20998);
    assert_string_equal(tu_str(doc, "findings.lmk_kills.1.reason"), "empty #17");
    /* the evidence line keeps the event tag */
    assert_string_equal(tu_str(doc, "findings.lmk_kills.1.text"),
                        "am_kill: [0,20998,com.android.vending,906,empty #17]");
    assert_int_equal(num(doc, "findings.lmk_kills.2.freed_kb"), 95860);
    assert_string_equal(tu_str(doc, "findings.lmk_kills.2.reason"), "excessive cpu");
    cJSON_Delete(doc);
}

static void bidders_choose_the_right_kind(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *kind;
    } cases[] = {
        {"x", "08-06 15:35:11.502   684   712 I lowmemorykiller: Kill 'c' (2), uid 1, oom_adj 9 to free 1kB\n"
              "08-06 15:35:11.600  1017  1033 I ActivityManager: Start proc 1:a/u0a1\n", "logcat"},
        {"x", "08-06 15:35:11.480  1017  1033 I am_kill : [0,20998,com.android.vending,906,empty #17]\n"
              "08-06 15:35:11.490  1017  1033 I am_proc_died: [0,20998,com.android.vending]\n", "event-log"},
        {"x", "06-11 08:01:12.004     0     0 I kernel  : [ 9120.331204] lowmemorykiller: Killing 'a' (1), adj 906,\n"
              "06-11 08:01:12.005     0     0 I kernel  : [ 9120.331300] binder: 1:2 transaction failed\n", "kernel-log"},
        {"x", "[    1.000000] kmemleak: unreferenced object 0x1 (size 8):\n[    1.000001] kmemleak:   comm \"x\", pid 1, jiffies 1\n",
         "kernel-log"},
        {"kmemleak", "unreferenced object 0x1 (size 8):\n  comm \"x\", pid 1, jiffies 1\n  backtrace:\n", "kmemleak"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *doc = run(cases[i].text, cases[i].name);
        assert_string_equal(tu_str(doc, "input.members.0.kind"), cases[i].kind);
        cJSON_Delete(doc);
    }
}

/* ---- every allocation failing in turn ---- */

static void fail_every_allocation(const char *text, const char *name)
{
    tu_counting probe = {0, 0, -1};
    mf_allocator a = {tu_counting_calloc, tu_counting_realloc, tu_counting_free, &probe};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &a;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, text, strlen(text), name, &o), MF_OK);
    mf_report_free(r);
    long total = probe.calls;
    for (long budget = 0; budget < total; budget++) {
        tu_counting c = {0, 0, budget};
        a.ctx = &c;
        r = NULL;
        int rc = mf_analyze_buffer(&r, text, strlen(text), name, &o);
        assert_true(rc == MF_OK || rc == MF_ENOMEM);
        if (r)
            mf_report_render(r, MF_FORMAT_TEXT, NULL);
        mf_report_free(r);
        assert_int_equal(c.live, 0);
    }
}

static void allocation_failures_never_crash(void **state)
{
    (void)state;
    fail_every_allocation(OBJ("0x1", "10", "a", "one+0x1/0x2") OBJ("0x2", "20", "b", "two+0x1/0x2"),
                          "kmemleak");
    fail_every_allocation(
        "[  1.0] kmemleak: unreferenced object 0x1 (size 8):\n"
        "[  1.0] kmemleak:   comm \"x\", pid 1, jiffies 1\n"
        "[  1.0] kmemleak:   backtrace:\n"
        "[  1.0] kmemleak:     [<00000000d02bc6a4>] kmalloc+0x1/0x2\n"
        "[  1.0] kmemleak:     [<00000000d02bc6a4>] leaky+0x1/0x2\n"
        "[  1.1] kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n"
        "[  2.0] x: page allocation failure: order:3, mode:0x40cc0(GFP_KERNEL|__GFP_COMP)\n"
        "[  2.0] CPU: 1 PID: 77 Comm: x Not tainted 5.10.0 #1\n"
        "[  2.0] Call Trace:\n"
        "[  2.0]  dump_stack+0x6b/0x83\n"
        "[  2.0]  mydrv+0x3c/0xa0 [mydrv]\n"
        "[  2.0] Normal: 10*4kB (U) 2*8kB = 56kB\n"
        "[  3.0] lowmemorykiller: Killing 'a' (1), adj 9,\n"
        "[  3.0]    to free 4kB on behalf of 'b' (2) because\n"
        "[  3.0]    cache 1kB is below limit 2kB for oom_score_adj 0\n",
        "dmesg");
    fail_every_allocation(
        "08-06 15:35:11.502   684   712 I lowmemorykiller: Kill 'c' (2), uid 1, oom_score_adj 9 to free 1kB rss, 2kB swap; reason: r\n"
        "08-06 15:35:11.503   684   712 I killinfo: [2,1,9,8,1,3,1]\n"
        "08-06 15:35:11.503  1017  1033 I am_kill : [0,3,d,906,empty]\n"
        "08-06 15:35:11.700  1017  1033 I am_low_memory: 9\n",
        "logcat");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frames_are_normalised),
        cmocka_unit_test(plumbing_matches_whole_names_and_prefixes),
        cmocka_unit_test(buddy_lines_parse),
        cmocka_unit_test(kmemleak_groups_rank_by_bytes),
        cmocka_unit_test(kmemleak_in_dmesg_with_interleaving),
        cmocka_unit_test(kmemleak_truncated_and_crlf),
        cmocka_unit_test(kmemleak_without_indentation),
        cmocka_unit_test(kmemleak_group_limit_counts_everything),
        cmocka_unit_test(alloc_failure_variants),
        cmocka_unit_test(alloc_failure_ignores_other_callers),
        cmocka_unit_test(lmk_kernel_variants),
        cmocka_unit_test(lmkd_logcat_and_event_log_join),
        cmocka_unit_test(event_log_am_kill_versions),
        cmocka_unit_test(bidders_choose_the_right_kind),
        cmocka_unit_test(allocation_failures_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
