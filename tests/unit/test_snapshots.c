/* /proc snapshot parsers (every variant), capture-loop framing, series
 * (time basis, dedupe, reboot split) and the derived findings. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "failalloc.h"
#include "analyze/series.h"
#include "analyze/snap.h"
#include "model/snapshot.h"
#include "testutil.h"

static cJSON *run(const char *text, const char *name)
{
    int rc;
    cJSON *doc = tu_analyze_buffer(text, strlen(text), name, NULL, &rc);
    assert_int_equal(rc, MF_OK);
    assert_non_null(doc);
    return doc;
}

static double num(const cJSON *doc, const char *path)
{
    const cJSON *n = tu_get(doc, path);
    assert_true(cJSON_IsNumber(n));
    return n->valuedouble;
}

static int warnings_with(const cJSON *doc, const char *code)
{
    int n = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, tu_get(doc, "warnings"))
        n += strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(w, "code")), code) == 0;
    return n;
}

static void time_lines(void **state)
{
    (void)state;
    int64_t t;
    assert_true(mf_parse_time_line("Tue Aug  6 15:35:12 CST 2019", 28, &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_parse_time_line("Tue Aug  6 15:35:12 UTC 2019", 28, &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_parse_time_line("Tue Aug 16 15:35:12 2019", 24, &t));
    const char *iso = "2019-08-06T15:35:12+08:00";
    assert_true(mf_parse_time_line(iso, strlen(iso), &t));
    assert_int_equal(t, 1565105712 - 8 * 3600);
    const char *framed = "===== 2019-08-06 15:35:12 =====";
    assert_true(mf_parse_time_line(framed, strlen(framed), &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_parse_time_line("1565105712", 10, &t));
    assert_true(mf_parse_time_line("date: 1565105712.25", 19, &t));
    assert_int_equal(t, 1565105712);
    const char *rfc = "Tue, 06 Aug 2019 15:35:12 +0800";
    assert_true(mf_parse_time_line(rfc, strlen(rfc), &t));
    assert_int_equal(t, 1565105712 - 8 * 3600);
    const char *zh = "2019\xe5\xb9\xb4 08\xe6\x9c\x88 06\xe6\x97\xa5 "
                     "\xe6\x98\x9f\xe6\x9c\x9f\xe4\xba\x8c 15:35:12 CST";
    assert_true(mf_parse_time_line(zh, strlen(zh), &t));
    assert_int_equal(t, 1565105712);
    const char *ja = "2019\xe5\xb9\xb4  8\xe6\x9c\x88  6\xe6\x97\xa5 "
                     "\xe7\x81\xab\xe6\x9b\x9c\xe6\x97\xa5 15:35:12 JST";
    assert_true(mf_parse_time_line(ja, strlen(ja), &t));
    assert_int_equal(t, 1565105712);
    assert_false(mf_parse_time_line("12345", 5, &t));
    assert_false(mf_parse_time_line("MemTotal: 1 kB", 14, &t));
    assert_false(mf_parse_time_line("2019-13-06 15:35:12", 19, &t));
    assert_true(mf_parse_time_in_name("x/slabinfo.20190806-153512", &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_parse_time_in_name("a.tar!meminfo_2019-08-06_15-35-12.txt", &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_parse_time_in_name("meminfo.1565105712", &t));
    assert_false(mf_parse_time_in_name("proc/meminfo", &t));
    assert_false(mf_parse_time_in_name("slab-4096", &t));
}

#define SLABHDR "slabinfo - version: 2.1\n# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"

static void slabinfo_capture_loop(void **state)
{
    (void)state;
    char buf[8192];
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        int slabs = 10 + 16 * i; /* 16 slabs of 4 KiB an hour */
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "%lld\n" SLABHDR
                              "pool_workqueue %6d %6d 256 16 1 : tunables 0 0 0 : slabdata %d %d 0\n"
                              "kmemleak_object %6d %6d 368 22 2 : tunables 0 0 0 : slabdata %d %d 0\n"
                              "dentry 2100 2100 192 21 1 : tunables 0 0 0 : slabdata 100 100 0\n",
                              1600000000LL + i * 3600, slabs * 16, slabs * 16, slabs,
                              slabs, 22 * (1 + 5 * i), 22 * (1 + 5 * i), 1 + 5 * i, 1 + 5 * i);
    }
    cJSON *doc = run(buf, "slab.log");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "slabinfo");
    assert_int_equal(num(doc, "findings.slab.snapshots"), 8);
    assert_string_equal(tu_str(doc, "findings.slab.time_basis"), "capture");
    assert_int_equal(num(doc, "findings.slab.span_s"), 7 * 3600);
    assert_string_equal(tu_str(doc, "findings.slab.caches.0.name"), "pool_workqueue");
    assert_int_equal(num(doc, "findings.slab.caches.0.growth_bytes_per_hour"), 16 * 4096);
    assert_int_equal(num(doc, "findings.slab.caches.0.growth_objs_per_hour"), 256);
    assert_true(cJSON_IsTrue(tu_get(doc, "findings.slab.caches.0.claim")));
    /* kmemleak's growth is bookkeeping, never a claim */
    const cJSON *c;
    bool seen = false;
    cJSON_ArrayForEach(c, tu_get(doc, "findings.slab.caches"))
        if (strcmp(tu_str(c, "name"), "kmemleak_object") == 0) {
            seen = true;
            assert_true(cJSON_IsTrue(tu_get(c, "bookkeeping")));
            assert_false(cJSON_IsTrue(tu_get(c, "claim")));
            assert_string_equal(tu_str(c, "limit"), "kmemleak-bookkeeping");
        }
    assert_true(seen);
    cJSON_Delete(doc);
}

static void slabinfo_versions_and_bad_rows(void **state)
{
    (void)state;
    const char *v20 = "slabinfo - version: 2.0\n"
                      "size-2048 1372 1394 2048 2 1 : tunables 24 12 8 : slabdata 697 697 0\n"
                      "size-32 100 200 : tunables\n"
                      "size-64 12 59 64 59 1 : tunables 120 60 8 : slabdata 1 1 0\n";
    cJSON *doc = run(v20, "slabinfo");
    assert_int_equal(num(doc, "findings.slab.caches_total"), 2);
    assert_int_equal(num(doc, "findings.slab.caches.0.bytes_last"), 697 * 4096);
    assert_int_equal(num(doc, "findings.slab.bad_rows"), 1);
    assert_int_equal(warnings_with(doc, "bad-row"), 1);
    assert_string_equal(tu_str(doc, "findings.slab.time_basis"), "order");
    cJSON_Delete(doc);
    /* 1.1 column order: name active num objsize active_slabs num_slabs pps */
    const char *v11 = "slabinfo - version: 1.1\nkmem_cache 80 80 256 5 5 1\n";
    doc = run(v11, "slabinfo");
    assert_int_equal(num(doc, "findings.slab.caches.0.bytes_last"), 5 * 4096);
    cJSON_Delete(doc);
}

static void slabtop_rows(void **state)
{
    (void)state;
    const char *t = " Active / Total Objects (% used)    : 10 / 20 (50.0%)\n"
                    "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n"
                    "412512 412318  99%    0.25K  25782       16    103128K pool_workqueue\n"
                    "   100     99  99%    0.06K      2       64         8K kmalloc-64\n";
    cJSON *doc = run(t, "slabtop_-o");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "slabtop");
    assert_int_equal(num(doc, "findings.slab.caches.0.bytes_last"), 103128 * 1024);
    assert_int_equal(num(doc, "findings.slab.caches.0.objsize"), 256);
    assert_int_equal(num(doc, "findings.slab.caches.0.num_objs_last"), 412512);
    cJSON_Delete(doc);
}

static char cands[512];
static int collect_cand(void *ctx, const char *name, size_t len)
{
    (void)ctx;
    strncat(cands, name, len);
    strcat(cands, " ");
    return 0;
}

static void merge_candidates(void **state)
{
    (void)state;
    cands[0] = 0;
    mf_slab_merge_candidates("pool_workqueue", 256, 64, 5, 14, collect_cand, NULL);
    assert_non_null(strstr(cands, "ip6_dst_cache "));
    cands[0] = 0;
    mf_slab_merge_candidates("pool_workqueue", 256, 64, 5, 15, collect_cand, NULL);
    assert_null(strstr(cands, "ip6_dst_cache"));
    cands[0] = 0;
    mf_slab_merge_candidates("kmemleak_object", 368, 64, 5, 10, collect_cand, NULL);
    assert_string_equal(cands, "");
    cands[0] = 0; /* 32-bit: ip6_dst_cache is 192 there */
    mf_slab_merge_candidates("pool_workqueue", 256, 32, 4, 14, collect_cand, NULL);
    assert_null(strstr(cands, "ip6_dst_cache"));
    assert_true(mf_slab_is_bookkeeping("kmemleak_scan_area"));
}

static void meminfo_series_and_exhaustion(void **state)
{
    (void)state;
    char buf[16384];
    size_t n = 0;
    for (int i = 0; i < 12; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "Tue Aug  6 %02d:00:00 CST 2019\n"
                              "MemTotal:        4000000 kB\nMemFree:          100000 kB\n"
                              "MemAvailable:   %8d kB\nSlab:            %8d kB\n"
                              "SUnreclaim:        50000 kB\nHugePages_Total:       0\n",
                              i, 1200000 - 100000 * i, 200000 + 100000 * i);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "this is not meminfo\n");
    cJSON *doc = run(buf, "meminfo.log");
    assert_int_equal(num(doc, "system.mem_total_kb"), 4000000);
    assert_string_equal(tu_str(doc, "system.sources.mem_total_kb.text"),
                        "MemTotal:        4000000 kB");
    assert_int_equal(num(doc, "findings.meminfo.snapshots"), 12);
    assert_int_equal(num(doc, "findings.meminfo.series.MemAvailable.slope_kb_per_hour"), -100000);
    assert_int_equal(num(doc, "findings.meminfo.series.Slab.slope_kb_per_hour"), 100000);
    /* 100000 kB left at the end, 100000 kB an hour */
    assert_true(fabs(num(doc, "findings.meminfo.exhaustion_eta_h") - 1) < 1e-6);
    assert_int_equal(warnings_with(doc, "bad-row"), 1);
    assert_string_equal(tu_str(doc, "findings.meminfo.series.SUnreclaim.limit"), "no-change");
    cJSON_Delete(doc);
}

static void meminfo_old_kernel_and_limits(void **state)
{
    (void)state;
    const char *t = "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n";
    cJSON *doc = run(t, "meminfo");
    assert_string_equal(tu_str(doc, "findings.meminfo.available_basis"),
                        "MemFree+Buffers+Cached");
    assert_int_equal(num(doc, "findings.meminfo.series.MemAvailable.last_kb"), 310);
    assert_true(cJSON_IsNull(tu_get(doc, "findings.meminfo.exhaustion_eta_h")));
    assert_string_equal(tu_str(doc, "findings.meminfo.exhaustion_limit"), "too-few-points");
    cJSON_Delete(doc);
}

static void uptime_lines(void **state)
{
    (void)state;
    int64_t u;
    const char *a = " 15:35:12 up 12 days,  3:04,  1 user,  load average: 0.52, 0.58, 0.59";
    assert_true(mf_parse_uptime_line(a, strlen(a), &u));
    assert_int_equal(u, 12 * 86400 + 3 * 3600 + 4 * 60);
    const char *b = " 09:01:44 up 5 min,  0 users,  load average: 1.05, 0.40, 0.15";
    assert_true(mf_parse_uptime_line(b, strlen(b), &u));
    assert_int_equal(u, 300);
    const char *c = " 09:01:44 up 1 day, 23 min,  load average: 0.00, 0.00, 0.00";
    assert_true(mf_parse_uptime_line(c, strlen(c), &u));
    assert_int_equal(u, 86400 + 23 * 60);
    assert_true(mf_parse_uptime_line("350735.47 234388.90\r", 20, &u));
    assert_int_equal(u, 350735);
    assert_false(mf_parse_uptime_line("350735.47", 9, &u));
    assert_false(mf_parse_uptime_line("MemTotal: 1 kB", 14, &u));
    /* date, uptime, meminfo in a loop: the uptime going back is a reboot,
     * and it makes no bad-row warning */
    char buf[16384];
    size_t n = 0;
    for (int i = 0; i < 12; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "%lld\n%d.12 %d.50\nMemTotal: 4000000 kB\nMemFree: 1 kB\n"
                              "MemAvailable: %d kB\n",
                              1600000000LL + i * 1800, i < 5 ? 9000 + i * 1800 : 60 + (i - 5) * 1800,
                              30000, 3000000 - 50000 * (i < 5 ? i : i - 5));
    cJSON *doc = run(buf, "meminfo.log");
    assert_int_equal(num(doc, "findings.meminfo.segments"), 2);
    assert_int_equal(num(doc, "findings.meminfo.snapshots"), 7);
    assert_int_equal(warnings_with(doc, "bad-row"), 0);
    cJSON_Delete(doc);
}

static void reboot_splits(void **state)
{
    (void)state;
    char buf[16384];
    size_t n = 0;
    for (int i = 0; i < 14; i++) /* MemTotal changes after a reboot */
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "%lld\nMemTotal: %d kB\nMemFree: 1 kB\nMemAvailable: %d kB\n",
                              1600000000LL + i * 1800, i < 6 ? 4000000 : 3999000,
                              3000000 - 1000 * (i < 6 ? i : i - 6));
    cJSON *doc = run(buf, "meminfo.log");
    assert_int_equal(num(doc, "findings.meminfo.segments"), 2);
    assert_int_equal(num(doc, "findings.meminfo.snapshots"), 8);
    assert_int_equal(num(doc, "findings.meminfo.snapshots_total"), 14);
    assert_int_equal(num(doc, "findings.meminfo.series.MemAvailable.slope_kb_per_hour"), -2000);
    cJSON_Delete(doc);
}

static void vmstat_counter_reset_splits_meminfo(void **state)
{
    (void)state;
    char buf[32768];
    size_t n = 0;
    for (int i = 0; i < 10; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "%lld\nnr_free_pages 100\npgfault %d\ncompact_stall %d\n",
                              1600000000LL + i * 1800, i < 4 ? 100000 * (i + 1) : 5000 * i, i);
    buf[n++] = 0;
    /* a second member: meminfo at the same times, in a tar */
    char mem[16384];
    size_t m = 0;
    for (int i = 0; i < 10; i++)
        m += (size_t)snprintf(mem + m, sizeof mem - m,
                              "%lld\nMemTotal: 4000000 kB\nMemFree: 1 kB\nMemAvailable: 1000 kB\n",
                              1600000000LL + i * 1800 + 5);
    tu_archive a;
    tu_archive_begin(&a, "ustar", NULL);
    tu_archive_add(&a, "b/vmstat.log", AE_IFREG, buf, n - 1);
    tu_archive_add(&a, "b/meminfo.log", AE_IFREG, mem, m);
    tu_archive_end(&a);
    int rc;
    cJSON *doc = tu_analyze_buffer(a.data, a.used, "b.tar", NULL, &rc);
    assert_int_equal(num(doc, "findings.vmstat.segments"), 2);
    assert_int_equal(num(doc, "findings.vmstat.snapshots"), 6);
    assert_int_equal(num(doc, "findings.meminfo.segments"), 2);
    assert_int_equal(num(doc, "findings.meminfo.snapshots"), 6);
    cJSON_Delete(doc);
    free(a.data);
}

/* Series built by hand: time basis order of trust and duplicates. */
static int32_t add_snap(mf_evidence *ev, const char *path, int64_t mtime,
                        mf_mtime_source src, uint64_t hash, bool has_time,
                        int64_t t)
{
    int32_t m = mf_evidence_add_member(ev, path);
    mf_member *mm = mf_evidence_member(ev, m);
    mm->mtime = mtime;
    mm->mtime_source = src;
    mm->content_hash = hash;
    mf_snap *s = mf_vec_push(&ev->snaps.snaps);
    s->kind = MF_SNAP_MEMINFO;
    s->member = (uint32_t)m;
    s->has_time = has_time;
    s->time = t;
    s->seq = ev->snaps.seq[MF_SNAP_MEMINFO]++;
    s->row_count = 1;
    return m;
}

static void series_basis_and_dedupe(void **state)
{
    (void)state;
    static const uint8_t kinds[] = {MF_SNAP_MEMINFO};
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    add_snap(ev, "a/meminfo", 1000, MF_MTIME_ARCHIVE, 11, false, 0);
    add_snap(ev, "b/meminfo", 500, MF_MTIME_ARCHIVE, 22, false, 0);
    add_snap(ev, "c/meminfo", 500, MF_MTIME_ARCHIVE, 11, false, 0); /* same bytes as a */
    mf_series s;
    assert_int_equal(mf_series_build(ev, kinds, 1, NULL, NULL, &s), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.duplicates, 1);
    assert_int_equal(s.basis, MF_TB_MTIME);
    assert_int_equal(s.t_first, 500); /* ordered by time, not by appearance */
    mf_free(ev->alloc, s.snaps);
    mf_free(ev->alloc, s.t);
    /* a file-name time outranks an mtime; a filesystem mtime is never used */
    mf_member *m0 = mf_evidence_member(ev, 0);
    mf_free(ev->alloc, m0->path);
    m0->path = mf_strdup(ev->alloc, "a/meminfo.20200101-000000");
    mf_evidence_member(ev, 1)->mtime_source = MF_MTIME_FILESYSTEM;
    assert_int_equal(mf_series_build(ev, kinds, 1, NULL, NULL, &s), 0);
    assert_int_equal(s.basis, MF_TB_ORDER);
    mf_free(ev->alloc, s.snaps);
    mf_free(ev->alloc, s.t);
    /* same bytes, but file names say an hour apart: two snapshots */
    mf_member *m1 = mf_evidence_member(ev, 1), *m2 = mf_evidence_member(ev, 2);
    char *p1 = m1->path, *p2 = m2->path;
    m1->path = "b/buddyinfo.20200101-000000";
    m2->path = "c/buddyinfo.20200101-010000";
    m1->content_hash = m2->content_hash = 33;
    assert_int_equal(mf_series_build(ev, kinds, 1, NULL, NULL, &s), 0);
    assert_int_equal(s.duplicates, 0);
    mf_free(ev->alloc, s.snaps);
    mf_free(ev->alloc, s.t);
    m1->path = p1;
    m2->path = p2;
    /* same origin and capture time: the same snapshot reached twice */
    mf_evidence_member(ev, 1)->mtime_source = MF_MTIME_ARCHIVE;
    for (int i = 0; i < 3; i++) {
        mf_member *m = mf_evidence_member(ev, i);
        m->origin = mf_strdup(ev->alloc, "/proc/meminfo");
        m->has_capture_time = true;
        m->capture_time = i == 2 ? 7000 : 5000;
        m->content_hash = 100 + (uint64_t)i;
    }
    assert_int_equal(mf_series_build(ev, kinds, 1, NULL, NULL, &s), 0);
    assert_int_equal(s.duplicates, 1);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.basis, MF_TB_MEMBER);
    assert_int_equal(s.t_last - s.t_first, 2000);
    mf_free(ev->alloc, s.snaps);
    mf_free(ev->alloc, s.t);
    mf_evidence_free(ev);
}

static void buddy_and_pagetype(void **state)
{
    (void)state;
    const char *b = "Node 0, zone      DMA      1      1      1      1      0      0      0      0      0      0      0 \n"
                    "Node 0, zone   Normal      8      0      0      1 \n"
                    "Node 0, zone   Normal  xx\n";
    cJSON *doc = run(b, "buddyinfo");
    /* DMA: 1+2+4+8 pages = 60 kB, 8 pages of order 3 = 32 kB */
    assert_int_equal(num(doc, "findings.fragmentation.zones.0.free_kb"), 60);
    assert_int_equal(num(doc, "findings.fragmentation.zones.0.high_order_free_kb"), 32);
    assert_true(fabs(num(doc, "findings.fragmentation.zones.0.unusable_index") - 7.0 / 15) < 1e-4);
    assert_int_equal(num(doc, "findings.fragmentation.zones.1.orders"), 4);
    assert_int_equal(warnings_with(doc, "bad-row"), 1);
    cJSON_Delete(doc);
    const char *p = "Page block order: 9\nPages per block:  512\n\n"
                    "Free pages count per migrate type at order       0      1      2      3 \n"
                    "Node    0, zone    DMA32, type    Unmovable      4      0      0      1 \n"
                    "Node    0, zone    DMA32, type      Movable >100000      0      0      1 \n"
                    "Number of blocks type     Unmovable      Movable\n"
                    "Node 0, zone    DMA32           44         1436\n";
    doc = run(p, "pagetypeinfo");
    assert_string_equal(tu_str(doc, "findings.fragmentation.source_kind"), "pagetypeinfo");
    assert_int_equal(num(doc, "findings.fragmentation.zones.0.free_kb"), (100004 + 16) * 4);
    cJSON_Delete(doc);
}

static void zoneinfo_watermarks_with_buddy(void **state)
{
    (void)state;
    tu_archive a;
    const char *b = "Node 0, zone   Normal     10      0      0      1 \n";
    const char *z = "Node 0, zone   Normal\n  pages free     18\n        min      100\n"
                    "        low      120\n        high     140\n        managed  9000\n";
    tu_archive_begin(&a, "ustar", NULL);
    tu_archive_add(&a, "proc/buddyinfo", AE_IFREG, b, strlen(b));
    tu_archive_add(&a, "proc/zoneinfo", AE_IFREG, z, strlen(z));
    tu_archive_end(&a);
    int rc;
    cJSON *doc = tu_analyze_buffer(a.data, a.used, "z.tar", NULL, &rc);
    assert_string_equal(tu_str(doc, "input.members.1.kind"), "zoneinfo");
    assert_int_equal(num(doc, "findings.fragmentation.zones.0.watermark_min_kb"), 400);
    assert_int_equal(num(doc, "findings.fragmentation.zones.0.managed_kb"), 36000);
    cJSON_Delete(doc);
    free(a.data);
}

static void vmalloc_kinds_and_callers(void **state)
{
    (void)state;
    const char *v = "0xffff000000000000-0xffff000000002000    8192 hpet_enable+0x37/0x2d0 phys=0x00000000fed00000 ioremap\n"
                    "0xffff000000002000-0xffff000000004000    8192 load_module+0x42/0xb0 pages=1 vmalloc N0=1\n"
                    "0xffff000000005000-0xffff000000007000    8192 load_module+0x42/0xb0 pages=1 vmalloc vpages N0=1\n"
                    "0xffff000000008000-0xffff00000000c000   16384 unpurged vm_area\n"
                    "garbage\n"
                    /* addresses start again: a second snapshot */
                    "0xffff000000000000-0xffff000000002000    8192 hpet_enable+0x37/0x2d0 phys=0x00000000fed00000 ioremap\n";
    cJSON *doc = run(v, "vmallocinfo");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "vmallocinfo");
    assert_int_equal(num(doc, "findings.vmalloc.snapshots"), 2);
    assert_int_equal(num(doc, "findings.vmalloc.total_bytes"), 8192);
    cJSON_Delete(doc);
    doc = run(v + 0, "vmallocinfo");
    cJSON_Delete(doc);
    const char *one = "0x0-0x0    8192 load_module+0x42/0xb0 pages=1 vmalloc N0=1\n"
                      "0x0-0x0    8192 load_module+0x42/0xb0 pages=1 vmalloc N0=1\n"
                      "0x0-0x0   12288 of_iomap+0x48/0x54 phys=0x18000000 ioremap\n";
    doc = run(one, "vmallocinfo");
    assert_string_equal(tu_str(doc, "findings.vmalloc.callers.0.caller"), "load_module");
    assert_int_equal(num(doc, "findings.vmalloc.callers.0.bytes_last"), 16384);
    assert_int_equal(num(doc, "findings.vmalloc.callers.0.areas"), 2);
    assert_string_equal(tu_str(doc, "findings.vmalloc.kinds.0.kind"), "vmalloc");
    cJSON_Delete(doc);
}

static void process_lists(void **state)
{
    (void)state;
    const char *aux = "USER  PID %CPU %MEM    VSZ   RSS TTY STAT START TIME COMMAND\n"
                      "root    1  0.0  0.1 167804 12840 ?   Ss   Mar13 0:09 /sbin/init splash\n"
                      "www   1411 0.1 0.9 214332 36124 ?   S    Mar13 1:02 php-fpm: pool www\n"
                      "www   1412 0.1 0.9 214332 35988 ?   S    Mar13 1:01 php-fpm: pool www\n";
    cJSON *doc = run(aux, "ps");
    assert_string_equal(tu_str(doc, "findings.processes.top.0.name"), "php-fpm");
    assert_int_equal(num(doc, "findings.processes.top.0.rss_kb_last"), 72112);
    assert_int_equal(num(doc, "findings.processes.top.0.count_last"), 2);
    assert_string_equal(tu_str(doc, "findings.processes.top.1.name"), "init");
    cJSON_Delete(doc);
    const char *top = "top - 15:35:12 up 12 days,  3:04,  1 user,  load average: 0.52\n"
                      "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n"
                      "   2210 java      20   0   12.1g   3.1g  21344 S   0.7  40.1 121:02.33 java\n"
                      "    988 mysql     20   0 2302144 862012  31208 S   1.3  10.7  41:12.07 mysqld\n";
    doc = run(top, "top");
    assert_int_equal(num(doc, "findings.processes.top.0.rss_kb_last"), 3250586);
    cJSON_Delete(doc);
    const char *pr = "  PID       Vss      Rss      Pss      Uss  cmdline\n"
                     " 1017  2812344K  412008K  221310K  198712K  system_server\n"
                     "                          315750K  280654K  TOTAL\n";
    doc = run(pr, "procrank");
    assert_int_equal(num(doc, "findings.processes.top.0.rss_kb_last"), 412008);
    assert_int_equal(warnings_with(doc, "bad-row"), 0);
    cJSON_Delete(doc);
    const char *st = "Name:\tkthreadd\nPid:\t2\nName:\tWeb Content\nUmask:\t0022\nPid:\t44\n"
                     "VmRSS:\t  412330 kB\n";
    doc = run(st, "status");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "proc-status");
    assert_string_equal(tu_str(doc, "findings.processes.top.0.name"), "Web Content");
    assert_int_equal(num(doc, "findings.processes.names_total"), 1);
    cJSON_Delete(doc);
}

static void user_versus_kernel_split(void **state)
{
    (void)state;
    char ps[16384], mem[16384];
    size_t p = 0, m = 0;
    for (int i = 0; i < 8; i++) {
        p += (size_t)snprintf(ps + p, sizeof ps - p,
                              "%lld\n  PID   RSS COMMAND\n   10 %d leaker\n   11 5000 other\n",
                              1600000000LL + i * 3600, 10000 + 20000 * i);
        m += (size_t)snprintf(mem + m, sizeof mem - m,
                              "%lld\nMemTotal: 1000000 kB\nMemFree: 1 kB\nMemAvailable: %d kB\n",
                              1600000000LL + i * 3600 + 30, 800000 - 20000 * i);
    }
    tu_archive a;
    tu_archive_begin(&a, "ustar", NULL);
    tu_archive_add(&a, "ps.log", AE_IFREG, ps, p);
    tu_archive_add(&a, "meminfo.log", AE_IFREG, mem, m);
    tu_archive_end(&a);
    int rc;
    cJSON *doc = tu_analyze_buffer(a.data, a.used, "u.tar", NULL, &rc);
    assert_string_equal(tu_str(doc, "findings.processes.top.0.name"), "leaker");
    assert_int_equal(num(doc, "findings.processes.top.0.growth_kb_per_hour"), 20000);
    assert_string_equal(tu_str(doc, "findings.processes.split.verdict"), "user");
    assert_int_equal(num(doc, "findings.processes.split.points"), 8);
    cJSON_Delete(doc);
    free(a.data);
}

static void tmpfs_du_df_free(void **state)
{
    (void)state;
    cJSON *doc = run("4.0K\t/dev/shm/a\n1.5M\t/dev/shm/b\n1.6M\t/dev/shm\n", "du");
    assert_string_equal(tu_str(doc, "findings.tmpfs.du.paths.0.path"), "/dev/shm");
    assert_int_equal(num(doc, "findings.tmpfs.du.paths.0.kb_last"), 1638);
    assert_true(cJSON_IsNull(tu_get(doc, "findings.tmpfs.df")));
    cJSON_Delete(doc);
    const char *df = "Filesystem            Size  Used Avail Use% Mounted on\n"
                     "/dev/mapper/vg_db01-lv_root\n"
                     "                       50G   21G   27G  44% /\n"
                     "tmpfs                 3.9G  1.0G  2.9G  31% /dev/shm\n"
                     "tmpfs                 788M\n";
    doc = run(df, "df");
    assert_string_equal(tu_str(doc, "findings.tmpfs.df.mounts.0.mount"), "/dev/shm");
    assert_int_equal(num(doc, "findings.tmpfs.df.mounts.0.used_kb_last"), 1048576);
    assert_int_equal(warnings_with(doc, "bad-row"), 1); /* the cut last row */
    cJSON_Delete(doc);
    const char *fr = "             total       used       free     shared    buffers     cached\n"
                     "Mem:       8061512    7749472     312040          0     201332    5120448\n"
                     "-/+ buffers/cache:    2427692    5633820\n"
                     "Swap:      4194296      10236    4184060\n";
    doc = run(fr, "free");
    assert_string_equal(tu_str(doc, "findings.meminfo.source_kind"), "free");
    assert_int_equal(num(doc, "findings.meminfo.series.MemAvailable.last_kb"), 5633820);
    assert_true(cJSON_IsNull(tu_get(doc, "system.mem_total_kb")));
    cJSON_Delete(doc);
    const char *fh = "              total        used        free      shared  buff/cache   available\n"
                     "Mem:           123M       61.2M       12.9M      212K       48.9M      49.3M\n";
    doc = run(fh, "free");
    assert_int_equal(num(doc, "findings.meminfo.series.MemAvailable.last_kb"), 50483);
    assert_int_equal(num(doc, "findings.meminfo.series.Shmem.last_kb"), 212);
    cJSON_Delete(doc);
}

static void psi_vmstat_sysfs(void **state)
{
    (void)state;
    cJSON *doc = run("some avg10=1.50 avg60=0.12 avg300=0.00 total=318\n"
                     "full avg10=0.25 avg60=0.05 avg300=0.00 total=129\n", "memory");
    assert_true(fabs(num(doc, "findings.psi.some_avg10_pct") - 1.5) < 1e-9);
    assert_true(fabs(num(doc, "findings.psi.full_avg10_pct") - 0.25) < 1e-9);
    cJSON_Delete(doc);
    doc = run("nr_free_pages 100\npgfault 10\noom_kill 2\nBAD LINE\n", "vmstat");
    assert_int_equal(num(doc, "findings.vmstat.counters.oom_kill.last"), 2);
    assert_int_equal(warnings_with(doc, "bad-row"), 1);
    cJSON_Delete(doc);
    doc = run("total 0\nlrwxrwxrwx 1 root root 0 Mar 14 09:12 ip6_dst_cache -> :0000256\n"
              "lrwxrwxrwx 1 root root 0 Mar 14 09:12 pool_workqueue -> ../slab/:0000256\n",
              "slab.ls");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "slab-sysfs");
    assert_string_equal(tu_str(doc, "input.members.0.status"), "parsed");
    cJSON_Delete(doc);
}

/* Boot messages that look like snapshot rows stay kernel log. */
static void lookalikes_stay_kernel_log(void **state)
{
    (void)state;
    const char *d = "[    0.000000] On node 0, zone DMA: 1 pages in unavailable ranges\n"
                    "[    0.000000] On node 0, zone Normal: 32 pages in unavailable ranges\n"
                    "[    0.000000]     vmalloc : 0xffff800008000000 - 0xfffffbffefff0000\n"
                    "[    0.000000]     vmalloc : 0xffff800008000000 - 0xfffffbffefff0000\n"
                    "[    0.000000]     vmalloc : 0xffff800008000000 - 0xfffffbffefff0000\n"
                    "[   12.000000] CPU: 1 PID: 49358 Comm: grep Not tainted 5.15.0 #1\n";
    cJSON *doc = run(d, "dmesg");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kernel-log");
    cJSON_Delete(doc);
}

static void records_limit(void **state)
{
    (void)state;
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_records = 3;
    const char *t = "MemTotal: 1 kB\nMemFree: 1 kB\nBuffers: 1 kB\nCached: 1 kB\nShmem: 1 kB\n";
    int rc;
    cJSON *doc = tu_analyze_buffer(t, strlen(t), "meminfo", &o, &rc);
    assert_int_equal(warnings_with(doc, "record-limit"), 1);
    assert_false(cJSON_IsTrue(tu_get(doc, "input.complete")));
    cJSON_Delete(doc);
}


/* Every allocation of a whole snapshot analysis fails in turn: never a
 * crash, never a leak. */
static void allocation_failures(void **state)
{
    (void)state;
    char mem[4096], slab[4096];
    size_t m = 0, s = 0;
    for (int i = 0; i < 7; i++) {
        m += (size_t)snprintf(mem + m, sizeof mem - m,
                              "%lld\nMemTotal: 1000 kB\nMemFree: %d kB\nMemAvailable: %d kB\n",
                              1600000000LL + i * 1800, 500 - i, 600 - 10 * i);
        s += (size_t)snprintf(slab + s, sizeof slab - s,
                              "%lld\n" SLABHDR
                              "pool_workqueue %d %d 256 16 1 : tunables 0 0 0 : slabdata %d %d 0\n",
                              1600000000LL + i * 1800, 16 * (i + 1), 16 * (i + 1), i + 1, i + 1);
    }
    const char *ps = "  PID   RSS COMMAND\n    1  100 init\n";
    const char *bu = "Node 0, zone   Normal      8      0      0      1 \n";
    const char *sy = "lrwxrwxrwx 1 root root 0 Mar 14 09:12 ip6_dst_cache -> :0000256\n"
                     "lrwxrwxrwx 1 root root 0 Mar 14 09:12 pool_workqueue -> :0000256\n";
    const char *vm = "0x0-0x0    8192 load_module+0x42/0xb0 pages=1 vmalloc N0=1\n"
                     "0x0-0x0    8192 load_module+0x42/0xb0 pages=1 vmalloc N0=1\n"
                     "0x0-0x0    8192 load_module+0x42/0xb0 pages=1 vmalloc N0=1\n";
    const char *df = "Filesystem     1K-blocks    Used Available Use% Mounted on\n"
                     "tmpfs            4031480  524288   3507192  13% /dev/shm\n";
    tu_archive a;
    tu_archive_begin(&a, "ustar", NULL);
    tu_archive_add(&a, "meminfo.log", AE_IFREG, mem, m);
    tu_archive_add(&a, "slabinfo.log", AE_IFREG, slab, s);
    tu_archive_add(&a, "ps", AE_IFREG, ps, strlen(ps));
    tu_archive_add(&a, "buddyinfo", AE_IFREG, bu, strlen(bu));
    tu_archive_add(&a, "slab.ls", AE_IFREG, sy, strlen(sy));
    tu_archive_add(&a, "vmallocinfo", AE_IFREG, vm, strlen(vm));
    tu_archive_add(&a, "df", AE_IFREG, df, strlen(df));
    tu_archive_end(&a);
    tu_counting probe = {0, 0, -1};
    mf_allocator al = {tu_counting_calloc, tu_counting_realloc, tu_counting_free, &probe};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &al;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, a.data, a.used, "x.tar", &o), MF_OK);
    const char *json = mf_report_render(r, MF_FORMAT_JSON, NULL);
    assert_non_null(strstr(json, "\"ip6_dst_cache\""));
    mf_report_free(r);
    long total = probe.calls;
    for (long budget = 0; budget < total; budget++) {
        tu_counting c = {0, 0, budget};
        al.ctx = &c;
        r = NULL;
        int rc = mf_analyze_buffer(&r, a.data, a.used, "x.tar", &o);
        assert_true(rc == MF_OK || rc == MF_ENOMEM);
        if (r) {
            mf_report_render(r, MF_FORMAT_JSON, NULL);
            mf_report_render(r, MF_FORMAT_TEXT, NULL);
        }
        mf_report_free(r);
        assert_int_equal(c.live, 0);
    }
    free(a.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_lines),
        cmocka_unit_test(slabinfo_capture_loop),
        cmocka_unit_test(slabinfo_versions_and_bad_rows),
        cmocka_unit_test(slabtop_rows),
        cmocka_unit_test(merge_candidates),
        cmocka_unit_test(meminfo_series_and_exhaustion),
        cmocka_unit_test(meminfo_old_kernel_and_limits),
        cmocka_unit_test(uptime_lines),
        cmocka_unit_test(reboot_splits),
        cmocka_unit_test(vmstat_counter_reset_splits_meminfo),
        cmocka_unit_test(series_basis_and_dedupe),
        cmocka_unit_test(buddy_and_pagetype),
        cmocka_unit_test(zoneinfo_watermarks_with_buddy),
        cmocka_unit_test(vmalloc_kinds_and_callers),
        cmocka_unit_test(process_lists),
        cmocka_unit_test(user_versus_kernel_split),
        cmocka_unit_test(tmpfs_du_df_free),
        cmocka_unit_test(psi_vmstat_sysfs),
        cmocka_unit_test(lookalikes_stay_kernel_log),
        cmocka_unit_test(records_limit),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
