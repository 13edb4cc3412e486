/* pagetypeinfo.c - /proc/pagetypeinfo: free blocks per order for each
 * migrate type (`>100000` means capped, 5.4+), then blocks per type. Each
 * `Page block order` header starts a snapshot. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct pti_state {
    mf_snapcur c;
    bool in_blocks; /* the `Number of blocks type` table */
} pti_state;

static int pagetypeinfo_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    if (mf_memmem(head, len, "Page block order:", 17))
        return 95;
    if (mf_head_count_lines_with(head, len, ", type ", 40) >= 2)
        return 80;
    return 0;
}

static void *pti_open(mf_parse_ctx *pc)
{
    pti_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s)
        mf_snapcur_init(&s->c, MF_SNAP_PAGETYPE);
    return s;
}

static int pti_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    pti_state *s = state;
    if (mf_line_blank(l))
        return 0;
    if (mf_starts_with(l->text, l->len, "Page block order")) {
        s->in_blocks = false;
        return mf_snapcur_begin(&s->c, pc, l->lineno) ? 0 : -1;
    }
    if (mf_starts_with(l->text, l->len, "Pages per block") ||
        mf_starts_with(l->text, l->len, "Free pages count"))
        return 0;
    if (mf_starts_with(l->text, l->len, "Number of ")) {
        s->in_blocks = true;
        return 0;
    }
    int32_t node;
    mf_tok zone;
    size_t rest;
    if (!mf_parse_node_zone(l->text, l->len, &node, &zone, &rest)) {
        if (!mf_snapcur_time_line(&s->c, pc, l))
            mf_snapcur_bad(&s->c, pc, l, "pagetypeinfo row");
        return 0;
    }
    if (s->in_blocks)
        return 0;
    const char *p = l->text + rest, *e = l->text + l->len;
    while (p < e && (*p == ',' || *p == ' '))
        p++;
    if (e - p < 5 || memcmp(p, "type", 4) != 0) {
        mf_snapcur_bad(&s->c, pc, l, "pagetypeinfo row without type");
        return 0;
    }
    mf_tok t[MF_MAX_ORDER + 2];
    size_t n = mf_tokens(p + 4, (size_t)(e - p - 4), t, MF_MAX_ORDER + 2);
    if (n < 2 || n > MF_MAX_ORDER + 1) {
        mf_snapcur_bad(&s->c, pc, l, "pagetypeinfo counts");
        return 0;
    }
    uint64_t cnt[MF_MAX_ORDER];
    bool capped = false;
    for (size_t i = 1; i < n; i++) {
        mf_tok x = t[i];
        if (x.len && x.s[0] == '>') {
            capped = true;
            x.s++;
            x.len--;
        }
        if (!mf_tok_u64(x, &cnt[i - 1]) || cnt[i - 1] > (MF_MAX_PAGES >> (i - 1))) {
            mf_snapcur_bad(&s->c, pc, l, "pagetypeinfo counts");
            return 0;
        }
    }
    void *row;
    if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.zone, l->lineno, &row) < 0)
        return -1;
    if (!row)
        return 0;
    mf_zone_row *r = row;
    r->node = node;
    r->zone = mf_strtab_intern(&pc->ev->snaps.names, zone.s, zone.len);
    r->type = mf_strtab_intern(&pc->ev->snaps.names, t[0].s, t[0].len);
    r->norders = (uint8_t)(n - 1);
    r->capped = capped;
    memcpy(r->count, cnt, (n - 1) * sizeof cnt[0]);
    r->line = l->lineno;
    return r->zone == UINT32_MAX || r->type == UINT32_MAX ? -1 : 0;
}

static void pti_close(void *state, mf_parse_ctx *pc)
{
    pti_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_pagetypeinfo = {
    "pagetypeinfo", "/proc/pagetypeinfo snapshots", pagetypeinfo_bid, false,
    pti_open, pti_line, NULL, pti_close,
};
