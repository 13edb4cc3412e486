/* Bundles: the dumpstate splitter, member origins and capture times, every
 * archive format, and the hostile set (zip with a bad CRC, encrypted zip
 * member, zip bomb, 10 000 empty members, devices, a .tar.gz that is text,
 * a 50 MB line, nesting past the depth limit, folder loops and links). */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "source/dumpstate.h"
#include "source/layout.h"
#include "source/source.h"

#define BR "bugreport-sargo-QQ3A-2024-01-16-09-20-11.txt"

static const char dumpstate[] =
    "========================================================\n"
    "== dumpstate: 2024-01-16 09:20:11\n"
    "========================================================\n"
    "\n"
    "Build: QQ3A.200805.001\n"
    "Bugreport format version: 2.0\n"
    "\n"
    "------ MEMORY INFO (/proc/meminfo) ------\n"
    "MemTotal:        3721016 kB\n"
    "MemFree:           63412 kB\n"
    "------ 0.001s was the duration of 'MEMORY INFO' ------\n"
    "------ SLAB INFO (/proc/slabinfo: 2024-01-16 09:19:58) ------\r\n"
    "slabinfo - version: 2.1\r\n"
    "------ PAGETYPEINFO (/proc/pagetypeinfo) ------\n"
    "*** Error dumping /proc/pagetypeinfo (PAGETYPEINFO): Permission denied\n"
    "------ 0.000s was the duration of 'PAGETYPEINFO' ------\n"
    "========================================================\n"
    "== Android Framework Services\n"
    "========================================================\n"
    "------ PROCRANK (procrank) ------\n"
    "  PID       Vss      Rss      Pss      Uss  cmdline\n"
    "-------------------------------------------------------------------------------\n"
    "*** command 'procrank' timed out after 10.003s (killing pid 22702)\n"
    "------ PROCRANK (procrank) ------\n"
    "  PID       Vss      Rss      Pss      Uss  cmdline\n"
    "------ KERNEL LOG (dmesg) ------\n"
    "<6>[  812.214305] binder: 1542:1570 transaction failed 29201/-28\n"
    "------ NOT A MARKER ------ inside a line\n"
    "========================================================\n"
    "== dumpstate: done (id 1)\n"
    "========================================================\n";

static const char *const ds_paths[] = {
    BR,
    BR "#header",
    BR "#MEMORY INFO (/proc/meminfo)",
    BR "#SLAB INFO (/proc/slabinfo)",
    BR "#PAGETYPEINFO (/proc/pagetypeinfo)",
    BR "#PROCRANK (procrank)",
    BR "#PROCRANK (procrank)#2",
    BR "#KERNEL LOG (dmesg)",
};
static const char *const ds_status[] = {"parsed", NULL, NULL, NULL, "error",
                                        "error", NULL, NULL};
static const char *const ds_origin[] = {NULL, NULL, "/proc/meminfo",
                                        "/proc/slabinfo", "/proc/pagetypeinfo",
                                        NULL, NULL, "/dev/kmsg"};

static void detect_and_time(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_true(mf_dumpstate_detect(dumpstate, sizeof dumpstate - 1));
    assert_true(mf_dumpstate_detect(dumpstate, 120));
    assert_true(mf_dumpstate_detect("== dumpstate: 2024-01-16 09:20:11\n", 34));
    assert_true(mf_dumpstate_detect("\xEF\xBB\xBF==========\r\n== dumpstate: x", 32));
    assert_false(mf_dumpstate_detect("========\n== dumpsys: x\n", 23));
    assert_false(mf_dumpstate_detect("== dump", 7));
    assert_false(mf_dumpstate_detect("", 0));
    assert_false(mf_dumpstate_detect("Build: x\n== dumpstate: 2024\n", 28));
    assert_true(mf_dumpstate_time(dumpstate, 200, &t));
    assert_int_equal(t, 1705396811); /* 2024-01-16 09:20:11 */
    assert_false(mf_dumpstate_time("== dumpstate: 2024-13-16 09:20:11", 33, &t));
    const char *o;
    size_t n;
    assert_true(mf_dumpstate_origin("/proc/meminfo", 13, &o, &n));
    assert_int_equal(n, 13);
    assert_true(mf_dumpstate_origin("dmesg", 5, &o, &n));
    assert_string_equal(o, "/dev/kmsg");
    assert_false(mf_dumpstate_origin("procrank", 8, &o, &n));
    assert_false(mf_dumpstate_origin("/system/bin/dumpsys meminfo", 27, &o, &n));
    assert_false(mf_dumpstate_origin("/system/xbin/procrank", 21, &o, &n));
}

typedef struct chunked {
    const char *data;
    size_t len, pos, step;
} chunked;

static int chunk_read(void *ctx, void *buf, size_t cap, size_t *got)
{
    chunked *c = ctx;
    size_t n = c->len - c->pos;
    if (n > c->step)
        n = c->step;
    if (n > cap)
        n = cap;
    memcpy(buf, c->data + c->pos, n);
    c->pos += n;
    *got = n;
    return 0;
}

static void check_split(cJSON *doc)
{
    const cJSON *members = tu_get(doc, "input.members");
    assert_int_equal(cJSON_GetArraySize(members), 8);
    for (int i = 0; i < 8; i++) {
        const cJSON *m = cJSON_GetArrayItem(members, i);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(m, "path")), ds_paths[i]);
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(m, "status"));
        if (ds_status[i])
            assert_string_equal(st, ds_status[i]);
        else
            assert_string_not_equal(st, "error");
        const cJSON *o = cJSON_GetObjectItem(m, "origin");
        if (ds_origin[i])
            assert_string_equal(cJSON_GetStringValue(o), ds_origin[i]);
        else
            assert_true(cJSON_IsNull(o));
    }
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "dumpstate");
    assert_string_equal(tu_str(doc, "input.members.4.error"),
                        "Error dumping /proc/pagetypeinfo (PAGETYPEINFO): Permission denied");
    assert_string_equal(tu_str(doc, "input.members.5.error"),
                        "command 'procrank' timed out after 10.003s (killing pid 22702)");
    /* bodies only: the section's bytes are the file's bytes */
    assert_int_equal(tu_get(doc, "input.members.2.size_bytes")->valueint, 56);
    assert_int_equal(tu_get(doc, "input.members.0.size_bytes")->valueint,
                     (int)sizeof dumpstate - 1);
    /* the marker-like line inside the kernel log stays in its body */
    assert_int_equal(tu_get(doc, "input.members.7.size_bytes")->valueint,
                     (int)strlen("<6>[  812.214305] binder: 1542:1570 transaction failed 29201/-28\n"
                                 "------ NOT A MARKER ------ inside a line\n"));
    int errors = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, tu_get(doc, "warnings"))
        errors += strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(w, "code")), "capture-error") == 0;
    assert_int_equal(errors, 2);
}

static void dumpstate_is_split(void **state)
{
    (void)state;
    cJSON *doc = tu_analyze_buffer(dumpstate, sizeof dumpstate - 1, BR, NULL, NULL);
    assert_non_null(doc);
    check_split(doc);
    cJSON_Delete(doc);
    /* the same through a reader handing 1, 7 and 300 bytes at a time */
    size_t steps[] = {1, 7, 300};
    for (size_t i = 0; i < 3; i++) {
        chunked c = {dumpstate, sizeof dumpstate - 1, 0, steps[i]};
        mf_report *r = NULL;
        assert_int_equal(mf_analyze_reader(&r, chunk_read, &c, BR, NULL), 0);
        doc = cJSON_Parse(mf_report_render(r, MF_FORMAT_JSON, NULL));
        mf_report_free(r);
        check_split(doc);
        cJSON_Delete(doc);
    }
}

/* Modules bid on a member's origin too: a section titled with a device
 * path is classified like the file itself, whatever its name says. */
static void sections_are_classified_by_origin(void **state)
{
    (void)state;
    static const char text[] =
        "========================================================\n"
        "== dumpstate: 2024-01-16 09:20:11\n"
        "========================================================\n"
        "------ MEMORY INFO (/proc/meminfo) ------\n"
        "Mem: (cut short)\n"
        "------ UNKNOWN THING (/proc/nothing) ------\n"
        "Mem: (cut short)\n";
    cJSON *doc = tu_analyze_buffer(text, sizeof text - 1, "ds.txt", NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.2.path"), "ds.txt#MEMORY INFO (/proc/meminfo)");
    assert_string_equal(tu_str(doc, "input.members.2.kind"), "meminfo");
    assert_string_equal(tu_str(doc, "input.members.3.kind"), "unknown");
    assert_string_equal(tu_str(doc, "input.members.3.duplicate_of"), "ds.txt#MEMORY INFO (/proc/meminfo)");
    cJSON_Delete(doc);
}

/* A sink that only counts: the evidence is looked at directly. */
static int s_begin(void *ctx, int32_t i) { (void)ctx; (void)i; return 0; }
static int s_data(void *ctx, const void *b, size_t n) { (void)ctx; (void)b; (void)n; return 0; }
static void s_end(void *ctx, mf_member_status st, const char *e)
{
    mf_evidence *ev = ctx;
    (void)e;
    if (ev->members.len)
        ev->members.len = ev->members.len; /* members keep their status */
    (void)st;
}

static void capture_times_and_hashes(void **state)
{
    (void)state;
    tu_archive z;
    tu_archive_begin(&z, "zip", NULL);
    tu_archive_add(&z, "version.txt", AE_IFREG, "2.0", 3);
    tu_archive_add(&z, BR, AE_IFREG, dumpstate, sizeof dumpstate - 1);
    tu_archive_add(&z, "FS/proc/meminfo", AE_IFREG,
                   "MemTotal:        3721016 kB\nMemFree:           63412 kB\n", 56);
    tu_archive_end(&z);
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    mf_source_sink sink = {s_begin, s_data, s_end, NULL, ev};
    mf_limits lim;
    mf_limits_resolve(&lim, NULL);
    assert_int_equal(mf_source_buffer(ev, z.data, z.used,
                                      "bugreport-sargo-QQ3A-2024-01-16-09-20-11.zip",
                                      &lim, &sink), 0);
    assert_int_equal(ev->members.len, 10);
    mf_member *ver = mf_evidence_member(ev, 0);
    mf_member *file = mf_evidence_member(ev, 1);
    mf_member *mem = mf_evidence_member(ev, 3);
    mf_member *slab = mf_evidence_member(ev, 4);
    mf_member *fs = mf_evidence_member(ev, 9);
    assert_string_equal(fs->path, "FS/proc/meminfo");
    assert_string_equal(fs->origin, "/proc/meminfo");
    assert_string_equal(mem->origin, "/proc/meminfo");
    /* the zip's name dates the run; the header dates the sections */
    assert_true(ver->has_capture_time && fs->has_capture_time);
    assert_int_equal(fs->capture_time, 1705396811);
    assert_true(file->has_capture_time && mem->has_capture_time);
    assert_int_equal(mem->capture_time, 1705396811);
    assert_int_equal(fs->content_hash, mem->content_hash);
    assert_int_not_equal(fs->content_hash, file->content_hash);
    assert_int_equal(fs->content_hash,
                     mf_fnv1a(MF_FNV1A_INIT, "MemTotal:        3721016 kB\nMemFree:           63412 kB\n", 56));
    assert_int_equal(slab->mtime, 1705396798);
    assert_int_equal(slab->mtime_source, MF_MTIME_ARCHIVE);
    mf_evidence_free(ev);
    /* and in the report: FS/proc/meminfo is the MEMORY INFO section again */
    cJSON *doc = tu_analyze_buffer(z.data, z.used, "br.zip", NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.9.duplicate_of"),
                        BR "#MEMORY INFO (/proc/meminfo)");
    assert_true(cJSON_IsNull(tu_get(doc, "input.members.3.duplicate_of")));
    cJSON_Delete(doc);
    free(z.data);
}

static void layouts(void **state)
{
    (void)state;
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    const struct {
        const char *path, *origin;
        int64_t t;
    } cases[] = {
        {"sosreport-db01-2021-03-14-xkqzbnf/proc/meminfo", "/proc/meminfo", 1615680000},
        {"sosreport-db01-2021-03-14-xkqzbnf/sos_commands/kernel/dmesg", "/dev/kmsg", 1615680000},
        {"sosreport-db01-2021-03-14-xkqzbnf/sos_commands/memory/free", NULL, 1615680000},
        {"case.tar!sosreport-db01-2021-03-14-xkqzbnf/var/log/messages", "/var/log/messages", 1615680000},
        {"bugreport-a-b-2024-01-16-09-20-11.zip!FS/proc/buddyinfo", "/proc/buddyinfo", 1705396811},
        {"etc/config/network", "/etc/config/network", -1},
        {"notes/proc/meminfo", NULL, -1},
        {"x.txt#MEMORY INFO (/proc/meminfo)", NULL, -1},
        {"proc", NULL, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t idx = mf_evidence_add_member(ev, cases[i].path);
        assert_int_equal(mf_layout_member(ev, idx, "input"), 0);
        mf_member *m = mf_evidence_member(ev, idx);
        if (cases[i].origin)
            assert_string_equal(m->origin, cases[i].origin);
        else
            assert_null(m->origin);
        assert_int_equal(m->has_capture_time, cases[i].t >= 0);
        if (cases[i].t >= 0)
            assert_int_equal(m->capture_time, cases[i].t);
    }
    /* a folder named after the sosreport dates its members */
    int32_t idx = mf_evidence_add_member(ev, "proc/meminfo");
    mf_layout_member(ev, idx, "cases/sosreport-db01-2021-03-14");
    assert_int_equal(mf_evidence_member(ev, idx)->capture_time, 1615680000);
    mf_evidence_free(ev);
}

/* ---- formats ---- */

static cJSON *one_file(const char *format, const char *filter, const char *name,
                       const char *outer_name)
{
    tu_archive t;
    tu_archive_begin(&t, format, filter);
    tu_archive_add(&t, name, AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&t);
    cJSON *doc = tu_analyze_buffer(t.data, t.used, outer_name, NULL, NULL);
    free(t.data);
    return doc;
}

static void every_format(void **state)
{
    (void)state;
    const struct {
        const char *format, *filter, *name, *want;
    } cases[] = {
        {"pax", NULL, "a.tar", "var/log/dmesg"},
        {"pax", "gzip", "a.tar.gz", "var/log/dmesg"},
        {"pax", "xz", "a.tar.xz", "var/log/dmesg"},
        {"pax", "zstd", "a.tar.zst", "var/log/dmesg"},
        {"pax", "bzip2", "a.tar.bz2", "var/log/dmesg"},
        {"zip", NULL, "a.zip", "var/log/dmesg"},
        {"7zip", NULL, "a.7z", "var/log/dmesg"},
        {"raw", "gzip", "dmesg.gz", "dmesg.gz"},
        {"raw", "xz", "dmesg.xz", "dmesg.xz"},
        {"raw", "zstd", "dmesg.zst", "dmesg.zst"},
        {"raw", "bzip2", "dmesg.bz2", "dmesg.bz2"},
        {"raw", "lz4", "dmesg.lz4", "dmesg.lz4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *doc = one_file(cases[i].format, cases[i].filter, "var/log/dmesg",
                              cases[i].name);
        assert_non_null(doc);
        if (!tu_str(doc, "input.members.0.path") ||
            strcmp(tu_str(doc, "input.members.0.path"), cases[i].want) != 0 ||
            strcmp(tu_str(doc, "input.members.0.kind"), "kernel-log") != 0)
            fail_msg("%s: %s %s", cases[i].name, tu_str(doc, "input.members.0.path"),
                     tu_str(doc, "input.members.0.kind"));
        assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 1);
        assert_int_equal(tu_get(doc, "input.members.0.size_bytes")->valueint,
                         (int)strlen(tu_dmesg));
        cJSON_Delete(doc);
    }
}

/* 7-Zip needs seeking: a file is seekable, and input.sha256 stays the
 * SHA-256 of the file; inside another archive it cannot be read. */
static void seven_zip_file_and_nested(void **state)
{
    (void)state;
    tu_archive t;
    tu_archive_begin(&t, "7zip", NULL);
    tu_archive_add(&t, "var/log/dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_add(&t, "proc/meminfo", AE_IFREG, "MemTotal: 1 kB\n", 15);
    tu_archive_end(&t);
    char path[] = "/tmp/mf-7z-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, t.data, t.used), (ssize_t)t.used);
    close(fd);
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_path(&r, path, NULL), 0);
    cJSON *doc = cJSON_Parse(mf_report_render(r, MF_FORMAT_JSON, NULL));
    mf_report_free(r);
    unlink(path);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 2);
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kernel-log");
    assert_string_equal(tu_str(doc, "input.members.1.origin"), "/proc/meminfo");
    assert_int_equal(tu_get(doc, "input.size_bytes")->valueint, (int)t.used);
    mf_sha256 *h = mf_sha256_new();
    mf_sha256_update(h, t.data, t.used);
    char hex[65];
    mf_sha256_final_hex(h, hex);
    assert_string_equal(tu_str(doc, "input.sha256"), hex);
    cJSON_Delete(doc);
    /* nested: a warning and a status, the rest is read */
    tu_archive outer;
    tu_archive_begin(&outer, "ustar", "gzip");
    tu_archive_add(&outer, "logs.7z", AE_IFREG, t.data, t.used);
    tu_archive_add(&outer, "dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&outer);
    doc = tu_analyze_buffer(outer.data, outer.used, "case.tar.gz", NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "logs.7z");
    assert_string_equal(tu_str(doc, "input.members.0.status"), "corrupt");
    assert_string_equal(tu_str(doc, "warnings.0.code"), "unseekable");
    assert_string_equal(tu_str(doc, "input.members.1.path"), "dmesg");
    assert_string_equal(tu_str(doc, "input.members.1.status"), "parsed");
    assert_true(cJSON_GetArraySize(tu_get(doc, "warnings")) >= 1);
    cJSON_Delete(doc);
    free(outer.data);
    free(t.data);
}

static void zip_from_a_stream(void **state)
{
    (void)state;
    tu_archive z;
    tu_archive_begin(&z, "zip", NULL);
    tu_archive_add(&z, "FS/proc/last_kmsg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_add(&z, BR, AE_IFREG, dumpstate, sizeof dumpstate - 1);
    tu_archive_end(&z);
    chunked c = {z.data, z.used, 0, 1000};
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_reader(&r, chunk_read, &c, "-", NULL), 0);
    cJSON *doc = cJSON_Parse(mf_report_render(r, MF_FORMAT_JSON, NULL));
    mf_report_free(r);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "FS/proc/last_kmsg");
    assert_string_equal(tu_str(doc, "input.members.0.origin"), "/proc/last_kmsg");
    assert_string_equal(tu_str(doc, "input.members.1.kind"), "dumpstate");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 9);
    cJSON_Delete(doc);
    free(z.data);
}

static void nesting_to_the_depth_limit(void **state)
{
    (void)state;
    /* level5.tar inside level4.tar ... inside level1.tar: depth 4 opens four */
    char *data = malloc(strlen(tu_dmesg));
    size_t len = strlen(tu_dmesg);
    memcpy(data, tu_dmesg, len);
    const char *name = "dmesg";
    char names[6][16];
    for (int level = 5; level >= 1; level--) {
        tu_archive t;
        tu_archive_begin(&t, "ustar", level % 2 ? "gzip" : NULL);
        tu_archive_add(&t, name, AE_IFREG, data, len);
        tu_archive_end(&t);
        free(data);
        data = t.data;
        len = t.used;
        snprintf(names[level], sizeof names[level], "l%d.tar", level);
        name = names[level];
    }
    cJSON *doc = tu_analyze_buffer(data, len, "l1.tar", NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "l2.tar!l3.tar!l4.tar!l5.tar");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "unknown");
    assert_string_equal(tu_str(doc, "input.members.0.status"), "skipped-limit");
    assert_true(cJSON_IsFalse(tu_get(doc, "input.complete")));
    cJSON_Delete(doc);
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_depth = 5;
    doc = tu_analyze_buffer(data, len, "l1.tar", &o, NULL);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "l2.tar!l3.tar!l4.tar!l5.tar!dmesg");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kernel-log");
    cJSON_Delete(doc);
    free(data);
}

/* ---- hostile ---- */

static void zip_bad_crc_and_encrypted(void **state)
{
    (void)state;
    /* stored entries with sizes and CRC in the local headers (as zip -0
     * writes them); the first one's CRC is wrong */
    size_t dl = strlen(tu_dmesg);
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < dl; i++) {
        crc ^= (unsigned char)tu_dmesg[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    crc = ~crc;
    tu_archive z;
    z.data = calloc(1, 4096);
    z.used = 0;
    uint32_t offs[2];
    for (int i = 0; i < 2; i++) {
        unsigned char h[30] = {'P', 'K', 3, 4, 10, 0};
        uint32_t c = i == 0 ? crc ^ 0x10u : crc;
        memcpy(h + 14, &c, 4); /* little-endian host */
        uint32_t sz = (uint32_t)dl;
        memcpy(h + 18, &sz, 4);
        memcpy(h + 22, &sz, 4);
        h[26] = 7;
        offs[i] = (uint32_t)z.used;
        memcpy(z.data + z.used, h, 30);
        memcpy(z.data + z.used + 30, i == 0 ? "a/dmesg" : "b/dmesg", 7);
        memcpy(z.data + z.used + 37, tu_dmesg, dl);
        z.used += 37 + dl;
    }
    uint32_t cd = (uint32_t)z.used;
    for (int i = 0; i < 2; i++) {
        unsigned char h[46] = {'P', 'K', 1, 2, 20, 0, 10, 0};
        uint32_t c = i == 0 ? crc ^ 0x10u : crc, sz = (uint32_t)dl;
        memcpy(h + 16, &c, 4);
        memcpy(h + 20, &sz, 4);
        memcpy(h + 24, &sz, 4);
        h[28] = 7;
        memcpy(h + 42, &offs[i], 4);
        memcpy(z.data + z.used, h, 46);
        memcpy(z.data + z.used + 46, i == 0 ? "a/dmesg" : "b/dmesg", 7);
        z.used += 53;
    }
    unsigned char eocd[22] = {'P', 'K', 5, 6, 0, 0, 0, 0, 2, 0, 2, 0};
    uint32_t cdlen = (uint32_t)z.used - cd;
    memcpy(eocd + 12, &cdlen, 4);
    memcpy(eocd + 16, &cd, 4);
    memcpy(z.data + z.used, eocd, 22);
    z.used += 22;
    cJSON *doc = tu_analyze_buffer(z.data, z.used, "crc.zip", NULL, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "a/dmesg");
    assert_string_equal(tu_str(doc, "input.members.0.status"), "corrupt");
    assert_string_equal(tu_str(doc, "warnings.0.code"), "corrupt");
    assert_string_equal(tu_str(doc, "input.members.1.path"), "b/dmesg");
    assert_string_equal(tu_str(doc, "input.members.1.status"), "parsed");
    cJSON_Delete(doc);
    free(z.data);

    tu_archive e;
    e.cap = 1u << 20;
    e.data = malloc(e.cap);
    e.used = 0;
    e.a = archive_write_new();
    archive_write_set_format_zip(e.a);
    assert_int_equal(archive_write_set_format_option(e.a, "zip", "encryption", "zipcrypt"), ARCHIVE_OK);
    assert_int_equal(archive_write_set_passphrase(e.a, "secret"), ARCHIVE_OK);
    archive_write_open_memory(e.a, e.data, e.cap, &e.used);
    tu_archive_add(&e, "secret/dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&e);
    doc = tu_analyze_buffer(e.data, e.used, "enc.zip", NULL, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "secret/dmesg");
    assert_string_equal(tu_str(doc, "input.members.0.status"), "encrypted");
    assert_string_equal(tu_str(doc, "warnings.0.code"), "encrypted");
    cJSON_Delete(doc);
    free(e.data);
}

static void zip_bomb(void **state)
{
    (void)state;
    size_t n = 80u << 20;
    char *x = malloc(n);
    memset(x, 'x', n);
    tu_archive z;
    tu_archive_begin(&z, "zip", NULL);
    tu_archive_add(&z, "bomb.txt", AE_IFREG, x, n);
    tu_archive_add(&z, "after/dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&z);
    free(x);
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_ratio = 100;
    cJSON *doc = tu_analyze_buffer(z.data, z.used, "bomb.zip", &o, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "input.members.0.status"), "skipped-limit");
    assert_false(cJSON_IsTrue(tu_get(doc, "input.complete")));
    assert_true(tu_get(doc, "input.members.0.size_bytes")->valuedouble < (double)n);
    cJSON_Delete(doc);
    /* per-member limit: the bomb is cut, the next member is still read */
    mf_options m = MF_OPTIONS_INIT;
    m.limits.max_member_bytes = 1u << 20;
    doc = tu_analyze_buffer(z.data, z.used, "bomb.zip", &m, NULL);
    assert_string_equal(tu_str(doc, "input.members.0.status"), "skipped-limit");
    assert_int_equal(tu_get(doc, "input.members.0.size_bytes")->valueint, 1 << 20);
    assert_string_equal(tu_str(doc, "input.members.1.status"), "parsed");
    cJSON_Delete(doc);
    free(z.data);
}

static void ten_thousand_empty_members(void **state)
{
    (void)state;
    tu_archive t;
    tu_archive_begin(&t, "ustar", "gzip");
    for (int i = 0; i < 10000; i++) {
        char name[32];
        snprintf(name, sizeof name, "e/%05d", i);
        tu_archive_add(&t, name, AE_IFREG, "", 0);
    }
    tu_archive_add(&t, "var/log/dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&t);
    cJSON *doc = tu_analyze_buffer(t.data, t.used, "empty.tar.gz", NULL, NULL);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 10001);
    assert_string_equal(tu_str(doc, "input.members.9999.path"), "e/09999");
    assert_true(cJSON_IsNull(tu_get(doc, "input.members.9999.duplicate_of")));
    assert_string_equal(tu_str(doc, "input.members.10000.kind"), "kernel-log");
    assert_string_equal(tu_str(doc, "system.kernel_release"), "5.4.164-1-default");
    cJSON_Delete(doc);
    free(t.data);
}

static void devices_text_and_long_line(void **state)
{
    (void)state;
    tu_archive t;
    tu_archive_begin(&t, "pax", NULL);
    tu_archive_add(&t, "dev/sda", AE_IFBLK, NULL, 0);
    tu_archive_add(&t, "dev/tty0", AE_IFCHR, NULL, 0);
    tu_archive_add(&t, "run/fifo", AE_IFIFO, NULL, 0);
    tu_archive_add(&t, "inside/dmesg", AE_IFLNK, "../var/log/dmesg", 0);
    tu_archive_add(&t, "escape", AE_IFLNK, "../../etc/passwd", 0);
    tu_archive_add(&t, "var/log/dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&t);
    cJSON *doc = tu_analyze_buffer(t.data, t.used, "dev.tar", NULL, NULL);
    for (int i = 0; i < 5; i++)
        assert_string_equal(tu_str(doc, (const char *[]){"input.members.0.status", "input.members.1.status", "input.members.2.status", "input.members.3.status", "input.members.4.status"}[i]), "refused");
    assert_string_equal(tu_str(doc, "input.members.3.error"),
                        "symbolic link to var/log/dmesg (read there)");
    assert_string_equal(tu_str(doc, "input.members.5.status"), "parsed");
    /* devices and the escaping link warn; the inner link does not */
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "warnings")), 4);
    cJSON_Delete(doc);
    free(t.data);

    /* a file named .tar.gz that is text */
    doc = tu_analyze_buffer(tu_dmesg, strlen(tu_dmesg), "logs.tar.gz", NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "logs.tar.gz");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kernel-log");
    cJSON_Delete(doc);

    /* a 50 MB single line after a kernel banner */
    size_t n = 50u << 20, head = strlen(tu_dmesg);
    char *big = malloc(head + n);
    memcpy(big, tu_dmesg, head);
    memset(big + head, 'A', n);
    doc = tu_analyze_buffer(big, head + n, "dmesg", NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.0.status"), "parsed");
    assert_string_equal(tu_str(doc, "system.kernel_release"), "5.4.164-1-default");
    assert_string_equal(tu_str(doc, "warnings.0.code"), "line-too-long");
    cJSON_Delete(doc);
    /* and as a dumpstate section body */
    size_t dl = sizeof dumpstate - 1;
    char *ds = malloc(dl + n + 64);
    memcpy(ds, dumpstate, dl);
    memcpy(ds + dl, "------ BIG (/proc/big) ------\n", 30);
    memset(ds + dl + 30, '-', n);
    doc = tu_analyze_buffer(ds, dl + 30 + n, BR, NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.8.path"), BR "#BIG (/proc/big)");
    assert_int_equal(tu_get(doc, "input.members.8.size_bytes")->valuedouble, (double)n);
    cJSON_Delete(doc);
    free(ds);
    free(big);
}

static void folder_links_and_loops(void **state)
{
    (void)state;
    char root[] = "/tmp/mf-bundles-XXXXXX";
    assert_non_null(mkdtemp(root));
    char p[512], q[512];
    snprintf(p, sizeof p, "%s/b", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/b/proc", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/b/proc/dmesg", root);
    FILE *f = fopen(p, "w");
    fputs(tu_dmesg, f);
    fclose(f);
    snprintf(p, sizeof p, "%s/outside", root);
    f = fopen(p, "w");
    fputs("secret\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/b/proc/loop", root);
    snprintf(q, sizeof q, "%s/b", root);
    assert_int_equal(symlink(q, p), 0);           /* a loop */
    snprintf(p, sizeof p, "%s/b/a-dmesg", root);
    assert_int_equal(symlink("proc/dmesg", p), 0); /* inside the root */
    snprintf(p, sizeof p, "%s/b/out", root);
    assert_int_equal(symlink("../outside", p), 0); /* leaves the root */
    snprintf(p, sizeof p, "%s/b", root);
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_path(&r, p, NULL), 0);
    cJSON *doc = cJSON_Parse(mf_report_render(r, MF_FORMAT_JSON, NULL));
    mf_report_free(r);
    /* links are recorded, never followed: inside the root their target is
     * read where it is (once), outside it is refused with a warning, and a
     * link to an ancestor cannot loop */
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 4);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "a-dmesg");
    assert_string_equal(tu_str(doc, "input.members.0.status"), "refused");
    assert_string_equal(tu_str(doc, "input.members.0.error"),
                        "symbolic link to proc/dmesg (read there)");
    assert_string_equal(tu_str(doc, "input.members.1.path"), "out");
    assert_string_equal(tu_str(doc, "input.members.1.status"), "refused");
    assert_string_equal(tu_str(doc, "input.members.2.path"), "proc/dmesg");
    assert_string_equal(tu_str(doc, "input.members.2.status"), "parsed");
    assert_string_equal(tu_str(doc, "input.members.2.origin"), "/proc/dmesg");
    assert_string_equal(tu_str(doc, "input.members.3.path"), "proc/loop");
    assert_string_equal(tu_str(doc, "input.members.3.error"),
                        "symbolic link to . (read there)");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "warnings")), 1);
    assert_string_equal(tu_str(doc, "warnings.0.member"), "out");
    cJSON_Delete(doc);
    snprintf(p, sizeof p, "rm -rf '%s'", root);
    assert_int_equal(system(p), 0);
}

/* An allocator that fails after `budget` allocations, and counts. */
typedef struct counting {
    long live, calls, budget;
} counting;

static void *c_calloc(size_t n, size_t sz, void *ctx)
{
    counting *c = ctx;
    if (c->budget >= 0 && c->calls >= c->budget)
        return NULL;
    c->calls++;
    void *p = calloc(n, sz);
    c->live += p != NULL;
    return p;
}

static void *c_realloc(void *p, size_t sz, void *ctx)
{
    counting *c = ctx;
    if (c->budget >= 0 && c->calls >= c->budget)
        return NULL;
    c->calls++;
    void *q = realloc(p, sz);
    c->live += q && !p;
    return q;
}

static void c_free(void *p, void *ctx)
{
    counting *c = ctx;
    c->live -= p != NULL;
    free(p);
}

static void splitting_survives_allocation_failures(void **state)
{
    (void)state;
    tu_archive z;
    tu_archive_begin(&z, "zip", NULL);
    tu_archive_add(&z, BR, AE_IFREG, dumpstate, sizeof dumpstate - 1);
    tu_archive_add(&z, "FS/proc/meminfo", AE_IFREG, "MemTotal: 1 kB\n", 15);
    tu_archive_add(&z, "l", AE_IFLNK, "FS/proc/meminfo", 0);
    tu_archive_end(&z);
    counting probe = {0, 0, -1};
    mf_allocator a = {c_calloc, c_realloc, c_free, &probe};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &a;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, z.data, z.used, "br.zip", &o), MF_OK);
    mf_report_free(r);
    for (long budget = 0; budget < probe.calls; budget++) {
        counting c = {0, 0, budget};
        a.ctx = &c;
        r = NULL;
        int rc = mf_analyze_buffer(&r, z.data, z.used, "br.zip", &o);
        assert_true(rc == MF_OK || rc == MF_ENOMEM);
        if (r)
            mf_report_render(r, MF_FORMAT_JSON, NULL);
        mf_report_free(r);
        assert_int_equal(c.live, 0);
    }
    free(z.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detect_and_time),
        cmocka_unit_test(dumpstate_is_split),
        cmocka_unit_test(sections_are_classified_by_origin),
        cmocka_unit_test(capture_times_and_hashes),
        cmocka_unit_test(layouts),
        cmocka_unit_test(every_format),
        cmocka_unit_test(seven_zip_file_and_nested),
        cmocka_unit_test(zip_from_a_stream),
        cmocka_unit_test(nesting_to_the_depth_limit),
        cmocka_unit_test(zip_bad_crc_and_encrypted),
        cmocka_unit_test(zip_bomb),
        cmocka_unit_test(ten_thousand_empty_members),
        cmocka_unit_test(devices_text_and_long_line),
        cmocka_unit_test(folder_links_and_loops),
        cmocka_unit_test(splitting_survives_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
