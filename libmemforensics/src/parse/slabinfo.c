/* slabinfo.c - /proc/slabinfo, versions 2.0 and 2.1 (and the 1.1 column
 * order of old kernels), one snapshot per `slabinfo - version` header or
 * per capture-loop time line. Growth is measured on num_objs and num_slabs:
 * SLUB counts per-cpu slabs as full in active_objs. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct slab_state {
    mf_snapcur c;
    int version; /* 10 * major + minor, 0 unknown */
} slab_state;

static int slabinfo_bid(const char *path, const char *head, size_t len)
{
    if (len >= 19 && memcmp(head, "slabinfo - version:", 19) == 0)
        return 100;
    if (mf_memmem(head, len, "\nslabinfo - version:", 20))
        return 90; /* a capture loop: a date line first */
    if (mf_path_basename_is(path, "slabinfo") &&
        mf_head_count_lines_with(head, len, ": tunables", 40) >= 3)
        return 80;
    return 0;
}

static void *slabinfo_open(mf_parse_ctx *pc)
{
    slab_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s)
        mf_snapcur_init(&s->c, MF_SNAP_SLAB);
    return s;
}

static int slabinfo_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    slab_state *s = state;
    if (l->len == 0 || mf_line_blank(l))
        return 0;
    const char *t = l->text;
    if (l->len >= 19 && memcmp(t, "slabinfo - version:", 19) == 0) {
        s->version = 0;
        for (size_t i = 19; i < l->len && s->version < 1000; i++)
            if (t[i] >= '0' && t[i] <= '9')
                s->version = s->version * 10 + (t[i] - '0');
        return mf_snapcur_begin(&s->c, pc, l->lineno) ? 0 : -1;
    }
    if (t[0] == '#')
        return 0; /* column header */
    mf_tok tok[24];
    size_t n = mf_tokens(t, l->len, tok, 24);
    uint64_t v[5];
    bool nums = n >= 6;
    for (size_t i = 0; nums && i < 5; i++)
        nums = mf_tok_u64(tok[i + 1], &v[i]);
    if (!nums) {
        if (mf_snapcur_time_line(&s->c, pc, l))
            return 0;
        mf_snapcur_bad(&s->c, pc, l, "slabinfo row");
        return 0;
    }
    uint64_t num_slabs = 0;
    bool have_slabs = false;
    if (n >= 7 && !mf_tok_eq(tok[6], ":")) {
        /* 1.1: name active num objsize active_slabs num_slabs pagesperslab */
        uint64_t pps;
        if (!mf_tok_u64(tok[6], &pps)) {
            mf_snapcur_bad(&s->c, pc, l, "slabinfo row");
            return 0;
        }
        num_slabs = v[4];
        v[4] = pps;
        v[3] = 0;
        have_slabs = true;
    } else {
        for (size_t i = 6; i + 2 < n; i++)
            if (mf_tok_eq(tok[i], "slabdata")) {
                have_slabs = mf_tok_u64(tok[i + 2], &num_slabs);
                break;
            }
        if (!have_slabs) {
            mf_snapcur_bad(&s->c, pc, l, "slabinfo row without slabdata");
            return 0;
        }
    }
    if (v[0] > v[1] || v[2] > (1u << 30) || v[4] > 1024) {
        mf_snapcur_bad(&s->c, pc, l, "slabinfo row out of range");
        return 0;
    }
    void *p;
    if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.slab, l->lineno, &p) < 0)
        return -1;
    if (!p)
        return 0;
    mf_slab_row *r = p;
    r->name = mf_strtab_intern(&pc->ev->snaps.names, tok[0].s, tok[0].len);
    if (r->name == UINT32_MAX)
        return -1;
    r->active_objs = v[0];
    r->num_objs = v[1];
    r->objsize = (uint32_t)v[2];
    r->objperslab = (uint32_t)v[3];
    r->pagesperslab = (uint32_t)v[4];
    r->num_slabs = num_slabs;
    r->line = l->lineno;
    return 0;
}

static void slabinfo_close(void *state, mf_parse_ctx *pc)
{
    slab_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_slabinfo = {
    "slabinfo", "/proc/slabinfo snapshots (2.0, 2.1; capture loops)",
    slabinfo_bid, false, slabinfo_open, slabinfo_line, NULL, slabinfo_close,
};
