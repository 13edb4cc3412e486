#include "parse/net_common.h"
#include "model/snapshot.h"

#include <string.h>

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

size_t mf_net_tokens(const char *s, size_t n, mf_net_tok *out, size_t max, bool *more)
{
    size_t k = 0, i = 0;
    if (more)
        *more = false;
    while (i < n) {
        while (i < n && blank(s[i]))
            i++;
        if (i >= n)
            break;
        size_t b = i;
        while (i < n && !blank(s[i]))
            i++;
        if (k == max) {
            if (more)
                *more = true;
            break;
        }
        out[k].s = s + b;
        out[k].n = i - b;
        k++;
    }
    return k;
}

bool mf_net_tok_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool mf_net_tok_i64(const char *s, size_t n, int64_t *out)
{
    bool neg = n > 0 && s[0] == '-';
    uint64_t v;
    if (!mf_net_tok_u64(s + neg, n - neg, &v) || v > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

bool mf_net_tok_hex(const char *s, size_t n, uint64_t *out)
{
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
    }
    if (n == 0 || n > 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

bool mf_net_tok_is(const mf_net_tok *t, const char *lit)
{
    size_t l = strlen(lit);
    return t->n == l && memcmp(t->s, lit, l) == 0;
}

void mf_trim(const char **s, size_t *n)
{
    while (*n > 0 && blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && blank((*s)[*n - 1]))
        (*n)--;
}


bool mf_snaptrack_prelude(mf_snaptrack *t, const mf_line *line, const char **s,
                          size_t *n)
{
    *s = line->text;
    *n = line->len;
    mf_trim(s, n);
    if (*n == 0)
        return true;
    int64_t date;
    if (mf_date_line(*s, *n, &date)) {
        mf_snaptrack_date(t, date);
        return true;
    }
    return false;
}

void mf_snaptrack_bad(mf_snaptrack *t, uint64_t line)
{
    if (!t->bad++)
        t->first_bad = line;
}

void mf_snaptrack_warn_bad(const mf_snaptrack *t, mf_parse_ctx *pc,
                           const char *what)
{
    if (t->bad)
        mf_evidence_warn(pc->ev, pc->member, t->first_bad, "bad-row",
                         "%llu %s skipped (first shown)",
                         (unsigned long long)t->bad, what);
}

bool mf_date_line(const char *s, size_t n, int64_t *epoch)
{
    /* One reader of capture-loop time lines for the project (date(1),
     * date -R, ISO 8601, epoch, localised dates): the snapshot stage's. */
    return mf_parse_time_line(s, n, epoch);
}

void mf_snaptrack_init(mf_snaptrack *t)
{
    t->cur = -1;
    t->seq = 0;
    t->bad = t->first_bad = 0;
    t->has_date = false;
    t->date = 0;
}

void mf_snaptrack_date(mf_snaptrack *t, int64_t date)
{
    t->cur = -1;
    t->has_date = true;
    t->date = date;
}

int32_t mf_snaptrack_begin(mf_snaptrack *t, mf_parse_ctx *pc, mf_snapkind k,
                           uint64_t line)
{
    int32_t s = mf_netcfg_snapshot(pc->ev, k, pc->member, line, t->seq,
                                   t->has_date, t->date);
    if (s < 0)
        return -1;
    t->seq++;
    t->cur = s;
    t->has_date = false;
    return s;
}

int32_t mf_snaptrack_cur(mf_snaptrack *t, mf_parse_ctx *pc, mf_snapkind k,
                         uint64_t line)
{
    if (t->cur >= 0)
        return t->cur;
    return mf_snaptrack_begin(t, pc, k, line);
}

void mf_copy_field(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    for (size_t i = 0; i < n; i++) /* keep records printable */
        if ((unsigned char)dst[i] < 0x20)
            dst[i] = ' ';
}

bool mf_path_has(const char *path, const char *needle)
{
    return strstr(path, needle) != NULL;
}

bool mf_path_ends_with(const char *path, const char *suffix)
{
    size_t pl = strlen(path), sl = strlen(suffix);
    return pl >= sl && memcmp(path + pl - sl, suffix, sl) == 0;
}

int mf_kv_push(mf_parse_ctx *pc, mf_vec *v, const char *what, const char *key,
               size_t kn, const char *val, size_t vn, uint64_t line)
{
    if (!mf_netcfg_room(pc->ev, v, pc->member, what))
        return 0;
    const mf_allocator *a = pc->ev->alloc;
    char *k = mf_strndup(a, key, kn);
    mf_buf b;
    mf_buf_init(&b, a);
    bool gap = false;
    for (size_t i = 0; i < vn; i++) {
        if (blank(val[i])) {
            gap = b.len > 0;
            continue;
        }
        if (gap)
            mf_buf_append(&b, " ", 1);
        gap = false;
        mf_buf_append(&b, val + i, 1);
    }
    char *value = b.failed ? NULL : mf_buf_detach(&b);
    mf_buf_free(&b);
    mf_kv *kv = k && value ? mf_vec_push(v) : NULL;
    if (!kv) {
        mf_free(a, k);
        mf_free(a, value);
        return -1;
    }
    kv->key = k;
    kv->value = value;
    kv->loc.member = (uint32_t)pc->member;
    kv->loc.line = line;
    return 0;
}

int mf_strfact_once(mf_parse_ctx *pc, mf_strfact *f, const char *val,
                    size_t vn, uint64_t line, const char *text, size_t tn)
{
    if (f->value || vn == 0)
        return 0;
    mf_loc loc = {(uint32_t)pc->member, line};
    return mf_strfact_set(pc->ev, f, val, vn, loc, text, tn);
}
