/* eval.c - rules over one report: diagnoses, not_evaluable, explanations.
 *
 * Facts are the report's own paths, so a rule is evaluated over the report
 * document itself (plus what the log matcher collected). Each condition is
 * true, false or absent (its fact is not in the report, or is null). A
 * required condition that is false decides the rule; one that is absent
 * makes the rule not evaluable; supporting conditions give the confidence
 * (satisfied share of their weights), capped by the rule and, for vendor
 * kernels, by a kernel_version condition's vendor_cap. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/netcfg.h"
#include "report/report.h"
#include "rules/rules.h"

typedef enum { R_FALSE = 0, R_TRUE = 1, R_ABSENT = 2 } tri;

typedef struct bind {
    const char *name;
    mf_cond_kind kind;
    const cJSON *record;    /* ANY: the first matching record */
    size_t count;           /* matching records / messages */
    size_t log_index;
} bind;

#define MAX_BINDS 16

typedef struct evalctx {
    const mf_ruleset *rs;
    const cJSON *doc;
    const mf_logmatch *lm;
    mf_evidence *ev;
    const mf_allocator *a;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    bind binds[MAX_BINDS];
    size_t nbinds;
    double cap;            /* vendor caps met during this rule */
    const char *cap_why;
    mf_buf *explain;
    int oom;
    int limit_warned;
    /* "each": this condition sees only this record */
    const mf_cond *pin_cond;
    const cJSON *pin_record;
} evalctx;

/* ------------------------------------------------------------------ */
/* Lookup                                                              */

/* Find `path` (dots; a trailing [] names the list itself; map keys may
 * contain dots) under `base`. */
static const cJSON *lookup2(const cJSON *base, const char *path, const cJSON **parent);

static const cJSON *lookup(const cJSON *base, const char *path)
{
    return lookup2(base, path, NULL);
}

/* As lookup(), and the object that holds the value. */
static const cJSON *lookup2(const cJSON *base, const char *path, const cJSON **parent)
{
    const cJSON *cur = base;
    const char *s = path;
    while (cur && *s) {
        if (!cJSON_IsObject(cur))
            return NULL;
        /* longest key first: "net.core.rmem_default" */
        const char *end = s + strlen(s);
        const cJSON *next = NULL;
        const char *after = NULL;
        for (const char *e = end; e > s;) {
            size_t n = (size_t)(e - s);
            if (n >= 2 && s[n - 2] == '[' && s[n - 1] == ']')
                n -= 2;
            const cJSON *child;
            for (child = cur->child; child; child = child->next)
                if (child->string && strlen(child->string) == n &&
                    memcmp(child->string, s, n) == 0)
                    break;
            if (child) {
                next = child;
                after = e;
                break;
            }
            /* back to the previous dot */
            const char *d = e - 1;
            while (d > s && *d != '.')
                d--;
            if (d == s)
                break;
            e = d;
        }
        if (!next)
            return NULL;
        if (parent)
            *parent = cur;
        cur = next;
        s = *after == '.' ? after + 1 : after;
    }
    return cur;
}

static const bind *find_bind(const evalctx *c, const char *name, size_t n)
{
    for (size_t i = c->nbinds; i-- > 0;)
        if (strlen(c->binds[i].name) == n && memcmp(c->binds[i].name, name, n) == 0)
            return &c->binds[i];
    return NULL;
}

/* A reference as a JSON value; *tmp receives a value the caller deletes. */
static const cJSON *resolve(const evalctx *c, const char *ref, size_t n, cJSON **tmp)
{
    char buf[256];
    *tmp = NULL;
    if (n >= sizeof buf)
        return NULL;
    memcpy(buf, ref, n);
    buf[n] = '\0';
    const char *dot = strchr(buf, '.');
    const bind *b = dot ? find_bind(c, buf, (size_t)(dot - buf)) : NULL;
    if (!b)
        return lookup(c->doc, buf);
    const char *field = dot + 1;
    if (strcmp(field, "count") == 0 && (b->kind == MF_COND_LOG || !b->record ||
                                        !cJSON_GetObjectItemCaseSensitive(b->record, "count"))) {
        *tmp = cJSON_CreateNumber((double)b->count);
        return *tmp;
    }
    if (b->kind == MF_COND_ANY)
        return b->record ? lookup(b->record, field) : NULL;
    const mf_loghit *hits;
    size_t nh = mf_logmatch_hits(c->lm, b->log_index, &hits);
    if (nh == 0)
        return NULL;
    const mf_member *m = mf_vec_at(&c->ev->members, hits[0].member);
    if (strcmp(field, "text") == 0)
        *tmp = cJSON_CreateString(hits[0].text);
    else if (strcmp(field, "member") == 0)
        *tmp = cJSON_CreateString(m && m->path ? m->path : "");
    else if (strcmp(field, "line") == 0)
        *tmp = cJSON_CreateNumber((double)hits[0].line);
    return *tmp;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static void put_json_string(mf_buf *b, const char *s)
{
    mf_buf_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            mf_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            mf_buf_printf(b, "\\u%04x", *p);
        else
            mf_buf_append(b, p, 1);
    }
    mf_buf_append(b, "\"", 1);
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

int mf_json_canonical(mf_buf *b, const cJSON *v)
{
    if (!v || cJSON_IsNull(v)) {
        mf_buf_puts(b, "null");
    } else if (cJSON_IsBool(v)) {
        mf_buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNumber(v)) {
        mf_json_put_number(b, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        put_json_string(b, v->valuestring);
    } else if (cJSON_IsArray(v)) {
        mf_buf_puts(b, "[");
        for (const cJSON *e = v->child; e; e = e->next) {
            mf_json_canonical(b, e);
            if (e->next)
                mf_buf_puts(b, ",");
        }
        mf_buf_puts(b, "]");
    } else if (cJSON_IsObject(v)) {
        size_t n = 0;
        for (const cJSON *e = v->child; e; e = e->next)
            n++;
        const cJSON **keys = n ? mf_calloc(b->alloc, n, sizeof *keys) : NULL;
        if (n && !keys) {
            b->failed = true;
            return -1;
        }
        n = 0;
        for (const cJSON *e = v->child; e; e = e->next)
            keys[n++] = e;
        if (n)
            qsort(keys, n, sizeof *keys, key_cmp);
        mf_buf_puts(b, "{");
        for (size_t i = 0; i < n; i++) {
            put_json_string(b, keys[i]->string);
            mf_buf_puts(b, ":");
            mf_json_canonical(b, keys[i]);
            if (i + 1 < n)
                mf_buf_puts(b, ",");
        }
        mf_buf_puts(b, "}");
        mf_free(b->alloc, keys);
    }
    return b->failed ? -1 : 0;
}

/* A short rendering of a value for explanations. */
static void put_short(mf_buf *b, const cJSON *v)
{
    mf_buf tmp;
    mf_buf_init(&tmp, b->alloc);
    mf_json_canonical(&tmp, v);
    if (tmp.data) {
        if (tmp.len > 100)
            mf_buf_printf(b, "%.97s...", tmp.data);
        else
            mf_buf_puts(b, tmp.data);
    }
    mf_buf_free(&tmp);
}

static int scalar_eq(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return fabs(a->valuedouble - b->valuedouble) < 1e-9;
    if (cJSON_IsBool(a) && cJSON_IsBool(b))
        return cJSON_IsTrue(a) == cJSON_IsTrue(b);
    return cJSON_IsNull(a) && cJSON_IsNull(b);
}

static int in_list(const cJSON *v, const cJSON *list)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, list) if (scalar_eq(v, e)) return 1;
    return 0;
}

/* Human size: 1536 → "1.5 KiB". */
static void put_size(mf_buf *b, double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    double v = bytes;
    while (fabs(v) >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0 || fabs(v) >= 100)
        mf_buf_printf(b, "%.0f %s", v, units[u]);
    else
        mf_buf_printf(b, "%.1f %s", v, units[u]);
}

/* A number for a reader: four significant digits, the integer part
 * whole (-47121.0104 kB/h as -47121, 20.6321 h as 20.63, 0.9967 as is);
 * integers as they are. The JSON report keeps the full value. */
static void put_number(mf_buf *b, double v)
{
    double a = fabs(v);
    if (!isfinite(v) || v == floor(v) || a < 1) {
        mf_json_put_number(b, v);
        return;
    }
    int decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    size_t n = strlen(tmp);
    if (decimals) {
        while (n > 0 && tmp[n - 1] == '0')
            n--;
        if (n > 0 && tmp[n - 1] == '.')
            n--;
    }
    mf_buf_append(b, tmp, n);
}

/* `filter` is what follows the reference: "bytes", "kb", "or:TEXT",
 * "kb|or:TEXT"... (checked when the rule was loaded). */
static void put_value(mf_buf *b, const cJSON *v, const char *filter)
{
    const char *alt = filter ? strstr(filter, "or:") : NULL;
    if (alt && alt != filter && alt[-1] != '|')
        alt = NULL;
    if (!v || cJSON_IsNull(v)) {
        if (alt)
            mf_buf_puts(b, alt + 3);
        else
            mf_buf_puts(b, "unknown");
    } else if (cJSON_IsString(v)) {
        mf_buf_puts(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        if (filter && strncmp(filter, "bytes", 5) == 0 && (!filter[5] || filter[5] == '|'))
            put_size(b, v->valuedouble);
        else if (filter && strncmp(filter, "kb", 2) == 0 && (!filter[2] || filter[2] == '|'))
            put_size(b, v->valuedouble * 1024);
        else
            put_number(b, v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        mf_buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        mf_buf_printf(b, "%d", cJSON_GetArraySize(v));
    }
}

/* Expand {ref} and {ref|filter}; {{ and }} are braces. */
static char *render(evalctx *c, const char *tpl)
{
    mf_buf b;
    mf_buf_init(&b, c->a);
    mf_buf_puts(&b, "");
    for (const char *p = tpl; p && *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            mf_buf_append(&b, p, 1);
            p++;
            continue;
        }
        if (*p != '{') {
            mf_buf_append(&b, p, 1);
            continue;
        }
        const char *end = strchr(p, '}');
        if (!end)
            break;
        const char *ref = p + 1;
        size_t n = (size_t)(end - ref);
        const char *bar = memchr(ref, '|', n);
        char filter[96] = "";
        if (bar) {
            snprintf(filter, sizeof filter, "%.*s", (int)(n - (size_t)(bar - ref) - 1), bar + 1);
            n = (size_t)(bar - ref);
        }
        cJSON *tmp;
        const cJSON *v = resolve(c, ref, n, &tmp);
        put_value(&b, v, filter[0] ? filter : NULL);
        cJSON_Delete(tmp);
        p = end;
    }
    if (b.failed) {
        mf_buf_free(&b);
        c->oom = 1;
        return NULL;
    }
    return mf_buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

/* The report's warnings are already built when rules run: a warning of
 * the evaluation goes straight into the document, once per analysis. */
static void doc_warn(evalctx *c, const char *code, const char *msg)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive((cJSON *)c->doc, "warnings");
    cJSON *o = arr ? cJSON_CreateObject() : NULL;
    if (!o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return;
    }
    cJSON_AddNullToObject(o, "member");
    cJSON_AddNullToObject(o, "line");
    mf_json_add_str(c->a, o, "code", code);
    mf_json_add_str(c->a, o, "message", msg);
}

static int regex_run(evalctx *c, const mf_regex *re, const char *s)
{
    int m = mf_regex_match(re, c->md, c->mc, s, strlen(s));
    if (m < 0) {
        if (!c->limit_warned) {
            char msg[200];
            snprintf(msg, sizeof msg, "pattern /%.80s/ hit the PCRE2 match limit on a fact value; "
                     "it counts as no match", re->pattern);
            doc_warn(c, "rule-regex-limit", msg);
            c->limit_warned = 1;
        }
        return 0;
    }
    return m;
}

/* Evaluate a fact condition on `base`; `why` gets a short reason. */
/* A string that is a whole number, decimal or 0x hex ("0x06000000"). */
static int string_number(const char *s, double *out)
{
    char *end;
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    double v;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        v = (double)strtoull(s + 2, &end, 16);
    else
        v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || end == s)
        return 0;
    *out = v;
    return 1;
}

static tri eval_fact(evalctx *c, const mf_cond *cd, const cJSON *base, mf_buf *why)
{
    const cJSON *v = strcmp(cd->path, ".") == 0 ? base : lookup(base, cd->path);
    if (!v || cJSON_IsNull(v)) {
        if (cd->has_exists) {
            mf_buf_puts(why, "absent");
            return cd->exists ? R_FALSE : R_TRUE;
        }
        mf_buf_puts(why, "absent from the report");
        return R_ABSENT;
    }
    int ok = 1;
    mf_buf_puts(why, "value ");
    put_short(why, v);
    if (cd->has_exists && !cd->exists)
        ok = 0;
    if (ok && cd->eq && !scalar_eq(v, cd->eq))
        ok = 0;
    if (ok && cd->ne && scalar_eq(v, cd->ne))
        ok = 0;
    if (ok && cd->in && !in_list(v, cd->in))
        ok = 0;
    if (ok && cd->not_in && in_list(v, cd->not_in))
        ok = 0;
    if (ok && (cd->has_lt || cd->has_le || cd->has_gt || cd->has_ge)) {
        double x;
        if (cJSON_IsNumber(v))
            x = v->valuedouble;
        else if (cJSON_IsArray(v) || cJSON_IsObject(v))
            x = cJSON_GetArraySize(v);
        else if (!cJSON_IsString(v) || !string_number(v->valuestring, &x))
            x = NAN;
        if (isnan(x) || (cd->has_lt && !(x < cd->lt)) || (cd->has_le && !(x <= cd->le)) ||
            (cd->has_gt && !(x > cd->gt)) || (cd->has_ge && !(x >= cd->ge)))
            ok = 0;
    }
    if (ok && cd->regex)
        ok = cJSON_IsString(v) && regex_run(c, cd->regex, v->valuestring);
    if (ok && cd->kranges) {
        mf_kver k;
        if (!cJSON_IsString(v) || mf_kver_parse(v->valuestring, &k) < 0) {
            mf_buf_puts(why, " (not a kernel release)");
            ok = 0;
        } else {
            ok = 0;
            for (size_t i = 0; i < cd->nkranges && !ok; i++)
                ok = mf_kver_in_range(&k, &cd->kranges[i]);
            mf_buf_printf(why, " (upstream %ld.%ld.%ld%s", k.major, k.minor, k.patch,
                          k.rc ? "-rc" : "");
            if (k.rc)
                mf_buf_printf(why, "%ld", k.rc);
            if (k.vendor)
                mf_buf_printf(why, ", vendor suffix '%s': backports unknown",
                              v->valuestring + k.len);
            mf_buf_puts(why, ")");
            if (k.vendor && cd->vendor_cap > 0 && ((ok && !cd->negate) || (!ok && cd->negate)) &&
                cd->vendor_cap < c->cap) {
                c->cap = cd->vendor_cap;
                c->cap_why = "vendor kernel";
            }
        }
    }
    tri r = ok ? R_TRUE : R_FALSE;
    if (cd->negate)
        r = r == R_TRUE ? R_FALSE : R_TRUE;
    return r;
}

static tri eval_cond(evalctx *c, const mf_cond *cd, const cJSON *base, mf_buf *why, int depth);

/* ANY: some record satisfies all of `where`. */
static tri eval_any(evalctx *c, const mf_cond *cd, const cJSON *base, mf_buf *why, int depth)
{
    const cJSON *list = lookup(base, cd->path);
    if (!list || !cJSON_IsArray(list)) {
        mf_buf_puts(why, "list absent from the report");
        return R_ABSENT;
    }
    size_t bi = c->nbinds;
    if (bi < MAX_BINDS) {
        c->binds[bi] = (bind){cd->as, MF_COND_ANY, NULL, 0, 0};
        c->nbinds++;
    }
    size_t nb0 = c->nbinds; /* nested bindings are dropped between records */
    size_t matches = 0, total = 0, best_true = 0;
    const cJSON *first = NULL, *best = NULL;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, list)
    {
        if (cd == c->pin_cond && rec != c->pin_record)
            continue;
        total++;
        size_t ntrue = 0;
        for (size_t i = 0; i < cd->nwhere; i++) {
            mf_buf scratch;
            mf_buf_init(&scratch, c->a);
            if (eval_cond(c, &cd->where[i], rec, &scratch, depth + 1) == R_TRUE)
                ntrue++;
            mf_buf_free(&scratch);
            c->nbinds = nb0;
        }
        if (ntrue == cd->nwhere) {
            if (!first)
                first = rec;
            matches++;
        } else if (!best || ntrue > best_true) {
            best = rec;
            best_true = ntrue;
        }
    }
    if (bi < MAX_BINDS) {
        c->binds[bi].record = first;
        c->binds[bi].count = matches;
    }
    mf_buf_printf(why, "%zu of %zu record%s match%s", matches, total, total == 1 ? "" : "s",
                  matches == 1 ? "es" : "");
    if (cd->min_count > 1)
        mf_buf_printf(why, " (need %llu)", (unsigned long long)cd->min_count);
    /* say why the closest record did not */
    const cJSON *show = first ? first : best;
    if (show) {
        mf_buf_printf(why, "; %s record:", first ? "first matching" : "closest");
        for (size_t i = 0; i < cd->nwhere; i++) {
            mf_buf sub;
            mf_buf_init(&sub, c->a);
            tri t = eval_cond(c, &cd->where[i], show, &sub, depth + 1);
            mf_buf_printf(why, "\n        %*s%s %s: %s", depth * 4, "",
                          t == R_TRUE ? "ok  " : t == R_FALSE ? "FAIL" : "ABSENT",
                          cd->where[i].label ? cd->where[i].label : "",
                          sub.data ? sub.data : "");
            mf_buf_free(&sub);
        }
        /* the first match keeps its nested bindings for templates */
        if (!first)
            c->nbinds = nb0;
    }
    tri r = matches >= cd->min_count ? R_TRUE : R_FALSE;
    if (cd->negate)
        r = r == R_TRUE ? R_FALSE : R_TRUE;
    return r;
}

static tri eval_log(evalctx *c, const mf_cond *cd, mf_buf *why)
{
    if (mf_logmatch_messages(c->lm) == 0) {
        mf_buf_puts(why, "no log messages in the input");
        return R_ABSENT;
    }
    uint64_t n = mf_logmatch_count(c->lm, cd->log_index);
    if (c->nbinds < MAX_BINDS)
        c->binds[c->nbinds++] = (bind){cd->as, MF_COND_LOG, NULL, (size_t)n, cd->log_index};
    mf_buf_printf(why, "%llu of %llu messages match (need %llu)", (unsigned long long)n,
                  (unsigned long long)mf_logmatch_messages(c->lm),
                  (unsigned long long)cd->min_count);
    const mf_loghit *hits;
    if (mf_logmatch_hits(c->lm, cd->log_index, &hits) > 0) {
        const mf_member *m = mf_vec_at(&c->ev->members, hits[0].member);
        mf_buf_printf(why, "; first: %s:%llu: %s", m ? m->path : "?",
                      (unsigned long long)hits[0].line, hits[0].text);
    }
    tri r = n >= cd->min_count ? R_TRUE : R_FALSE;
    if (cd->negate)
        r = r == R_TRUE ? R_FALSE : R_TRUE;
    return r;
}

static tri eval_cond(evalctx *c, const mf_cond *cd, const cJSON *base, mf_buf *why, int depth)
{
    if (depth > 8) {
        mf_buf_puts(why, "nested too deep");
        return R_FALSE;
    }
    switch (cd->kind) {
    case MF_COND_ANY: return eval_any(c, cd, base, why, depth);
    case MF_COND_LOG: return eval_log(c, cd, why);
    default: return eval_fact(c, cd, base, why);
    }
}

/* ------------------------------------------------------------------ */
/* Evidence                                                            */

static void add_evidence(evalctx *c, cJSON *arr, const char *member, const cJSON *line,
                         double line_num, const char *text)
{
    if (!member || !text)
        return;
    char *t = mf_evidence_excerpt(c->ev, text, strlen(text));
    if (!t) {
        c->oom = 1;
        return;
    }
    double ln = line && cJSON_IsNumber(line) ? line->valuedouble : line_num;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const char *em = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "member"));
        const cJSON *el = cJSON_GetObjectItemCaseSensitive(e, "line");
        const char *et = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "text"));
        double eln = cJSON_IsNumber(el) ? el->valuedouble : 0;
        if (em && et && strcmp(em, member) == 0 && eln == ln && strcmp(et, t) == 0) {
            mf_free(c->a, t);
            return;
        }
    }
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        mf_free(c->a, t);
        c->oom = 1;
        return;
    }
    mf_json_add_str(c->a, o, "member", member);
    if (ln >= 1)
        cJSON_AddNumberToObject(o, "line", ln);
    else
        cJSON_AddNullToObject(o, "line");
    mf_json_add_str(c->a, o, "text", t);
    mf_free(c->a, t);
}

/* A record's own source: {member, line, text} fields, a "source" object
 * (or a "first" object: where a kmemleak group was first seen), or (input
 * members) its path; without a text, a rendering of the record's fields. */
static void record_evidence(evalctx *c, cJSON *arr, const cJSON *rec)
{
    const cJSON *loc = rec;
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(rec, "source");
    if (!cJSON_IsObject(src))
        src = cJSON_GetObjectItemCaseSensitive(rec, "first");
    if (cJSON_IsObject(src) && cJSON_GetObjectItemCaseSensitive(src, "member"))
        loc = src;
    if (!cJSON_GetObjectItemCaseSensitive(loc, "member")) {
        /* a record assembled from several sources (an interface: link,
         * dev, ethtool): the first part that says where it was read */
        const cJSON *part;
        cJSON_ArrayForEach(part, rec)
        {
            if (cJSON_IsObject(part) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(part, "member"))) {
                loc = part;
                break;
            }
        }
    }
    const char *member = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(loc, "member"));
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(loc, "line");
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(loc, "text"));
    if (!text && loc != rec)
        text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "text"));
    if (member && text) {
        add_evidence(c, arr, member, line, 0, text);
        return;
    }
    /* no source text: the record's scalar fields (its path is the member);
     * an input member reads "STATUS: ERROR", or "KIND member, STATUS" */
    int path_is_member = !member;
    mf_buf b;
    mf_buf_init(&b, c->a);
    const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "status"));
    const char *error = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "error"));
    if (path_is_member && status) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "kind"));
        if (error)
            mf_buf_printf(&b, "%s: %s", status, error);
        else
            mf_buf_printf(&b, "%s member, %s", kind ? kind : "a", status);
        const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "path"));
        if (b.data)
            add_evidence(c, arr, path, line, 0, b.data);
        mf_buf_free(&b);
        return;
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, rec)
    {
        if (cJSON_IsObject(f) || cJSON_IsArray(f) || cJSON_IsNull(f) || !f->string)
            continue;
        if (path_is_member && strcmp(f->string, "path") == 0)
            continue;
        if (strcmp(f->string, "member") == 0 || strcmp(f->string, "line") == 0)
            continue; /* the evidence's own member and line */
        size_t before = b.len;
        if (b.len)
            mf_buf_puts(&b, " ");
        mf_buf_printf(&b, "%s=", f->string);
        put_value(&b, f, NULL);
        if (before && b.len > MF_EXCERPT_MAX && !b.failed) {
            /* whole fields only: a value cut at the excerpt's length
             * would state a different number (-11465.6577 as -1) */
            b.len = before;
            b.data[before] = '\0';
            break;
        }
    }
    if (!member)
        member = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "path"));
    if (b.data)
        add_evidence(c, arr, member, line, 0, b.data);
    mf_buf_free(&b);
}

/* The source of a top-level fact: beside the value, in its object's
 * "sources" under the same key (system.sources.kernel_release); the
 * first and last points of a series (findings.meminfo.series.X.first,
 * .last); the object's own source when it has one; or the line of a
 * sysctl or kconfig setting. */
static void fact_evidence(evalctx *c, cJSON *arr, const mf_cond *cd)
{
    const cJSON *parent = NULL;
    const cJSON *v = lookup2(c->doc, cd->path, &parent);
    if (!v || !parent || !v->string)
        return;
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(parent, "sources"), v->string);
    if (cJSON_IsObject(src)) {
        record_evidence(c, arr, src);
        return;
    }
    /* a value derived from a series (a slope, a trend claim): the first
     * and last values it was fitted over */
    const cJSON *first = cJSON_GetObjectItemCaseSensitive(parent, "first");
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(parent, "last");
    if (cJSON_IsObject(first) && cJSON_IsObject(last) &&
        cJSON_IsString(cJSON_GetObjectItemCaseSensitive(first, "member"))) {
        record_evidence(c, arr, first);
        record_evidence(c, arr, last);
        return;
    }
    /* a value of an object that says where it was read (routes.rt6_stats) */
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(parent, "member")) ||
        cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(parent, "source"))) {
        record_evidence(c, arr, parent);
        return;
    }
    /* a sysctl or kconfig setting: the line that set the value tested,
     * written as the file writes it */
    bool is_kconfig = false;
    const mf_kv *kv = mf_netcfg_fact(c->ev, cd->path, &is_kconfig);
    const mf_member *m = kv ? mf_vec_at(&c->ev->members, kv->loc.member) : NULL;
    if (!m)
        return;
    mf_buf b;
    mf_buf_init(&b, c->a);
    if (is_kconfig && strcmp(kv->value, "n") == 0)
        mf_buf_printf(&b, "# %s is not set", kv->key);
    else if (is_kconfig)
        mf_buf_printf(&b, "%s=%s", kv->key, kv->value);
    else
        mf_buf_printf(&b, "%s = %s", kv->key, kv->value);
    if (b.data)
        add_evidence(c, arr, m->path, NULL, (double)kv->loc.line, b.data);
    else
        c->oom = 1;
    mf_buf_free(&b);
}

static void cond_evidence(evalctx *c, cJSON *arr, const mf_cond *cd, const bind *b)
{
    if (cd->negate)
        return; /* an absence has no line to show */
    if (cd->kind == MF_COND_FACT) {
        fact_evidence(c, arr, cd);
    } else if (cd->kind == MF_COND_ANY) {
        if (b && b->record)
            record_evidence(c, arr, b->record);
    } else {
        const mf_loghit *hits;
        size_t n = mf_logmatch_hits(c->lm, cd->log_index, &hits);
        for (size_t i = 0; i < n; i++) {
            const mf_member *m = mf_vec_at(&c->ev->members, hits[i].member);
            add_evidence(c, arr, m ? m->path : "?", NULL, (double)hits[i].line, hits[i].text);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */

typedef struct fired {
    size_t seq; /* evaluation order, for a stable sort */
    const mf_rule *rule;
    bind binds[MAX_BINDS];
    size_t nbinds;
    double confidence;
    cJSON *diag;
    int dropped;
} fired;

static int canonical_ref(evalctx *c, const char *ref, mf_buf *out)
{
    cJSON *tmp;
    const cJSON *v = resolve(c, ref, strlen(ref), &tmp);
    mf_json_canonical(out, v);
    cJSON_Delete(tmp);
    return out->failed ? -1 : 0;
}

static void fingerprint(evalctx *c, const mf_rule *r, char out[17])
{
    mf_buf b;
    mf_buf_init(&b, c->a);
    mf_buf_puts(&b, "[");
    cJSON *id = cJSON_CreateString(r->id);
    mf_json_canonical(&b, id);
    cJSON_Delete(id);
    for (size_t i = 0; i < r->nfp_keys; i++) {
        mf_buf_puts(&b, ",");
        canonical_ref(c, r->fp_keys[i], &b);
    }
    mf_buf_puts(&b, "]");
    char hex[65] = "";
    mf_sha256 *h = mf_sha256_new();
    if (h && !b.failed) {
        mf_sha256_update(h, b.data, b.len);
        mf_sha256_final_hex(h, hex);
    } else {
        mf_sha256_free(h);
        c->oom = 1;
    }
    mf_buf_free(&b);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

static const char *const sev_names[] = {"none", "info", "low", "medium", "high", "critical"};

static void add_str_list(cJSON *arr, const mf_allocator *a, char **items, size_t n)
{
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *s = cJSON_CreateString("");
        if (!s || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            return;
        }
        (void)a;
        cJSON_SetValuestring(s, items[i]);
    }
}

/* Evaluate one rule. Returns 1 fired (diag built), 0 not, -1 oom. */
static int eval_rule(evalctx *c, const mf_rule *r, fired *f, cJSON *notev, mf_buf *ex)
{
    c->nbinds = 0;
    c->cap = r->max_confidence;
    c->cap_why = r->max_confidence < 1 ? "the rule's max_confidence" : NULL;
    mf_buf_printf(ex, "rule %s (%s, %s): %s\n", r->id, sev_names[r->severity], r->category, r->title);
    tri res[256];
    size_t n = r->nconds < 256 ? r->nconds : 256;
    double W = 0, S = 0;
    int req_false = 0, req_absent = 0;
    for (size_t i = 0; i < n; i++) {
        const mf_cond *cd = &r->conds[i];
        mf_buf why;
        mf_buf_init(&why, c->a);
        res[i] = eval_cond(c, cd, c->doc, &why, 0);
        W += cd->weight;
        if (res[i] == R_TRUE)
            S += cd->weight;
        if (cd->required && res[i] == R_FALSE)
            req_false = 1;
        if (cd->required && res[i] == R_ABSENT)
            req_absent = 1;
        char role[48];
        if (cd->required)
            snprintf(role, sizeof role, "required");
        else
            snprintf(role, sizeof role, "supporting, weight %g", cd->weight);
        mf_buf_printf(ex, "  %zu. [%s] %s%s\n     -> %s: %s\n", i + 1, role,
                      cd->negate ? "NOT " : "", cd->label ? cd->label : "",
                      res[i] == R_TRUE ? "true" : res[i] == R_FALSE ? "false" : "absent",
                      why.data ? why.data : "");
        mf_buf_free(&why);
    }
    if (req_false) {
        mf_buf_puts(ex, "  => not fired: a required condition is false\n");
        return 0;
    }
    if (req_absent) {
        /* not evaluable: what is missing and what to collect */
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(notev, o)) {
            cJSON_Delete(o);
            return -1;
        }
        mf_json_add_str(c->a, o, "rule_id", r->id);
        cJSON *missing = cJSON_AddArrayToObject(o, "missing");
        mf_buf col;
        mf_buf_init(&col, c->a);
        for (size_t i = 0; i < n; i++) {
            const mf_cond *cd = &r->conds[i];
            if (!cd->required || res[i] != R_ABSENT)
                continue;
            const char *what = cd->kind == MF_COND_LOG ? "log messages" : cd->abs_path;
            int dupl = 0;
            const cJSON *e;
            cJSON_ArrayForEach(e, missing) dupl |= strcmp(e->valuestring, what) == 0;
            if (!dupl && missing) {
                cJSON *s = cJSON_CreateString(what);
                if (!s || !cJSON_AddItemToArray(missing, s))
                    cJSON_Delete(s);
            }
            if (cd->collect && !(col.data && strstr(col.data, cd->collect))) {
                if (col.len)
                    mf_buf_puts(&col, "; ");
                mf_buf_puts(&col, cd->collect);
            }
        }
        if (!col.len && r->collect) {
            char *t = render(c, r->collect);
            if (t)
                mf_buf_puts(&col, t);
            mf_free(c->a, t);
        }
        if (!col.len) {
            mf_buf_puts(&col, "a bundle that contains ");
            const cJSON *e;
            int first = 1;
            cJSON_ArrayForEach(e, missing)
            {
                mf_buf_printf(&col, "%s%s", first ? "" : ", ", e->valuestring);
                first = 0;
            }
        }
        mf_json_add_str(c->a, o, "collect", col.data ? col.data : "");
        mf_buf_printf(ex, "  => not evaluable: collect %s\n", col.data ? col.data : "");
        mf_buf_free(&col);
        return 0;
    }
    double conf = W > 0 ? S / W : 1;
    if (conf > c->cap)
        conf = c->cap;
    else
        c->cap_why = NULL; /* the cap did not bite */
    conf = floor(conf * 10000 + 0.5) / 10000;
    mf_buf printf_tmp;
    mf_buf_init(&printf_tmp, c->a);
    mf_json_put_number(&printf_tmp, conf);
    if (conf <= 0 || conf < r->min_confidence) {
        mf_buf_printf(ex, "  => not fired: confidence %s (supporting weight %g of %g)%s\n",
                      printf_tmp.data ? printf_tmp.data : "?", S, W,
                      r->min_confidence > 0 ? ", below min_confidence" : "");
        mf_buf_free(&printf_tmp);
        return 0;
    }
    mf_buf_printf(ex, "  => fired: confidence %s (supporting weight %g of %g%s%s)\n",
                  printf_tmp.data ? printf_tmp.data : "?", S, W,
                  c->cap_why ? "; capped by " : "", c->cap_why ? c->cap_why : "");
    mf_buf_free(&printf_tmp);

    cJSON *d = cJSON_CreateObject();
    if (!d)
        return -1;
    f->diag = d;
    f->rule = r;
    f->confidence = conf;
    memcpy(f->binds, c->binds, sizeof c->binds);
    f->nbinds = c->nbinds;
    mf_json_add_str(c->a, d, "rule_id", r->id);
    mf_json_add_str(c->a, d, "title", r->title);
    mf_json_add_str(c->a, d, "category", r->category);
    mf_json_add_str(c->a, d, "severity", sev_names[r->severity]);
    cJSON_AddNumberToObject(d, "confidence", conf);
    char *summary = render(c, r->summary);
    mf_json_add_str(c->a, d, "summary", summary ? summary : "");
    mf_free(c->a, summary);
    cJSON *evid = cJSON_AddArrayToObject(d, "evidence");
    for (size_t i = 0; evid && i < n; i++) {
        if (res[i] != R_TRUE)
            continue;
        const bind *b = NULL;
        if (r->conds[i].as)
            b = find_bind(c, r->conds[i].as, strlen(r->conds[i].as));
        cond_evidence(c, evid, &r->conds[i], b);
    }
    char *rem = render(c, r->remediation);
    mf_json_add_str(c->a, d, "remediation", rem ? rem : "");
    mf_free(c->a, rem);
    add_str_list(cJSON_AddArrayToObject(d, "links"), c->a, r->links, r->nlinks);
    char fp[17];
    fingerprint(c, r, fp);
    mf_json_add_str(c->a, d, "fingerprint", fp);
    return c->oom ? -1 : 1;
}

static int diag_cmp(const void *a, const void *b)
{
    const fired *x = a, *y = b;
    if (x->rule->severity != y->rule->severity)
        return x->rule->severity > y->rule->severity ? -1 : 1;
    if (x->confidence != y->confidence)
        return x->confidence > y->confidence ? -1 : 1;
    int c = strcmp(x->rule->id, y->rule->id);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int same_value(evalctx *c, fired *a, fired *b, const char *ref)
{
    mf_buf va, vb;
    mf_buf_init(&va, c->a);
    mf_buf_init(&vb, c->a);
    memcpy(c->binds, a->binds, sizeof c->binds);
    c->nbinds = a->nbinds;
    canonical_ref(c, ref, &va);
    memcpy(c->binds, b->binds, sizeof c->binds);
    c->nbinds = b->nbinds;
    canonical_ref(c, ref, &vb);
    int same = va.data && vb.data && strcmp(va.data, "null") != 0 && strcmp(va.data, vb.data) == 0;
    mf_buf_free(&va);
    mf_buf_free(&vb);
    return same;
}

int mf_rules_evaluate(const mf_ruleset *rs, cJSON *doc, const mf_logmatch *lm,
                      mf_evidence *ev, mf_vec *explain)
{
    cJSON *diags = cJSON_GetObjectItemCaseSensitive(doc, "diagnoses");
    cJSON *notev = cJSON_GetObjectItemCaseSensitive(doc, "not_evaluable");
    if (!diags || !notev || !rs)
        return 0;
    evalctx c;
    memset(&c, 0, sizeof c);
    c.rs = rs;
    c.doc = doc;
    c.lm = lm;
    c.ev = ev;
    c.a = ev->alloc;
    c.md = pcre2_match_data_create(16, NULL);
    c.mc = pcre2_match_context_create(NULL);
    mf_vec fv;
    mf_vec_init(&fv, c.a, sizeof(fired));
    if (!c.md || !c.mc) {
        pcre2_match_data_free(c.md);
        pcre2_match_context_free(c.mc);
        return -1;
    }
    pcre2_set_match_limit(c.mc, MF_RULE_MATCH_LIMIT);
    pcre2_set_depth_limit(c.mc, MF_RULE_DEPTH_LIMIT);
    int rc = 0;
    for (size_t i = 0; i < rs->rules.len && rc == 0; i++) {
        const mf_rule *r = mf_vec_at(&rs->rules, i);
        if ((rc = mf_evidence_check(ev)) != 0)
            break; /* the deadline passed or the caller cancelled */
        /* "each": the records that satisfy the pinned condition */
        const mf_cond *each = NULL;
        for (size_t k = 0; k < r->nconds; k++)
            if (r->conds[k].each)
                each = &r->conds[k];
        const cJSON *recs[MF_RULE_MAX_EACH];
        size_t nrecs = 0, more = 0;
        if (each) {
            const cJSON *list = lookup(c.doc, each->path);
            const cJSON *arr = cJSON_IsArray(list) ? list : NULL;
            const cJSON *rec;
            cJSON_ArrayForEach(rec, arr)
            {
                int ok = 1;
                for (size_t k = 0; ok && k < each->nwhere; k++) {
                    mf_buf scratch;
                    mf_buf_init(&scratch, c.a);
                    c.nbinds = 0;
                    ok = eval_cond(&c, &each->where[k], rec, &scratch, 1) == R_TRUE;
                    c.nbinds = 0;
                    mf_buf_free(&scratch);
                }
                if (ok && nrecs < MF_RULE_MAX_EACH)
                    recs[nrecs++] = rec;
                else if (ok)
                    more++;
            }
        }
        mf_buf ex; /* becomes an explanation: the report's, not the evidence's, allocator */
        mf_buf_init(&ex, explain ? explain->alloc : c.a);
        for (size_t k = 0; k < (nrecs ? nrecs : 1) && rc == 0; k++) {
            c.pin_cond = nrecs ? each : NULL;
            c.pin_record = nrecs ? recs[k] : NULL;
            fired *f = mf_vec_push(&fv);
            if (!f) {
                rc = -1;
                break;
            }
            f->seq = fv.len;
            mf_buf scratch;
            mf_buf_init(&scratch, c.a);
            int fr = eval_rule(&c, r, f, notev, k == 0 ? &ex : &scratch);
            mf_buf_free(&scratch);
            if (fr <= 0) {
                cJSON_Delete(f->diag); /* a half-built diagnosis */
                fv.len--;
            }
            if (fr < 0)
                rc = -1;
            if (fr == 0)
                break; /* the other conditions do not depend on the record */
        }
        c.pin_cond = NULL;
        c.pin_record = NULL;
        if (nrecs > 1 || more)
            mf_buf_printf(&ex, "  (one diagnosis per matching record of %s: %zu%s)\n", each->path,
                          nrecs, more ? ", more not reported" : "");
        if (explain && rc == 0 && !ex.failed) {
            mf_explain *e = mf_vec_push(explain);
            if (!e) {
                rc = -1;
            } else {
                e->rule_id = mf_strdup(explain->alloc, r->id);
                e->text = mf_buf_detach(&ex);
                if (!e->rule_id || !e->text)
                    rc = -1;
            }
        }
        mf_buf_free(&ex);
    }
    fired *fs = fv.data;
    size_t nf = fv.len;
    /* suppression, over the diagnoses as fired */
    for (size_t i = 0; rc == 0 && i < nf; i++) {
        const mf_rule *r = fs[i].rule;
        for (size_t k = 0; k < r->nsuppresses; k++)
            for (size_t j = 0; j < nf; j++) {
                if (j == i || strcmp(fs[j].rule->id, r->suppresses[k].rule) != 0)
                    continue;
                if (r->suppresses[k].same && !same_value(&c, &fs[i], &fs[j], r->suppresses[k].same))
                    continue;
                fs[j].dropped = 1;
                if (explain)
                    for (size_t e = 0; e < explain->len; e++) {
                        mf_explain *x = mf_vec_at(explain, e);
                        if (strcmp(x->rule_id, fs[j].rule->id) != 0)
                            continue;
                        mf_buf b;
                        mf_buf_init(&b, explain->alloc);
                        mf_buf_printf(&b, "%s  => suppressed by %s%s%s\n", x->text, r->id,
                                      r->suppresses[k].same ? ": same " : "",
                                      r->suppresses[k].same ? r->suppresses[k].same : "");
                        if (!b.failed) {
                            mf_free(explain->alloc, x->text);
                            x->text = mf_buf_detach(&b);
                        }
                        mf_buf_free(&b);
                    }
            }
    }
    if (nf)
        qsort(fs, nf, sizeof *fs, diag_cmp);
    for (size_t i = 0; i < nf; i++) {
        if (rc == 0 && !fs[i].dropped && cJSON_AddItemToArray(diags, fs[i].diag))
            continue;
        cJSON_Delete(fs[i].diag);
    }
    mf_vec_free(&fv);
    pcre2_match_data_free(c.md);
    pcre2_match_context_free(c.mc);
    if (rc == MF_ETIMEOUT || rc == MF_ECANCELLED)
        return rc;
    return rc == 0 && !c.oom ? 0 : -1;
}
