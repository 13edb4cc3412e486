/* Hostile inputs found or feared by the hardening campaign (issue 11):
 * a rule with catastrophic backtracking over long lines must end as a
 * warning, never a hang; rule numbers out of range are rule errors, never
 * undefined behaviour. Inputs the fuzzers found are replayed from
 * tests/fuzz/corpus/; these tests pin the behaviour. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "memforensics.h"
#include "rules/rules.h"
#include "testutil.h"
#include "util/util.h"

static const char *const HOSTILE_RULE =
    "{\"id\": \"hostile-backtracking\", \"title\": \"t\", \"category\": \"kernel\", \"severity\": \"low\",\n"
    " \"summary\": \"s\", \"remediation\": \"r\",\n"
    " \"conditions\": [{\"log\": \"(a+)+$\"}]}\n";

static char *write_rule_dir(const char *text)
{
    char *dir = strdup("/tmp/mf-hardening-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/hostile.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return dir;
}

static void remove_rule_dir(char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/hostile.json", dir);
    unlink(path);
    rmdir(dir);
    free(dir);
}

/* (a+)+$ against lines of 20 000 'a' ending in 'b': exponential without
 * limits. The whole analysis ends, the rule does not fire and the report
 * says once that the pattern hit the PCRE2 limit. */
static void backtracking_rule_is_a_warning(void **state)
{
    (void)state;
    char *dir = write_rule_dir(HOSTILE_RULE);
    mf_ruleset *rs = NULL;
    assert_int_equal(mf_ruleset_load_dir(&rs, dir, NULL), 0);
    assert_int_equal(mf_ruleset_error_count(rs), 0);

    const size_t nlines = 40, alen = 20000;
    size_t cap = nlines * (alen + 64) + 256, len = 0;
    char *log = malloc(cap);
    assert_non_null(log);
    len += (size_t)snprintf(log, cap, "[    0.000000] Linux version 6.1.0-18-amd64 (b@h) #1 SMP\n");
    for (size_t i = 0; i < nlines; i++) {
        len += (size_t)snprintf(log + len, cap - len, "[    1.%06zu] ", i);
        memset(log + len, 'a', alen);
        len += alen;
        log[len++] = 'b';
        log[len++] = '\n';
    }

    mf_options o = MF_OPTIONS_INIT;
    o.rules = rs;
    mf_report *r = NULL;
    clock_t t0 = clock();
    assert_int_equal(mf_analyze_buffer(&r, log, len, "dmesg", &o), 0);
    double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    const char *json = mf_report_render(r, MF_FORMAT_JSON, NULL);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"rule-regex-limit\""));
    assert_null(strstr(json, "\"hostile-backtracking\",")); /* no diagnosis */
    /* one warning for the pattern, not one per line */
    const char *w = strstr(json, "\"rule-regex-limit\"");
    assert_null(strstr(w + 1, "\"rule-regex-limit\""));
    /* a guard against a hang, not a timing test: 40 limited matches take
     * milliseconds; without the limits this runs for ages */
    assert_true(cpu < 60.0);
    mf_report_free(r);
    free(log);
    mf_ruleset_free(rs);
    remove_rule_dir(dir);
}

/* Numbers that do not fit the counters are rule errors (found by
 * fuzz_rules: a min_count of 3.3e106 was cast to uint64_t). */
static void huge_min_count_is_a_rule_error(void **state)
{
    (void)state;
    static const char *const conds[] = {
        "{\"any\": \"input.members[]\", \"min_count\": 3.3e106, \"where\": [{\"fact\": \"status\", \"eq\": \"error\"}]}",
        "{\"log\": \"Out of memory\", \"min_count\": 1e300}",
        "{\"log\": \"Out of memory\", \"min_count\": 18446744073709551616}",
    };
    for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"id\": \"big\", \"title\": \"t\", \"category\": \"kernel\", \"severity\": \"low\","
                 " \"summary\": \"s\", \"remediation\": \"r\", \"conditions\": [%s]}",
                 conds[i]);
        char *dir = write_rule_dir(text);
        mf_ruleset *rs = NULL;
        assert_int_equal(mf_ruleset_load_dir(&rs, dir, NULL), MF_ERULES);
        assert_int_equal(mf_ruleset_error_count(rs), 1);
        assert_non_null(strstr(mf_ruleset_error_at(rs, 0), "min_count"));
        mf_ruleset_free(rs);
        remove_rule_dir(dir);
    }
}

/* A kernel log of `n` low-memory kills, then one OOM kill report. */
static char *kills_then_oom(int n, size_t *len)
{
    mf_buf b;
    mf_buf_init(&b, &mf_default_allocator);
    for (int i = 0; i < n; i++)
        mf_buf_printf(&b,
                      "<6>[%6d.000000] lowmemorykiller: Killing 'com.app.n%d' (%d), adj 904,\n"
                      "<6>[%6d.000000]    to free 4823kB on behalf of 'kswapd0' (95) because\n"
                      "<6>[%6d.000000]    cache 151220kB is below limit 153600kB for oom_score_adj 900\n",
                      100 + i, i, 1000 + i, 100 + i, 100 + i);
    mf_buf_printf(&b,
                  "<4>[%6d.000000] sshd invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                  "<3>[%6d.000000] Out of memory: Killed process 4242 (leaky) total-vm:1000kB, anon-rss:800kB, "
                  "file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:8kB oom_score_adj:0\n",
                  100 + n, 100 + n);
    assert_false(b.failed);
    *len = b.len;
    return mf_buf_detach(&b);
}

static int warnings_naming(const cJSON *doc, const char *needle)
{
    int n = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, tu_get(doc, "warnings"))
    {
        const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "message"));
        const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "code"));
        n += c && strcmp(c, "record-limit") == 0 && m && strstr(m, needle);
    }
    return n;
}

/* A flood of records stops at the record budget: some are kept, the
 * input is marked incomplete, one warning says which limit and names the
 * option; and the flood of one kind does not starve another kind read
 * after it (one kind may take half the budget). */
static void record_budget_bounds_a_flood(void **state)
{
    (void)state;
    size_t len;
    char *log = kills_then_oom(5000, &len);
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_record_bytes = 1u << 20;
    int rc;
    cJSON *doc = tu_analyze_buffer(log, len, "dmesg", &o, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(doc);
    int kills = cJSON_GetArraySize(tu_get(doc, "findings.lmk_kills"));
    assert_true(kills > 50);
    assert_true(kills < 500); /* ~2.5 KB each against half of 1 MiB */
    assert_false(cJSON_IsTrue(tu_get(doc, "input.complete")));
    assert_int_equal(warnings_naming(doc, "low-memory kills: this kind reached half of the "
                                          "memory budget of 1 MiB (limits.max_record_bytes)"),
                     1);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.oom_events")), 1);
    assert_string_equal(tu_str(doc, "findings.oom_events.0.victim.comm"), "leaky");
    cJSON_Delete(doc);

    /* the default budget keeps all of a realistic flood */
    doc = tu_analyze_buffer(log, len, "dmesg", NULL, &rc);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.lmk_kills")), 5000);
    assert_true(cJSON_IsTrue(tu_get(doc, "input.complete")));
    cJSON_Delete(doc);
    free(log);
}

/* The count limit is reported as such, once per kind. */
static void record_count_limit(void **state)
{
    (void)state;
    size_t len;
    char *log = kills_then_oom(20, &len);
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_records = 7;
    int rc;
    cJSON *doc = tu_analyze_buffer(log, len, "dmesg", &o, &rc);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.lmk_kills")), 7);
    assert_int_equal(warnings_naming(doc, "low-memory kills: more than 7 kept (limits.max_records)"), 1);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "findings.oom_events")), 1);
    cJSON_Delete(doc);
    free(log);
}

/* A hostile bundle that floods every kind at once: kills, kmemleak objects
 * with distinct backtraces, OOM reports, reboots, meminfo keys and
 * vmallocinfo callers, all distinct. */
static void add_member(tu_archive *t, const char *name, mf_buf *b)
{
    assert_false(b->failed);
    tu_archive_add(t, name, AE_IFREG, b->data, b->len);
    mf_buf_clear(b);
}

static tu_archive hostile_bundle(int n)
{
    tu_archive t;
    tu_archive_begin(&t, "ustar", NULL);
    mf_buf b;
    mf_buf_init(&b, &mf_default_allocator);
    for (int i = 0; i < n; i++) {
        mf_buf_printf(&b, "<6>[%6d.000000] lowmemorykiller: Killing 'app%d' (%d), adj 904,\n",
                      100 + i, i, 1000 + i);
        mf_buf_printf(&b, "<6>[%6d.000001] Linux version 5.%d.0-%d-amd64 (b@h) #1 SMP\n", 100 + i,
                      i % 20, i);
        mf_buf_printf(&b, "<3>[%6d.000002] Out of memory: Killed process %d (task%d) total-vm:2004kB, "
                          "anon-rss:404kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB "
                          "oom_score_adj:0\n", 100 + i, 2000 + i, i);
    }
    add_member(&t, "var/log/dmesg", &b);
    for (int i = 0; i < n; i++)
        mf_buf_printf(&b, "unreferenced object 0xffff8880%08x (size 64):\n"
                          "  comm \"kworker/u8:2\", pid 10, jiffies 4295073422\n"
                          "  backtrace:\n"
                          "    [<0000000036b3e479>] kmem_cache_alloc+0x1b4/0x2c0\n"
                          "    [<00000000a7e2cc30>] leaky_fn_%d+0x54/0x100\n",
                      (unsigned)i * 256, i);
    add_member(&t, "sys/kernel/debug/kmemleak", &b);
    for (int i = 0; i < n * 4; i++)
        mf_buf_printf(&b, "Key%06d:      %d kB\n", i, i);
    add_member(&t, "proc/meminfo", &b);
    for (int i = 0; i < n * 4; i++)
        mf_buf_printf(&b, "0x%016llx-0x%016llx    8192 caller_%d+0x1c/0x60 pages=1 vmalloc\n",
                      0xffffc90000000000ull + (unsigned long long)i * 8192,
                      0xffffc90000002000ull + (unsigned long long)i * 8192, i);
    add_member(&t, "proc/vmallocinfo", &b);
    mf_buf_free(&b);
    tu_archive_end(&t);
    return t;
}

/* What the library itself allocates (through the caller's allocator, here
 * a meter) stays near the record budget however much the input holds; the
 * same input without a tight budget takes many times more, so the bound is
 * the budget's doing. */
static size_t peak_of(const tu_archive *t, uint64_t budget)
{
    mf_meter m;
    mf_meter_init(&m, &mf_default_allocator);
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &m.self;
    o.limits.max_record_bytes = budget;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, t->data, t->used, "hostile.tar", &o), 0);
    assert_non_null(mf_report_render(r, MF_FORMAT_JSON, NULL));
    mf_report_free(r);
    assert_int_equal(m.live, 0);
    return m.peak;
}

static void memory_stays_within_the_budget(void **state)
{
    (void)state;
    tu_archive t = hostile_bundle(5000);
    size_t tight = peak_of(&t, 2u << 20);
    size_t loose = peak_of(&t, 1ull << 40);
    print_message("library peak: %zu kB with a 2 MiB budget, %zu kB without\n", tight >> 10,
                  loose >> 10);
    assert_true(tight < (4u << 20)); /* the budget, line buffers, the rendered text */
    assert_true(loose > 4 * tight);
    free(t.data);
}

/* Warnings stop at MF_MAX_WARNINGS; the report ends with one that counts
 * the rest. */
static void warnings_are_bounded(void **state)
{
    (void)state;
    tu_archive t;
    tu_archive_begin(&t, "ustar", NULL);
    char name[64];
    const char *bad = "MemTotal: 1 kB\nnot a row 1\nnot a row 2\nnot a row 3\nnot a row 4\n"
                      "not a row 5\nnot a row 6\nnot a row 7\nnot a row 8\nnot a row 9\n";
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "host%03d/proc/meminfo", i);
        tu_archive_add(&t, name, AE_IFREG, bad, strlen(bad));
    }
    tu_archive_end(&t);
    int rc;
    cJSON *doc = tu_analyze_buffer(t.data, t.used, "many.tar", NULL, &rc);
    assert_non_null(doc);
    const cJSON *w = tu_get(doc, "warnings");
    assert_int_equal(cJSON_GetArraySize(w), 2001);
    assert_string_equal(tu_str(doc, "warnings.2000.code"), "warning-limit");
    assert_non_null(strstr(tu_str(doc, "warnings.2000.message"), "700 more warnings"));
    cJSON_Delete(doc);
    free(t.data);
}

/* A log of many reboots keeps the newest banner as the kernel release. */
static void many_reboots_keep_the_newest_banner(void **state)
{
    (void)state;
    mf_buf b;
    mf_buf_init(&b, &mf_default_allocator);
    for (int i = 0; i < 500; i++)
        mf_buf_printf(&b, "[    0.000000] Linux version 5.10.0-%d-amd64 (debian-kernel@lists.debian.org) "
                          "(gcc-10 (Debian 10.2.1-6) 10.2.1 20210110) #1 SMP Debian 5.10.%d-1 (2023-01-21)\n",
                      i, 100 + i);
    int rc;
    cJSON *doc = tu_analyze_buffer(b.data, b.len, "dmesg", NULL, &rc);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "system.kernel_release"), "5.10.0-499-amd64");
    assert_string_equal(tu_str(doc, "system.kernel_version"), "5.10.599");
    cJSON_Delete(doc);
    mf_buf_free(&b);
}

/* Numbers too large for the integers they become are bad rows, never
 * undefined behaviour (found by fuzz_analyze: a PSI average of 7.2e19;
 * slabtop's OBJ SIZE has the same shape). gcc's UBSan does not check
 * float-to-integer conversions, so these pin the behaviour. */
static void huge_decimals_are_bad_rows(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text;
    } cases[] = {
        {"proc/pressure/memory",
         "some avg10=72222222222222222222.00 avg60=0.00 avg300=0.00 total=1\n"
         "full avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"},
        {"proc/pressure/memory",
         "some avg10=100.01 avg60=0.00 avg300=0.00 total=1\n"},
        {"slabtop.txt",
         " Active / Total Objects (% used)    : 1 / 1 (100.0%)\n"
         "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n"
         "     1      1 100% 8000000000000.00K      1        1          4K kmalloc-64\n"},
        /* page counts that overflowed 64 bits times the page size
         * (fuzz_analyze, ninth sitting: zoneinfo min * page_kb) */
        {"proc/zoneinfo",
         "Node 0, zone   Normal\n  pages free     1000\n        min      7777777777777775203\n"
         "        low      2000\n        high     3000\n        managed  250000\n"},
        {"proc/buddyinfo", "Node 0, zone   Normal   1 2 3 4 5 6 7 8 9 10 4611686018427387904\n"},
        {"proc/pagetypeinfo",
         "Page block order: 9\nPages per block:  512\n\n"
         "Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10\n"
         "Node    0, zone   Normal, type    Unmovable      1      1      1      1      1      1      1      1      1      1 4611686018427387904\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc;
        cJSON *doc = tu_analyze_buffer(cases[i].text, strlen(cases[i].text), cases[i].name,
                                       NULL, &rc);
        assert_non_null(doc);
        assert_int_equal(rc, 0);
        bool bad_row = false;
        const cJSON *w;
        cJSON_ArrayForEach(w, tu_get(doc, "warnings"))
        {
            const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "code"));
            bad_row |= c && strcmp(c, "bad-row") == 0;
        }
        assert_true(bad_row);
        cJSON_Delete(doc);
    }
    /* a zoneinfo event counter past the page bound (a year of numa_hit on
     * a large server) is not a page count: no bad row, watermarks read */
    const char *zi = "Node 0, zone   Normal\n  pages free     1000\n        min      1500\n"
                     "        low      2000\n        high     3000\n        managed  250000\n"
                     "    numa_hit     9000000000000000\n";
    int rc;
    cJSON *doc = tu_analyze_buffer(zi, strlen(zi), "proc/zoneinfo", NULL, &rc);
    assert_non_null(doc);
    const cJSON *w;
    cJSON_ArrayForEach(w, tu_get(doc, "warnings"))
    {
        const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "code"));
        assert_false(c && strcmp(c, "bad-row") == 0);
    }
    cJSON_Delete(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backtracking_rule_is_a_warning),
        cmocka_unit_test(huge_min_count_is_a_rule_error),
        cmocka_unit_test(record_budget_bounds_a_flood),
        cmocka_unit_test(record_count_limit),
        cmocka_unit_test(memory_stays_within_the_budget),
        cmocka_unit_test(warnings_are_bounded),
        cmocka_unit_test(many_reboots_keep_the_newest_banner),
        cmocka_unit_test(huge_decimals_are_bad_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
