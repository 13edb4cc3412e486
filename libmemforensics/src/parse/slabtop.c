/* slabtop.c - `slabtop -o` (once) output: the summary, then one row per
 * cache: OBJS ACTIVE USE OBJ-SIZE SLABS OBJ/SLAB CACHE-SIZE NAME. Each
 * summary (or header after rows) starts a snapshot. */
#include <string.h>

#include "parse/snapparse.h"

static int slabtop_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    if (mf_memmem(head, len, "Active / Total Objects (% used)", 31))
        return 95;
    if (mf_memmem(head, len, "OBJS ACTIVE  USE OBJ SIZE", 25))
        return 90;
    return 0;
}

static void *slabtop_open(mf_parse_ctx *pc)
{
    mf_snapcur *c = mf_calloc(pc->ev->alloc, 1, sizeof *c);
    if (c)
        mf_snapcur_init(c, MF_SNAP_SLAB);
    return c;
}

static bool has_rows(mf_snapcur *c, mf_parse_ctx *pc)
{
    mf_snap *s = c->snap < 0 ? NULL
                             : mf_vec_at(&pc->ev->snaps.snaps, (size_t)c->snap);
    return s && s->row_count > 0;
}

static int slabtop_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    mf_snapcur *c = state;
    if (mf_line_blank(l))
        return 0;
    if (mf_memmem(l->text, l->len, "Active / Total Objects", 22))
        return mf_snapcur_begin(c, pc, l->lineno) ? 0 : -1;
    if (mf_memmem(l->text, l->len, "OBJS ACTIVE", 11)) {
        if (has_rows(c, pc) && !mf_snapcur_begin(c, pc, l->lineno))
            return -1;
        return 0;
    }
    if (mf_memmem(l->text, l->len, "Active / Total", 14) ||
        mf_memmem(l->text, l->len, "Minimum / Average / Maximum", 27))
        return 0;
    mf_tok t[12];
    size_t n = mf_tokens(l->text, l->len, t, 12);
    uint64_t objs, active, slabs, per;
    int64_t objsize_b, cache_kb;
    if (n < 8 || !mf_tok_u64(t[0], &objs) || !mf_tok_u64(t[1], &active) ||
        t[2].len < 2 || t[2].s[t[2].len - 1] != '%' ||
        !mf_tok_kb(t[3], 1, &objsize_b) || !mf_tok_u64(t[4], &slabs) ||
        !mf_tok_u64(t[5], &per) || !mf_tok_kb(t[6], 1, &cache_kb)) {
        if (mf_snapcur_time_line(c, pc, l))
            return 0;
        mf_snapcur_bad(c, pc, l, "slabtop row");
        return 0;
    }
    /* OBJ SIZE is printed in K with two decimals: back to bytes */
    double osz = 0;
    size_t used;
    mf_tok_double(t[3], &osz, &used);
    if (!(osz >= 0 && osz * 1024 + 0.5 < 4294967296.0)) { /* an object is < 4 GiB */
        mf_snapcur_bad(c, pc, l, "slabtop object size");
        return 0;
    }
    void *p;
    if (mf_snapcur_row(c, pc, &pc->ev->snaps.slab, l->lineno, &p) < 0)
        return -1;
    if (!p)
        return 0;
    mf_slab_row *r = p;
    /* the name is the rest of the line (one token in practice) */
    const char *ne = l->text + l->len;
    while (ne > t[7].s && (ne[-1] == ' ' || ne[-1] == '\r' || ne[-1] == '\t'))
        ne--;
    r->name = mf_strtab_intern(&pc->ev->snaps.names, t[7].s,
                               (size_t)(ne - t[7].s));
    if (r->name == UINT32_MAX)
        return -1;
    r->num_objs = objs;
    r->active_objs = active;
    r->objsize = (uint32_t)(osz * 1024 + 0.5);
    r->num_slabs = slabs;
    r->objperslab = (uint32_t)per;
    r->bytes = (uint64_t)cache_kb * 1024;
    r->line = l->lineno;
    return 0;
}

static void slabtop_close(void *state, mf_parse_ctx *pc)
{
    mf_snapcur_close(state, pc);
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_slabtop = {
    "slabtop", "`slabtop -o` output", slabtop_bid, false,
    slabtop_open, slabtop_line, NULL, slabtop_close,
};
