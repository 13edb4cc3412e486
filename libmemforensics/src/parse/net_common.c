#include "parse/net_common.h"

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


static int month_of(const char *s, size_t n)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
                                      "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"};
    if (n != 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (memcmp(s, mon[i], 3) == 0)
            return i + 1;
    return 0;
}

static bool is_weekday(const char *s, size_t n)
{
    static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};
    if (n != 3)
        return false;
    for (int i = 0; i < 7; i++)
        if (memcmp(s, wd[i], 3) == 0)
            return true;
    return false;
}

/* HH:MM:SS into seconds. */
static bool hms(const char *s, size_t n, int64_t *out)
{
    if (n != 8 || s[2] != ':' || s[5] != ':')
        return false;
    uint64_t h, m, sec;
    if (!mf_net_tok_u64(s, 2, &h) || !mf_net_tok_u64(s + 3, 2, &m) ||
        !mf_net_tok_u64(s + 6, 2, &sec) || h > 23 || m > 59 || sec > 60)
        return false;
    *out = (int64_t)(h * 3600 + m * 60 + sec);
    return true;
}

/* +HHMM, +HH:MM, -HHMM, Z: offset in seconds. */
static bool utc_offset(const char *s, size_t n, int64_t *off)
{
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *off = 0;
        return true;
    }
    if ((n != 5 && n != 6) || (s[0] != '+' && s[0] != '-'))
        return false;
    uint64_t h, m;
    if (!mf_net_tok_u64(s + 1, 2, &h))
        return false;
    if (!mf_net_tok_u64(s + n - 2, 2, &m) || (n == 6 && s[3] != ':'))
        return false;
    *off = (int64_t)(h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
    return true;
}

static bool is_zone_name(const char *s, size_t n)
{
    if (n < 2 || n > 6)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= 'A' && s[i] <= 'Z'))
            return false;
    return true;
}

bool mf_date_line(const char *s, size_t n, int64_t *epoch)
{
    /* Strip decorations such as `=== `, `# `, `date: `. */
    while (n > 0 && (blank(*s) || *s == '=' || *s == '#' || *s == '-' ||
                     *s == '*' || *s == '['))
        s++, n--;
    while (n > 0 && (blank(s[n - 1]) || s[n - 1] == '=' || s[n - 1] == '#' ||
                     s[n - 1] == '-' || s[n - 1] == '*' || s[n - 1] == ']'))
        n--;
    if (n >= 6 && memcmp(s, "date: ", 6) == 0)
        s += 6, n -= 6;
    if (n == 0 || n > 64)
        return false;
    mf_net_tok t[8];
    bool more;
    size_t k = mf_net_tokens(s, n, t, 8, &more);
    if (more || k == 0)
        return false;
    uint64_t v;
    if (k == 1 && t[0].n >= 9 && t[0].n <= 11 && mf_net_tok_u64(t[0].s, t[0].n, &v)) {
        *epoch = (int64_t)v;
        return true;
    }
    /* ISO: 2019-08-06 15:35:12[.fff][+08:00] or 2019-08-06T15:35:12 */
    if (t[0].n >= 10 && t[0].s[4] == '-' && t[0].s[7] == '-') {
        uint64_t y, mo, d;
        if (!mf_net_tok_u64(t[0].s, 4, &y) || !mf_net_tok_u64(t[0].s + 5, 2, &mo) ||
            !mf_net_tok_u64(t[0].s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
            d > 31)
            return false;
        const char *tp;
        size_t tn;
        size_t next;
        if (t[0].n > 10 && (t[0].s[10] == 'T' || t[0].s[10] == '_')) {
            tp = t[0].s + 11;
            tn = t[0].n - 11;
            next = 1;
        } else if (t[0].n == 10 && k >= 2) {
            tp = t[1].s;
            tn = t[1].n;
            next = 2;
        } else {
            return false;
        }
        if (tn < 8)
            return false;
        int64_t sec, off = 0;
        if (!hms(tp, 8, &sec))
            return false;
        const char *rest = tp + 8;
        size_t rn = tn - 8;
        if (rn && *rest == '.') { /* fraction */
            rest++, rn--;
            while (rn && *rest >= '0' && *rest <= '9')
                rest++, rn--;
        }
        if (rn && !utc_offset(rest, rn, &off))
            return false;
        for (size_t i = next; i < k; i++) {
            if (utc_offset(t[i].s, t[i].n, &off))
                continue;
            if (!is_zone_name(t[i].s, t[i].n))
                return false;
        }
        *epoch = mf_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) *
                     86400 + sec - off;
        return true;
    }
    /* date(1): Www Mmm dd HH:MM:SS [ZONE] YYYY */
    if (k >= 5 && is_weekday(t[0].s, t[0].n)) {
        int mo = month_of(t[1].s, t[1].n);
        uint64_t d, y;
        int64_t sec, off = 0;
        if (!mo || !mf_net_tok_u64(t[2].s, t[2].n, &d) || d < 1 || d > 31 ||
            !hms(t[3].s, t[3].n, &sec))
            return false;
        size_t i = 4;
        if (k == 6) {
            if (!utc_offset(t[4].s, t[4].n, &off) &&
                !is_zone_name(t[4].s, t[4].n))
                return false;
            i = 5;
        } else if (k != 5) {
            return false;
        }
        if (t[i].n != 4 || !mf_net_tok_u64(t[i].s, 4, &y))
            return false;
        *epoch = mf_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) *
                     86400 + sec - off;
        return true;
    }
    return false;
}

void mf_snaptrack_init(mf_snaptrack *t)
{
    t->cur = -1;
    t->seq = 0;
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
