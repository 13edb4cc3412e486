/* Unit tests for the rule engine: kernel versions, the loader's checks and
 * their positions, every operator, templates, confidence, not_evaluable,
 * suppression, fingerprints, the log matcher, redaction and explanations.
 * Rules are tested against a small fact registry of their own and report
 * documents built by hand, so they do not depend on which parsers exist. */
#define _POSIX_C_SOURCE 200809L
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

#include <math.h>
#include <pthread.h>

#include "failalloc.h"
#include "report/report.h"
#include "rules/rules.h"

static const mf_allocator *A = &mf_default_allocator;

static const mf_fact_info test_facts[] = {
    {"facts.ip_rules[]", "list", "", "ip-rule", ""},
    {"facts.ip_rules[].family", "string", "", "ip-rule", ""},
    {"facts.ip_rules[].priority", "integer", "", "ip-rule", ""},
    {"facts.ip_rules[].suppress_prefixlength", "integer", "", "ip-rule", ""},
    {"facts.sysctl.<key>", "integer", "", "sysctl", ""},
    {"findings.oom_events[]", "list", "", "kernel-log", ""},
    {"findings.oom_events[].time", "string", "", "kernel-log", ""},
    {"findings.oom_events[].victim.comm", "string", "", "kernel-log", ""},
    {"findings.oom_events[].victim.pid", "integer", "", "kernel-log", ""},
    {"findings.kmemleak.groups[]", "list", "", "kmemleak", ""},
    {"findings.kmemleak.groups[].backtrace[]", "list", "", "kmemleak", ""},
    {"findings.kmemleak.groups[].size", "integer", "bytes", "kmemleak", ""},
    {"findings.kmemleak.groups[].culprit", "string", "", "kmemleak", ""},
    {"findings.meminfo.series.<key>.slope_kb_per_hour", "number", "kB/h", "meminfo", ""},
    {"findings.routes.rt6_stats.dst_entries_growth", "integer", "", "rt6-stats", ""},
    {"facts.cmdline.<name>", "scalar", "", "cmdline", ""},
    {"facts.kconfig.<key>", "scalar", "", "kconfig", ""}, /* as the real registry */
    {"findings.interfaces[]", "list", "", "ethtool", ""},
    {"findings.interfaces[].ethtool.counters.<name>", "integer", "", "ethtool", ""},
    {"findings.fragmentation.zones[]", "list", "", "buddyinfo", ""},
    {"findings.fragmentation.zones[].free_kb", "number", "kB", "buddyinfo", ""},
    {"findings.fragmentation.zones[].high_order_free_kb", "number", "kB", "buddyinfo", ""},
    {"findings.fragmentation.zones[].first_free_kb", "number", "kB", "buddyinfo", ""},
    {"findings.fragmentation.zones[].first_high_order_free_kb", "number", "kB", "buddyinfo", ""},
    {"findings.fragmentation.zones[].unusable_index", "number", "", "buddyinfo", ""},
    {"findings.fragmentation.zones[].high_order_free_kb_per_hour", "number", "kB/h", "buddyinfo", ""},
    {"findings.slab.caches[]", "list", "", "slabinfo", ""},
    {"findings.slab.caches[].active_bytes", "integer", "bytes", "slabinfo", ""},
    {"findings.slab.caches[].growth_bytes_per_hour", "number", "bytes/h", "slabinfo", ""},
    {"findings.slab.caches[].name", "string", "", "slabinfo", ""},
    {"findings.slab.caches[].reclaimable", "boolean", "", "slabinfo", ""},
    {"input.members[]", "list", "", "*", ""},
    {"input.members[].path", "string", "", "*", ""},
    {"input.members[].status", "string", "", "*", ""},
    {"system.hostname", "string", "", "*", ""},
    {"system.kernel_release", "string", "", "kernel-log", ""},
    {"system.mem_total_kb", "integer", "kB", "meminfo", ""},
};

static mf_ruleset *load_n(const char *const *texts, size_t n)
{
    mf_ruleset *rs = mf_ruleset_new_empty();
    assert_non_null(rs);
    rs->facts = test_facts;
    rs->nfacts = sizeof test_facts / sizeof test_facts[0];
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "r%zu.json", i);
        assert_int_equal(mf_ruleset_add_text(rs, name, texts[i], strlen(texts[i]), 0), 0);
    }
    assert_int_equal(mf_ruleset_finish(rs), 0);
    return rs;
}

static mf_ruleset *load1(const char *text)
{
    return load_n(&text, 1);
}

/* Load and expect exactly these error substrings (in order). */
static void expect_errors(const char *text, const char *const *want, size_t nwant)
{
    mf_ruleset *rs = load1(text);
    for (size_t i = 0; i < rs->errors.len; i++)
        fprintf(stderr, "  got: %s\n", *(char **)mf_vec_at(&rs->errors, i));
    assert_int_equal(rs->errors.len, nwant);
    for (size_t i = 0; i < nwant; i++) {
        const char *got = *(char **)mf_vec_at(&rs->errors, i);
        if (!strstr(got, want[i]))
            fail_msg("error %zu: '%s' lacks '%s'", i, got, want[i]);
    }
    assert_int_equal(rs->rules.len, 0);
    mf_ruleset_free(rs);
}

#define RULE_HEAD                                                          \
    "{\"id\": \"t\", \"title\": \"T\", \"category\": \"test\", "         \
    "\"severity\": \"high\", \"remediation\": \"fix it\", "

typedef struct run {
    mf_evidence *ev;
    cJSON *doc;
    mf_vec explain;
} run;

static cJSON *doc_from(const char *json)
{
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    if (!cJSON_GetObjectItemCaseSensitive(doc, "diagnoses"))
        cJSON_AddArrayToObject(doc, "diagnoses");
    if (!cJSON_GetObjectItemCaseSensitive(doc, "not_evaluable"))
        cJSON_AddArrayToObject(doc, "not_evaluable");
    return doc;
}

static void evaluate(run *r, const mf_ruleset *rs, const char *json, const mf_logmatch *lm)
{
    if (!r->ev)
        r->ev = mf_evidence_new(A);
    r->doc = doc_from(json);
    mf_vec_init(&r->explain, A, sizeof(mf_explain));
    assert_int_equal(mf_rules_evaluate(rs, r->doc, lm, r->ev, &r->explain), 0);
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->explain.len; i++) {
        mf_explain *e = mf_vec_at(&r->explain, i);
        mf_free(A, e->rule_id);
        mf_free(A, e->text);
    }
    mf_vec_free(&r->explain);
    cJSON_Delete(r->doc);
    mf_evidence_free(r->ev);
    memset(r, 0, sizeof *r);
}

static const cJSON *diag(const run *r, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r->doc, "diagnoses"), i);
}

static int ndiags(const run *r)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->doc, "diagnoses"));
}

static const char *dstr(const run *r, int i, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(diag(r, i), key));
}

static double dnum(const run *r, int i, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(diag(r, i), key)->valuedouble;
}

static const char *explain_of(const run *r, const char *id)
{
    for (size_t i = 0; i < r->explain.len; i++) {
        const mf_explain *e = mf_vec_at(&r->explain, i);
        if (strcmp(e->rule_id, id) == 0)
            return e->text;
    }
    return NULL;
}

/* One rule with one condition: does it fire on `doc`? */
static int fires(const char *cond, const char *docjson)
{
    char text[2048];
    snprintf(text, sizeof text, RULE_HEAD "\"summary\": \"s\", \"conditions\": [%s]}", cond);
    mf_ruleset *rs = load1(text);
    if (rs->errors.len)
        fail_msg("%s", *(char **)mf_vec_at(&rs->errors, 0));
    run r = {0};
    evaluate(&r, rs, docjson, NULL);
    int n = ndiags(&r);
    int ne = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.doc, "not_evaluable"));
    run_free(&r);
    mf_ruleset_free(rs);
    return ne ? -1 : n; /* -1: not evaluable */
}

/* One rule with one condition fires on `doc` with `n` evidence entries;
 * entry `i` is at member:line and reads `text` (NULL: not checked). */
static void cites(const char *cond, const char *docjson, int n, int i, const char *member,
                  int line, const char *text)
{
    char rtext[2048];
    snprintf(rtext, sizeof rtext, RULE_HEAD "\"summary\": \"s\", \"conditions\": [%s]}", cond);
    mf_ruleset *rs = load1(rtext);
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs, docjson, NULL);
    assert_int_equal(ndiags(&r), 1);
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(diag(&r, 0), "evidence");
    assert_int_equal(cJSON_GetArraySize(evs), n);
    const cJSON *e = cJSON_GetArrayItem(evs, i);
    assert_non_null(e);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "member")), member);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e, "line")->valueint, line);
    if (text)
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "text")), text);
    run_free(&r);
    mf_ruleset_free(rs);
}

/* ------------------------------------------------------------------ */

static void kver_parses_vendor_releases(void **state)
{
    (void)state;
    mf_kver k;
    assert_int_equal(mf_kver_parse("5.10.16-1-default", &k), 0);
    assert_true(k.major == 5 && k.minor == 10 && k.patch == 16 && k.rc == 0 && k.vendor);
    assert_int_equal(mf_kver_parse("4.14.180-openwrt", &k), 0);
    assert_true(k.major == 4 && k.minor == 14 && k.patch == 180 && k.vendor);
    assert_int_equal(mf_kver_parse("3.10.0-514.el7.x86_64", &k), 0);
    assert_true(k.major == 3 && k.minor == 10 && k.patch == 0 && k.rc == 0 && k.vendor);
    assert_int_equal(mf_kver_parse("5.10.198-android12-9-00085-g226a9632f13d", &k), 0);
    assert_true(k.patch == 198 && k.vendor);
    assert_int_equal(mf_kver_parse("5.16-rc4", &k), 0);
    assert_true(k.major == 5 && k.minor == 16 && k.patch == 0 && k.rc == 4 && !k.vendor);
    assert_int_equal(mf_kver_parse("6.1", &k), 0);
    assert_false(k.vendor);
    assert_int_equal(mf_kver_parse("2.6.32.27", &k), 0);
    assert_true(k.patch == 32 && !k.vendor);
    assert_int_equal(mf_kver_parse("5.10.0+", &k), 0);
    assert_true(k.vendor);
    assert_int_equal(mf_kver_parse("linux", &k), -1);
    assert_int_equal(mf_kver_parse("5", &k), -1);
    assert_int_equal(mf_kver_parse("5.10x", &k), -1);
    assert_int_equal(mf_kver_parse("5.16-rc0", &k), -1);
}

static int cmpv(const char *a, const char *b)
{
    mf_kver x, y;
    assert_int_equal(mf_kver_parse(a, &x), 0);
    assert_int_equal(mf_kver_parse(b, &y), 0);
    return mf_kver_cmp(&x, &y);
}

static void kver_orders_rc_before_final(void **state)
{
    (void)state;
    assert_true(cmpv("5.16-rc4", "5.16") < 0);
    assert_true(cmpv("5.16-rc3", "5.16-rc4") < 0);
    assert_true(cmpv("5.16", "5.16.0") == 0);
    assert_true(cmpv("5.15.7", "5.16-rc1") < 0);
    assert_true(cmpv("5.10.84", "5.10.9") > 0); /* numeric, not lexical */
    assert_true(cmpv("5.10.16-1-default", "5.10.16") == 0);
    assert_true(cmpv("4.14.180-openwrt", "4.14.131") > 0);
}

static int in_ranges(const char *rel, const char *const *ranges, size_t n)
{
    mf_kver k;
    assert_int_equal(mf_kver_parse(rel, &k), 0);
    for (size_t i = 0; i < n; i++) {
        mf_kver_range r;
        size_t off;
        const char *msg;
        assert_int_equal(mf_kver_range_parse(ranges[i], &r, &off, &msg), 0);
        if (mf_kver_in_range(&k, &r))
            return 1;
    }
    return 0;
}

static void kver_ranges_fib6_suppress(void **state)
{
    (void)state;
    /* the affected ranges of the fib6_rule_suppress leak */
    static const char *const fib6[] = {"[5.4,5.4.164)", "[5.5,5.10.84)", "[5.11,5.15.7)",
                                       "[5.16-rc1,5.16-rc4)"};
    assert_true(in_ranges("5.10.16-1-default", fib6, 4));
    assert_true(in_ranges("5.4.0-42-generic", fib6, 4));
    assert_false(in_ranges("5.4.164", fib6, 4));
    assert_true(in_ranges("5.4.163", fib6, 4));
    assert_false(in_ranges("5.10.84", fib6, 4));
    assert_true(in_ranges("5.16-rc3", fib6, 4));
    assert_false(in_ranges("5.16-rc4", fib6, 4));
    assert_false(in_ranges("5.16", fib6, 4));
    assert_false(in_ranges("4.19.200", fib6, 4));
    assert_false(in_ranges("3.10.0-514.el7.x86_64", fib6, 4));
    assert_true(in_ranges("5.14.21-150400.24.46-default", fib6, 4));
    static const char *const open[] = {"(,4.9)"};
    assert_true(in_ranges("4.4.302", open, 1));
    assert_false(in_ranges("4.9", open, 1));
    static const char *const upper_incl[] = {"(4.4,4.9]"};
    assert_true(in_ranges("4.9", upper_incl, 1));
    assert_false(in_ranges("4.4", upper_incl, 1));
    static const char *const from[] = {"[6.1,)"};
    assert_true(in_ranges("6.6.30", from, 1));
    static const char *const exact[] = {"4.14.180"};
    assert_true(in_ranges("4.14.180-openwrt", exact, 1));
    assert_false(in_ranges("4.14.181", exact, 1));

    mf_kver_range r;
    size_t off;
    const char *msg;
    assert_int_equal(mf_kver_range_parse("[5.10,5.4)", &r, &off, &msg), -1);
    assert_non_null(strstr(msg, "empty range"));
    assert_int_equal(mf_kver_range_parse("[5.4,5.x)", &r, &off, &msg), -1);
    assert_int_equal(off, 5);
    assert_int_equal(mf_kver_range_parse("[5.4 5.5)", &r, &off, &msg), -1);
    assert_int_equal(mf_kver_range_parse("[5.4,5.5", &r, &off, &msg), -1);
    assert_int_equal(mf_kver_range_parse("[,)", &r, &off, &msg), -1);
    assert_int_equal(mf_kver_range_parse("[5.4-1-default,5.5)", &r, &off, &msg), -1);
}

/* ------------------------------------------------------------------ */

static void loader_reports_positions(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"id\": \"t\",\n"
                       "  \"title\": \"T\",\n"
                       "  \"category\": \"c\",\n"
                       "  \"severity\": \"high\",\n"
                       "  \"summary\": \"s\",\n"
                       "  \"remediation\": \"r\",\n"
                       "  \"colour\": 1,\n"
                       "  \"conditions\": [\n"
                       "    {\"fact\": \"system.kernel_relase\", \"exists\": true},\n"
                       "    {\"fact\": \"system.kernel_release\", \"regex\": \"(5\\\\.\"}\n"
                       "  ]\n"
                       "}\n";
    mf_ruleset *rs = load1(text);
    assert_int_equal(rs->errors.len, 3);
    assert_string_equal(*(char **)mf_vec_at(&rs->errors, 0),
                        "r0.json:8:3: unknown key 'colour' in a rule");
    assert_string_equal(*(char **)mf_vec_at(&rs->errors, 1),
                        "r0.json:10:14: unknown fact path 'system.kernel_relase' (see memforensics facts)");
    const char *re = *(char **)mf_vec_at(&rs->errors, 2);
    assert_non_null(strstr(re, "r0.json:11:"));
    assert_non_null(strstr(re, "bad regex: missing closing parenthesis"));
    mf_ruleset_free(rs);

    rs = load1("{\"id\": \"t\",\n  \"title\": }");
    assert_int_equal(rs->errors.len, 1);
    assert_string_equal(*(char **)mf_vec_at(&rs->errors, 0), "r0.json:2:12: invalid JSON");
    mf_ruleset_free(rs);
}

static void loader_rejects_mistakes(void **state)
{
    (void)state;
    const char *e1[] = {"bad version range '[5.4,5.x)'"};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": \"system.kernel_release\", "
                            "\"kernel_version\": [\"[5.4,5.x)\"]}]}",
                  e1, 1);
    const char *e2[] = {"bad template reference 'record.nmae'"};
    expect_errors(RULE_HEAD "\"summary\": \"{record.nmae} grew\", \"conditions\": [{\"any\": "
                            "\"findings.slab.caches[]\", \"where\": [{\"fact\": \"name\", \"eq\": \"x\"}]}]}",
                  e2, 1);
    const char *e3[] = {"unknown fact path 'system.uptime'"};
    expect_errors(RULE_HEAD "\"summary\": \"{system.uptime}\", \"conditions\": [{\"fact\": "
                            "\"system.kernel_release\", \"exists\": true}]}",
                  e3, 1);
    const char *e4[] = {"duplicate key 'summary'"};
    expect_errors(RULE_HEAD "\"summary\": \"a\", \"summary\": \"b\", \"conditions\": [{\"fact\": "
                            "\"system.kernel_release\", \"exists\": true}]}",
                  e4, 1);
    const char *e5[] = {"fingerprint key 'record.victim.pid' varies"};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"fingerprint_keys\": [\"record.victim.pid\"], "
                            "\"conditions\": [{\"any\": \"findings.oom_events[]\", \"where\": "
                            "[{\"fact\": \"victim.comm\", \"eq\": \"zebra\"}]}]}",
                  e5, 1);
    const char *e6[] = {"fingerprint key 'system.kernel_release' varies"};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"fingerprint_keys\": [\"system.kernel_release\"], "
                            "\"conditions\": [{\"fact\": \"system.kernel_release\", \"exists\": true}]}",
                  e6, 1);
    const char *e7[] = {"\"regex\" needs a text fact", "'lt' needs a number fact"};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": \"system.mem_total_kb\", "
                            "\"regex\": \"x\"}, {\"any\": \"findings.slab.caches[]\", \"where\": "
                            "[{\"fact\": \"reclaimable\", \"lt\": 3}]}]}",
                  e7, 2);
    const char *e8[] = {"goes through a list"};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": "
                            "\"findings.slab.caches[].name\", \"eq\": \"x\"}]}",
                  e8, 1);
    const char *e9[] = {"missing \"severity\""};
    expect_errors("{\"id\": \"t\", \"title\": \"T\", \"category\": \"c\", \"summary\": \"s\", "
                  "\"remediation\": \"r\", \"conditions\": [{\"fact\": \"system.kernel_release\", "
                  "\"exists\": true}]}",
                  e9, 1);
    const char *e10[] = {"needs an operator"};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": \"system.kernel_release\"}]}",
                  e10, 1);
    const char *e11[] = {"bad template: '{' without '}'"};
    expect_errors(RULE_HEAD "\"summary\": \"a {system.kernel_release\", \"conditions\": [{\"fact\": "
                            "\"system.kernel_release\", \"exists\": true}]}",
                  e11, 1);
    const char *e12[] = {"bad severity"};
    expect_errors("{\"id\": \"t\", \"title\": \"T\", \"category\": \"c\", \"severity\": \"dire\", "
                  "\"summary\": \"s\", \"remediation\": \"r\", \"conditions\": [{\"fact\": "
                  "\"system.kernel_release\", \"exists\": true}]}",
                  e12, 1);

    /* duplicate ids across files of one layer */
    const char *two[] = {RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": "
                                   "\"system.kernel_release\", \"exists\": true}]}",
                         RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": "
                                   "\"system.kernel_release\", \"exists\": true}]}"};
    mf_ruleset *rs = load_n(two, 2);
    assert_int_equal(rs->errors.len, 1);
    assert_string_equal(*(char **)mf_vec_at(&rs->errors, 0),
                        "r1.json:1:8: duplicate id 't' (also in r0.json)");
    mf_ruleset_free(rs);

    /* suppressing an unknown rule */
    rs = load1(RULE_HEAD "\"summary\": \"s\", \"suppresses\": [{\"rule\": \"nope\"}], "
                         "\"conditions\": [{\"fact\": \"system.kernel_release\", \"exists\": true}]}");
    assert_int_equal(rs->errors.len, 1);
    assert_non_null(strstr(*(char **)mf_vec_at(&rs->errors, 0), "suppresses unknown rule 'nope'"));
    mf_ruleset_free(rs);
}

/* ------------------------------------------------------------------ */

static const char *SLAB_DOC =
    "{\"system\": {\"kernel_release\": \"5.10.16-1-default\", \"mem_total_kb\": 1000000,"
    " \"sources\": {\"kernel_release\": {\"member\": \"dmesg\", \"line\": 1,"
    " \"text\": \"Linux version 5.10.16-1-default (geeko@buildhost)\"}}},"
    " \"findings\": {\"slab\": {\"caches\": ["
    "  {\"name\": \"dentry\", \"active_bytes\": 5000000, \"growth_bytes_per_hour\": 10,"
    "   \"reclaimable\": true, \"member\": \"slabinfo\", \"line\": 3, \"text\": \"dentry ...\"},"
    "  {\"name\": \"pool_workqueue\", \"active_bytes\": 1900000000, \"growth_bytes_per_hour\": 61000000,"
    "   \"reclaimable\": false, \"member\": \"slabinfo\", \"line\": 7, \"text\": \"pool_workqueue 7421 ...\"}]},"
    "  \"oom_events\": []},"
    " \"facts\": {\"sysctl\": {\"net.core.rmem_default\": 50000000, \"sources\": {\"net.core.rmem_default\":"
    "   {\"member\": \"sos_commands/kernel/sysctl_-a\", \"line\": 812, \"text\": \"net.core.rmem_default = 50000000\"}}},"
    "  \"ip_rules\": [{\"family\": \"inet6\", \"priority\": 32765, \"suppress_prefixlength\": 0}]}}";

/* SLAB_DOC with another kernel release. */
static char *with_release(const char *rel)
{
    const char *p = strstr(SLAB_DOC, "5.10.16-1-default");
    size_t n = strlen(SLAB_DOC) + strlen(rel) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(p - SLAB_DOC), SLAB_DOC, rel, p + strlen("5.10.16-1-default"));
    return out;
}

static void operators_on_facts(void **state)
{
    (void)state;
    const char *d = SLAB_DOC;
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"exists\": true}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.hostname\", \"exists\": false}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.hostname\", \"exists\": true}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"eq\": \"5.10.16-1-default\"}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"eq\": \"5.10.16\"}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"ne\": \"5.10.16\"}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.mem_total_kb\", \"gt\": 999999}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.mem_total_kb\", \"gt\": 1000000}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.mem_total_kb\", \"ge\": 1000000}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.mem_total_kb\", \"lt\": 1000000}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.mem_total_kb\", \"le\": 1000000}", d), 1);
    /* a range: both bounds hold */
    assert_int_equal(fires("{\"fact\": \"system.mem_total_kb\", \"ge\": 65536, \"lt\": 131072}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.mem_total_kb\", \"ge\": 524288, \"lt\": 2097152}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"in\": [\"4.14.180\", "
                           "\"5.10.16-1-default\"]}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"not_in\": [\"5.10.16-1-default\"]}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"regex\": \"-default$\"}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"regex\": \"^4\\\\.\"}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"kernel_version\": "
                           "[\"[5.4,5.4.164)\", \"[5.5,5.10.84)\"]}", d), 1);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"kernel_version\": \"[5.10.84,)\"}", d), 0);
    assert_int_equal(fires("{\"fact\": \"system.kernel_release\", \"regex\": \"openwrt\", \"not\": true}", d), 1);
    /* map keys with dots */
    assert_int_equal(fires("{\"fact\": \"facts.sysctl.net.core.rmem_default\", \"gt\": 212992}", d), 1);
    assert_int_equal(fires("{\"fact\": \"facts.sysctl.vm.min_free_kbytes\", \"gt\": 0}", d), -1);
    /* a list's size */
    assert_int_equal(fires("{\"fact\": \"findings.slab.caches[]\", \"ge\": 2}", d), 1);
    assert_int_equal(fires("{\"fact\": \"findings.oom_events[]\", \"ge\": 1}", d), 0);
    /* absent and required: not evaluable */
    assert_int_equal(fires("{\"fact\": \"system.hostname\", \"regex\": \"x\"}", d), -1);
}

static void any_binds_the_matching_record(void **state)
{
    (void)state;
    const char *d = SLAB_DOC;
    const char *any_unrec = "{\"any\": \"findings.slab.caches[]\", \"where\": ["
                            "{\"fact\": \"reclaimable\", \"eq\": false},"
                            "{\"fact\": \"growth_bytes_per_hour\", \"gt\": 1000000}]}";
    assert_int_equal(fires(any_unrec, d), 1);
    assert_int_equal(fires("{\"any\": \"findings.slab.caches[]\", \"where\": ["
                           "{\"fact\": \"reclaimable\", \"eq\": true},"
                           "{\"fact\": \"growth_bytes_per_hour\", \"gt\": 1000000}]}", d), 0);
    assert_int_equal(fires("{\"any\": \"findings.oom_events[]\", \"where\": ["
                           "{\"fact\": \"victim.comm\", \"eq\": \"zebra\"}]}", d), 0);
    assert_int_equal(fires("{\"any\": \"findings.oom_events[]\", \"not\": true, \"where\": ["
                           "{\"fact\": \"victim.comm\", \"eq\": \"zebra\"}]}", d), 1);
    assert_int_equal(fires("{\"any\": \"findings.oom_events[]\", \"where\": ["
                           "{\"fact\": \"victim.comm\", \"eq\": \"zebra\"}]}", "{\"findings\": {}}"), -1);

    /* templates see the record, facts and filters; evidence has its line */
    mf_ruleset *rs = load1(RULE_HEAD
        "\"summary\": \"{record.name} grew {record.active_bytes|bytes} ({record.growth_bytes_per_hour|bytes}/h) "
        "on {system.kernel_release}; {record.count} cache(s); {{literal}}; rmem {facts.sysctl.net.core.rmem_default}; "
        "ram {system.mem_total_kb|kb}\","
        "\"conditions\": [" "{\"any\": \"findings.slab.caches[]\", \"where\": ["
        "{\"fact\": \"reclaimable\", \"eq\": false}, {\"fact\": \"growth_bytes_per_hour\", \"gt\": 1000000}]},"
        "{\"fact\": \"system.kernel_release\", \"exists\": true}]}");
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs, d, NULL);
    assert_int_equal(ndiags(&r), 1);
    assert_string_equal(dstr(&r, 0, "summary"),
                        "pool_workqueue grew 1.8 GiB (58.2 MiB/h) on 5.10.16-1-default; 1 cache(s); "
                        "{literal}; rmem 50000000; ram 977 MiB");
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(diag(&r, 0), "evidence");
    assert_int_equal(cJSON_GetArraySize(ev), 2);
    const cJSON *e0 = cJSON_GetArrayItem(ev, 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e0, "member")), "slabinfo");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e0, "line")->valueint, 7);
    const cJSON *e1 = cJSON_GetArrayItem(ev, 1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e1, "member")), "dmesg");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e1, "line")->valueint, 1);
    run_free(&r);
    mf_ruleset_free(rs);
    /* a map fact's source sits beside it under the same key */
    rs = load1(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": "
                         "\"facts.sysctl.net.core.rmem_default\", \"gt\": 212992}]}");
    evaluate(&r, rs, d, NULL);
    ev = cJSON_GetObjectItemCaseSensitive(diag(&r, 0), "evidence");
    assert_int_equal(cJSON_GetArraySize(ev), 1);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ev, 0), "line")->valueint, 812);
    run_free(&r);
    mf_ruleset_free(rs);
    rs = load1(RULE_HEAD
        "\"summary\": \"s\", \"conditions\": [{\"any\": \"findings.slab.caches[]\", \"where\": ["
        "{\"fact\": \"reclaimable\", \"eq\": false}, {\"fact\": \"growth_bytes_per_hour\", \"gt\": 1000000}]}]}");
    evaluate(&r, rs, d, NULL);
    const char *x = explain_of(&r, "t");
    assert_non_null(x);
    assert_non_null(strstr(x, "1 of 2 records matches"));
    assert_non_null(strstr(x, "=> fired: confidence 1"));
    run_free(&r);
    mf_ruleset_free(rs);
}

/* Texts are read by people: a template prints a fractional number with
 * four significant digits (the integer part whole), and a record cited by
 * its fields keeps whole fields only: the 200-byte excerpt used to cut
 * "high_order_free_kb_per_hour=-11465.6577" to "...=-1", a number the
 * record does not hold. */
static void numbers_read_whole_in_texts(void **state)
{
    (void)state;
    const char *d = "{\"findings\": {\"fragmentation\": {\"zones\": [{\"node\": 0, \"zone\": \"Normal\", "
                    "\"free_kb\": 20.6321, \"high_order_free_kb\": 999.96, "
                    "\"unusable_index\": 0.924, \"first_free_kb\": -153600, "
                    "\"first_high_order_free_kb\": 5.4622, \"first_unusable_index\": 0.345, "
                    "\"high_order_free_kb_per_hour\": -11465.6577, \"member\": \"buddyinfo.log\", "
                    "\"line\": 50, \"points\": 25, \"claim\": true}]}}}";
    mf_ruleset *rs = load1(RULE_HEAD
        "\"summary\": \"{zone.high_order_free_kb_per_hour} {zone.free_kb} {zone.high_order_free_kb} "
        "{zone.first_high_order_free_kb} {zone.unusable_index} {zone.first_free_kb|kb}\","
        "\"conditions\": [{\"any\": \"findings.fragmentation.zones[]\", \"as\": \"zone\", \"where\": ["
        "{\"fact\": \"unusable_index\", \"ge\": 0.85}]}]}");
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs, d, NULL);
    assert_int_equal(ndiags(&r), 1);
    assert_string_equal(dstr(&r, 0, "summary"), "-11466 20.63 1000 5.462 0.924 -150 MiB");
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(diag(&r, 0), "evidence");
    assert_int_equal(cJSON_GetArraySize(ev), 1);
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ev, 0), "text"));
    assert_string_equal(t, "node=0 zone=Normal free_kb=20.63 high_order_free_kb=1000 "
                           "unusable_index=0.924 first_free_kb=-153600 first_high_order_free_kb=5.462 "
                           "first_unusable_index=0.345 high_order_free_kb_per_hour=-11466");
    assert_true(strlen(t) <= 200);
    run_free(&r);
    mf_ruleset_free(rs);
}

/* Registry map keys in any <...> spelling; "scalar" (string or number) facts take
 * numeric and text operators; a record located by a "first" object cites
 * that place and its own fields. */
static void map_keys_mixed_types_and_record_places(void **state)
{
    (void)state;
    const char *d = "{\"findings\": {\"meminfo\": {\"series\": {\"SUnreclaim\": "
                    "{\"slope_kb_per_hour\": 2048.5}}}, \"kmemleak\": {\"groups\": ["
                    "{\"culprit\": \"hci_event_packet\", \"count\": 3, \"first\": "
                    "{\"member\": \"kmemleak.txt\", \"line\": 41}}]}},"
                    " \"facts\": {\"cmdline\": {\"mem\": \"512\", \"quiet\": 1}}}";
    assert_int_equal(fires("{\"fact\": \"findings.meminfo.series.SUnreclaim.slope_kb_per_hour\", "
                           "\"gt\": 1024}", d), 1);
    assert_int_equal(fires("{\"fact\": \"findings.meminfo.series.AnonPages.slope_kb_per_hour\", "
                           "\"gt\": 1024}", d), -1);
    assert_int_equal(fires("{\"fact\": \"facts.cmdline.mem\", \"gt\": 256}", d), 1);
    assert_int_equal(fires("{\"fact\": \"facts.cmdline.quiet\", \"ge\": 2}", d), 0);
    assert_int_equal(fires("{\"fact\": \"facts.cmdline.mem\", \"regex\": \"^5\"}", d), 1);
    /* an absent value prints the or: text instead of "unknown"; a unit first */
    mf_ruleset *rt = load1(RULE_HEAD "\"summary\": \"{facts.cmdline.mem|or:none} "
                           "{facts.cmdline.nosuch|or:not given} {facts.cmdline.nosuch|kb|or:n/a} "
                           "{facts.cmdline.quiet|kb|or:n/a} {facts.cmdline.nosuch}\", \"conditions\": "
                           "[{\"fact\": \"facts.cmdline.quiet\", \"exists\": true}]}");
    assert_int_equal(rt->errors.len, 0);
    run rr = {0};
    evaluate(&rr, rt, d, NULL);
    assert_string_equal(dstr(&rr, 0, "summary"), "512 not given n/a 1.0 KiB unknown");
    run_free(&rr);
    mf_ruleset_free(rt);
    static const char *const bad_or[] = {"bad template filter 'or:'", "bad template filter 'kb|mb'",
                                         "bad template filter 'or:a|b'"};
    expect_errors(RULE_HEAD "\"summary\": \"{system.hostname|or:} {system.hostname|kb|mb} "
                  "{system.hostname|or:a|b}\", \"conditions\": [{\"fact\": \"system.hostname\", "
                  "\"exists\": true}]}", bad_or, 3);
    mf_ruleset *rs = load1(RULE_HEAD "\"summary\": \"{leak.culprit}\", \"conditions\": [{\"any\": "
                           "\"findings.kmemleak.groups[]\", \"as\": \"leak\", \"where\": "
                           "[{\"fact\": \"culprit\", \"exists\": true}]}]}");
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs, d, NULL);
    assert_int_equal(ndiags(&r), 1);
    const cJSON *e0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(diag(&r, 0), "evidence"), 0);
    assert_non_null(e0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e0, "member")), "kmemleak.txt");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e0, "line")->valueint, 41);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e0, "text")),
                        "culprit=hci_event_packet count=3");
    run_free(&r);
    mf_ruleset_free(rs);
}

static void lists_of_scalars_counts_and_hex(void **state)
{
    (void)state;
    const char *d =
        "{\"findings\": {\"kmemleak\": {\"groups\": ["
        " {\"size\": 232, \"backtrace\": [\"kmemleak_alloc\", \"kmem_cache_alloc\", \"skb_clone\","
        "  \"hci_event_packet [bluetooth]\", \"hci_rx_work\", \"process_one_work\"]},"
        " {\"size\": 64, \"backtrace\": [\"kmemleak_alloc\", \"__kmalloc\", \"ext4_fill_super\"]}]}},"
        " \"facts\": {\"kconfig\": {\"CONFIG_FSL_DPAA_CS_THRESHOLD_1G\": \"0x06000000\"}},"
        " \"input\": {\"members\": [{\"path\": \"a\", \"status\": \"error\"},"
        "  {\"path\": \"b\", \"status\": \"error\"}, {\"path\": \"c\", \"status\": \"parsed\"}]}}";
    /* "." is the element of a list of strings */
    const char *bt = "{\"any\": \"findings.kmemleak.groups[]\", \"where\": ["
                     "{\"fact\": \"size\", \"ge\": 224, \"le\": 256},"
                     "{\"any\": \"backtrace[]\", \"as\": \"frame\", \"where\": ["
                     " {\"fact\": \".\", \"regex\": \"^hci_event_packet\"}]}]}";
    assert_int_equal(fires(bt, d), 1);
    const char *bt2 = "{\"any\": \"findings.kmemleak.groups[]\", \"where\": ["
                      "{\"fact\": \"size\", \"lt\": 100},"
                      "{\"any\": \"backtrace[]\", \"as\": \"frame\", \"where\": ["
                      " {\"fact\": \".\", \"regex\": \"^hci_event_packet\"}]}]}";
    assert_int_equal(fires(bt2, d), 0);
    /* hex strings compare as numbers: 0x06000000 = 100663296 */
    assert_int_equal(fires("{\"fact\": \"facts.kconfig.CONFIG_FSL_DPAA_CS_THRESHOLD_1G\", \"ge\": 100663296}", d), 1);
    assert_int_equal(fires("{\"fact\": \"facts.kconfig.CONFIG_FSL_DPAA_CS_THRESHOLD_1G\", \"gt\": 100663296}", d), 0);
    /* a <name> placeholder; map keys with spaces and parentheses */
    const char *eth = "{\"findings\": {\"interfaces\": [{\"ethtool\": {\"counters\": "
                      "{\"entered congestion\": 14, \"congestion time (ms)\": 82000}}}]}}";
    assert_int_equal(fires("{\"any\": \"findings.interfaces[]\", \"where\": [{\"fact\": "
                           "\"ethtool.counters.entered congestion\", \"gt\": 0}, {\"fact\": "
                           "\"ethtool.counters.congestion time (ms)\", \"ge\": 82000}]}", eth), 1);
    assert_int_equal(fires("{\"any\": \"findings.interfaces[]\", \"where\": [{\"fact\": "
                           "\"ethtool.counters.entered congestion\", \"gt\": 14}]}", eth), 0);
    /* evidence of a record assembled from parts: the first part that has a member */
    cites("{\"any\": \"findings.interfaces[]\", \"where\": [{\"fact\": \"ethtool.counters.entered congestion\", "
          "\"gt\": 0}]}",
          "{\"findings\": {\"interfaces\": [{\"name\": \"fm1-mac9\", \"link\": null, \"ethtool\": "
          "{\"counters\": {\"entered congestion\": 14}, \"member\": \"ethtool.log\", \"line\": 59}}]}}",
          1, 0, "ethtool.log", 59, NULL);
    /* evidence of a series' slope: the first and last values it was fitted over */
    const char *mem = "{\"findings\": {\"meminfo\": {\"series\": {\"MemAvailable\": "
                      "{\"slope_kb_per_hour\": -1500, \"first\": {\"member\": \"free.log\", \"line\": 3, "
                      "\"text\": \"MemAvailable: 91588 kB\"}, \"last\": {\"member\": \"free.log\", "
                      "\"line\": 99, \"text\": \"MemAvailable: 75487 kB\"}}}}}}";
    const char *slope = "{\"fact\": \"findings.meminfo.series.MemAvailable.slope_kb_per_hour\", \"lt\": 0}";
    cites(slope, mem, 2, 0, "free.log", 3, "MemAvailable: 91588 kB");
    cites(slope, mem, 2, 1, "free.log", 99, "MemAvailable: 75487 kB");
    /* a value of an object that says where it was read: that object, its
     * fields as the text (without member and line, which are the evidence's) */
    cites("{\"fact\": \"findings.routes.rt6_stats.dst_entries_growth\", \"gt\": 0}",
          "{\"findings\": {\"routes\": {\"rt6_stats\": {\"dst_entries\": 40830, "
          "\"dst_entries_growth\": 37986, \"member\": \"rt6.txt\", \"line\": 8}}}}",
          1, 0, "rt6.txt", 8, "dst_entries=40830 dst_entries_growth=37986");
    /* min_count on records */
    assert_int_equal(fires("{\"any\": \"input.members[]\", \"min_count\": 2, \"where\": ["
                           "{\"fact\": \"status\", \"eq\": \"error\"}]}", d), 1);
    assert_int_equal(fires("{\"any\": \"input.members[]\", \"min_count\": 3, \"where\": ["
                           "{\"fact\": \"status\", \"eq\": \"error\"}]}", d), 0);
    /* "." outside where is an error */
    const char *e[] = {"\"fact\" is a fact path"};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": \".\", \"exists\": true}]}", e, 1);
}

static void confidence_and_not_evaluable(void **state)
{
    (void)state;
    const char *rule = RULE_HEAD
        "\"summary\": \"s\", \"collect\": \"ip -6 rule and /proc/slabinfo\","
        "\"conditions\": ["
        "{\"any\": \"facts.ip_rules[]\", \"as\": \"rule6\", \"where\": [{\"fact\": \"family\", \"eq\": \"inet6\"},"
        " {\"fact\": \"suppress_prefixlength\", \"exists\": true}]},"
        "{\"fact\": \"system.kernel_release\", \"required\": false, \"weight\": 2, \"vendor_cap\": 0.6,"
        " \"kernel_version\": [\"[5.4,5.4.164)\", \"[5.5,5.10.84)\"]},"
        "{\"any\": \"findings.slab.caches[]\", \"required\": false, \"weight\": 1, \"where\": ["
        " {\"fact\": \"name\", \"in\": [\"ip6_dst_cache\", \"pool_workqueue\"]}]},"
        "{\"fact\": \"system.hostname\", \"required\": false, \"eq\": \"x\"}]}";
    mf_ruleset *rs = load1(rule);
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    /* 3 of 4 supporting weight; the vendor kernel caps it at 0.6 */
    evaluate(&r, rs, SLAB_DOC, NULL);
    assert_int_equal(ndiags(&r), 1);
    assert_true(dnum(&r, 0, "confidence") == 0.6);
    assert_non_null(strstr(explain_of(&r, "t"), "capped by vendor kernel"));
    run_free(&r);
    /* an upstream kernel: 3/4 */
    char *doc = with_release("5.10.16");
    evaluate(&r, rs, doc, NULL);
    assert_true(dnum(&r, 0, "confidence") == 0.75);
    run_free(&r);
    free(doc);
    /* kernel outside the ranges: the confidence falls, the rule still fires */
    doc = with_release("5.10.90");
    evaluate(&r, rs, doc, NULL);
    assert_int_equal(ndiags(&r), 1);
    assert_true(fabs(dnum(&r, 0, "confidence") - 0.25) < 1e-9);
    run_free(&r);
    free(doc);
    /* no ip rules: the required condition is absent → not evaluable */
    evaluate(&r, rs, "{\"system\": {\"kernel_release\": \"5.10.16\"}, \"facts\": {}}", NULL);
    assert_int_equal(ndiags(&r), 0);
    const cJSON *ne = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.doc, "not_evaluable"), 0);
    assert_non_null(ne);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ne, "rule_id")), "t");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ne, "missing"), 0)->valuestring,
                        "facts.ip_rules[]");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ne, "collect")),
                        "ip -6 rule and /proc/slabinfo");
    run_free(&r);
    /* ip rules present but none inet6 with suppress_prefixlength: decided, not fired */
    evaluate(&r, rs, "{\"facts\": {\"ip_rules\": [{\"family\": \"inet\"}]}}", NULL);
    assert_int_equal(ndiags(&r), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.doc, "not_evaluable")), 0);
    run_free(&r);
    mf_ruleset_free(rs);

    /* max_confidence and min_confidence */
    rs = load1(RULE_HEAD "\"summary\": \"s\", \"max_confidence\": 0.5, \"conditions\": ["
                         "{\"fact\": \"system.kernel_release\", \"exists\": true}]}");
    evaluate(&r, rs, SLAB_DOC, NULL);
    assert_true(dnum(&r, 0, "confidence") == 0.5);
    run_free(&r);
    mf_ruleset_free(rs);
    rs = load1(RULE_HEAD "\"summary\": \"s\", \"min_confidence\": 0.6, \"conditions\": ["
                         "{\"fact\": \"system.kernel_release\", \"required\": false, \"exists\": true},"
                         "{\"fact\": \"system.hostname\", \"required\": false, \"weight\": 2, \"exists\": true}]}");
    evaluate(&r, rs, SLAB_DOC, NULL);
    assert_int_equal(ndiags(&r), 0); /* 1/3 < 0.6 */
    run_free(&r);
    mf_ruleset_free(rs);
}

static const char *GENERAL =
    "{\"id\": \"slab-growth\", \"title\": \"Unreclaimable slab growth\", \"category\": \"kernel-leak\","
    " \"severity\": \"medium\", \"summary\": \"{record.name} grows\", \"remediation\": \"r\","
    " \"fingerprint_keys\": [\"record.name\"],"
    " \"conditions\": [{\"any\": \"findings.slab.caches[]\", \"where\": ["
    "  {\"fact\": \"reclaimable\", \"eq\": false}, {\"fact\": \"growth_bytes_per_hour\", \"gt\": 1000}]}]}";

static const char *SPECIFIC_TPL =
    "{\"id\": \"fib6-suppress\", \"title\": \"fib6 dst leak\", \"category\": \"kernel-leak\","
    " \"severity\": \"high\", \"summary\": \"{record.name}\", \"remediation\": \"r\","
    " \"suppresses\": [{\"rule\": \"slab-growth\", \"same\": \"record.name\"}],"
    " \"fingerprint_keys\": [\"record.name\"],"
    " \"conditions\": [{\"any\": \"findings.slab.caches[]\", \"where\": ["
    "  {\"fact\": \"name\", \"eq\": \"%s\"}]}]}";

static void suppression_by_same_key(void **state)
{
    (void)state;
    char specific[1024];
    snprintf(specific, sizeof specific, SPECIFIC_TPL, "pool_workqueue");
    const char *both[] = {GENERAL, specific};
    mf_ruleset *rs = load_n(both, 2);
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs, SLAB_DOC, NULL);
    assert_int_equal(ndiags(&r), 1);
    assert_string_equal(dstr(&r, 0, "rule_id"), "fib6-suppress");
    assert_non_null(strstr(explain_of(&r, "slab-growth"), "suppressed by fib6-suppress: same record.name"));
    run_free(&r);
    mf_ruleset_free(rs);

    /* the specific rule is about another cache: both stay, by severity */
    snprintf(specific, sizeof specific, SPECIFIC_TPL, "dentry");
    const char *other[] = {GENERAL, specific};
    rs = load_n(other, 2);
    evaluate(&r, rs, SLAB_DOC, NULL);
    assert_int_equal(ndiags(&r), 2);
    assert_string_equal(dstr(&r, 0, "rule_id"), "fib6-suppress");
    assert_string_equal(dstr(&r, 0, "severity"), "high");
    assert_string_equal(dstr(&r, 1, "rule_id"), "slab-growth");
    run_free(&r);
    mf_ruleset_free(rs);
}

static void each_gives_one_diagnosis_per_record(void **state)
{
    (void)state;
    const char *doc =
        "{\"findings\": {\"slab\": {\"caches\": ["
        " {\"name\": \"kmalloc-4096\", \"reclaimable\": false, \"growth_bytes_per_hour\": 5000000},"
        " {\"name\": \"dentry\", \"reclaimable\": true, \"growth_bytes_per_hour\": 9000000},"
        " {\"name\": \"pool_workqueue\", \"reclaimable\": false, \"growth_bytes_per_hour\": 61000000}]}}}";
    const char *general =
        "{\"id\": \"slab-growth\", \"title\": \"t\", \"category\": \"kernel-leak\", \"severity\": \"medium\","
        " \"summary\": \"{record.name} grows {record.growth_bytes_per_hour|bytes}/h\", \"remediation\": \"r\","
        " \"fingerprint_keys\": [\"record.name\"],"
        " \"conditions\": [{\"any\": \"findings.slab.caches[]\", \"each\": true, \"where\": ["
        "  {\"fact\": \"reclaimable\", \"eq\": false}, {\"fact\": \"growth_bytes_per_hour\", \"gt\": 1000}]}]}";
    mf_ruleset *rs = load1(general);
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs, doc, NULL);
    assert_int_equal(ndiags(&r), 2);
    assert_string_equal(dstr(&r, 0, "summary"), "kmalloc-4096 grows 4.8 MiB/h");
    assert_string_equal(dstr(&r, 1, "summary"), "pool_workqueue grows 58.2 MiB/h");
    assert_string_not_equal(dstr(&r, 0, "fingerprint"), dstr(&r, 1, "fingerprint"));
    assert_non_null(strstr(explain_of(&r, "slab-growth"), "one diagnosis per matching record"));
    run_free(&r);
    mf_ruleset_free(rs);

    /* a specific rule suppresses only the diagnosis about its cache */
    char specific[1024];
    snprintf(specific, sizeof specific, SPECIFIC_TPL, "pool_workqueue");
    const char *both[] = {general, specific};
    rs = load_n(both, 2);
    evaluate(&r, rs, doc, NULL);
    assert_int_equal(ndiags(&r), 2);
    assert_string_equal(dstr(&r, 0, "rule_id"), "fib6-suppress");
    assert_string_equal(dstr(&r, 1, "summary"), "kmalloc-4096 grows 4.8 MiB/h");
    run_free(&r);
    mf_ruleset_free(rs);

    const char *e[] = {"\"each\" belongs to a top-level, required, not negated \"any\""};
    expect_errors(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"any\": \"findings.slab.caches[]\","
                            " \"each\": true, \"required\": false, \"where\": [{\"fact\": \"name\", \"eq\": \"x\"}]}]}",
                  e, 1);
}

static void fingerprint_is_stable(void **state)
{
    (void)state;
    const char *rule =
        "{\"id\": \"zebra-oom\", \"title\": \"t\", \"category\": \"c\", \"severity\": \"high\","
        " \"summary\": \"{record.victim.comm} pid {record.victim.pid} killed at {record.time}\","
        " \"remediation\": \"r\", \"fingerprint_keys\": [\"record.victim.comm\"],"
        " \"conditions\": [{\"any\": \"findings.oom_events[]\", \"where\": ["
        "  {\"fact\": \"victim.comm\", \"regex\": \"^zebra$\"}]}]}";
    mf_ruleset *rs = load1(rule);
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs,
             "{\"system\": {\"kernel_release\": \"5.10.16\"}, \"findings\": {\"oom_events\": ["
             "{\"time\": \"2021-03-14T10:00:00\", \"victim\": {\"comm\": \"zebra\", \"pid\": 1234},"
             " \"member\": \"a\", \"line\": 10, \"text\": \"Out of memory: Killed process 1234 (zebra) at ffff8880\"}]}}",
             NULL);
    char fp1[17];
    strcpy(fp1, dstr(&r, 0, "fingerprint"));
    assert_string_equal(dstr(&r, 0, "summary"), "zebra pid 1234 killed at 2021-03-14T10:00:00");
    run_free(&r);
    evaluate(&r, rs,
             "{\"system\": {\"kernel_release\": \"4.14.180-openwrt\"}, \"findings\": {\"oom_events\": ["
             "{\"time\": \"1970-01-01T00:03:00\", \"victim\": {\"comm\": \"zebra\", \"pid\": 77},"
             " \"member\": \"b\", \"line\": 99, \"text\": \"Killed process 77 (zebra) 0xdeadbeef\"}]}}",
             NULL);
    assert_string_equal(dstr(&r, 0, "fingerprint"), fp1);
    run_free(&r);
    /* the fingerprint is SHA-256 of ["zebra-oom","zebra"] */
    mf_sha256 *h = mf_sha256_new();
    const char *canon = "[\"zebra-oom\",\"zebra\"]";
    mf_sha256_update(h, canon, strlen(canon));
    char hex[65];
    mf_sha256_final_hex(h, hex);
    assert_memory_equal(fp1, hex, 16);
    mf_ruleset_free(rs);
}

static void log_conditions_stream(void **state)
{
    (void)state;
    const char *rule = RULE_HEAD
        "\"summary\": \"{msg.count} route-cache messages, first at {msg.member}:{msg.line}: {msg.text}\","
        "\"conditions\": [{\"log\": \"Route cache is full: consider increasing sysctl net\\\\.ipv6\\\\.route\\\\.max_size\","
        " \"min_count\": 2}]}";
    mf_ruleset *rs = load1(rule);
    assert_int_equal(rs->errors.len, 0);
    assert_int_equal(rs->logs.len, 1);
    const mf_regex *re = *(mf_regex **)mf_vec_at(&rs->logs, 0);
    assert_non_null(re->literal);
    assert_string_equal(re->literal, "Route cache is full: consider increasing sysctl net.ipv6.route.max_size");
    mf_evidence *ev = mf_evidence_new(A);
    assert_true(mf_evidence_add_member(ev, "var/log/messages") == 0);
    mf_logmatch *lm = mf_logmatch_new(ev, rs);
    assert_non_null(lm);
    const char *m1 = "IPv6: Route cache is full: consider increasing sysctl net.ipv6.route.max_size.";
    assert_int_equal(mf_logmatch_message(lm, 0, 5, "eth0: link up", 13), 0);
    assert_int_equal(mf_logmatch_message(lm, 0, 9, m1, strlen(m1)), 0);
    run r = {0};
    r.ev = ev;
    evaluate(&r, rs, "{}", lm);
    assert_int_equal(ndiags(&r), 0); /* one of two */
    cJSON_Delete(r.doc);
    mf_report_free_explain(A, &r.explain);
    assert_int_equal(mf_logmatch_message(lm, 0, 12, m1, strlen(m1)), 0);
    evaluate(&r, rs, "{}", lm);
    assert_int_equal(ndiags(&r), 1);
    assert_string_equal(dstr(&r, 0, "summary"),
                        "2 route-cache messages, first at var/log/messages:9: IPv6: Route cache is full: "
                        "consider increasing sysctl net.ipv6.route.max_size.");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(diag(&r, 0), "evidence")), 2);
    /* the literal at the very start and end of a message; cut short, no match */
    const char *m2 = "Route cache is full: consider increasing sysctl net.ipv6.route.max_size";
    assert_int_equal(mf_logmatch_message(lm, 0, 13, m2, strlen(m2)), 0);
    assert_int_equal(mf_logmatch_message(lm, 0, 14, m2, strlen(m2) - 1), 0);
    assert_int_equal(mf_logmatch_message(lm, 0, 15, m2 + 1, strlen(m2) - 1), 0);
    assert_int_equal(mf_logmatch_count(lm, 0), 3);
    assert_int_equal(mf_logmatch_messages(lm), 6);
    mf_logmatch_free(lm);
    run_free(&r);
    /* no log message at all: not evaluable */
    evaluate(&r, rs, "{}", NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.doc, "not_evaluable")), 1);
    run_free(&r);
    mf_ruleset_free(rs);
}

static void regex_limits_never_hang(void **state)
{
    (void)state;
    /* catastrophic backtracking: the match limit stops it */
    mf_ruleset *rs = load1(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"log\": \"^(a|a?)+$\"}]}");
    assert_int_equal(rs->errors.len, 0);
    assert_null((*(mf_regex **)mf_vec_at(&rs->logs, 0))->literal);
    mf_evidence *ev = mf_evidence_new(A);
    mf_evidence_add_member(ev, "m");
    mf_logmatch *lm = mf_logmatch_new(ev, rs);
    char line[64];
    memset(line, 'a', sizeof line - 2);
    line[sizeof line - 2] = 'b';
    line[sizeof line - 1] = 0;
    assert_int_equal(mf_logmatch_message(lm, 0, 1, line, strlen(line)), 0);
    assert_int_equal(mf_logmatch_message(lm, 0, 2, line, strlen(line)), 0);
    assert_int_equal(mf_logmatch_count(lm, 0), 0);
    assert_int_equal(ev->warnings.len, 1); /* warned once */
    assert_string_equal(((mf_warning *)mf_vec_at(&ev->warnings, 0))->code, "rule-regex-limit");
    mf_logmatch_free(lm);
    mf_evidence_free(ev);
    mf_ruleset_free(rs);

    /* on a fact: a warning in the report, once */
    rs = load1(RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"fact\": \"system.kernel_release\","
                         " \"regex\": \"^(a|a?)+$\"}, {\"fact\": \"system.hostname\", \"regex\": \"^(a|a?)+$\"}]}");
    assert_int_equal(rs->errors.len, 0);
    run r = {0};
    evaluate(&r, rs, "{\"system\": {\"kernel_release\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\","
                     " \"hostname\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"}, \"warnings\": []}", NULL);
    assert_int_equal(ndiags(&r), 0);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(r.doc, "warnings");
    assert_int_equal(cJSON_GetArraySize(w), 1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(w, 0), "code")),
                        "rule-regex-limit");
    run_free(&r);
    mf_ruleset_free(rs);
}

static void literal_prefilter(void **state)
{
    (void)state;
    struct {
        const char *pattern;
        const char *literal; /* NULL: none */
    } cases[] = {
        {"failed to post pci rx buf: -12", "failed to post pci rx buf: -12"},
        {"page allocation failure: order:[2-9]", "page allocation failure: order:"},
        {"ath10k_(pci|ahb) .*firmware ver", "firmware ver"},
        {"oom|OOM", NULL},
        {"(?i)out of memory", NULL},
        {"Killed process \\d+ \\(zebra\\)", "Killed process "},
        {"colou?r map", "r map"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rule[512];
        snprintf(rule, sizeof rule, RULE_HEAD "\"summary\": \"s\", \"conditions\": [{\"log\": \"%s\"}]}",
                 cases[i].pattern);
        /* JSON-escape backslashes */
        char esc[1024];
        size_t k = 0;
        for (const char *p = rule; *p; p++) {
            if (*p == '\\')
                esc[k++] = '\\';
            esc[k++] = *p;
        }
        esc[k] = 0;
        mf_ruleset *rs = load1(esc);
        assert_int_equal(rs->errors.len, 0);
        const mf_regex *re = *(mf_regex **)mf_vec_at(&rs->logs, 0);
        if (!cases[i].literal)
            assert_null(re->literal);
        else
            assert_string_equal(re->literal, cases[i].literal);
        mf_ruleset_free(rs);
    }
}

static void redaction(void **state)
{
    (void)state;
    struct {
        const char *in, *out;
    } cases[] = {
        {"eth0: 192.168.1.10 -> 10.0.0.255", "eth0: <ipv4> -> <ipv4>"},
        {"from fe80::1ff:fe23:4567:890a%eth0 and 2001:db8::1", "from <ipv6>%eth0 and <ipv6>"},
        {"2001:0db8:0000:0000:0000:ff00:0042:8329 up", "<ipv6> up"},
        {"hw 00:1A:2b:3c:4D:5e and 00-1a-2b-3c-4d-5e", "hw <mac> and <mac>"},
        {"[12:34:56] at 10:20:30.123 v5.10.16", "[12:34:56] at 10:20:30.123 v5.10.16"},
        {"user=alice cmd /home/bob/x", "user=<user> cmd /home/<user>/x"},
        {"ssh from db01.example.com ok", "ssh from <host> ok"},
        {"db01 kernel: oom on db01-backup", "<host> kernel: oom on db01-backup"},
        {"net.core.rmem_default kmalloc-4096 slab 0x1.2", "net.core.rmem_default kmalloc-4096 slab 0x1.2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = mf_redact_text(A, cases[i].in, "db01");
        assert_string_equal(r, cases[i].out);
        mf_free(A, r);
    }
    cJSON *doc = cJSON_Parse("{\"system\": {\"hostname\": \"db01\", \"sources\": {\"kernel_release\":"
                             " {\"member\": \"m\", \"line\": 1, \"text\": \"db01 kernel: Linux version x (root@10.1.2.3)\"}}},"
                             " \"diagnoses\": [{\"summary\": \"on db01\", \"remediation\": \"r\","
                             " \"evidence\": [{\"member\": \"m\", \"line\": 2, \"text\": \"mac 00:11:22:33:44:55\"}]}]}");
    assert_int_equal(mf_redact_report(A, doc), 0);
    char *s = cJSON_PrintUnformatted(doc);
    assert_null(strstr(s, "db01"));
    assert_null(strstr(s, "10.1.2.3"));
    assert_null(strstr(s, "00:11:22"));
    assert_non_null(strstr(s, "\"hostname\":\"<host>\""));
    free(s);
    cJSON_Delete(doc);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void load_dir_overrides_by_id(void **state)
{
    (void)state;
    char dir[] = "/tmp/mf-rules-XXXXXX";
    assert_non_null(mkdtemp(dir));
    mf_ruleset *base = NULL;
    assert_int_equal(mf_ruleset_load_default(&base), 0);
    assert_int_equal(mf_ruleset_error_count(base), 0);
    size_t nbase = mf_ruleset_count(base);
    char version[17];
    strcpy(version, mf_ruleset_version(base));
    assert_int_equal(strlen(version), 16);

    write_file(dir, "extra.json",
               "{\"id\": \"zz-extra\", \"title\": \"T\", \"category\": \"c\", \"severity\": \"low\","
               " \"summary\": \"s\", \"remediation\": \"r\", \"conditions\": [{\"fact\": "
               "\"system.kernel_release\", \"exists\": true}]}");
    write_file(dir, "notes.txt", "not a rule");
    mf_ruleset *rs = NULL;
    assert_int_equal(mf_ruleset_load_dir(&rs, dir, base), 0);
    assert_int_equal(mf_ruleset_count(rs), nbase + 1);
    assert_string_not_equal(mf_ruleset_version(rs), version);
    mf_rule_info info;
    assert_int_equal(mf_ruleset_rule_at(rs, mf_ruleset_count(rs) - 1, &info), 0);
    assert_string_equal(info.id, "zz-extra");
    assert_string_equal(info.severity, "low");
    mf_ruleset_free(rs);

    if (nbase > 0) {
        /* a rule with the id of a default rule replaces it */
        assert_int_equal(mf_ruleset_rule_at(base, 0, &info), 0);
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"id\": \"%s\", \"title\": \"Mine\", \"category\": \"c\", \"severity\": \"low\","
                 " \"summary\": \"s\", \"remediation\": \"r\", \"conditions\": [{\"fact\": "
                 "\"system.kernel_release\", \"exists\": true}]}", info.id);
        write_file(dir, "override.json", text);
        assert_int_equal(mf_ruleset_load_dir(&rs, dir, base), 0);
        assert_int_equal(mf_ruleset_count(rs), nbase + 1);
        assert_int_equal(mf_ruleset_rule_at(rs, 0, &info), 0);
        assert_string_equal(info.title, "Mine");
        mf_ruleset_free(rs);
    }

    /* a broken file: MF_ERULES, every problem listed, no rules */
    write_file(dir, "broken.json", "{\"id\": \"b\"}");
    assert_int_equal(mf_ruleset_load_dir(&rs, dir, base), MF_ERULES);
    assert_non_null(rs);
    assert_int_equal(mf_ruleset_count(rs), 0);
    assert_true(mf_ruleset_error_count(rs) >= 5);
    assert_non_null(strstr(mf_ruleset_error_at(rs, 0), "broken.json:1:1: missing"));
    /* an analysis refuses it */
    mf_options o = MF_OPTIONS_INIT;
    o.rules = rs;
    mf_report *rep = NULL;
    assert_int_equal(mf_analyze_buffer(&rep, "x\n", 2, "x", &o), MF_ERULES);
    assert_null(rep);
    assert_non_null(strstr(mf_error_last()->message, "the given rule set is invalid: "));
    mf_ruleset_free(rs);
    mf_ruleset_free(base);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void analysis_uses_the_given_rules(void **state)
{
    (void)state;
    char dir[] = "/tmp/mf-rules-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "oom.json",
               "{\"id\": \"oom-seen\", \"title\": \"OOM killer ran\", \"category\": \"oom\","
               " \"severity\": \"high\", \"summary\": \"{kill.count} kill(s): {kill.text}\","
               " \"remediation\": \"r\", \"conditions\": [{\"log\": \"Killed process \\\\d+\", \"as\": \"kill\"},"
               " {\"fact\": \"system.kernel_release\", \"kernel_version\": \"[5.4,5.11)\"}]}");
    mf_ruleset *rs = NULL;
    assert_int_equal(mf_ruleset_load_dir(&rs, dir, NULL), 0);
    const char *log = "[    0.000000] Linux version 5.10.16 (b@h) (gcc 10) #1 SMP\n"
                      "[   10.000000] Out of memory: Killed process 812 (zebra) total-vm:1kB\n";
    mf_options o = MF_OPTIONS_INIT;
    o.rules = rs;
    mf_report *rep = NULL;
    assert_int_equal(mf_analyze_buffer(&rep, log, strlen(log), "dmesg.txt", &o), 0);
    cJSON *doc = cJSON_Parse(mf_report_render(rep, MF_FORMAT_JSON, NULL));
    const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "diagnoses"), 0);
    assert_non_null(d);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "summary")),
                        "1 kill(s): Out of memory: Killed process 812 (zebra) total-vm:1kB");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(doc, "tool"), "rules_version")),
                        mf_ruleset_version(rs));
    assert_non_null(strstr(mf_report_explain(rep, "oom-seen"), "=> fired"));
    assert_null(mf_report_explain(rep, "no-such-rule"));
    assert_int_equal(mf_report_max_severity(rep), MF_SEVERITY_HIGH);
    cJSON_Delete(doc);
    mf_report_free(rep);
    mf_ruleset_free(rs);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- a shared rule set under allocation failures and in threads ---- */

static const char *OOM_RULES[] = {
    "{\"id\": \"oom-seen\", \"title\": \"OOM killer ran\", \"category\": \"oom\","
    " \"severity\": \"high\", \"summary\": \"{kill.count} kill(s): {kill.text} on {system.kernel_release}\","
    " \"remediation\": \"r\", \"fingerprint_keys\": [\"system.arch\"],"
    " \"conditions\": [{\"log\": \"Killed process \\\\d+\", \"as\": \"kill\"},"
    " {\"fact\": \"system.kernel_release\", \"required\": false, \"kernel_version\": \"[5.4,5.11)\"},"
    " {\"any\": \"input.members[]\", \"where\": [{\"fact\": \"status\", \"eq\": \"parsed\"}]}]}",
    "{\"id\": \"never-seen\", \"title\": \"t\", \"category\": \"c\", \"severity\": \"low\","
    " \"summary\": \"s\", \"remediation\": \"r\", \"collect\": \"x\","
    " \"conditions\": [{\"fact\": \"system.arch\", \"regex\": \"x\"}]}",
};

static const char *OOM_LOG =
    "[    0.000000] Linux version 5.10.16 (b@h) (gcc 10) #1 SMP\n"
    "[   10.000000] Out of memory: Killed process 812 (zebra) total-vm:1kB\n"
    "[   11.000000] Out of memory: Killed process 813 (bgpd) total-vm:1kB\n";

static mf_ruleset *oom_rules(void)
{
    mf_ruleset *rs = mf_ruleset_new_empty();
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(mf_ruleset_add_text(rs, "r.json", OOM_RULES[i], strlen(OOM_RULES[i]), 0), 0);
    assert_int_equal(mf_ruleset_finish(rs), 0);
    if (rs->errors.len)
        fail_msg("%s", *(char **)mf_vec_at(&rs->errors, 0));
    return rs;
}

static void rules_under_allocation_failures(void **state)
{
    (void)state;
    mf_ruleset *rs = oom_rules();
    tu_counting probe = {0, 0, -1};
    mf_allocator a = {tu_counting_calloc, tu_counting_realloc, tu_counting_free, &probe};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &a;
    o.rules = rs;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, OOM_LOG, strlen(OOM_LOG), "dmesg", &o), MF_OK);
    assert_int_equal(mf_report_max_severity(r), MF_SEVERITY_HIGH);
    mf_report_free(r);
    long total = probe.calls;
    for (long budget = 0; budget < total; budget++) {
        tu_counting c = {0, 0, budget};
        a.ctx = &c;
        r = NULL;
        int rc = mf_analyze_buffer(&r, OOM_LOG, strlen(OOM_LOG), "dmesg", &o);
        assert_true(rc == MF_OK || rc == MF_ENOMEM);
        if (r) {
            mf_report_render(r, MF_FORMAT_TEXT, NULL);
            mf_report_explain(r, "oom-seen");
        }
        mf_report_free(r);
        assert_int_equal(c.live, 0);
    }
    mf_ruleset_free(rs);
}

typedef struct job {
    const mf_ruleset *rs;
    const char *expected;
    int mismatches;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    mf_options o = MF_OPTIONS_INIT;
    o.rules = j->rs;
    for (int i = 0; i < 20; i++) {
        mf_report *r = NULL;
        if (mf_analyze_buffer(&r, OOM_LOG, strlen(OOM_LOG), "dmesg", &o) != MF_OK) {
            j->mismatches++;
            continue;
        }
        const char *s = mf_report_render(r, MF_FORMAT_JSON, NULL);
        if (!s || strcmp(s, j->expected) != 0)
            j->mismatches++;
        mf_report_free(r);
    }
    return NULL;
}

static void shared_rules_in_threads(void **state)
{
    (void)state;
    mf_ruleset *rs = oom_rules();
    mf_options o = MF_OPTIONS_INIT;
    o.rules = rs;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, OOM_LOG, strlen(OOM_LOG), "dmesg", &o), MF_OK);
    char *expected = strdup(mf_report_render(r, MF_FORMAT_JSON, NULL));
    assert_non_null(strstr(expected, "2 kill(s): Out of memory: Killed process 812 (zebra)"));
    assert_non_null(strstr(expected, "\"not_evaluable\": [\n    {\n      \"rule_id\": \"never-seen\""));
    mf_report_free(r);
    pthread_t th[6];
    job jobs[6];
    for (int i = 0; i < 6; i++) {
        jobs[i] = (job){rs, expected, 0};
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < 6; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    free(expected);
    mf_ruleset_free(rs);
}

/* The evaluator honours the caller's deadline and cancel flag: it asks
 * before each rule and stops with the code it was given. */
static int stop_after(void *ctx)
{
    int *left = ctx;
    return (*left)-- > 0 ? 0 : MF_ECANCELLED;
}

static void evaluation_stops_when_cancelled(void **state)
{
    (void)state;
    const mf_ruleset *rs = mf_ruleset_default();
    assert_non_null(rs);
    assert_true(mf_ruleset_count(rs) > 3);
    int left = 2; /* two rules, then cancelled */
    mf_evidence *ev = mf_evidence_new(A);
    ev->check = stop_after;
    ev->check_ctx = &left;
    cJSON *doc = doc_from("{\"input\": {\"members\": []}}");
    mf_vec explain;
    mf_vec_init(&explain, A, sizeof(mf_explain));
    assert_int_equal(mf_rules_evaluate(rs, doc, NULL, ev, &explain), MF_ECANCELLED);
    assert_true(explain.len <= 2);
    for (size_t i = 0; i < explain.len; i++) {
        mf_explain *e = mf_vec_at(&explain, i);
        mf_free(A, e->rule_id);
        mf_free(A, e->text);
    }
    mf_vec_free(&explain);
    cJSON_Delete(doc);
    mf_evidence_free(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(evaluation_stops_when_cancelled),
        cmocka_unit_test(kver_parses_vendor_releases),
        cmocka_unit_test(kver_orders_rc_before_final),
        cmocka_unit_test(kver_ranges_fib6_suppress),
        cmocka_unit_test(loader_reports_positions),
        cmocka_unit_test(loader_rejects_mistakes),
        cmocka_unit_test(operators_on_facts),
        cmocka_unit_test(any_binds_the_matching_record),
        cmocka_unit_test(numbers_read_whole_in_texts),
        cmocka_unit_test(map_keys_mixed_types_and_record_places),
        cmocka_unit_test(lists_of_scalars_counts_and_hex),
        cmocka_unit_test(confidence_and_not_evaluable),
        cmocka_unit_test(suppression_by_same_key),
        cmocka_unit_test(each_gives_one_diagnosis_per_record),
        cmocka_unit_test(fingerprint_is_stable),
        cmocka_unit_test(log_conditions_stream),
        cmocka_unit_test(regex_limits_never_hang),
        cmocka_unit_test(literal_prefilter),
        cmocka_unit_test(redaction),
        cmocka_unit_test(load_dir_overrides_by_id),
        cmocka_unit_test(analysis_uses_the_given_rules),
        cmocka_unit_test(rules_under_allocation_failures),
        cmocka_unit_test(shared_rules_in_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
