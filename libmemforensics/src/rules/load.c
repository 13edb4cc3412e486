/* load.c - rule files in, a compiled rule set out.
 *
 * Each file is parsed with cJSON, which gives no positions; locate() walks
 * the text in step with the parsed tree to find where a node starts, so
 * that every problem is reported as file:line:col. Every fact path is
 * checked against the fact registry, every regex compiled once (JIT where
 * available), every version range and template reference checked. A file
 * with any problem contributes no rule. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/rules.h"
#include "rules/ruleset.h"

#define MAX_RULE_FILE_BYTES (1u << 20)
#define MAX_ERRORS 1000

/* ------------------------------------------------------------------ */
/* Positions: walk the JSON text in step with the cJSON tree.          */

typedef struct locator {
    const char *s;
    size_t n, i;
    const cJSON *target;
    int want_key;
    size_t found;
    int done;
} locator;

static void ws(locator *l)
{
    while (l->i < l->n && (l->s[l->i] == ' ' || l->s[l->i] == '\t' ||
                           l->s[l->i] == '\n' || l->s[l->i] == '\r'))
        l->i++;
}

static void skip_string(locator *l)
{
    l->i++; /* opening quote */
    while (l->i < l->n && l->s[l->i] != '"') {
        if (l->s[l->i] == '\\')
            l->i++;
        l->i++;
    }
    l->i++;
}

static void walk(locator *l, const cJSON *node, int depth)
{
    ws(l);
    if (l->done || l->i >= l->n || depth > 200)
        return;
    if (node == l->target && !l->want_key) {
        l->found = l->i;
        l->done = 1;
        return;
    }
    char c = l->s[l->i];
    if (c == '{' || c == '[') {
        l->i++;
        const cJSON *child;
        int first = 1;
        for (child = node->child; child; child = child->next) {
            ws(l);
            if (!first && l->i < l->n && l->s[l->i] == ',') {
                l->i++;
                ws(l);
            }
            first = 0;
            if (c == '{') {
                if (child == l->target && l->want_key) {
                    l->found = l->i;
                    l->done = 1;
                    return;
                }
                skip_string(l);
                ws(l);
                if (l->i < l->n && l->s[l->i] == ':')
                    l->i++;
            }
            walk(l, child, depth + 1);
            if (l->done)
                return;
        }
        ws(l);
        l->i++; /* closing bracket */
    } else if (c == '"') {
        skip_string(l);
    } else {
        while (l->i < l->n && !strchr(",]} \t\r\n", l->s[l->i]))
            l->i++;
    }
}

static void line_col(const char *s, size_t off, unsigned *line, unsigned *col)
{
    unsigned ln = 1, cl = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            ln++;
            cl = 1;
        } else {
            cl++;
        }
    }
    *line = ln;
    *col = cl;
}

/* ------------------------------------------------------------------ */
/* Loading context                                                     */

typedef struct binding {
    const char *name;
    mf_cond_kind kind;
    const char *list_abs; /* registry path of the list, for ANY */
} binding;

typedef struct ctx {
    mf_ruleset *rs;
    const char *file;
    const char *text;
    size_t len;
    const cJSON *root;
    int nerrors;
    int oom;
    binding bindings[16];
    size_t nbindings;
} ctx;

static int push_error_line(mf_ruleset *rs, const char *line)
{
    if (rs->errors.len >= MAX_ERRORS)
        return 0;
    char **slot = mf_vec_push(&rs->errors);
    if (!slot)
        return -1;
    *slot = mf_strdup(rs->alloc, line);
    if (!*slot) {
        rs->errors.len--;
        return -1;
    }
    return 0;
}

/* Report a problem at `node` (its key when want_key), `extra` bytes into a
 * string value (for regex and template offsets). */
static void __attribute__((format(printf, 5, 6)))
err_at(ctx *c, const cJSON *node, int want_key, size_t extra, const char *fmt, ...)
{
    unsigned line = 1, col = 1;
    if (node) {
        locator l = {c->text, c->len, 0, node, want_key, 0, 0};
        walk(&l, c->root, 0);
        if (l.done) {
            line_col(c->text, l.found, &line, &col);
            if (extra)
                col += (unsigned)extra + 1; /* past the opening quote */
        }
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mf_buf b;
    mf_buf_init(&b, c->rs->alloc);
    mf_buf_printf(&b, "%s:%u:%u: %s", c->file, line, col, msg);
    if (b.failed || push_error_line(c->rs, b.data) < 0)
        c->oom = 1;
    mf_buf_free(&b);
    c->nerrors++;
}

static char *dup(ctx *c, const char *s)
{
    char *d = mf_strdup(c->rs->alloc, s ? s : "");
    if (!d)
        c->oom = 1;
    return d;
}

/* ------------------------------------------------------------------ */
/* Fact paths                                                          */

/* Split at dots; "[]" stays on its segment. */
static size_t split(const char *p, const char **segs, size_t *lens, size_t max)
{
    size_t n = 0;
    const char *s = p;
    while (n < max) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        segs[n] = s;
        lens[n] = len;
        n++;
        if (!dot)
            break;
        s = dot + 1;
    }
    return n;
}

/* A map-key segment of the registry: <key>, <field>, <table>, <KEY>... */
static int seg_is_key(const char *s, size_t n)
{
    return n >= 3 && s[0] == '<' && s[n - 1] == '>';
}

static int match_segs(const char **ps, const size_t *pl, size_t np,
                      const char **xs, const size_t *xl, size_t nx)
{
    if (np == 0)
        return nx == 0;
    if (nx == 0)
        return 0;
    if (seg_is_key(ps[0], pl[0])) {
        /* a map key may itself contain dots (net.core.rmem_default) */
        for (size_t k = 1; k <= nx; k++) {
            int list = xl[k - 1] >= 2 && memcmp(xs[k - 1] + xl[k - 1] - 2, "[]", 2) == 0;
            if (list && k < nx)
                break;
            if (match_segs(ps + 1, pl + 1, np - 1, xs + k, xl + k, nx - k))
                return 1;
        }
        return 0;
    }
    if (pl[0] != xl[0] || memcmp(ps[0], xs[0], pl[0]) != 0)
        return 0;
    return match_segs(ps + 1, pl + 1, np - 1, xs + 1, xl + 1, nx - 1);
}

/* The registry entry for a path (registry notation: [] for lists, map keys
 * written out), or NULL. */
static const mf_fact_info *registry_find(const ctx *c, const char *path)
{
    const char *xs[64], *ps[64];
    size_t xl[64], pl[64];
    size_t nx = split(path, xs, xl, 64);
    const mf_ruleset *rs = c->rs;
    size_t nf = rs->facts ? rs->nfacts : mf_fact_count();
    for (size_t i = 0; i < nf; i++) {
        const mf_fact_info *f = rs->facts ? &rs->facts[i] : mf_fact_at(i);
        size_t np = split(f->path, ps, pl, 64);
        if (match_segs(ps, pl, np, xs, xl, nx))
            return f;
    }
    return NULL;
}

static int path_syntax_ok(const char *p)
{
    if (!*p)
        return 0;
    const char *s = p;
    while (*s) {
        size_t n = 0;
        while (s[n] && s[n] != '.' && s[n] != '[')
            n++;
        if (n == 0)
            return 0;
        for (size_t i = 0; i < n; i++) {
            char ch = s[i];
            /* map keys as their source names them: ethtool counters such as
             * `entered congestion`, `congestion time (ms)` */
            if (!(ch == '_' || ch == '-' || (ch >= 'a' && ch <= 'z') ||
                  (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == ' ' || ch == '(' || ch == ')' || ch == '/' || ch == ':'))
                return 0;
        }
        s += n;
        if (*s == '[') {
            if (s[1] != ']')
                return 0;
            s += 2;
        }
        if (*s == '.') {
            s++;
            if (!*s)
                return 0;
        } else if (*s) {
            return 0;
        }
    }
    return 1;
}

/* prefix + "." + rel (or rel alone). */
static char *join_path(ctx *c, const char *prefix, const char *rel)
{
    mf_buf b;
    mf_buf_init(&b, c->rs->alloc);
    if (prefix && *prefix)
        mf_buf_printf(&b, "%s.%s", prefix, rel);
    else
        mf_buf_puts(&b, rel);
    if (b.failed) {
        c->oom = 1;
        mf_buf_free(&b);
        return NULL;
    }
    return mf_buf_detach(&b);
}

static const binding *find_binding(ctx *c, const char *name, size_t n)
{
    for (size_t i = 0; i < c->nbindings; i++)
        if (strlen(c->bindings[i].name) == n &&
            memcmp(c->bindings[i].name, name, n) == 0)
            return &c->bindings[i];
    return NULL;
}

static const char *const log_fields[] = {"text", "member", "line", "count", NULL};

/* Check a reference ("system.kernel_release", "record.name", "msg.text"):
 * returns NULL when fine, else a message. */
static const char *check_ref(ctx *c, const char *ref, size_t n, char *why, size_t whylen)
{
    char tmp[256];
    if (n == 0 || n >= sizeof tmp)
        return "empty or over-long reference";
    memcpy(tmp, ref, n);
    tmp[n] = '\0';
    if (!path_syntax_ok(tmp) || strchr(tmp, '[')) {
        snprintf(why, whylen, "bad reference '%.200s' (a fact path or BINDING.field, without [])", tmp);
        return why;
    }
    const char *dot = strchr(tmp, '.');
    size_t head = dot ? (size_t)(dot - tmp) : n;
    const binding *b = find_binding(c, tmp, head);
    if (b) {
        if (!dot) {
            snprintf(why, whylen, "reference '%.200s' names a binding: add a field (%.100s.FIELD)", tmp, tmp);
            return why;
        }
        if (b->kind == MF_COND_LOG) {
            for (int i = 0; log_fields[i]; i++)
                if (strcmp(dot + 1, log_fields[i]) == 0)
                    return NULL;
            snprintf(why, whylen, "unknown field '%.200s' of log binding '%.200s' (text, member, line, count)",
                     dot + 1, b->name);
            return why;
        }
        char full[512];
        snprintf(full, sizeof full, "%.250s.%.250s", b->list_abs, dot + 1);
        if (strcmp(dot + 1, "count") == 0)
            return NULL; /* matching records */
        if (!registry_find(c, full)) {
            snprintf(why, whylen, "bad template reference '%.200s': unknown fact path %.250s", tmp, full);
            return why;
        }
        return NULL;
    }
    if (!registry_find(c, tmp)) {
        snprintf(why, whylen, "bad template reference '%.200s': unknown fact path '%.200s' (and no binding '%.*s')",
                 tmp, tmp, (int)head, tmp);
        return why;
    }
    return NULL;
}

/* Check every {reference|filter} of a template string. */
static void check_template(ctx *c, const cJSON *node)
{
    const char *s = node->valuestring;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '{' && s[i + 1] == '{') {
            i++;
            continue;
        }
        if (s[i] == '}' && s[i + 1] == '}') {
            i++;
            continue;
        }
        if (s[i] == '}') {
            err_at(c, node, 0, i, "bad template: unmatched '}' (write }} for a brace)");
            return;
        }
        if (s[i] != '{')
            continue;
        const char *end = strchr(s + i, '}');
        if (!end) {
            err_at(c, node, 0, i, "bad template: '{' without '}' (write {{ for a brace)");
            return;
        }
        const char *ref = s + i + 1;
        size_t n = (size_t)(end - ref);
        const char *bar = memchr(ref, '|', n);
        size_t rn = bar ? (size_t)(bar - ref) : n;
        if (bar) {
            /* [bytes|kb][|or:TEXT]: a unit, then what an absent value prints */
            const char *f = bar + 1;
            size_t fn = n - rn - 1;
            size_t un = 0;
            if (fn >= 5 && memcmp(f, "bytes", 5) == 0 && (fn == 5 || f[5] == '|'))
                un = 5;
            else if (fn >= 2 && memcmp(f, "kb", 2) == 0 && (fn == 2 || f[2] == '|'))
                un = 2;
            const char *o = un ? (un < fn ? f + un + 1 : NULL) : f;
            size_t on = o ? fn - (size_t)(o - f) : 0;
            int ok = un || o;
            if (o && !(on > 3 && on <= 80 && memcmp(o, "or:", 3) == 0 && !memchr(o + 3, '|', on - 3) &&
                       !memchr(o + 3, '{', on - 3)))
                ok = 0;
            if (!ok)
                err_at(c, node, 0, (size_t)(bar + 1 - s),
                       "bad template filter '%.*s' (bytes, kb, or:TEXT, or a unit then |or:TEXT)", (int)fn,
                       bar + 1);
        }
        char why[600];
        const char *e = check_ref(c, ref, rn, why, sizeof why);
        if (e)
            err_at(c, node, 0, i + 1, "%s", e);
        i = (size_t)(end - s);
    }
}

/* ------------------------------------------------------------------ */
/* Regex                                                               */

/* The longest literal run every match must contain, or none when the
 * pattern has top-level alternation, options or \Q. */
static void extract_literal(ctx *c, mf_regex *re)
{
    const char *p = re->pattern;
    if (strstr(p, "(?") || strstr(p, "\\Q"))
        return;
    char best[256], cur[256];
    size_t nbest = 0, ncur = 0;
    int depth = 0;
    for (size_t i = 0; p[i]; i++) {
        char ch = p[i];
        if (depth > 0) {
            if (ch == '\\' && p[i + 1])
                i++;
            else if (ch == '(')
                depth++;
            else if (ch == ')')
                depth--;
            continue;
        }
        int lit = -1;
        if (ch == '\\') {
            char e = p[i + 1];
            if (!e)
                break;
            i++;
            if (strchr(".^$|?*+()[]{}\\/-:\"'#<>=!@%&~` ,;", e))
                lit = e;
        } else if (ch == '|') {
            return; /* alternation at the top: no literal is certain */
        } else if (ch == '(') {
            depth = 1;
        } else if (ch == '[') {
            i++;
            if (p[i] == '^')
                i++;
            if (p[i] == ']')
                i++;
            while (p[i] && p[i] != ']') {
                if (p[i] == '\\' && p[i + 1])
                    i++;
                i++;
            }
            if (!p[i])
                break;
        } else if (!strchr(".^$?*+{}", ch)) {
            lit = (unsigned char)ch;
        } else if (ch == '?' || ch == '*' || ch == '{') {
            if (ncur)
                ncur--; /* the previous atom is optional */
        }
        char next = p[i + 1];
        if (lit >= 0 && (next == '?' || next == '*' || next == '{'))
            lit = -1; /* this atom is optional */
        if (lit >= 0 && ncur < sizeof cur - 1) {
            cur[ncur++] = (char)lit;
        } else {
            if (ncur > nbest) {
                memcpy(best, cur, ncur);
                nbest = ncur;
            }
            ncur = 0;
            if (lit >= 0)
                cur[ncur++] = (char)lit;
        }
    }
    if (ncur > nbest) {
        memcpy(best, cur, ncur);
        nbest = ncur;
    }
    if (depth != 0 || nbest < 3)
        return;
    re->literal = mf_strndup(c->rs->alloc, best, nbest);
    if (!re->literal)
        c->oom = 1;
    else
        re->literal_len = nbest;
}

static void regex_free(const mf_allocator *a, mf_regex *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    mf_free(a, re->pattern);
    mf_free(a, re->literal);
    mf_free(a, re);
}

static mf_regex *compile_regex(ctx *c, const cJSON *node)
{
    int code;
    PCRE2_SIZE off;
    const char *pat = node->valuestring;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, strlen(pat),
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                   &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        err_at(c, node, 0, off, "bad regex: %s (at offset %zu)", (char *)msg, (size_t)off);
        return NULL;
    }
    mf_regex *r = mf_calloc(c->rs->alloc, 1, sizeof *r);
    if (!r) {
        pcre2_code_free(re);
        c->oom = 1;
        return NULL;
    }
    r->code = re;
#ifndef MF_NO_PCRE2_JIT
    r->jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
#endif
    r->pattern = dup(c, pat);
    if (r->pattern)
        extract_literal(c, r);
    return r;
}

int mf_regex_match(const mf_regex *re, pcre2_match_data *md,
                   pcre2_match_context *mc, const char *s, size_t len)
{
    if (re->literal && !mf_memmem(s, len, re->literal, re->literal_len))
        return 0;
    return mf_regex_exec(re, md, mc, s, len);
}

int mf_regex_exec(const mf_regex *re, pcre2_match_data *md,
                  pcre2_match_context *mc, const char *s, size_t len)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, mc);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

static const char *const cond_keys[] = {
    "fact", "any", "log", "where", "as", "required", "weight", "not", "collect",
    "exists", "eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "regex",
    "kernel_version", "vendor_cap", "min_count", "each", "label", "$comment", NULL};

static int known_key(const char *const *keys, const char *k)
{
    for (int i = 0; keys[i]; i++)
        if (strcmp(keys[i], k) == 0)
            return 1;
    return 0;
}

static void check_keys(ctx *c, const cJSON *obj, const char *const *keys, const char *what)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        if (!known_key(keys, m->string)) {
            err_at(c, m, 1, 0, "unknown key '%s' in %s", m->string, what);
            continue;
        }
        for (const cJSON *o = obj->child; o != m; o = o->next)
            if (strcmp(o->string, m->string) == 0) {
                err_at(c, m, 1, 0, "duplicate key '%s' in %s", m->string, what);
                break;
            }
    }
}

static int is_scalar(const cJSON *v)
{
    return cJSON_IsString(v) || cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v);
}

static void cond_free(const mf_allocator *a, mf_cond *cd);

static int parse_conds(ctx *c, const cJSON *arr, const char *prefix,
                       mf_cond **out, size_t *nout, int top);

static void add_binding(ctx *c, const cJSON *node, const char *name,
                        mf_cond_kind kind, const char *list_abs)
{
    if (find_binding(c, name, strlen(name))) {
        err_at(c, node, 0, 0, "binding '%s' is defined twice (give each any/log its own \"as\")", name);
        return;
    }
    if (c->nbindings == sizeof c->bindings / sizeof c->bindings[0]) {
        err_at(c, node, 0, 0, "too many bindings");
        return;
    }
    static const char *const reserved[] = {"system", "findings", "facts", "input", "tool", NULL};
    if (known_key(reserved, name)) {
        err_at(c, node, 0, 0, "binding name '%s' is a report section", name);
        return;
    }
    c->bindings[c->nbindings++] = (binding){name, kind, list_abs};
}

/* A readable rendering of a condition for explanations:
 * "system.kernel_release kernel_version [\"[5.4,5.4.164)\"]". */
static void label_cond(ctx *c, mf_cond *cd, const cJSON *obj)
{
    const cJSON *lab = cJSON_GetObjectItemCaseSensitive(obj, "label");
    if (cJSON_IsString(lab)) {
        cd->label = dup(c, lab->valuestring);
        return;
    }
    mf_buf b;
    mf_buf_init(&b, c->rs->alloc);
    const cJSON *fact = cJSON_GetObjectItemCaseSensitive(obj, "fact");
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(obj, "any");
    const cJSON *log = cJSON_GetObjectItemCaseSensitive(obj, "log");
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(obj, "as");
    if (cJSON_IsString(any)) {
        mf_buf_printf(&b, "some record of %s", any->valuestring);
        if (cJSON_IsString(as))
            mf_buf_printf(&b, " (as %s)", as->valuestring);
        const cJSON *mc = cJSON_GetObjectItemCaseSensitive(obj, "min_count");
        if (cJSON_IsNumber(mc) && mc->valuedouble > 1)
            mf_buf_printf(&b, " (at least %.0f records)", mc->valuedouble);
        mf_buf_puts(&b, " satisfies all of \"where\"");
    } else if (cJSON_IsString(log)) {
        const cJSON *mc = cJSON_GetObjectItemCaseSensitive(obj, "min_count");
        mf_buf_printf(&b, "a log message matches /%s/", log->valuestring);
        if (cJSON_IsNumber(mc))
            mf_buf_printf(&b, " at least %.0f times", mc->valuedouble);
    } else {
        mf_buf_puts(&b, cJSON_IsString(fact) ? fact->valuestring : "?");
        static const char *const ops[] = {"exists", "eq", "ne", "lt", "le", "gt", "ge", "in",
                                          "not_in", "regex", "kernel_version", NULL};
        static const char *const shown[] = {"exists:", "=", "!=", "<", "<=", ">", ">=", "in",
                                            "not in", "~", "kernel_version in", NULL};
        for (int i = 0; ops[i]; i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, ops[i]);
            if (!v)
                continue;
            char *txt = cJSON_PrintUnformatted(v);
            if (strcmp(ops[i], "regex") == 0 && cJSON_IsString(v))
                mf_buf_printf(&b, " ~ /%s/", v->valuestring);
            else
                mf_buf_printf(&b, " %s %s", shown[i], txt ? txt : "?");
            free(txt);
        }
    }
    if (b.failed) {
        c->oom = 1;
        mf_buf_free(&b);
        return;
    }
    cd->label = mf_buf_detach(&b);
}

static void parse_cond(ctx *c, const cJSON *obj, const char *prefix, mf_cond *cd, int top)
{
    cd->required = true;
    cd->weight = -1;
    if (!cJSON_IsObject(obj)) {
        err_at(c, obj, 0, 0, "a condition is an object");
        return;
    }
    check_keys(c, obj, cond_keys, "a condition");
    label_cond(c, cd, obj);
    const cJSON *fact = cJSON_GetObjectItemCaseSensitive(obj, "fact");
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(obj, "any");
    const cJSON *log = cJSON_GetObjectItemCaseSensitive(obj, "log");
    int nkinds = !!fact + !!any + !!log;
    if (nkinds != 1) {
        err_at(c, obj, 0, 0, "a condition has exactly one of \"fact\", \"any\" or \"log\"");
        return;
    }
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(obj, "required"))) {
        if (!cJSON_IsBool(v))
            err_at(c, v, 0, 0, "\"required\" is true or false");
        else if (!top && cJSON_IsFalse(v))
            err_at(c, v, 0, 0, "conditions inside \"where\" are all required");
        cd->required = cJSON_IsTrue(v);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(obj, "weight"))) {
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1000)
            err_at(c, v, 0, 0, "\"weight\" is a number from 0 to 1000");
        else if (!top)
            err_at(c, v, 0, 0, "\"weight\" belongs to top-level conditions");
        else
            cd->weight = v->valuedouble;
    }
    if (cd->weight < 0)
        cd->weight = cd->required ? 0 : 1;
    if ((v = cJSON_GetObjectItemCaseSensitive(obj, "not"))) {
        if (!cJSON_IsBool(v))
            err_at(c, v, 0, 0, "\"not\" is true or false");
        cd->negate = cJSON_IsTrue(v);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(obj, "collect"))) {
        if (!cJSON_IsString(v))
            err_at(c, v, 0, 0, "\"collect\" is a string");
        else
            cd->collect = dup(c, v->valuestring);
    }
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(obj, "as");
    if (as && !cJSON_IsString(as)) {
        err_at(c, as, 0, 0, "\"as\" is a name");
        as = NULL;
    }
    if (as && (!path_syntax_ok(as->valuestring) || strchr(as->valuestring, '.') ||
               strchr(as->valuestring, '['))) {
        err_at(c, as, 0, 0, "bad binding name '%s' (letters, digits, _ and -)", as->valuestring);
        as = NULL;
    }
    static const char *const fact_ops[] = {"exists", "eq", "ne", "lt", "le", "gt", "ge", "in",
                                           "not_in", "regex", "kernel_version", NULL};

    if (log) {
        cd->kind = MF_COND_LOG;
        cd->path = dup(c, "log");
        cd->abs_path = dup(c, "log");
        if (!cJSON_IsString(log)) {
            err_at(c, log, 0, 0, "\"log\" is a regex over normalised log messages");
            return;
        }
        for (int i = 0; fact_ops[i]; i++)
            if ((v = cJSON_GetObjectItemCaseSensitive(obj, fact_ops[i])))
                err_at(c, v, 1, 0, "'%s' does not apply to a log condition", fact_ops[i]);
        if (cJSON_GetObjectItemCaseSensitive(obj, "where"))
            err_at(c, cJSON_GetObjectItemCaseSensitive(obj, "where"), 1, 0,
                   "\"where\" belongs to an \"any\" condition");
        if (!top)
            err_at(c, obj, 0, 0, "log conditions belong at the top level of a rule");
        cd->min_count = 1;
        if ((v = cJSON_GetObjectItemCaseSensitive(obj, "min_count"))) {
            if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 9007199254740992.0 ||
                v->valuedouble != floor(v->valuedouble))
                err_at(c, v, 0, 0, "\"min_count\" is a whole number of at least 1");
            else
                cd->min_count = (uint64_t)v->valuedouble;
        }
        cd->log = compile_regex(c, log);
        cd->as = dup(c, as ? as->valuestring : "msg");
        if (cd->as)
            add_binding(c, as ? as : obj, cd->as, MF_COND_LOG, NULL);
        return;
    }
    cd->min_count = 1;
    if (!any && (v = cJSON_GetObjectItemCaseSensitive(obj, "each")))
        err_at(c, v, 1, 0, "\"each\" belongs to an \"any\" condition");
    if ((v = cJSON_GetObjectItemCaseSensitive(obj, "min_count"))) {
        if (!any)
            err_at(c, v, 1, 0, "\"min_count\" belongs to \"any\" and \"log\" conditions");
        else if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 9007199254740992.0 ||
                 v->valuedouble != floor(v->valuedouble))
            err_at(c, v, 0, 0, "\"min_count\" is a whole number of at least 1");
        else
            cd->min_count = (uint64_t)v->valuedouble;
    }

    if (any) {
        cd->kind = MF_COND_ANY;
        for (int i = 0; fact_ops[i]; i++)
            if ((v = cJSON_GetObjectItemCaseSensitive(obj, fact_ops[i])))
                err_at(c, v, 1, 0, "'%s' does not apply to an \"any\" condition: put it in \"where\"",
                       fact_ops[i]);
        if (!cJSON_IsString(any) || !path_syntax_ok(any->valuestring)) {
            err_at(c, any, 0, 0, "\"any\" names a list, e.g. \"findings.slab.caches[]\"");
            return;
        }
        size_t n = strlen(any->valuestring);
        if (n < 3 || strcmp(any->valuestring + n - 2, "[]") != 0) {
            err_at(c, any, 0, 0, "\"any\" names a list: end the path with []");
            return;
        }
        int depth = 0;
        for (const char *q = prefix; q && (q = strstr(q, "[]")); q += 2)
            depth++;
        if (depth >= 4) {
            err_at(c, any, 0, 0, "\"any\" nested more than 4 deep");
            return;
        }
        cd->path = dup(c, any->valuestring);
        cd->abs_path = join_path(c, prefix, any->valuestring);
        if (!cd->abs_path)
            return;
        const mf_fact_info *fi = registry_find(c, cd->abs_path);
        if (!fi) {
            err_at(c, any, 0, 0, "unknown fact path '%s'", cd->abs_path);
            return;
        }
        if (strcmp(fi->type, "list") != 0) {
            err_at(c, any, 0, 0, "'%s' is of type %s, not a list", cd->abs_path, fi->type);
            return;
        }
        if ((v = cJSON_GetObjectItemCaseSensitive(obj, "each"))) {
            if (!cJSON_IsBool(v))
                err_at(c, v, 0, 0, "\"each\" is true or false");
            else if (cJSON_IsTrue(v) && (!top || !cd->required || cd->negate))
                err_at(c, v, 1, 0, "\"each\" belongs to a top-level, required, not negated \"any\"");
            else
                cd->each = cJSON_IsTrue(v);
        }
        cd->as = dup(c, as ? as->valuestring : "record");
        if (cd->as)
            add_binding(c, as ? as : any, cd->as, MF_COND_ANY, cd->abs_path);
        const cJSON *where = cJSON_GetObjectItemCaseSensitive(obj, "where");
        if (!where) {
            err_at(c, obj, 0, 0, "an \"any\" condition needs \"where\": the conditions one record must satisfy");
            return;
        }
        parse_conds(c, where, cd->abs_path, &cd->where, &cd->nwhere, 0);
        return;
    }

    cd->kind = MF_COND_FACT;
    if (as)
        err_at(c, as, 1, 0, "\"as\" belongs to \"any\" and \"log\" conditions");
    if (cJSON_GetObjectItemCaseSensitive(obj, "where"))
        err_at(c, cJSON_GetObjectItemCaseSensitive(obj, "where"), 1, 0,
               "\"where\" belongs to an \"any\" condition");
    int self = prefix && cJSON_IsString(fact) && strcmp(fact->valuestring, ".") == 0;
    if (!cJSON_IsString(fact) || (!self && !path_syntax_ok(fact->valuestring))) {
        err_at(c, fact, 0, 0, "\"fact\" is a fact path such as \"system.kernel_release\"%s",
               prefix ? ", or \".\" for the record itself" : "");
        return;
    }
    cd->path = dup(c, fact->valuestring);
    cd->abs_path = self ? dup(c, prefix) : join_path(c, prefix, fact->valuestring);
    if (!cd->abs_path || !cd->path)
        return;
    const mf_fact_info *fi = registry_find(c, cd->abs_path);
    if (!fi) {
        err_at(c, fact, 0, 0, "unknown fact path '%s'%s", cd->abs_path,
               prefix ? "" : " (see memforensics facts)");
        return;
    }
    size_t pn = strlen(cd->abs_path);
    const char *inner = strstr(cd->abs_path + (prefix ? strlen(prefix) : 0), "[]");
    if (!self && inner && inner != cd->abs_path + pn - 2) {
        err_at(c, fact, 0, 0, "'%s' goes through a list: test its records with \"any\"", cd->abs_path);
        return;
    }
    /* strings that hold numbers (kconfig 0x06000000) compare as numbers;
     * an element of a list of scalars ("." in where) may be either */
    int is_text = self || strcmp(fi->type, "string") == 0 ||
                  strcmp(fi->type, "scalar") == 0;
    int is_num = self || is_text || strcmp(fi->type, "integer") == 0 || strcmp(fi->type, "number") == 0;
    int is_coll = !self && (strcmp(fi->type, "list") == 0 || strcmp(fi->type, "map") == 0);
    int nops = 0;
    for (const cJSON *m = obj->child; m; m = m->next) {
        const char *k = m->string;
        if (!known_key(fact_ops, k))
            continue;
        int repeated = 0; /* reported by check_keys; the first one counts */
        for (const cJSON *o = obj->child; o != m; o = o->next)
            repeated |= strcmp(o->string, k) == 0;
        if (repeated)
            continue;
        nops++;
        if (strcmp(k, "exists") == 0) {
            if (!cJSON_IsBool(m))
                err_at(c, m, 0, 0, "\"exists\" is true or false");
            cd->has_exists = 1;
            cd->exists = cJSON_IsTrue(m);
        } else if (strcmp(k, "eq") == 0 || strcmp(k, "ne") == 0) {
            if (!is_scalar(m)) {
                err_at(c, m, 0, 0, "'%s' compares with a string, number, boolean or null", k);
                continue;
            }
            if (is_coll)
                err_at(c, m, 1, 0, "'%s' does not apply to the %s '%s' (compare its size with lt/le/gt/ge)",
                       k, fi->type, cd->abs_path);
            cJSON *copy = cJSON_Duplicate(m, 1);
            if (!copy)
                c->oom = 1;
            if (k[0] == 'e')
                cd->eq = copy;
            else
                cd->ne = copy;
        } else if (strcmp(k, "in") == 0 || strcmp(k, "not_in") == 0) {
            int ok = cJSON_IsArray(m) && cJSON_GetArraySize(m) > 0;
            const cJSON *e;
            cJSON_ArrayForEach(e, m) ok &= is_scalar(e);
            if (!ok) {
                err_at(c, m, 0, 0, "'%s' is a non-empty list of strings, numbers or booleans", k);
                continue;
            }
            cJSON *copy = cJSON_Duplicate(m, 1);
            if (!copy)
                c->oom = 1;
            if (k[0] == 'i')
                cd->in = copy;
            else
                cd->not_in = copy;
        } else if (k[0] == 'l' || k[0] == 'g') {
            if (!cJSON_IsNumber(m)) {
                err_at(c, m, 0, 0, "'%s' compares with a number", k);
                continue;
            }
            if (!is_num && !is_coll)
                err_at(c, m, 1, 0, "'%s' needs a number fact; '%s' is of type %s", k, cd->abs_path, fi->type);
            if (strcmp(k, "lt") == 0)
                cd->has_lt = 1, cd->lt = m->valuedouble;
            else if (strcmp(k, "le") == 0)
                cd->has_le = 1, cd->le = m->valuedouble;
            else if (strcmp(k, "gt") == 0)
                cd->has_gt = 1, cd->gt = m->valuedouble;
            else
                cd->has_ge = 1, cd->ge = m->valuedouble;
        } else if (strcmp(k, "regex") == 0) {
            if (!cJSON_IsString(m)) {
                err_at(c, m, 0, 0, "\"regex\" is a PCRE2 pattern string");
                continue;
            }
            if (!is_text)
                err_at(c, m, 1, 0, "\"regex\" needs a text fact; '%s' is of type %s", cd->abs_path, fi->type);
            cd->regex = compile_regex(c, m);
        } else if (strcmp(k, "kernel_version") == 0) {
            if (!is_text)
                err_at(c, m, 1, 0, "\"kernel_version\" needs a text fact; '%s' is of type %s",
                       cd->abs_path, fi->type);
            const cJSON *one = m;
            int n = cJSON_IsArray(m) ? cJSON_GetArraySize(m) : 1;
            if (!(cJSON_IsString(m) || (cJSON_IsArray(m) && n > 0))) {
                err_at(c, m, 0, 0, "\"kernel_version\" is a range such as \"[5.4,5.4.164)\" or a list of them");
                continue;
            }
            cd->kranges = mf_calloc(c->rs->alloc, (size_t)n, sizeof *cd->kranges);
            if (!cd->kranges) {
                c->oom = 1;
                continue;
            }
            int i = 0;
            for (one = cJSON_IsArray(m) ? m->child : m; one && i < n; one = one->next, i++) {
                if (!cJSON_IsString(one)) {
                    err_at(c, one, 0, 0, "a version range is a string such as \"[5.4,5.4.164)\"");
                    continue;
                }
                size_t off;
                const char *msg = NULL;
                if (mf_kver_range_parse(one->valuestring, &cd->kranges[i], &off, &msg) < 0)
                    err_at(c, one, 0, off, "bad version range '%s': %s", one->valuestring, msg);
                if (!cJSON_IsArray(m))
                    break;
            }
            cd->nkranges = (size_t)n;
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(obj, "vendor_cap"))) {
        if (!cd->kranges)
            err_at(c, v, 1, 0, "\"vendor_cap\" belongs to a kernel_version condition");
        else if (!cJSON_IsNumber(v) || v->valuedouble <= 0 || v->valuedouble > 1)
            err_at(c, v, 0, 0, "\"vendor_cap\" is a confidence in (0, 1]");
        else
            cd->vendor_cap = v->valuedouble;
    }
    if (nops == 0)
        err_at(c, fact, 1, 0, "a fact condition needs an operator (exists, eq, ne, lt, le, gt, ge, in, not_in, regex, kernel_version)");
}

static int parse_conds(ctx *c, const cJSON *arr, const char *prefix,
                       mf_cond **out, size_t *nout, int top)
{
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
        err_at(c, arr, 0, 0, "%s is a non-empty list of conditions", top ? "\"conditions\"" : "\"where\"");
        return 0;
    }
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n > 256) {
        err_at(c, arr, 0, 0, "more than 256 conditions");
        return 0;
    }
    mf_cond *conds = mf_calloc(c->rs->alloc, n, sizeof *conds);
    if (!conds) {
        c->oom = 1;
        return -1;
    }
    *out = conds;
    *nout = n;
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) parse_cond(c, e, prefix, &conds[i++], top);
    return 0;
}

static void cond_free(const mf_allocator *a, mf_cond *cd)
{
    mf_free(a, cd->label);
    mf_free(a, cd->path);
    mf_free(a, cd->abs_path);
    mf_free(a, cd->collect);
    mf_free(a, cd->as);
    cJSON_Delete(cd->eq);
    cJSON_Delete(cd->ne);
    cJSON_Delete(cd->in);
    cJSON_Delete(cd->not_in);
    regex_free(a, cd->regex);
    regex_free(a, cd->log);
    mf_free(a, cd->kranges);
    for (size_t i = 0; i < cd->nwhere; i++)
        cond_free(a, &cd->where[i]);
    mf_free(a, cd->where);
}

static void rule_free(const mf_allocator *a, mf_rule *r)
{
    mf_free(a, r->id);
    mf_free(a, r->title);
    mf_free(a, r->category);
    mf_free(a, r->summary);
    mf_free(a, r->remediation);
    mf_free(a, r->collect);
    for (size_t i = 0; i < r->nlinks; i++)
        mf_free(a, r->links[i]);
    mf_free(a, r->links);
    for (size_t i = 0; i < r->nconds; i++)
        cond_free(a, &r->conds[i]);
    mf_free(a, r->conds);
    for (size_t i = 0; i < r->nsuppresses; i++) {
        mf_free(a, r->suppresses[i].rule);
        mf_free(a, r->suppresses[i].same);
    }
    mf_free(a, r->suppresses);
    for (size_t i = 0; i < r->nfp_keys; i++)
        mf_free(a, r->fp_keys[i]);
    mf_free(a, r->fp_keys);
    mf_free(a, r->file);
    /* source is the file's data, owned by rs->files */
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */

static const char *const rule_keys[] = {
    "id", "title", "category", "severity", "summary", "remediation", "links",
    "conditions", "max_confidence", "min_confidence", "collect", "suppresses",
    "fingerprint_keys", "description", "$comment", NULL};

/* Last-segment names that vary between devices with the same root cause. */
static int volatile_key(const char *ref)
{
    const char *last = strrchr(ref, '.');
    last = last ? last + 1 : ref;
    static const char *const banned[] = {
        "kernel_release", "pid", "tid", "uid", "count", "line", "member", "text",
        "time", "timestamp", "wall", "mono_s", "boot", "addr", "address",
        "size_bytes", "sha256", "hostname", NULL};
    for (int i = 0; banned[i]; i++)
        if (strcmp(last, banned[i]) == 0)
            return 1;
    static const char *const parts[] = {"_count", "count_", "_time", "time_", "_addr",
                                        "addr_", "_pid", "pid_", "_at", "_kb", "_bytes",
                                        "_pages", "_s", "_ms", NULL};
    size_t n = strlen(last);
    for (int i = 0; parts[i]; i++) {
        size_t m = strlen(parts[i]);
        if (parts[i][0] == '_' ? (n > m && strcmp(last + n - m, parts[i]) == 0)
                               : strncmp(last, parts[i], m) == 0)
            return 1;
    }
    return 0;
}

static char *req_string(ctx *c, const cJSON *obj, const char *key, int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            err_at(c, obj, 0, 0, "missing \"%s\"", key);
        return NULL;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0]) {
        err_at(c, v, 0, 0, "\"%s\" is a non-empty string", key);
        return NULL;
    }
    return dup(c, v->valuestring);
}

static int parse_rule(ctx *c, const cJSON *root, mf_rule *r)
{
    if (!cJSON_IsObject(root)) {
        err_at(c, root, 0, 0, "a rule file holds one JSON object");
        return 0;
    }
    check_keys(c, root, rule_keys, "a rule");
    r->id = req_string(c, root, "id", 1);
    const cJSON *idn = cJSON_GetObjectItemCaseSensitive(root, "id");
    if (r->id) {
        for (const char *p = r->id; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
                err_at(c, idn, 0, 0, "bad id '%s' (lowercase letters, digits and -)", r->id);
                break;
            }
        locator l = {c->text, c->len, 0, idn, 0, 0, 0};
        walk(&l, c->root, 0);
        line_col(c->text, l.done ? l.found : 0, &r->id_line, &r->id_col);
    }
    r->title = req_string(c, root, "title", 1);
    r->category = req_string(c, root, "category", 1);
    r->collect = req_string(c, root, "collect", 0);
    const cJSON *sev = cJSON_GetObjectItemCaseSensitive(root, "severity");
    r->severity = mf_severity_from_name(cJSON_GetStringValue(sev));
    if (!sev)
        err_at(c, root, 0, 0, "missing \"severity\"");
    else if (r->severity == MF_SEVERITY_NONE)
        err_at(c, sev, 0, 0, "bad severity (critical, high, medium, low or info)");
    r->max_confidence = 1;
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "max_confidence"))) {
        if (!cJSON_IsNumber(v) || v->valuedouble <= 0 || v->valuedouble > 1)
            err_at(c, v, 0, 0, "\"max_confidence\" is a number in (0, 1]");
        else
            r->max_confidence = v->valuedouble;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "min_confidence"))) {
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1)
            err_at(c, v, 0, 0, "\"min_confidence\" is a number in [0, 1]");
        else
            r->min_confidence = v->valuedouble;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "links"))) {
        int n = cJSON_GetArraySize(v);
        if (!cJSON_IsArray(v)) {
            err_at(c, v, 0, 0, "\"links\" is a list of URLs");
        } else if (n > 0) {
            r->links = mf_calloc(c->rs->alloc, (size_t)n, sizeof *r->links);
            if (!r->links)
                return -1;
            const cJSON *e;
            cJSON_ArrayForEach(e, v)
            {
                if (!cJSON_IsString(e) || !e->valuestring[0])
                    err_at(c, e, 0, 0, "a link is a non-empty string");
                else
                    r->links[r->nlinks++] = dup(c, e->valuestring);
            }
        }
    }
    /* conditions first: they define the bindings templates may use */
    const cJSON *conds = cJSON_GetObjectItemCaseSensitive(root, "conditions");
    if (!conds)
        err_at(c, root, 0, 0, "missing \"conditions\"");
    else if (parse_conds(c, conds, NULL, &r->conds, &r->nconds, 1) < 0)
        return -1;
    size_t neach = 0;
    for (size_t i = 0; i < r->nconds; i++)
        if (r->conds[i].each && ++neach == 2)
            err_at(c, cJSON_GetArrayItem(conds, (int)i), 0, 0,
                   "only one \"any\" of a rule may have \"each\"");
    r->summary = req_string(c, root, "summary", 1);
    r->remediation = req_string(c, root, "remediation", 1);
    if (r->summary)
        check_template(c, cJSON_GetObjectItemCaseSensitive(root, "summary"));
    if (r->remediation)
        check_template(c, cJSON_GetObjectItemCaseSensitive(root, "remediation"));
    if (r->collect)
        check_template(c, cJSON_GetObjectItemCaseSensitive(root, "collect"));
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "suppresses"))) {
        int n = cJSON_GetArraySize(v);
        if (!cJSON_IsArray(v)) {
            err_at(c, v, 0, 0, "\"suppresses\" is a list of {\"rule\": ID, \"same\": REFERENCE}");
        } else if (n > 0) {
            r->suppresses = mf_calloc(c->rs->alloc, (size_t)n, sizeof *r->suppresses);
            if (!r->suppresses)
                return -1;
            const cJSON *e;
            cJSON_ArrayForEach(e, v)
            {
                static const char *const skeys[] = {"rule", "same", NULL};
                const cJSON *rule = cJSON_GetObjectItemCaseSensitive(e, "rule");
                const cJSON *same = cJSON_GetObjectItemCaseSensitive(e, "same");
                if (!cJSON_IsObject(e) || !cJSON_IsString(rule)) {
                    err_at(c, e, 0, 0, "a suppression is {\"rule\": ID, \"same\": REFERENCE}");
                    continue;
                }
                check_keys(c, e, skeys, "a suppression");
                mf_suppress *s = &r->suppresses[r->nsuppresses++];
                s->rule = dup(c, rule->valuestring);
                if (r->id && strcmp(rule->valuestring, r->id) == 0)
                    err_at(c, rule, 0, 0, "a rule cannot suppress itself");
                if (same) {
                    char why[600];
                    const char *msg = cJSON_IsString(same)
                        ? check_ref(c, same->valuestring, strlen(same->valuestring), why, sizeof why)
                        : "\"same\" is a reference such as \"record.name\"";
                    if (msg)
                        err_at(c, same, 0, 0, "%s", msg);
                    else
                        s->same = dup(c, same->valuestring);
                }
            }
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "fingerprint_keys"))) {
        int n = cJSON_GetArraySize(v);
        if (!cJSON_IsArray(v)) {
            err_at(c, v, 0, 0, "\"fingerprint_keys\" is a list of references");
        } else if (n > 0) {
            r->fp_keys = mf_calloc(c->rs->alloc, (size_t)n, sizeof *r->fp_keys);
            if (!r->fp_keys)
                return -1;
            const cJSON *e;
            cJSON_ArrayForEach(e, v)
            {
                char why[600];
                const char *msg = cJSON_IsString(e)
                    ? check_ref(c, e->valuestring, strlen(e->valuestring), why, sizeof why)
                    : "a fingerprint key is a reference such as \"record.name\"";
                if (msg) {
                    err_at(c, e, 0, 0, "%s", msg);
                    continue;
                }
                if (volatile_key(e->valuestring)) {
                    err_at(c, e, 0, 0,
                           "fingerprint key '%s' varies between devices with the same root cause "
                           "(kernel release, counts, pids, addresses, sizes and times are not allowed)",
                           e->valuestring);
                    continue;
                }
                r->fp_keys[r->nfp_keys++] = dup(c, e->valuestring);
            }
        }
    }
    return c->oom ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Rule sets                                                           */

mf_ruleset *mf_ruleset_new_empty(void)
{
    const mf_allocator *a = &mf_default_allocator;
    mf_ruleset *rs = mf_calloc(a, 1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->alloc = a;
    mf_vec_init(&rs->rules, a, sizeof(mf_rule));
    mf_vec_init(&rs->logs, a, sizeof(mf_regex *));
    mf_vec_init(&rs->errors, a, sizeof(char *));
    mf_vec_init(&rs->files, a, sizeof(mf_rule_file));
    mf_vec_init(&rs->lit_index, a, sizeof(mf_lit_entry));
    mf_vec_init(&rs->always, a, sizeof(size_t));
    return rs;
}

int mf_ruleset_add_text(mf_ruleset *rs, const char *name, const char *data,
                        size_t len, int layer)
{
    mf_rule_file *f = mf_vec_push(&rs->files);
    if (!f)
        return -1;
    f->name = mf_strdup(rs->alloc, name);
    f->data = mf_strndup(rs->alloc, data, len);
    f->len = len;
    if (!f->name || !f->data)
        return -1;
    ctx c;
    memset(&c, 0, sizeof c);
    c.rs = rs;
    c.file = f->name;
    c.text = f->data;
    c.len = len;
    if (memchr(data, '\0', len)) {
        err_at(&c, NULL, 0, 0, "a rule file is JSON text (NUL byte found)");
        return 0;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(f->data, len, &end, 0);
    if (!root) {
        size_t off = end && end >= f->data && end <= f->data + len ? (size_t)(end - f->data) : 0;
        unsigned line, col;
        line_col(f->data, off, &line, &col);
        char msg[300];
        snprintf(msg, sizeof msg, "%s:%u:%u: invalid JSON", f->name, line, col);
        return push_error_line(rs, msg);
    }
    /* trailing garbage */
    size_t off = end ? (size_t)(end - f->data) : len;
    while (off < len && strchr(" \t\r\n", f->data[off]))
        off++;
    if (off < len) {
        unsigned line, col;
        line_col(f->data, off, &line, &col);
        char msg[300];
        snprintf(msg, sizeof msg, "%s:%u:%u: text after the rule object", f->name, line, col);
        cJSON_Delete(root);
        return push_error_line(rs, msg);
    }
    c.root = root;
    mf_rule r;
    memset(&r, 0, sizeof r);
    int rc = parse_rule(&c, root, &r);
    cJSON_Delete(root);
    if (rc < 0 || c.oom) {
        rule_free(rs->alloc, &r);
        return -1;
    }
    if (c.nerrors) {
        rule_free(rs->alloc, &r);
        return 0;
    }
    r.file = mf_strdup(rs->alloc, name);
    r.source = f->data;
    r.layer = layer;
    r.file_index = rs->files.len - 1;
    mf_rule *slot = r.file ? mf_vec_push(&rs->rules) : NULL;
    if (!slot) {
        rule_free(rs->alloc, &r);
        return -1;
    }
    *slot = r;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const mf_rule *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->layer - y->layer;
}

/* A rough frequency of a byte in log text: lowercase letters, spaces and
 * digits are common, upper case and punctuation rarer. */
static int byte_freq(unsigned char ch)
{
    if (ch == ' ')
        return 60;
    if (strchr("etaoinsr", ch))
        return 40;
    if (strchr("hldcumfpgwybvk", ch))
        return 20;
    if (ch >= '0' && ch <= '9')
        return 15;
    if (ch >= 'a' && ch <= 'z')
        return 8;
    if (strchr(":.,-=()[]/", ch))
        return 10;
    if (ch >= 'A' && ch <= 'Z')
        return 5;
    return 3;
}

static int by_pair(const void *a, const void *b)
{
    const mf_lit_entry *x = a, *y = b;
    if (x->pair != y->pair)
        return x->pair < y->pair ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

static void index_logs(mf_ruleset *rs, mf_cond *conds, size_t n, int *oom)
{
    for (size_t i = 0; i < n; i++) {
        if (conds[i].kind == MF_COND_LOG && conds[i].log) {
            mf_regex **slot = mf_vec_push(&rs->logs);
            if (!slot) {
                *oom = 1;
                return;
            }
            *slot = conds[i].log;
            conds[i].log_index = rs->logs.len - 1;
        }
        index_logs(rs, conds[i].where, conds[i].nwhere, oom);
    }
}

int mf_ruleset_finish(mf_ruleset *rs)
{
    if (rs->rules.len)
        qsort(rs->rules.data, rs->rules.len, sizeof(mf_rule), by_id);
    /* same id: a later layer replaces, the same layer is a mistake */
    size_t w = 0;
    for (size_t i = 0; i < rs->rules.len; i++) {
        mf_rule *r = mf_vec_at(&rs->rules, i);
        mf_rule *prev = w ? mf_vec_at(&rs->rules, w - 1) : NULL;
        if (prev && strcmp(prev->id, r->id) == 0) {
            if (prev->layer == r->layer) {
                char msg[700];
                snprintf(msg, sizeof msg, "%s:%u:%u: duplicate id '%s' (also in %s)", r->file,
                         r->id_line, r->id_col, r->id, prev->file);
                if (push_error_line(rs, msg) < 0)
                    return -1;
                rule_free(rs->alloc, r);
                continue;
            }
            mf_rule_file *f = mf_vec_at(&rs->files, prev->file_index);
            f->overridden = 1;
            rule_free(rs->alloc, prev);
            *prev = *r;
            continue;
        }
        if (w != i)
            *(mf_rule *)mf_vec_at(&rs->rules, w) = *r;
        w++;
    }
    rs->rules.len = w;
    /* suppressions must name known rules */
    for (size_t i = 0; i < rs->rules.len; i++) {
        mf_rule *r = mf_vec_at(&rs->rules, i);
        for (size_t k = 0; k < r->nsuppresses; k++)
            if (!mf_ruleset_find(rs, r->suppresses[k].rule)) {
                char msg[700];
                snprintf(msg, sizeof msg, "%s:%u:%u: rule '%s' suppresses unknown rule '%s'",
                         r->file, r->id_line, r->id_col, r->id, r->suppresses[k].rule);
                if (push_error_line(rs, msg) < 0)
                    return -1;
            }
    }
    int oom = 0;
    for (size_t i = 0; i < rs->rules.len; i++) {
        mf_rule *r = mf_vec_at(&rs->rules, i);
        index_logs(rs, r->conds, r->nconds, &oom);
    }
    if (oom)
        return -1;
    memset(rs->lit_bits, 0, sizeof rs->lit_bits);
    rs->lit_index.len = 0;
    rs->always.len = 0;
    for (size_t i = 0; i < rs->logs.len; i++) {
        const mf_regex *re = *(mf_regex **)mf_vec_at(&rs->logs, i);
        if (!re->literal) {
            size_t *a = mf_vec_push(&rs->always);
            if (!a)
                return -1;
            *a = i;
            continue;
        }
        /* the rarest pair of the literal keeps the scan from stopping */
        size_t best = 0;
        int best_score = 1 << 30;
        for (size_t k = 0; k + 1 < re->literal_len && k < 65535; k++) {
            int sc = byte_freq((unsigned char)re->literal[k]) *
                     byte_freq((unsigned char)re->literal[k + 1]);
            if (sc < best_score) {
                best_score = sc;
                best = k;
            }
        }
        uint16_t pair = (uint16_t)((unsigned char)re->literal[best] << 8 |
                                   (unsigned char)re->literal[best + 1]);
        mf_lit_entry *e = mf_vec_push(&rs->lit_index);
        if (!e)
            return -1;
        e->pair = pair;
        e->offset = (uint16_t)best;
        e->pattern = (uint32_t)i;
        rs->lit_bits[pair >> 6] |= 1ull << (pair & 63);
    }
    if (rs->lit_index.len)
        qsort(rs->lit_index.data, rs->lit_index.len, sizeof(mf_lit_entry), by_pair);
    /* version: SHA-256 over (name, NUL, content) of the files in use */
    mf_sha256 *h = mf_sha256_new();
    if (!h)
        return -1;
    for (size_t i = 0; i < rs->files.len; i++) {
        const mf_rule_file *f = mf_vec_at(&rs->files, i);
        if (f->overridden)
            continue;
        mf_sha256_update(h, f->name, strlen(f->name) + 1);
        mf_sha256_update(h, f->data, f->len);
    }
    char hex[65];
    mf_sha256_final_hex(h, hex);
    memcpy(rs->version, hex, 16);
    rs->version[16] = '\0';
    return 0;
}

const mf_rule *mf_ruleset_find(const mf_ruleset *rs, const char *id)
{
    size_t lo = 0, hi = rs ? rs->rules.len : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const mf_rule *r = mf_vec_at(&rs->rules, mid);
        int c = strcmp(id, r->id);
        if (c == 0)
            return r;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

void mf_ruleset_free(mf_ruleset *rs)
{
    if (!rs)
        return;
    const mf_allocator *a = rs->alloc;
    for (size_t i = 0; i < rs->rules.len; i++)
        rule_free(a, mf_vec_at(&rs->rules, i));
    mf_vec_free(&rs->rules);
    mf_vec_free(&rs->logs);
    mf_vec_free(&rs->lit_index);
    mf_vec_free(&rs->always);
    for (size_t i = 0; i < rs->errors.len; i++)
        mf_free(a, *(char **)mf_vec_at(&rs->errors, i));
    mf_vec_free(&rs->errors);
    for (size_t i = 0; i < rs->files.len; i++) {
        mf_rule_file *f = mf_vec_at(&rs->files, i);
        mf_free(a, f->name);
        mf_free(a, f->data);
    }
    mf_vec_free(&rs->files);
    mf_free(a, rs);
}

/* With errors, a rule set keeps its messages and drops its rules. */
static int conclude(mf_ruleset **out, mf_ruleset *rs)
{
    if (mf_ruleset_finish(rs) < 0) {
        mf_ruleset_free(rs);
        return mf_error_set(MF_ENOMEM, "out of memory while loading rules");
    }
    if (rs->errors.len) {
        for (size_t i = 0; i < rs->rules.len; i++)
            rule_free(rs->alloc, mf_vec_at(&rs->rules, i));
        rs->rules.len = 0;
        rs->logs.len = 0;
        rs->lit_index.len = 0;
        rs->always.len = 0;
        memset(rs->lit_bits, 0, sizeof rs->lit_bits);
        *out = rs;
        return mf_error_set(MF_ERULES, "%s%s", *(char **)mf_vec_at(&rs->errors, 0),
                            rs->errors.len > 1 ? " (and more)" : "");
    }
    *out = rs;
    return MF_OK;
}

static int add_embedded(mf_ruleset *rs)
{
    for (size_t i = 0; i < mf_embedded_rule_count; i++) {
        const mf_embedded_rule *e = &mf_embedded_rules[i];
        char name[300];
        snprintf(name, sizeof name, "rules/%s", e->name);
        if (mf_ruleset_add_text(rs, name, (const char *)e->data, e->len, 0) < 0)
            return -1;
    }
    return 0;
}

int mf_ruleset_load_default(mf_ruleset **out)
{
    if (!out)
        return mf_error_set(MF_EINVAL, "out pointer is NULL");
    *out = NULL;
    mf_ruleset *rs = mf_ruleset_new_empty();
    if (!rs || add_embedded(rs) < 0) {
        mf_ruleset_free(rs);
        return mf_error_set(MF_ENOMEM, "out of memory while loading rules");
    }
    return conclude(out, rs);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_file(const char *path, char **data, size_t *len, const char **why)
{
    FILE *f = fopen(path, "rb");
    *data = NULL;
    *len = 0;
    if (!f) {
        *why = strerror(errno);
        return -1;
    }
    char *buf = malloc(MAX_RULE_FILE_BYTES + 1);
    if (!buf) {
        fclose(f);
        *why = "out of memory";
        return -1;
    }
    size_t n = fread(buf, 1, MAX_RULE_FILE_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        *why = "read error";
        return -1;
    }
    if (n > MAX_RULE_FILE_BYTES) {
        free(buf);
        *why = "larger than 1 MiB";
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

static int copy_base(mf_ruleset *rs, const mf_ruleset *base)
{
    /* recompile the base's files: rules own compiled code, not shared */
    for (size_t i = 0; i < base->files.len; i++) {
        const mf_rule_file *f = mf_vec_at(&base->files, i);
        if (f->overridden)
            continue;
        if (mf_ruleset_add_text(rs, f->name, f->data, f->len, 0) < 0)
            return -1;
    }
    return 0;
}

int mf_ruleset_load_dir(mf_ruleset **out, const char *dir, const mf_ruleset *base)
{
    if (!out || !dir)
        return mf_error_set(MF_EINVAL, "out pointer or folder is NULL");
    *out = NULL;
    mf_ruleset *rs = mf_ruleset_new_empty();
    if (!rs || (base && copy_base(rs, base) < 0)) {
        mf_ruleset_free(rs);
        return mf_error_set(MF_ENOMEM, "out of memory while loading rules");
    }
    DIR *d = opendir(dir);
    if (!d) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: cannot open the rules folder: %s", dir, strerror(errno));
        push_error_line(rs, msg);
        return conclude(out, rs);
    }
    mf_vec names;
    mf_vec_init(&names, rs->alloc, sizeof(char *));
    struct dirent *de;
    int oom = 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0 || de->d_name[0] == '.')
            continue;
        char **slot = mf_vec_push(&names);
        if (!slot || !(*slot = mf_strdup(rs->alloc, de->d_name))) {
            if (slot)
                names.len--;
            oom = 1;
            break;
        }
    }
    closedir(d);
    if (names.len)
        qsort(names.data, names.len, sizeof(char *), cmp_str);
    for (size_t i = 0; i < names.len && !oom; i++) {
        const char *name = *(char **)mf_vec_at(&names, i);
        mf_buf p;
        mf_buf_init(&p, rs->alloc);
        size_t dl = strlen(dir);
        mf_buf_printf(&p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
        if (p.failed) {
            oom = 1;
            break;
        }
        struct stat st;
        if (stat(p.data, &st) == 0 && !S_ISREG(st.st_mode)) {
            mf_buf_free(&p);
            continue;
        }
        char *data;
        size_t len;
        const char *why = NULL;
        if (read_file(p.data, &data, &len, &why) < 0) {
            char msg[700];
            snprintf(msg, sizeof msg, "%s:1:1: cannot read: %s", p.data, why);
            if (push_error_line(rs, msg) < 0)
                oom = 1;
        } else {
            if (mf_ruleset_add_text(rs, p.data, data, len, 1) < 0)
                oom = 1;
            free(data);
        }
        mf_buf_free(&p);
    }
    for (size_t i = 0; i < names.len; i++)
        mf_free(rs->alloc, *(char **)mf_vec_at(&names, i));
    mf_vec_free(&names);
    if (oom) {
        mf_ruleset_free(rs);
        return mf_error_set(MF_ENOMEM, "out of memory while loading rules");
    }
    return conclude(out, rs);
}

size_t mf_ruleset_count(const mf_ruleset *rs)
{
    return rs ? rs->rules.len : 0;
}

const char *mf_ruleset_version(const mf_ruleset *rs)
{
    return rs ? rs->version : NULL;
}

size_t mf_ruleset_error_count(const mf_ruleset *rs)
{
    return rs ? rs->errors.len : 0;
}

const char *mf_ruleset_error_at(const mf_ruleset *rs, size_t i)
{
    char **p = rs ? mf_vec_at(&rs->errors, i) : NULL;
    return p ? *p : NULL;
}

static const char *const sev_names[] = {"none", "info", "low", "medium", "high", "critical"};

int mf_ruleset_rule_at(const mf_ruleset *rs, size_t i, mf_rule_info *info)
{
    const mf_rule *r = rs ? mf_vec_at(&rs->rules, i) : NULL;
    if (!r || !info)
        return mf_error_set(MF_EINVAL, "no rule %zu", i);
    info->id = r->id;
    info->title = r->title;
    info->category = r->category;
    info->severity = sev_names[r->severity];
    info->file = r->file;
    info->source = r->source;
    return MF_OK;
}

/* The default set, compiled once for every analysis that names no set. */
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static mf_ruleset *default_set;

static void load_default_once(void)
{
    /* kept with its errors, if any, so that analyses can name them */
    mf_ruleset *rs = NULL;
    mf_ruleset_load_default(&rs);
    default_set = rs;
}

const mf_ruleset *mf_ruleset_default(void)
{
    pthread_once(&default_once, load_default_once);
    return default_set;
}
