/* Unit tests for the OOM reader: each parse step (header variants, CPU
 * line, kill lines, task-table headers, show_mem and buddy lines, page
 * size, memcg lines), the accounting maths, the watermark check, and the
 * report life (truncation, interleaving, reaper, duplicates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failalloc.h"
#include "memforensics.h"
#include "analyze/oom.h"
#include "parse/oom.h"
#include "parse/showmem.h"

static const mf_allocator *A = &mf_default_allocator;

/* Feed `text` (one message per line) as member `member`; mono time from
 * a leading "@SECONDS " on a line, else none. */
static void feed(mf_evidence *ev, const char *path, const char *text)
{
    int32_t member = mf_evidence_add_member(ev, path);
    assert_true(member >= 0);
    mf_parse_ctx pc = {ev, member, path};
    void *st = mf_klog_oom.open(&pc);
    assert_non_null(st);
    const char *p = text;
    uint64_t line = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        const char *le = nl ? nl : p + strlen(p);
        mf_logmsg m;
        memset(&m, 0, sizeof m);
        m.lineno = ++line;
        m.time.boot = 0;
        if (*p == '@') {
            char *e;
            m.time.mono_s = strtod(p + 1, &e);
            m.time.has_mono = true;
            p = e + 1;
        }
        if (*p == 'T' && p[1] >= '0' && p[1] <= '9') { /* caller id "T123 " */
            char *e;
            m.caller_kind = 'T';
            m.caller_id = (uint32_t)strtoul(p + 1, &e, 10);
            p = e + 1;
        }
        m.msg = p;
        m.len = (size_t)(le - p);
        m.pid = m.tid = -1;
        m.uid = -1;
        m.level = -1;
        mf_klog_oom.message(st, &pc, &m);
        p = nl ? nl + 1 : le;
    }
    mf_klog_oom.close(st, &pc);
}

static mf_evidence *run(const char *text)
{
    mf_evidence *ev = mf_evidence_new(A);
    assert_non_null(ev);
    feed(ev, "dmesg", text);
    assert_int_equal(mf_analyze_oom(ev), 0);
    return ev;
}

static mf_oom_event *event(mf_evidence *ev, size_t i)
{
    assert_true(i < ev->oom.events.len);
    return mf_vec_at(&ev->oom.events, i);
}

#define KILL54 "Out of memory: Killed process 42 (x) total-vm:100kB, anon-rss:80kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:8kB oom_score_adj:0\n"

static void header_variants(void **state)
{
    (void)state;
    struct {
        const char *line;
        const char *mask, *flags, *nodemask;
        int order;
        int64_t adj, oom_adj;
    } cases[] = {
        {"java invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0", "0x201da", NULL, NULL, 0, INT64_MIN, 0},
        {"java invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=-17, oom_score_adj=-1000", "0x201da", NULL, NULL, 0, -1000, -17},
        {"mysqld invoked oom-killer: gfp_mask=0x280da, order=0, oom_score_adj=0", "0x280da", NULL, NULL, 0, 0, INT64_MIN},
        {"a b invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), nodemask=0-1, order=2, oom_score_adj=500", "0x24201ca", "GFP_HIGHUSER_MOVABLE|__GFP_COLD", "0-1", 2, 500, INT64_MIN},
        {"uwsgi invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null),  order=0, oom_score_adj=0", "0x14200ca", "GFP_HIGHUSER_MOVABLE", "(null)", 0, 0, INT64_MIN},
        {"kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0", "0xcc0", "GFP_KERNEL", NULL, -1, 0, INT64_MIN},
        {"x invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0", "0x0", NULL, NULL, 0, 0, INT64_MIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[600];
        snprintf(text, sizeof text, "%s\n%s", cases[i].line, KILL54);
        mf_evidence *ev = run(text);
        mf_oom_event *e = event(ev, 0);
        assert_string_equal(e->gfp_mask, cases[i].mask);
        if (cases[i].flags)
            assert_string_equal(e->gfp_flags, cases[i].flags);
        else
            assert_null(e->gfp_flags);
        if (cases[i].nodemask)
            assert_string_equal(e->nodemask, cases[i].nodemask);
        else
            assert_null(e->nodemask);
        assert_true(e->has_order);
        assert_int_equal(e->order, cases[i].order);
        assert_true(e->oom_score_adj == cases[i].adj);
        assert_true(e->oom_adj == cases[i].oom_adj);
        assert_int_equal(e->kind, cases[i].order == -1 ? MF_OOM_MANUAL : MF_OOM_GLOBAL);
        assert_false(e->truncated);
        mf_evidence_free(ev);
    }
    mf_evidence *ev = run("a b invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0\n" KILL54);
    assert_string_equal(event(ev, 0)->trigger_comm, "a b");
    /* the header line is the report's evidence text */
    assert_string_equal(event(ev, 0)->text, "a b invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0");
    mf_evidence_free(ev);
}

static void cpu_lines(void **state)
{
    (void)state;
    mf_evidence *ev = run(
        "x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
        "CPU: 3 UID: 1000 PID: 4242 Comm: x Tainted: G        W  OE      6.11.5-200.fc40.x86_64 #1\n" KILL54
        "y invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0\n"
        "Pid: 1234, comm: java Not tainted 2.6.32-754.el6.x86_64 #1\n" KILL54);
    mf_oom_event *e = event(ev, 0);
    assert_int_equal(e->trigger_pid, 4242);
    assert_int_equal(e->trigger_uid, 1000);
    assert_string_equal(e->kernel_release, "6.11.5-200.fc40.x86_64");
    assert_string_equal(e->taint, "G        W  OE");
    e = event(ev, 1);
    assert_int_equal(e->trigger_pid, 1234);
    assert_string_equal(e->kernel_release, "2.6.32-754.el6.x86_64");
    assert_string_equal(e->taint, "Not tainted");
    mf_evidence_free(ev);
}

static void kill_lines(void **state)
{
    (void)state;
    struct {
        const char *lines;
        int64_t pid;
        const char *comm;
        int64_t vm, anon, file, shmem, uid, adj;
    } cases[] = {
        {"Out of memory: kill process 2019 (java) score 734210 or a child\nKilled process 2019 (java)\n", 2019, "java", -1, -1, -1, -1, -1, INT64_MIN},
        {"Out of memory: Kill process 28656 (java) score 968 or sacrifice child\nKilled process 28656, UID 602, (java) total-vm:4276400kB, anon-rss:3400000kB, file-rss:512kB\n", 28656, "java", 4276400, 3400000, 512, -1, 602, INT64_MIN},
        {"Out of memory: Kill process 3310 (mysqld) score 887 or sacrifice child\nKilled process 3310 (mysqld), UID 27, total-vm:7645480kB, anon-rss:6100000kB, file-rss:512kB, shmem-rss:0kB\n", 3310, "mysqld", 7645480, 6100000, 512, 0, 27, INT64_MIN},
        {"Out of memory: Kill process 9 (a (b) c) score 1 or sacrifice child\nKilled process 9 (a (b) c) total-vm:10kB, anon-rss:5kB, file-rss:1kB, shmem-rss:2kB\n", 9, "a (b) c", 10, 5, 1, 2, -1, INT64_MIN},
        {"Out of memory: Killed process 5120 (Isolated Web Co) total-vm:295480kB, anon-rss:220000kB, file-rss:512kB, shmem-rss:0kB, UID:1000 pgtables:2320kB oom_score_adj:200\n", 5120, "Isolated Web Co", 295480, 220000, 512, 0, 1000, 200},
        {"Out of memory (oom_kill_allocating_task): Kill process 1555 (bash) score 900 or sacrifice child\nKilled process 1555 (bash) total-vm:895480kB, anon-rss:700000kB, file-rss:512kB, shmem-rss:0kB\n", 1555, "bash", 895480, 700000, 512, 0, -1, INT64_MIN},
        {"Memory cgroup out of memory: OOM victim 7711 (ld) is already exiting. Skip killing the task\n", 7711, "ld", -1, -1, -1, -1, -1, INT64_MIN},
        {"Out of memory: Killed process 77 (kworker/u8:2) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:-1000\n", 77, "kworker/u8:2", 1, 1, 0, 0, 0, -1000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[800];
        snprintf(text, sizeof text, "t invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n%s", cases[i].lines);
        mf_evidence *ev = run(text);
        assert_int_equal(ev->oom.events.len, 1);
        mf_oom_event *e = event(ev, 0);
        assert_false(e->truncated);
        assert_int_equal(e->victim.pid, cases[i].pid);
        assert_string_equal(e->victim.comm, cases[i].comm);
        assert_true(e->victim.total_vm_kb == cases[i].vm);
        assert_true(e->victim.anon_rss_kb == cases[i].anon);
        assert_true(e->victim.file_rss_kb == cases[i].file);
        assert_true(e->victim.shmem_rss_kb == cases[i].shmem);
        assert_true(e->victim.uid == cases[i].uid);
        assert_true(e->victim.oom_score_adj == cases[i].adj);
        mf_evidence_free(ev);
    }
}

static void task_tables(void **state)
{
    (void)state;
    const char *headers[] = {
        "[ pid ]   uid  tgid total_vm      rss cpu oom_adj name\n[  100]     0   100     2000      700   1       0 uwsgi worker\n[  101]     0   101     2000      300   0     -17 uwsgi worker\n[  102]     0   102     2000      900   0       0 (sd-pam)\n",
        "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n[  100]     0   100     2000      700      10        0             0 uwsgi worker\n[  101]     0   101     2000      300      10        0         -1000 uwsgi worker\n[  102]     0   102     2000      900      10        0             0 (sd-pam)\n",
        "Tasks state (memory values in pages):\n[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n[    100]     0   100     2000      700    40960        0             0 uwsgi worker\n[    101]     0   101     2000      300    40960        0             0 uwsgi worker\n[    102]     0   102     2000      900    40960        0             0 (sd-pam)\n",
        "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n[    100]     0   100     2000      700      600      100         0    40960        0             0 uwsgi worker\n[    101]     0   101     2000      300      200      100         0    40960        0             0 uwsgi worker\n[    102]     0   102     2000      900      800      100         0    40960        0             0 (sd-pam)\n",
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char text[2000];
        snprintf(text, sizeof text,
                 "t invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n"
                 "Normal: 1*16kB (U) 0*32kB = 16kB\n%s" KILL54, headers[i]);
        mf_evidence *ev = run(text);
        mf_oom_event *e = event(ev, 0);
        assert_true(e->has_tasks);
        assert_int_equal(e->ntasks, 3);
        assert_int_equal(e->tasks_rss_pages, 1900);
        assert_int_equal(e->ntop, 3);
        assert_string_equal(e->top[0].comm, "(sd-pam)");
        assert_int_equal(e->top[0].rss_pages, 900);
        /* two instances of one program are one cost */
        assert_int_equal(e->nprograms, 2);
        assert_string_equal(e->programs[0].comm, "uwsgi worker");
        assert_int_equal(e->programs[0].rss_pages, 1000);
        assert_int_equal(e->programs[0].count, 2);
        assert_int_equal(e->d.page_kb, 16);
        mf_evidence_free(ev);
    }
}

static void buddy_lines(void **state)
{
    (void)state;
    mf_sm_zone z;
    uint32_t pg = 0;
    assert_true(mf_showmem_parse_buddy("Node 0 DMA32: 212*4kB (UME) 118*8kB (UM) 0*16kB 3*32kB (H) = 1744kB", 69, &z, &pg));
    assert_int_equal(z.node, 0);
    assert_string_equal(z.name, "DMA32");
    assert_int_equal(pg, 4);
    assert_int_equal(z.norders, 4);
    assert_int_equal(z.blocks[0], 212);
    assert_int_equal(z.blocks[3], 3);
    assert_int_equal(z.buddy_total_kb, 1744);
    const char *l64 = "Normal: 2100*64kB (U) 140*128kB (UE) 12*256kB (R) 0*512kB = 174592kB";
    assert_true(mf_showmem_parse_buddy(l64, strlen(l64), &z, &pg));
    assert_int_equal(z.node, -1);
    assert_int_equal(pg, 64);
    assert_int_equal(z.norders, 4);
    /* not buddy lines */
    const char *no[] = {"Normal free:2944kB min:2896kB", "Node 0 hugepages_total=0", "DMA: nothing here", "lowmem_reserve[]: 0 0"};
    for (size_t i = 0; i < 4; i++)
        assert_false(mf_showmem_parse_buddy(no[i], strlen(no[i]), &z, &pg));
}

static void showmem_dump(void **state)
{
    (void)state;
    const char *lines[] = {
        "Mem-Info:",
        "active_anon:100 inactive_anon:200 isolated_anon:0",
        " active_file:300 inactive_file:400 isolated_file:0",
        " unevictable:0 dirty:1 writeback:0",
        " slab_reclaimable:50 slab_unreclaimable:60",
        " mapped:10 shmem:20 pagetables:30 sec_pagetables:0 bounce:0",
        " kernel_misc_reclaimable:0",
        " free:1000 free_pcp:5 free_cma:0",
        "Node 0 active_anon:400kB inactive_anon:800kB active_file:1200kB inactive_file:1600kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:40kB dirty:4kB writeback:0kB shmem:80kB kernel_stack:512kB pagetables:120kB all_unreclaimable? no",
        "Node 0 Normal free:4000kB boost:0kB min:1000kB low:1250kB high:1500kB reserved_highatomic:0KB active_anon:0kB present:10000kB managed:9000kB mlocked:0kB bounce:0kB free_pcp:20kB local_pcp:0kB free_cma:0kB",
        "lowmem_reserve[]: 0 0 0 0",
        "Node 0 Normal: 10*4kB (U) 5*8kB (M) = 80kB",
        "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
        "720 total pagecache pages",
        "0 pages in swap cache",
        "Free swap  = 100kB",
        "Total swap = 200kB",
        "2500 pages RAM",
        "0 pages HighMem/MovableOnly",
        "250 pages reserved",
    };
    mf_showmem sm;
    mf_showmem_reset(&sm);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        assert_true(mf_showmem_line(&sm, lines[i], strlen(lines[i])));
    assert_false(mf_showmem_line(&sm, "e1000e: link up", 15));
    assert_int_equal(sm.counters[MF_SM_ACTIVE_ANON], 100);
    assert_int_equal(sm.counters[MF_SM_FREE], 1000);
    assert_int_equal(sm.counters[MF_SM_SHMEM], 20);
    assert_int_equal(sm.counters[MF_SM_SEC_PAGETABLES], 0);
    assert_int_equal(sm.counters[MF_SM_UNSTABLE], -1);
    assert_int_equal(sm.node_kernel_stack_kb, 512);
    assert_int_equal(sm.nzones, 1);
    assert_int_equal(sm.zones[0].boost_kb, 0);
    assert_int_equal(sm.zones[0].managed_kb, 9000);
    assert_int_equal(sm.zones[0].nreserve, 4);
    assert_true(sm.zones[0].has_buddy);
    assert_int_equal(sm.page_kb, 4);
    assert_int_equal(sm.pagecache_pages, 720);
    assert_int_equal(sm.free_swap_kb, 100);
    assert_int_equal(sm.total_swap_kb, 200);
    assert_int_equal(sm.ram_pages, 2500);
    assert_int_equal(sm.reserved_pages, 250);
}

static void buddy_line_broken(void **state)
{
    (void)state;
    /* pr_cont chain broken by another CPU: the rest comes on its own */
    const char *lines[] = {"Mem-Info:", "Node 0 Normal: 1203*4kB (UME) 541*8kB",
                           "(UME) 77*16kB (UM) 3*32kB = 10372kB", "720 total pagecache pages"};
    mf_showmem sm;
    mf_showmem_reset(&sm);
    for (size_t i = 0; i < 4; i++)
        assert_true(mf_showmem_line(&sm, lines[i], strlen(lines[i])));
    assert_int_equal(sm.zones[0].norders, 4);
    assert_int_equal(sm.zones[0].blocks[3], 3);
    assert_int_equal(sm.zones[0].buddy_total_kb, 10372);
    assert_int_equal(sm.open_buddy, -1);
    assert_int_equal(sm.pagecache_pages, 720);
}

static void page_size_never_assumed(void **state)
{
    (void)state;
    /* no buddy line: no page size, so no kB from pages */
    mf_evidence *ev = run("t invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n"
                          "Mem-Info:\nactive_anon:100 inactive_anon:200 isolated_anon:0\n" KILL54);
    assert_int_equal(event(ev, 0)->d.page_kb, 0);
    assert_int_equal(event(ev, 0)->d.anon_kb, -1);
    assert_int_equal(ev->system.oom_page_size, 0);
    mf_evidence_free(ev);
}

/* The boot line `Memory: NK/MK available` gives RAM (the last boot wins);
 * other `Memory:` lines do not. */
static void boot_memory_line(void **state)
{
    (void)state;
    mf_evidence *ev = mf_evidence_new(A);
    assert_non_null(ev);
    int32_t member = mf_evidence_add_member(ev, "dmesg");
    mf_parse_ctx pc = {ev, member, "dmesg"};
    const char *lines[] = {
        "Memory: 56320K/65536K available (5632K kernel code, 298K rwdata, 0K highmem)",
        "Memory: 12K/ available",                       /* no total */
        "Memory: 1K/2K reserved",                       /* not the boot line */
        "Memory: 124000k/131072k available, 2400k kernel code", /* 2.6.32 style */
        "Memory: fragmentation index 3",
    };
    int64_t want[] = {65536, 65536, 65536, 131072, 131072};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        mf_logmsg m;
        memset(&m, 0, sizeof m);
        m.msg = lines[i];
        m.len = strlen(lines[i]);
        m.lineno = i + 1;
        mf_klog_banner.message(NULL, &pc, &m);
        assert_int_equal(ev->system.boot_ram_kb, want[i]);
    }
    assert_int_equal(ev->system.boot_ram_src.loc.line, 4);
    assert_string_equal(ev->system.boot_ram_src.value, "131072");
    mf_evidence_free(ev);
}

static void memcg_lines(void **state)
{
    (void)state;
    mf_evidence *ev = run(
        "sort invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), order=0, oom_score_adj=0\n"
        "memory: usage 1048576kB, limit 1048576kB, failcnt 411\n"
        "swap: usage 0kB, limit 9007199254740988kB, failcnt 0\n"
        "Memory cgroup stats for /system.slice/batch.service:\n"
        "anon 1040187392\nfile 4096000\nslab 2215936\nshmem 0\n"
        "Tasks state (memory values in pages):\n"
        "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/batch.service,task_memcg=/system.slice/batch.service,task=sort,pid=4010,uid=0\n"
        "Memory cgroup out of memory: Killed process 4010 (sort) total-vm:1295480kB, anon-rss:1020000kB, file-rss:512kB, shmem-rss:0kB\n"
        "t invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0\n"
        "Task in /docker/a killed as a result of limit of /docker/a\n"
        "memory: usage 524288kB, limit 524288kB, failcnt 1874\n"
        "memory+swap: usage 524288kB, limit 9007199254740988kB, failcnt 0\n"
        "kmem: usage 9300kB, limit 9007199254740988kB, failcnt 0\n"
        "Memory cgroup stats for /docker/a: cache:1320KB rss:512960KB rss_huge:0KB shmem:0KB\n"
        "Memory cgroup out of memory: Kill process 21020 (python3) score 1000 or sacrifice child\n"
        "Killed process 21020 (python3) total-vm:660480kB, anon-rss:510000kB, file-rss:512kB, shmem-rss:0kB\n");
    assert_int_equal(ev->oom.events.len, 2);
    mf_oom_event *e = event(ev, 0);
    assert_int_equal(e->kind, MF_OOM_MEMCG); /* oom_memcg= despite CONSTRAINT_NONE */
    assert_string_equal(e->constraint, "CONSTRAINT_NONE");
    assert_string_equal(e->memcg, "/system.slice/batch.service");
    assert_int_equal(e->mcg.usage_kb, 1048576);
    assert_int_equal(e->mcg.failcnt, 411);
    assert_true(e->mcg.stats_v2);
    assert_int_equal(e->mcg.nstats, 4);
    assert_int_equal(e->mcg.stats[0].kb, 1015808);
    assert_string_equal(e->d.memcg_filled_by, "anon");
    e = event(ev, 1);
    assert_int_equal(e->kind, MF_OOM_MEMCG);
    assert_string_equal(e->memcg, "/docker/a");
    assert_string_equal(e->task_memcg, "/docker/a");
    assert_int_equal(e->mcg.kmem_usage_kb, 9300);
    assert_int_equal(e->mcg.memsw_usage_kb, 524288);
    assert_false(e->mcg.stats_v2);
    assert_int_equal(e->mcg.nstats, 4);
    assert_string_equal(e->mcg.stats[1].key, "rss");
    assert_int_equal(e->mcg.stats[1].kb, 512960);
    mf_evidence_free(ev);
    /* v1 stats continued on the next line */
    ev = run("t invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
             "Task in /a killed as a result of limit of /a\n"
             "Memory cgroup stats for /a:\n"
             " cache:4KB rss:2048KB rss_huge:0KB\n"
             "[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n"
             "Memory cgroup out of memory: Killed process 42 (x) total-vm:100kB, anon-rss:80kB, file-rss:4kB, shmem-rss:0kB\n");
    e = event(ev, 0);
    assert_int_equal(e->mcg.nstats, 3);
    assert_int_equal(e->mcg.stats[1].kb, 2048);
    assert_string_equal(e->d.memcg_filled_by, "anon");
    mf_evidence_free(ev);
    /* the other v1 wording, and memory.oom.group */
    ev = run("t invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
             "Memory limit reached of cgroup /lxc/ci\n"
             "memory: usage 1024kB, limit 1024kB, failcnt 3\n"
             "Tasks in /lxc/ci are going to be killed due to memory.oom.group set\n"
             "Out of memory: Killed process 42 (x) total-vm:100kB, anon-rss:80kB, file-rss:4kB, shmem-rss:0kB\n");
    e = event(ev, 0);
    assert_int_equal(e->kind, MF_OOM_MEMCG);
    assert_string_equal(e->memcg, "/lxc/ci");
    assert_int_equal(e->mcg.limit_kb, 1024);
    assert_false(e->truncated);
    mf_evidence_free(ev);
}

/* A small machine with known numbers: 4 kB pages, one zone. */
#define SMALL_DUMP(FREE, ORDER, BUDDY)                                             \
    "t invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=" ORDER ", oom_score_adj=0\n" \
    "Mem-Info:\n"                                                                 \
    "active_anon:1000 inactive_anon:3000 isolated_anon:0\n"                       \
    " active_file:500 inactive_file:500 isolated_file:0\n"                        \
    " unevictable:0 dirty:0 writeback:0\n"                                        \
    " slab_reclaimable:200 slab_unreclaimable:800\n"                              \
    " mapped:100 shmem:1000 pagetables:100 bounce:0\n"                            \
    " free:" FREE " free_pcp:0 free_cma:0\n"                                      \
    "Normal free:" FREE "0kB min:400kB low:500kB high:600kB present:65536kB managed:40000kB kernel_stack:400kB pagetables:400kB bounce:0kB\n" \
    "lowmem_reserve[]: 0 0\n"                                                     \
    "Normal: " BUDDY "\n"                                                         \
    "10000 pages RAM\n" KILL54

static void accounting_maths(void **state)
{
    (void)state;
    mf_evidence *ev = run(SMALL_DUMP("2000", "0", "2000*4kB (U) 0*8kB = 8000kB"));
    mf_oom_event *e = event(ev, 0);
    const mf_oom_derived *d = &e->d;
    assert_int_equal(d->page_kb, 4);
    assert_int_equal(d->managed_kb, 40000);
    assert_int_equal(d->ram_kb, 40000);
    assert_int_equal(d->free_kb, 8000);
    assert_int_equal(d->pagecache_kb, 4000);
    assert_int_equal(d->shmem_kb, 4000);
    assert_int_equal(d->anon_kb, 12000); /* anon LRU 16000 less shmem */
    assert_int_equal(d->slab_reclaimable_kb, 800);
    assert_int_equal(d->slab_unreclaimable_kb, 3200);
    assert_int_equal(d->pagetables_kb, 400);
    assert_int_equal(d->kernel_stack_kb, 400);
    /* 40000 - 8000 - 16000 - 4000 - 0 - 800 - 3200 - 400 - 400 */
    assert_int_equal(d->unaccounted_kb, 7200);
    assert_string_equal(d->verdict, "user_processes");
    assert_int_equal(ev->system.oom_page_size, 4096);
    assert_int_equal(ev->system.oom_ram_kb, 40000);
    mf_evidence_free(ev);
}

static void watermark_check(void **state)
{
    (void)state;
    /* zone free 400 kB <= min 400 kB */
    mf_evidence *ev = run(SMALL_DUMP("40", "0", "100*4kB (U) 0*8kB = 400kB"));
    assert_string_equal(event(ev, 0)->d.wm_verdict, "below_min");
    assert_int_equal(event(ev, 0)->d.zone_state[0], MF_ZONE_BELOW_MIN);
    mf_evidence_free(ev);
    /* zone free 450 kB: above min, below low */
    ev = run(SMALL_DUMP("45", "0", "112*4kB (U) 0*8kB = 448kB"));
    assert_string_equal(event(ev, 0)->d.wm_verdict, "below_low");
    mf_evidence_free(ev);
    /* order 2 with 8000 kB free only in order-0 blocks: fragmentation */
    ev = run(SMALL_DUMP("2000", "2", "2000*4kB (U) 0*8kB 0*16kB 0*32kB = 8000kB"));
    assert_string_equal(event(ev, 0)->d.wm_verdict, "fragmentation");
    assert_int_equal(event(ev, 0)->d.zone_state[0], MF_ZONE_NO_BLOCK);
    mf_evidence_free(ev);
    /* the same with an order-3 block left */
    ev = run(SMALL_DUMP("2000", "2", "1992*4kB (U) 0*8kB 0*16kB 1*32kB = 8000kB"));
    assert_string_equal(event(ev, 0)->d.wm_verdict, "above_watermarks");
    mf_evidence_free(ev);
    /* arm64: ZONE_DMA built but empty, so not printed; DMA32's reserve for
     * the Normal classzone is at index 2, not 1 */
    ev = run("t invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n"
             "Mem-Info:\n"
             "DMA32 free:30000kB min:2000kB low:2500kB high:3000kB present:1000000kB managed:900000kB\n"
             "lowmem_reserve[]: 0 0 7000 7000\n"
             "Normal free:1000kB min:4000kB low:5000kB high:6000kB present:2000000kB managed:1900000kB\n"
             "lowmem_reserve[]: 0 0 0 0\n"
             "DMA32: 7500*4kB (U) = 30000kB\n" KILL54);
    /* 30000 kB free <= 2000 kB min + 7000 pages reserve */
    assert_int_equal(event(ev, 0)->d.zone_state[0], MF_ZONE_BELOW_MIN);
    assert_string_equal(event(ev, 0)->d.wm_verdict, "below_min");
    mf_evidence_free(ev);
    /* zones from flags and, without names, from the hex zone bits */
    assert_int_equal(mf_oom_gfp_highest_zone("GFP_HIGHUSER_MOVABLE|__GFP_ZERO", NULL), 4);
    assert_int_equal(mf_oom_gfp_highest_zone("GFP_KERNEL|__GFP_COMP", NULL), 2);
    assert_int_equal(mf_oom_gfp_highest_zone("GFP_KERNEL|__GFP_DMA32", NULL), 1);
    assert_int_equal(mf_oom_gfp_highest_zone("GFP_DMA", NULL), 0);
    assert_int_equal(mf_oom_gfp_highest_zone("GFP_HIGHUSER", NULL), 3);
    assert_int_equal(mf_oom_gfp_highest_zone(NULL, "0x201da"), 4);
    assert_int_equal(mf_oom_gfp_highest_zone(NULL, "0x280da"), 4);
    assert_int_equal(mf_oom_gfp_highest_zone(NULL, "0xd0"), 2);
    assert_int_equal(mf_oom_gfp_highest_zone(NULL, "0x4"), 1);
}

static void report_life(void **state)
{
    (void)state;
    mf_evidence *ev = run(
        "@10.0 a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
        "@10.0 e1000e 0000:00:1f.6 eno1: NIC Link is Up\n"
        "@10.0 Out of memory: Killed process 42 (x) total-vm:100kB, anon-rss:80kB, file-rss:4kB, shmem-rss:0kB\n"
        "@10.1 audit: something else\n"
        "@10.2 oom_reaper: reaped process 42 (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
        "@20.0 b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
        "@20.0 Mem-Info:\n"
        "@30.0 c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
        "@30.0 Out of memory: Killed process 43 (y) total-vm:100kB, anon-rss:80kB, file-rss:4kB, shmem-rss:0kB\n"
        "@30.1 oom_reaper: unable to reap pid:43 (y)\n"
        "@40.0 d invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n");
    assert_int_equal(ev->oom.events.len, 4);
    assert_false(event(ev, 0)->truncated);
    assert_true(event(ev, 0)->reaped_known);
    assert_false(event(ev, 0)->reap_failed);
    assert_int_equal(event(ev, 0)->reaped_loc.line, 5);
    assert_true(event(ev, 1)->truncated);   /* cut by the next header */
    assert_false(event(ev, 2)->truncated);
    assert_true(event(ev, 2)->reap_failed);
    assert_true(event(ev, 3)->truncated);   /* cut by the end of the member */
    mf_evidence_free(ev);
    /* a kill line without its header, and a header followed by a minute of
     * other messages */
    ev = run("@5.0 Killed process 1 (z)\n"
             "@5.1 Out of memory: Killed process 44 (z) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
             "@6.0 q invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
             "@99.0 Killed process 45 (w) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n");
    assert_int_equal(ev->oom.events.len, 2);
    assert_true(event(ev, 0)->truncated);
    assert_null(event(ev, 0)->trigger_comm);
    assert_int_equal(event(ev, 0)->victim.pid, 44);
    assert_true(event(ev, 1)->truncated);
    assert_false(event(ev, 1)->victim.known);
    mf_evidence_free(ev);
}

static void not_an_oom(void **state)
{
    (void)state;
    /* an allocation failure prints the same dump: no OOM event */
    mf_evidence *ev = run(
        "swapper/0: page allocation failure: order:0, mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0\n"
        "CPU: 0 PID: 0 Comm: swapper/0 Not tainted 5.10.0 #1\n"
        "Mem-Info:\n"
        "active_anon:1 inactive_anon:2 isolated_anon:0\n"
        "Normal: 3*4kB (U) 0*8kB = 12kB\n"
        "e1000e: link up\n");
    assert_int_equal(ev->oom.events.len, 0);
    mf_evidence_free(ev);
    /* a dump whose header was cut, then its kill line: a headless report */
    ev = run("Mem-Info:\n"
             "active_anon:1 inactive_anon:2 isolated_anon:0\n"
             "Normal: 3*4kB (U) 0*8kB = 12kB\n" KILL54);
    assert_int_equal(ev->oom.events.len, 1);
    assert_true(event(ev, 0)->truncated);
    assert_int_equal(event(ev, 0)->loc.line, 1);
    assert_int_equal(event(ev, 0)->d.page_kb, 4);
    mf_evidence_free(ev);
    /* a dump, then an allocation failure, then a kill line elsewhere */
    ev = run("Mem-Info:\n"
             "x: page allocation failure: order:0, mode:0x0\n"
             "Normal: 3*4kB (U) 0*8kB = 12kB\n" KILL54);
    assert_int_equal(ev->oom.events.len, 1);
    assert_int_equal(event(ev, 0)->loc.line, 4);
    mf_evidence_free(ev);
}

static void caller_ids(void **state)
{
    (void)state;
    /* another task's kill line inside a report is not this report's */
    mf_evidence *ev = run("T100 a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                          "T200 Out of memory: Killed process 9 (other) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
                          "T100 Out of memory: Killed process 42 (x) total-vm:100kB, anon-rss:80kB, file-rss:4kB, shmem-rss:0kB\n");
    assert_int_equal(ev->oom.events.len, 1);
    assert_int_equal(event(ev, 0)->victim.pid, 42);
    assert_false(event(ev, 0)->truncated);
    mf_evidence_free(ev);
}

static void duplicates(void **state)
{
    (void)state;
    const char *timed = "@100.000100 a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                        "@100.000200 " KILL54;
    const char *timed2 = "@100.000900 a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                         "@100.000900 " KILL54;
    const char *later = "@100.002000 a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                        "@100.002000 " KILL54;
    mf_evidence *ev = mf_evidence_new(A);
    feed(ev, "dmesg", timed);
    feed(ev, "messages", timed2); /* within 1 ms, same victim */
    feed(ev, "other", later);     /* 2 ms later: another event */
    assert_int_equal(mf_analyze_oom(ev), 0);
    assert_false(event(ev, 0)->duplicate);
    assert_true(event(ev, 1)->duplicate);
    assert_false(event(ev, 2)->duplicate);
    assert_int_equal(event(ev, 0)->also.len, 1);
    mf_evidence_free(ev);
    /* without timestamps: same header and kill lines */
    const char *plain = "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n" KILL54;
    ev = mf_evidence_new(A);
    feed(ev, "dmesg", plain);
    feed(ev, "messages", plain);
    feed(ev, "same-member-twice", plain);
    assert_int_equal(mf_analyze_oom(ev), 0);
    assert_int_equal(event(ev, 0)->also.len, 2);
    assert_true(event(ev, 1)->duplicate && event(ev, 2)->duplicate);
    mf_evidence_free(ev);
    /* dmesg with stamps, messages without: still one event */
    ev = mf_evidence_new(A);
    feed(ev, "dmesg", timed);
    feed(ev, "messages", plain);
    assert_int_equal(mf_analyze_oom(ev), 0);
    assert_true(event(ev, 1)->duplicate);
    assert_int_equal(event(ev, 0)->also.len, 1);
    mf_evidence_free(ev);
    /* a different victim is another event */
    ev = mf_evidence_new(A);
    feed(ev, "dmesg", plain);
    feed(ev, "messages", "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                         "Out of memory: Killed process 43 (x) total-vm:100kB, anon-rss:80kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:8kB oom_score_adj:0\n");
    assert_int_equal(mf_analyze_oom(ev), 0);
    assert_false(event(ev, 1)->duplicate);
    mf_evidence_free(ev);
}

static void records_limit(void **state)
{
    (void)state;
    mf_evidence *ev = mf_evidence_new(A);
    ev->max_records = 1;
    feed(ev, "dmesg", "a invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n" KILL54
                      "b invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n" KILL54);
    assert_int_equal(ev->oom.events.len, 1);
    assert_false(ev->complete);
    assert_int_equal(ev->warnings.len, 1);
    mf_warning *w = mf_vec_at(&ev->warnings, 0);
    assert_string_equal(w->code, "record-limit");
    mf_evidence_free(ev);
}

/* ---- allocation failures through the whole analysis ---- */

static const char oom_log[] =
    "[    0.000000] Linux version 5.15.0-91-generic (buildd@lcy02) (gcc 11.4.0) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023\n"
    "[ 1234.567890] java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
    "[ 1234.567891] CPU: 1 PID: 4242 Comm: java Not tainted 5.15.0-91-generic #101-Ubuntu\n"
    "[ 1234.567892] Call Trace:\n"
    "[ 1234.567893]  dump_stack_lvl+0x4a/0x63\n"
    "[ 1234.567894] Mem-Info:\n"
    "[ 1234.567895] active_anon:1000 inactive_anon:3000 isolated_anon:0\n"
    "[ 1234.567896]  active_file:500 inactive_file:500 isolated_file:0\n"
    "[ 1234.567897]  slab_reclaimable:200 slab_unreclaimable:800\n"
    "[ 1234.567898]  mapped:100 shmem:1000 pagetables:100 bounce:0\n"
    "[ 1234.567899]  free:100 free_pcp:0 free_cma:0\n"
    "[ 1234.567900] Node 0 Normal free:400kB boost:0kB min:400kB low:500kB high:600kB present:65536kB managed:40000kB\n"
    "[ 1234.567901] lowmem_reserve[]: 0 0\n"
    "[ 1234.567902] Node 0 Normal: 100*4kB (U) 0*8kB = 400kB\n"
    "[ 1234.567903] 10000 pages RAM\n"
    "[ 1234.567904] Tasks state (memory values in pages):\n"
    "[ 1234.567905] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
    "[ 1234.567906] [   4242]  1000  4242     9000     3000    90112        0             0 java\n"
    "[ 1234.567907] [   4243]  1000  4243     9000      300    90112        0             0 java\n"
    "[ 1234.567908] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=java,pid=4242,uid=1000\n"
    "[ 1234.567909] Out of memory: Killed process 4242 (java) total-vm:36000kB, anon-rss:11488kB, file-rss:512kB, shmem-rss:0kB, UID:1000 pgtables:88kB oom_score_adj:0\n"
    "[ 1234.612002] oom_reaper: reaped process 4242 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";

static void allocation_failures(void **state)
{
    (void)state;
    tu_counting probe = {0, 0, -1};
    mf_allocator a = {tu_counting_calloc, tu_counting_realloc, tu_counting_free, &probe};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &a;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, oom_log, strlen(oom_log), "dmesg", &o), MF_OK);
    const char *text = mf_report_render(r, MF_FORMAT_TEXT, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "killed java (pid 4242"));
    assert_non_null(strstr(text, "largest java x2"));
    mf_report_free(r);
    assert_int_equal(probe.live, 0);
    long total = probe.calls;
    for (long budget = 0; budget < total; budget++) {
        tu_counting c = {0, 0, budget};
        a.ctx = &c;
        r = NULL;
        int rc = mf_analyze_buffer(&r, oom_log, strlen(oom_log), "dmesg", &o);
        assert_true(rc == MF_OK || rc == MF_ENOMEM);
        if (r) {
            mf_report_render(r, MF_FORMAT_JSON, NULL);
            mf_report_render(r, MF_FORMAT_TEXT, NULL);
        }
        mf_report_free(r);
        assert_int_equal(c.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_variants),  cmocka_unit_test(cpu_lines),
        cmocka_unit_test(kill_lines),       cmocka_unit_test(task_tables),
        cmocka_unit_test(buddy_lines),      cmocka_unit_test(showmem_dump),
        cmocka_unit_test(page_size_never_assumed), cmocka_unit_test(boot_memory_line),
        cmocka_unit_test(buddy_line_broken), cmocka_unit_test(memcg_lines),
        cmocka_unit_test(accounting_maths), cmocka_unit_test(watermark_check),
        cmocka_unit_test(report_life),      cmocka_unit_test(duplicates),
        cmocka_unit_test(records_limit),    cmocka_unit_test(caller_ids),
        cmocka_unit_test(not_an_oom),       cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
