/* Public API contract: options versions, caller allocators (counted and
 * failing), cancel, deadline, progress, read callbacks, errors, and
 * parallel analyses in threads. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "testutil.h"

static void options_versions(void **state)
{
    (void)state;
    mf_options o;
    assert_int_equal(mf_options_init(&o, MF_OPTIONS_VERSION), MF_OK);
    assert_int_equal(o.version, MF_OPTIONS_VERSION);
    assert_null(o.allocator);
    assert_int_equal(mf_options_init(&o, 999), MF_EVERSION);
    o.version = 999;
    mf_report *r = (mf_report *)1;
    assert_int_equal(mf_analyze_buffer(&r, "x", 1, "x", &o), MF_EVERSION);
    assert_null(r);
    assert_non_null(mf_error_last());
    assert_int_equal(mf_error_last()->code, MF_EVERSION);
    assert_int_equal(mf_analyze_path(NULL, "x", NULL), MF_EINVAL);
    assert_int_equal(mf_analyze_reader(&r, NULL, NULL, "x", NULL), MF_EINVAL);
    mf_report_free(NULL); /* accepts NULL */
    assert_string_equal(mf_version(), MF_VERSION_STRING);
}

static void unreadable_path_still_reports(void **state)
{
    (void)state;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_path(&r, "/nonexistent/dmesg", NULL), MF_EINPUT);
    assert_non_null(r);
    assert_non_null(strstr(mf_error_last()->message, "/nonexistent/dmesg"));
    cJSON *doc = cJSON_Parse(mf_report_render(r, MF_FORMAT_JSON_LINE, NULL));
    assert_false(cJSON_IsTrue(tu_get(doc, "input.complete")));
    assert_non_null(tu_str(doc, "input.error"));
    cJSON_Delete(doc);
    mf_report_free(r);
}

/* An allocator that counts, and fails after `budget` allocations. */
typedef struct counting {
    long live;
    long calls;
    long budget; /* -1: never fail */
} counting;

static void *c_calloc(size_t n, size_t s, void *ctx)
{
    counting *c = ctx;
    if (c->budget >= 0 && c->calls >= c->budget)
        return NULL;
    c->calls++;
    void *p = calloc(n, s);
    if (p)
        c->live++;
    return p;
}

static void *c_realloc(void *p, size_t s, void *ctx)
{
    counting *c = ctx;
    if (c->budget >= 0 && c->calls >= c->budget)
        return NULL;
    c->calls++;
    void *q = realloc(p, s);
    if (q && !p)
        c->live++;
    return q;
}

static void c_free(void *p, void *ctx)
{
    counting *c = ctx;
    if (p)
        c->live--;
    free(p);
}

static void caller_allocator_is_used_and_balanced(void **state)
{
    (void)state;
    counting c = {0, 0, -1};
    mf_allocator a = {c_calloc, c_realloc, c_free, &c};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &a;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, tu_dmesg, strlen(tu_dmesg), "dmesg", &o), MF_OK);
    assert_true(c.calls > 0);
    assert_non_null(mf_report_render(r, MF_FORMAT_TEXT, NULL));
    mf_report_free(r);
    assert_int_equal(c.live, 0);
}

static void allocation_failures_never_crash(void **state)
{
    (void)state;
    counting probe = {0, 0, -1};
    mf_allocator a = {c_calloc, c_realloc, c_free, &probe};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &a;
    mf_report *r = NULL;
    mf_analyze_buffer(&r, tu_dmesg, strlen(tu_dmesg), "dmesg", &o);
    const char *s = mf_report_render(r, MF_FORMAT_JSON, NULL);
    assert_non_null(s);
    mf_report_free(r);
    long total = probe.calls;
    for (long budget = 0; budget < total; budget++) {
        counting c = {0, 0, budget};
        a.ctx = &c;
        r = NULL;
        int rc = mf_analyze_buffer(&r, tu_dmesg, strlen(tu_dmesg), "dmesg", &o);
        assert_true(rc == MF_OK || rc == MF_ENOMEM);
        if (rc == MF_ENOMEM)
            assert_null(r);
        if (r)
            mf_report_render(r, MF_FORMAT_JSON, NULL); /* may fail: NULL */
        mf_report_free(r);
        assert_int_equal(c.live, 0);
    }
}

static int cancel_now(void *ctx)
{
    (*(int *)ctx)++;
    return 1;
}

static void cancel_stops(void **state)
{
    (void)state;
    int calls = 0;
    mf_options o = MF_OPTIONS_INIT;
    o.cancel = cancel_now;
    o.cancel_ctx = &calls;
    mf_report *r = (mf_report *)1;
    assert_int_equal(mf_analyze_buffer(&r, tu_dmesg, strlen(tu_dmesg), "d", &o), MF_ECANCELLED);
    assert_null(r);
    assert_true(calls >= 1);
    assert_int_equal(mf_error_last()->code, MF_ECANCELLED);
}

typedef struct slow_reader {
    const char *data;
    size_t len, pos;
    size_t chunk;
    long sleep_ns;
} slow_reader;

static int slow_read(void *ctx, void *buf, size_t cap, size_t *out)
{
    slow_reader *s = ctx;
    size_t n = s->len - s->pos;
    if (n > s->chunk)
        n = s->chunk;
    if (n > cap)
        n = cap;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    *out = n;
    if (s->sleep_ns) {
        struct timespec ts = {0, s->sleep_ns};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static void deadline_stops(void **state)
{
    (void)state;
    slow_reader s = {tu_dmesg, strlen(tu_dmesg), 0, 1, 2000000};
    mf_options o = MF_OPTIONS_INIT;
    o.timeout_ms = 20;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_reader(&r, slow_read, &s, "slow", &o), MF_ETIMEOUT);
    assert_null(r);
}

static void reader_in_tiny_chunks_equals_buffer(void **state)
{
    (void)state;
    mf_report *a = NULL, *b = NULL;
    slow_reader s = {tu_dmesg, strlen(tu_dmesg), 0, 7, 0};
    assert_int_equal(mf_analyze_reader(&b, slow_read, &s, "dmesg", NULL), MF_OK);
    assert_int_equal(mf_analyze_buffer(&a, tu_dmesg, strlen(tu_dmesg), "dmesg", NULL), MF_OK);
    assert_string_equal(mf_report_render(a, MF_FORMAT_JSON, NULL),
                        mf_report_render(b, MF_FORMAT_JSON, NULL));
    mf_report_free(a);
    mf_report_free(b);
}

static int failing_read(void *ctx, void *buf, size_t cap, size_t *out)
{
    (void)ctx, (void)buf, (void)cap, (void)out;
    return -1;
}

static void failing_reader_is_unreadable_input(void **state)
{
    (void)state;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_reader(&r, failing_read, NULL, "pipe", NULL), MF_EINPUT);
    assert_non_null(r);
    mf_report_free(r);
}

typedef struct progress_log {
    uint64_t calls;
    uint64_t last_done;
    char last_member[64];
} progress_log;

static void on_progress(const mf_progress *p, void *ctx)
{
    progress_log *l = ctx;
    l->calls++;
    assert_int_equal(p->members_done, l->last_done + 1);
    l->last_done = p->members_done;
    snprintf(l->last_member, sizeof l->last_member, "%s", p->member);
}

static void progress_per_member(void **state)
{
    (void)state;
    tu_archive t;
    tu_archive_begin(&t, "ustar", NULL);
    tu_archive_add(&t, "a/dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_add(&t, "a/meminfo", AE_IFREG, "MemTotal: 1024 kB\nMemFree: 10 kB\n", 34);
    tu_archive_add(&t, "a/notes.txt", AE_IFREG, "hello\n", 6);
    tu_archive_end(&t);
    progress_log l = {0, 0, ""};
    mf_options o = MF_OPTIONS_INIT;
    o.progress = on_progress;
    o.progress_ctx = &l;
    int rc;
    cJSON *doc = tu_analyze_buffer(t.data, t.used, "a.tar", &o, &rc);
    assert_int_equal(rc, MF_OK);
    assert_int_equal(l.calls, 3);
    assert_string_equal(l.last_member, "a/notes.txt");
    assert_string_equal(tu_str(doc, "input.members.1.kind"), "meminfo");
    assert_string_equal(tu_str(doc, "input.members.1.status"), "parsed");
    assert_string_equal(tu_str(doc, "input.members.2.status"), "unrecognised");
    cJSON_Delete(doc);
    free(t.data);
}

static void text_render_leads_with_diagnoses(void **state)
{
    (void)state;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, tu_dmesg, strlen(tu_dmesg), "dmesg", NULL), MF_OK);
    const char *t = mf_report_render(r, MF_FORMAT_TEXT, NULL);
    /* diagnoses first; the rules a bare dmesg cannot evaluate follow them */
    assert_non_null(strstr(t, "diagnoses: none\nnot evaluable: "));
    assert_non_null(strstr(t, "\nkernel: 5.4.164-1-default (arm64)\n"));
    assert_null(mf_report_render(r, (mf_format)42, NULL));
    assert_int_equal(mf_report_max_severity(r), MF_SEVERITY_NONE);
    mf_report_free(r);
    assert_int_equal(mf_severity_from_name("high"), MF_SEVERITY_HIGH);
    assert_int_equal(mf_severity_from_name("HIGH"), MF_SEVERITY_NONE);
}

/* ---- threads ---- */

typedef struct job {
    const char *expected;
    int mismatches;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 25; i++) {
        mf_report *r = NULL;
        if (mf_analyze_buffer(&r, tu_dmesg, strlen(tu_dmesg), "dmesg", NULL) != MF_OK) {
            j->mismatches++;
            continue;
        }
        const char *s = mf_report_render(r, MF_FORMAT_JSON, NULL);
        if (!s || strcmp(s, j->expected) != 0)
            j->mismatches++;
        mf_report_free(r);
        /* errors are per thread */
        mf_error_clear();
    }
    return NULL;
}

static void parallel_analyses(void **state)
{
    (void)state;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_buffer(&r, tu_dmesg, strlen(tu_dmesg), "dmesg", NULL), MF_OK);
    char *expected = strdup(mf_report_render(r, MF_FORMAT_JSON, NULL));
    mf_report_free(r);
    pthread_t th[8];
    job jobs[8];
    for (int i = 0; i < 8; i++) {
        jobs[i].expected = expected;
        jobs[i].mismatches = 0;
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    free(expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_versions),
        cmocka_unit_test(unreadable_path_still_reports),
        cmocka_unit_test(caller_allocator_is_used_and_balanced),
        cmocka_unit_test(allocation_failures_never_crash),
        cmocka_unit_test(cancel_stops),
        cmocka_unit_test(deadline_stops),
        cmocka_unit_test(reader_in_tiny_chunks_equals_buffer),
        cmocka_unit_test(failing_reader_is_unreadable_input),
        cmocka_unit_test(progress_per_member),
        cmocka_unit_test(text_render_leads_with_diagnoses),
        cmocka_unit_test(parallel_analyses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
