/* meminfo.c - /proc/meminfo: `Key:  N kB` (HugePages_* are counts), any
 * subset of keys, any kernel. A key seen twice (MemTotal, in practice)
 * starts the next snapshot of a capture loop. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct mi_state {
    mf_snapcur c;
    uint32_t first_key; /* first key of the open snapshot */
} mi_state;

static int meminfo_bid(const char *path, const char *head, size_t len)
{
    int bid = mf_path_basename_is(path, "meminfo") ? 40 : 0;
    if (len >= 9 && memcmp(head, "MemTotal:", 9) == 0)
        bid = 95;
    else if (mf_memmem(head, len, "\nMemTotal:", 10) &&
             mf_memmem(head, len, "\nMemFree:", 9))
        bid = bid ? 80 : 60;
    return bid;
}

static void *mi_open(mf_parse_ctx *pc)
{
    mi_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s) {
        mf_snapcur_init(&s->c, MF_SNAP_MEMINFO);
        s->first_key = UINT32_MAX;
    }
    return s;
}

static int mi_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    mi_state *s = state;
    if (mf_line_blank(l))
        return 0;
    const char *colon = memchr(l->text, ':', l->len);
    mf_tok t[4];
    size_t n = 0;
    int64_t v = 0;
    bool ok = colon && colon > l->text && colon - l->text < 64 &&
              l->text[0] != ' ';
    for (const char *p = l->text; ok && p < colon; p++)
        ok = *p > ' ' && *p < 127;
    if (ok) {
        n = mf_tokens(colon + 1, (size_t)(l->text + l->len - colon - 1), t, 4);
        ok = (n == 1 || (n == 2 && (mf_tok_eq(t[1], "kB") ||
                                    mf_tok_eq(t[1], "KB")))) &&
             mf_tok_i64(t[0], &v);
    }
    if (!ok) {
        if (mf_snapcur_time_line(&s->c, pc, l)) {
            s->first_key = UINT32_MAX;
            return 0;
        }
        mf_snapcur_bad(&s->c, pc, l, "meminfo line");
        return 0;
    }
    mf_snapstore *st = &pc->ev->snaps;
    uint32_t key = mf_strtab_intern(&st->names, l->text,
                                    (size_t)(colon - l->text));
    if (key == UINT32_MAX)
        return -1;
    if (key == s->first_key || s->c.snap < 0) {
        if (!mf_snapcur_begin(&s->c, pc, l->lineno))
            return -1;
        s->first_key = key;
    }
    void *p;
    if (mf_snapcur_row(&s->c, pc, &st->named, l->lineno, &p) < 0)
        return -1;
    if (!p)
        return 0;
    mf_named_row *r = p;
    r->name = key;
    r->v0 = v;
    r->line = l->lineno;
    if (colon - l->text == 8 && memcmp(l->text, "MemTotal", 8) == 0) {
        mf_snap *sn = mf_vec_at(&st->snaps, (size_t)s->c.snap);
        if (!sn->text) {
            sn->text = mf_evidence_excerpt(pc->ev, l->text, l->len);
            if (!sn->text)
                return -1;
            sn->text_line = l->lineno;
        }
    }
    return 0;
}

static void mi_close(void *state, mf_parse_ctx *pc)
{
    mi_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_meminfo = {
    "meminfo", "/proc/meminfo snapshots", meminfo_bid, false,
    mi_open, mi_line, NULL, mi_close,
};
