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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backtracking_rule_is_a_warning),
        cmocka_unit_test(huge_min_count_is_a_rule_error),
        cmocka_unit_test(record_budget_bounds_a_flood),
        cmocka_unit_test(record_count_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
