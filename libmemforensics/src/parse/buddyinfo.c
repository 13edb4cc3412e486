/* buddyinfo.c - /proc/buddyinfo: `Node N, zone NAME` and the count of free
 * blocks of each order (usually 11 orders). A (node, zone) seen twice
 * starts the next snapshot of a capture loop. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct buddy_state {
    mf_snapcur c;
    uint32_t seen[32]; /* node << 16 | zone id of the open snapshot */
    size_t nseen;
} buddy_state;

static int buddyinfo_bid(const char *path, const char *head, size_t len)
{
    if (mf_memmem(head, len, "Page block order", 16) ||
        mf_memmem(head, len, "pages free", 10))
        return 0;
    /* rows start with `Node N, zone` (a dmesg line "On node 0, zone DMA:
     * ..." does not) */
    static const char *const zone[] = {", zone ", NULL};
    int n = mf_head_count_lines(head, len, "Node ", false, zone, 40);
    if (n >= 1 && (len >= 5 && memcmp(head, "Node ", 5) == 0))
        return 95;
    if (n >= 1)
        return mf_path_basename_is(path, "buddyinfo") ? 90 : 70;
    return 0;
}

static void *buddyinfo_open(mf_parse_ctx *pc)
{
    buddy_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s)
        mf_snapcur_init(&s->c, MF_SNAP_BUDDY);
    return s;
}

static int buddyinfo_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    buddy_state *s = state;
    if (mf_line_blank(l))
        return 0;
    int32_t node;
    mf_tok zone;
    size_t rest;
    if (!mf_parse_node_zone(l->text, l->len, &node, &zone, &rest)) {
        if (mf_snapcur_time_line(&s->c, pc, l)) {
            s->nseen = 0;
            return 0;
        }
        mf_snapcur_bad(&s->c, pc, l, "buddyinfo row");
        return 0;
    }
    mf_tok t[MF_MAX_ORDER + 1];
    size_t n = mf_tokens(l->text + rest, l->len - rest, t, MF_MAX_ORDER + 1);
    uint64_t cnt[MF_MAX_ORDER];
    bool ok = n >= 1 && n <= MF_MAX_ORDER;
    for (size_t i = 0; ok && i < n; i++)
        ok = mf_tok_u64(t[i], &cnt[i]) && cnt[i] <= (MF_MAX_PAGES >> i);
    if (!ok) {
        mf_snapcur_bad(&s->c, pc, l, "buddyinfo counts");
        return 0;
    }
    uint32_t zid = mf_strtab_intern(&pc->ev->snaps.names, zone.s, zone.len);
    if (zid == UINT32_MAX)
        return -1;
    uint32_t key = ((uint32_t)node << 16) ^ zid;
    bool repeat = false;
    for (size_t i = 0; i < s->nseen; i++)
        repeat |= s->seen[i] == key;
    if (repeat || s->c.snap < 0) {
        s->nseen = 0;
        if (!mf_snapcur_begin(&s->c, pc, l->lineno))
            return -1;
    }
    if (s->nseen < 32)
        s->seen[s->nseen++] = key;
    void *p;
    if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.zone, l->lineno, &p) < 0)
        return -1;
    if (!p)
        return 0;
    mf_zone_row *r = p;
    r->node = node;
    r->zone = zid;
    r->type = UINT32_MAX;
    r->norders = (uint8_t)n;
    memcpy(r->count, cnt, n * sizeof cnt[0]);
    r->line = l->lineno;
    return 0;
}

static void buddyinfo_close(void *state, mf_parse_ctx *pc)
{
    buddy_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_buddyinfo = {
    "buddyinfo", "/proc/buddyinfo snapshots", buddyinfo_bid, false,
    buddyinfo_open, buddyinfo_line, NULL, buddyinfo_close,
};
