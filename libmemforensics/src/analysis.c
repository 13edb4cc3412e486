/* analysis.c - the public entry points: one analysis runs the pipeline
 * source → classify → lines → parse → evidence → analyze → rules → report.
 * Everything an analysis owns hangs off its evidence and is freed with it;
 * nothing here is global, so analyses run in parallel threads. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "memforensics.h"
#include "parse/dispatch.h"
#include "report/report.h"
#include "rules/rules.h"
#include "rules/ruleset.h"
#include "source/source.h"

const char *mf_version(void)
{
    return MF_VERSION_STRING;
}

int mf_options_init(mf_options *opts, unsigned int version)
{
    if (!opts)
        return mf_error_set(MF_EINVAL, "options pointer is NULL");
    if (version != MF_OPTIONS_VERSION)
        return mf_error_set(MF_EVERSION, "unknown options version %u", version);
    mf_options init = MF_OPTIONS_INIT;
    *opts = init;
    return MF_OK;
}

typedef struct run {
    const mf_options *opts;
    mf_evidence *ev;
    mf_dispatch *dispatch;
    struct timespec start;
    uint64_t members_done;
    uint64_t bytes_done;
} run;

static int run_check(void *ctx)
{
    run *r = ctx;
    if (r->opts->cancel && r->opts->cancel(r->opts->cancel_ctx))
        return MF_ECANCELLED;
    if (r->opts->timeout_ms) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        uint64_t ms = (uint64_t)(now.tv_sec - r->start.tv_sec) * 1000u +
                      (uint64_t)((now.tv_nsec - r->start.tv_nsec) / 1000000);
        if (ms >= r->opts->timeout_ms)
            return MF_ETIMEOUT;
    }
    return 0;
}

static int run_begin(void *ctx, int32_t index)
{
    run *r = ctx;
    return mf_dispatch_begin(r->dispatch, index);
}

static int run_data(void *ctx, const void *buf, size_t len)
{
    run *r = ctx;
    return mf_dispatch_data(r->dispatch, buf, len);
}

static void run_end(void *ctx, mf_member_status status, const char *error)
{
    run *r = ctx;
    int32_t idx = (int32_t)r->ev->members.len - 1;
    mf_dispatch_end(r->dispatch, status, error);
    r->members_done++;
    const mf_member *m = mf_evidence_member(r->ev, idx);
    r->bytes_done += m ? m->size : 0;
    if (r->opts->progress) {
        mf_progress p = {r->bytes_done, r->members_done, m ? m->path : ""};
        r->opts->progress(&p, r->opts->progress_ctx);
    }
}

typedef enum { SRC_PATH, SRC_BUFFER, SRC_READER } src_kind;

typedef struct src_args {
    src_kind kind;
    const char *path;
    const void *data;
    size_t len;
    mf_read_fn read;
    void *read_ctx;
} src_args;

static const char *error_name(int rc)
{
    switch (rc) {
    case MF_ENOMEM: return "out of memory";
    case MF_ECANCELLED: return "cancelled";
    case MF_ETIMEOUT: return "deadline passed";
    default: return "failed";
    }
}

static int analyze(mf_report **out, const src_args *src, const mf_options *opts)
{
    static const mf_options defaults = MF_OPTIONS_INIT;
    if (!out)
        return mf_error_set(MF_EINVAL, "out pointer is NULL");
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (opts->version != MF_OPTIONS_VERSION)
        return mf_error_set(MF_EVERSION, "unknown options version %u",
                            opts->version);
    const mf_allocator *alloc = opts->allocator ? opts->allocator
                                                : &mf_default_allocator;
    if (!alloc->calloc || !alloc->realloc || !alloc->free)
        return mf_error_set(MF_EINVAL, "allocator lacks a function");

    const mf_ruleset *rules = opts->rules ? opts->rules : mf_ruleset_default();
    if (!rules)
        return mf_error_set(MF_ENOMEM, "out of memory while loading the embedded rules");
    if (mf_ruleset_error_count(rules))
        return mf_error_set(MF_ERULES, "the %s rule set is invalid: %s",
                            opts->rules ? "given" : "embedded",
                            mf_ruleset_error_at(rules, 0));
    bool use_rules = !(opts->flags & MF_OPT_EVIDENCE_ONLY);

    mf_limits limits;
    mf_limits_resolve(&limits, &opts->limits);
    run r;
    memset(&r, 0, sizeof r);
    r.opts = opts;
    clock_gettime(CLOCK_MONOTONIC, &r.start);
    r.ev = mf_evidence_new(alloc);
    if (!r.ev)
        return mf_error_set(MF_ENOMEM, "out of memory");
    r.ev->max_records = limits.max_records;
    r.ev->max_record_bytes = limits.max_record_bytes;
    r.dispatch = mf_dispatch_new(r.ev, limits.max_line_bytes);
    if (!r.dispatch) {
        mf_evidence_free(r.ev);
        return mf_error_set(MF_ENOMEM, "out of memory");
    }
    mf_logmatch *lm = NULL;
    if (use_rules && rules->logs.len) {
        lm = mf_logmatch_new(r.ev, rules);
        if (!lm) {
            mf_dispatch_free(r.dispatch);
            mf_evidence_free(r.ev);
            return mf_error_set(MF_ENOMEM, "out of memory");
        }
        mf_dispatch_set_logmatch(r.dispatch, lm);
    }
    mf_source_sink sink = {run_begin, run_data, run_end, run_check, &r};
    int rc;
    switch (src->kind) {
    case SRC_PATH:
        rc = mf_source_path(r.ev, src->path, &limits, &sink);
        break;
    case SRC_BUFFER:
        rc = mf_source_buffer(r.ev, src->data, src->len, src->path, &limits,
                              &sink);
        break;
    default:
        rc = mf_source_reader(r.ev, src->read, src->read_ctx, src->path,
                              &limits, &sink);
        break;
    }
    mf_dispatch_free(r.dispatch);
    const char *name = r.ev->input_path ? r.ev->input_path : "-";
    if (rc < 0 && rc != MF_EINPUT) {
        mf_error_set(rc, "%s: analysis %s", name, error_name(rc));
        mf_logmatch_free(lm);
        mf_evidence_free(r.ev);
        return rc;
    }
    r.ev->check = run_check; /* the deadline and cancel flag hold after the source too */
    r.ev->check_ctx = &r;
    int arc = mf_analyze_evidence(r.ev);
    if (arc < 0) {
        mf_error_set(arc, "%s: analysis %s", name, error_name(arc));
        mf_logmatch_free(lm);
        mf_evidence_free(r.ev);
        return arc;
    }
    cJSON *doc = mf_report_build(r.ev, opts->flags, mf_ruleset_version(rules));
    mf_vec explain;
    mf_vec_init(&explain, alloc, sizeof(mf_explain));
    int bad = !doc;
    int stop = 0;
    if (!bad && use_rules) {
        int erc = mf_rules_evaluate(rules, doc, lm, r.ev, &explain);
        bad = erc < 0;
        stop = erc == MF_ETIMEOUT || erc == MF_ECANCELLED ? erc : 0;
    }
    if (!bad && (opts->flags & MF_OPT_REDACT)) {
        /* explanations quote values too */
        const char *host = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(doc, "system"), "hostname"));
        for (size_t i = 0; !bad && i < explain.len; i++) {
            mf_explain *e = mf_vec_at(&explain, i);
            char *t = mf_redact_text(alloc, e->text, host);
            bad = !t;
            if (t) {
                mf_free(alloc, e->text);
                e->text = t;
            }
        }
        bad = bad || mf_redact_report(alloc, doc) < 0;
    }
    mf_logmatch_free(lm);
    mf_report *report = bad ? NULL : mf_report_new(alloc, doc);
    if (!report) {
        if (stop)
            mf_error_set(stop, "%s: analysis %s", name, error_name(stop));
        else
            mf_error_set(MF_ENOMEM, "%s: out of memory", name);
        cJSON_Delete(doc);
        mf_report_free_explain(alloc, &explain);
        mf_evidence_free(r.ev);
        return stop ? stop : MF_ENOMEM;
    }
    mf_report_take_explain(report, &explain);
    if (rc == MF_EINPUT)
        mf_error_set(MF_EINPUT, "%s: %s", name,
                     r.ev->input_error ? r.ev->input_error : "unreadable");
    mf_evidence_free(r.ev);
    *out = report;
    return rc;
}

int mf_analyze_path(mf_report **out, const char *path, const mf_options *opts)
{
    if (!path)
        return mf_error_set(MF_EINVAL, "path is NULL");
    src_args s = {SRC_PATH, path, NULL, 0, NULL, NULL};
    return analyze(out, &s, opts);
}

int mf_analyze_buffer(mf_report **out, const void *data, size_t len,
                      const char *name, const mf_options *opts)
{
    if (!data && len)
        return mf_error_set(MF_EINVAL, "buffer is NULL");
    src_args s = {SRC_BUFFER, name, data, len, NULL, NULL};
    return analyze(out, &s, opts);
}

int mf_analyze_reader(mf_report **out, mf_read_fn read, void *read_ctx,
                      const char *name, const mf_options *opts)
{
    if (!read)
        return mf_error_set(MF_EINVAL, "read callback is NULL");
    src_args s = {SRC_READER, name, NULL, 0, read, read_ctx};
    return analyze(out, &s, opts);
}
