/* report.c - the public report object and its renderings. */
#include <string.h>

#include "memforensics.h"
#include "report/report.h"
#include "rules/rules.h"

struct mf_report {
    const mf_allocator *alloc;
    cJSON *doc;
    char *rendered; /* the last rendering */
    mf_vec problems; /* char *: members not read whole */
    mf_vec explain;  /* mf_explain: one per rule */
};

void mf_report_free_explain(const mf_allocator *a, mf_vec *explain)
{
    for (size_t i = 0; i < explain->len; i++) {
        mf_explain *e = mf_vec_at(explain, i);
        mf_free(a, e->rule_id);
        mf_free(a, e->text);
    }
    mf_vec_free(explain);
}

void mf_report_take_explain(mf_report *r, mf_vec *explain)
{
    mf_report_free_explain(r->alloc, &r->explain);
    r->explain = *explain;
    mf_vec_init(explain, r->alloc, sizeof(mf_explain));
}

const char *mf_report_explain(const mf_report *r, const char *rule_id)
{
    for (size_t i = 0; r && rule_id && i < r->explain.len; i++) {
        const mf_explain *e = mf_vec_at(&r->explain, i);
        if (strcmp(e->rule_id, rule_id) == 0)
            return e->text;
    }
    return NULL;
}

static void collect_problems(mf_report *r)
{
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r->doc, "input"), "members");
    const cJSON *m;
    cJSON_ArrayForEach(m, members)
    {
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "status"));
        const char *err = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "error"));
        const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "path"));
        if (!st || !path || !err)
            continue;
        mf_buf b;
        mf_buf_init(&b, r->alloc);
        mf_buf_printf(&b, "%s: %s: %s", path, st, err);
        char **slot = b.failed ? NULL : mf_vec_push(&r->problems);
        if (!slot) {
            mf_buf_free(&b);
            continue;
        }
        *slot = mf_buf_detach(&b);
    }
}

mf_report *mf_report_new(const mf_allocator *a, cJSON *doc)
{
    mf_report *r = mf_calloc(a, 1, sizeof *r);
    if (!r)
        return NULL;
    r->alloc = a;
    r->doc = doc;
    mf_vec_init(&r->problems, a, sizeof(char *));
    mf_vec_init(&r->explain, a, sizeof(mf_explain));
    collect_problems(r);
    return r;
}

size_t mf_report_problem_count(const mf_report *r)
{
    return r ? r->problems.len : 0;
}

const char *mf_report_problem_at(const mf_report *r, size_t i)
{
    char **p = r ? mf_vec_at(&r->problems, i) : NULL;
    return p ? *p : NULL;
}

static void drop_rendering(mf_report *r)
{
    mf_free(r->alloc, r->rendered);
    r->rendered = NULL;
}

void mf_report_free(mf_report *r)
{
    if (!r)
        return;
    drop_rendering(r);
    for (size_t i = 0; i < r->problems.len; i++)
        mf_free(r->alloc, *(char **)mf_vec_at(&r->problems, i));
    mf_vec_free(&r->problems);
    mf_report_free_explain(r->alloc, &r->explain);
    cJSON_Delete(r->doc);
    mf_free(r->alloc, r);
}

const char *mf_report_render(mf_report *r, mf_format format, size_t *out_len)
{
    if (!r) {
        mf_error_set(MF_EINVAL, "no report to render");
        return NULL;
    }
    drop_rendering(r);
    switch (format) {
    case MF_FORMAT_JSON:
        r->rendered = mf_json_print(r->alloc, r->doc, 1);
        break;
    case MF_FORMAT_JSON_LINE:
        r->rendered = mf_json_print(r->alloc, r->doc, 0);
        break;
    case MF_FORMAT_TEXT:
        r->rendered = mf_report_text(r->alloc, r->doc);
        break;
    default:
        mf_error_set(MF_EINVAL, "unknown report format %d", (int)format);
        return NULL;
    }
    if (!r->rendered) {
        mf_error_set(MF_ENOMEM, "out of memory while rendering the report");
        return NULL;
    }
    if (out_len)
        *out_len = strlen(r->rendered);
    return r->rendered;
}

static const char *const severity_names[] = {"none", "info",  "low",
                                             "medium", "high", "critical"};

mf_severity mf_severity_from_name(const char *name)
{
    if (!name)
        return MF_SEVERITY_NONE;
    for (int i = 1; i <= MF_SEVERITY_CRITICAL; i++)
        if (strcmp(name, severity_names[i]) == 0)
            return (mf_severity)i;
    return MF_SEVERITY_NONE;
}

mf_severity mf_report_max_severity(const mf_report *r)
{
    mf_severity max = MF_SEVERITY_NONE;
    const cJSON *diags = r ? cJSON_GetObjectItemCaseSensitive(r->doc, "diagnoses") : NULL;
    const cJSON *d;
    cJSON_ArrayForEach(d, diags)
    {
        const cJSON *sev = cJSON_GetObjectItemCaseSensitive(d, "severity");
        mf_severity s = mf_severity_from_name(cJSON_GetStringValue(sev));
        if (s > max)
            max = s;
    }
    return max;
}
