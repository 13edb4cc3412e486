#include "parse/snapparse.h"

#include <string.h>

#define MF_BAD_ROW_WARNINGS 10

void mf_snapcur_init(mf_snapcur *c, mf_snap_kind kind)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->snap = -1;
}

static mf_snap *cur(mf_snapcur *c, mf_parse_ctx *pc)
{
    return c->snap < 0 ? NULL : mf_vec_at(&pc->ev->snaps.snaps, (size_t)c->snap);
}

void mf_snapcur_end(mf_snapcur *c, mf_parse_ctx *pc)
{
    mf_snap *s = cur(c, pc);
    mf_snapstore *st = &pc->ev->snaps;
    if (s && s->row_count == 0 && (size_t)c->snap == st->snaps.len - 1) {
        /* nothing parsed: not a snapshot */
        if (s->bad_rows)
            mf_evidence_warn(pc->ev, pc->member, s->line, "empty-snapshot",
                             "snapshot without a readable row");
        mf_free(st->names.alloc, s->text);
        st->snaps.len--;
        st->seq[c->kind]--;
        c->snaps--;
    }
    c->snap = -1;
}

mf_snap *mf_snapcur_begin(mf_snapcur *c, mf_parse_ctx *pc, uint64_t line)
{
    mf_snapcur_end(c, pc);
    mf_snapstore *st = &pc->ev->snaps;
    mf_snap *s = mf_vec_push(&st->snaps);
    if (!s)
        return NULL;
    s->kind = (uint8_t)c->kind;
    s->member = (uint32_t)pc->member;
    s->line = line;
    s->seq = st->seq[c->kind]++;
    if (c->pending) {
        s->has_time = true;
        s->time = c->pending_time;
        c->pending = false;
    }
    if (c->pending_up) {
        s->has_uptime = true;
        s->uptime_s = c->pending_uptime;
        c->pending_up = false;
    }
    c->snap = (int32_t)(st->snaps.len - 1);
    c->snaps++;
    return s;
}

mf_snap *mf_snapcur_get(mf_snapcur *c, mf_parse_ctx *pc, uint64_t line)
{
    mf_snap *s = cur(c, pc);
    return s ? s : mf_snapcur_begin(c, pc, line);
}

bool mf_snapcur_time_line(mf_snapcur *c, mf_parse_ctx *pc, const mf_line *l)
{
    int64_t t;
    if (l->len < 9 || l->len > 120)
        return false;
    if (mf_parse_uptime_line(l->text, l->len, &t)) {
        mf_snap *s = cur(c, pc);
        if (s && !s->has_uptime && !c->pending_up) {
            s->has_uptime = true;
            s->uptime_s = t;
        } else {
            c->pending_up = true;
            c->pending_uptime = t;
        }
        return true;
    }
    if (l->len > 80 || !mf_parse_time_line(l->text, l->len, &t))
        return false;
    mf_snapcur_end(c, pc);
    c->pending = true;
    c->pending_time = t;
    return true;
}

void mf_snapcur_bad(mf_snapcur *c, mf_parse_ctx *pc, const mf_line *l,
                    const char *why)
{
    mf_snap *s = cur(c, pc);
    if (s)
        s->bad_rows++;
    if (++c->bad <= MF_BAD_ROW_WARNINGS)
        mf_evidence_warn(pc->ev, pc->member, l->lineno, "bad-row", "%s: %.*s",
                         why, (int)(l->len > 80 ? 80 : l->len), l->text);
}

void mf_snapcur_close(mf_snapcur *c, mf_parse_ctx *pc)
{
    mf_snapcur_end(c, pc);
    if (c->bad > MF_BAD_ROW_WARNINGS)
        mf_evidence_warn(pc->ev, pc->member, 0, "bad-row",
                         "%u more row(s) did not parse",
                         c->bad - MF_BAD_ROW_WARNINGS);
}

int mf_snapcur_row(mf_snapcur *c, mf_parse_ctx *pc, mf_vec *v, uint64_t line,
                   void **out)
{
    *out = NULL;
    mf_snapstore *st = &pc->ev->snaps;
    /* rows feed series and tables the report aggregates: 16 bytes of it */
    if (!mf_evidence_keep(pc->ev, st->records[c->kind], mf_snap_rows_name(c->kind),
                          v->elem, 16, pc->member, line))
        return 0;
    mf_snap *s = mf_snapcur_get(c, pc, line);
    if (!s)
        return -1;
    size_t snap = (size_t)c->snap;
    void *row = mf_vec_push(v);
    if (!row)
        return -1;
    s = mf_vec_at(&st->snaps, snap);
    if (s->row_count == 0)
        s->row_first = v->len - 1;
    s->row_count++;
    st->records[c->kind]++;
    /* every row type starts with its snapshot index */
    *(uint32_t *)row = (uint32_t)snap;
    *out = row;
    return 0;
}

size_t mf_tokens(const char *s, size_t len, mf_tok *t, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i >= len)
            break;
        size_t a = i;
        while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            i++;
        t[n].s = s + a;
        t[n].len = i - a;
        n++;
    }
    return n;
}

bool mf_tok_u64(mf_tok t, uint64_t *out)
{
    if (t.len == 0 || t.len > 19)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < t.len; i++) {
        unsigned d = (unsigned)(t.s[i] - '0');
        if (d > 9)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool mf_tok_i64(mf_tok t, int64_t *out)
{
    bool neg = t.len > 1 && t.s[0] == '-';
    if (neg) {
        t.s++;
        t.len--;
    }
    uint64_t v;
    if (!mf_tok_u64(t, &v) || v > INT64_MAX)
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

bool mf_tok_double(mf_tok t, double *out, size_t *used)
{
    size_t i = 0;
    double v = 0;
    bool any = false;
    while (i < t.len && t.s[i] >= '0' && t.s[i] <= '9') {
        v = v * 10 + (t.s[i++] - '0');
        any = true;
    }
    if (i < t.len && (t.s[i] == '.' || t.s[i] == ',')) {
        double f = 0.1;
        i++;
        while (i < t.len && t.s[i] >= '0' && t.s[i] <= '9') {
            v += (t.s[i++] - '0') * f;
            f /= 10;
            any = true;
        }
    }
    if (!any)
        return false;
    *out = v;
    *used = i;
    return true;
}

bool mf_tok_kb(mf_tok t, double unit_kb, int64_t *out_kb)
{
    double v;
    size_t used;
    if (!mf_tok_double(t, &v, &used))
        return false;
    double mult = unit_kb;
    if (used < t.len) {
        switch (t.s[used] | 0x20) {
        case 'b': mult = 1.0 / 1024; break;
        case 'k': mult = 1; break;
        case 'm': mult = 1024; break;
        case 'g': mult = 1024.0 * 1024; break;
        case 't': mult = 1024.0 * 1024 * 1024; break;
        default: return false;
        }
        used++;
        /* Ki, iB, B, kB */
        while (used < t.len && (t.s[used] == 'i' || t.s[used] == 'B' ||
                                t.s[used] == 'b'))
            used++;
        if (used != t.len)
            return false;
    }
    double kb = v * mult;
    if (kb > 9.0e15)
        return false;
    *out_kb = (int64_t)(kb + 0.5);
    return true;
}

bool mf_tok_eq(mf_tok t, const char *s)
{
    size_t n = strlen(s);
    return t.len == n && memcmp(t.s, s, n) == 0;
}

bool mf_line_blank(const mf_line *l)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->text[i] != ' ' && l->text[i] != '\t' && l->text[i] != '\r')
            return false;
    return true;
}

bool mf_parse_node_zone(const char *s, size_t len, int32_t *node, mf_tok *zone,
                        size_t *rest)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    if (len - i < 5 || memcmp(s + i, "Node", 4) != 0)
        return false;
    i += 4;
    while (i < len && s[i] == ' ')
        i++;
    int64_t n = 0;
    size_t d = i;
    while (i < len && s[i] >= '0' && s[i] <= '9' && i - d < 6)
        n = n * 10 + (s[i++] - '0');
    if (i == d || i >= len || s[i] != ',')
        return false;
    i++;
    while (i < len && s[i] == ' ')
        i++;
    if (len - i < 5 || memcmp(s + i, "zone", 4) != 0)
        return false;
    i += 4;
    while (i < len && s[i] == ' ')
        i++;
    size_t z = i;
    while (i < len && s[i] != ' ' && s[i] != ',' && s[i] != '\t' && s[i] != '\r')
        i++;
    if (i == z)
        return false;
    zone->s = s + z;
    zone->len = i - z;
    *node = (int32_t)n;
    *rest = i;
    return true;
}

int mf_head_count_lines(const char *head, size_t len, const char *prefix,
                        bool skip_blanks, const char *const *needles,
                        int max_lines)
{
    int count = 0, lines = 0;
    size_t plen = prefix ? strlen(prefix) : 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < max_lines) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end, *s = p;
        lines++;
        p = nl ? nl + 1 : end;
        if (skip_blanks)
            while (s < le && (*s == ' ' || *s == '\t'))
                s++;
        if ((size_t)(le - s) < plen || memcmp(s, prefix, plen) != 0)
            continue;
        bool all = true;
        for (size_t i = 0; all && needles && needles[i]; i++)
            all = mf_memmem(s, (size_t)(le - s), needles[i], strlen(needles[i])) != NULL;
        count += all;
    }
    return count;
}
