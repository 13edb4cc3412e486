/* zoneinfo.c - /proc/zoneinfo: per zone the free pages, the min/low/high
 * watermarks and managed pages. A zone seen twice starts the next
 * snapshot. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct zi_state {
    mf_snapcur c;
    mf_zone_row *row; /* index kept: the vector may move */
    size_t row_index;
    bool in_zone;
    uint32_t seen[32];
    size_t nseen;
} zi_state;

static int zoneinfo_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    if (mf_memmem(head, len, "pages free", 10) &&
        mf_memmem(head, len, ", zone ", 7))
        return 95;
    return 0;
}

static void *zi_open(mf_parse_ctx *pc)
{
    zi_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s)
        mf_snapcur_init(&s->c, MF_SNAP_ZONEINFO);
    return s;
}

static int zi_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    zi_state *s = state;
    if (mf_line_blank(l))
        return 0;
    int32_t node;
    mf_tok zone;
    size_t rest;
    if (mf_parse_node_zone(l->text, l->len, &node, &zone, &rest)) {
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
        s->in_zone = p != NULL;
        if (p) {
            mf_zone_row *r = p;
            r->node = node;
            r->zone = zid;
            r->type = UINT32_MAX;
            r->free = r->min = r->low = r->high = r->managed = -1;
            r->line = l->lineno;
            s->row_index = pc->ev->snaps.zone.len - 1;
        }
        return 0;
    }
    if (l->text[0] != ' ' && l->text[0] != '\t') {
        s->in_zone = false; /* Node N, per-node stats etc. */
        if (mf_starts_with(l->text, l->len, "Node "))
            return 0;
        if (!mf_snapcur_time_line(&s->c, pc, l))
            mf_snapcur_bad(&s->c, pc, l, "zoneinfo line");
        return 0;
    }
    if (!s->in_zone)
        return 0;
    mf_tok t[4];
    size_t n = mf_tokens(l->text, l->len, t, 4);
    mf_zone_row *r = mf_vec_at(&pc->ev->snaps.zone, s->row_index);
    /* the page count this line gives, if it is one the row keeps */
    int64_t *dst = NULL;
    if (n == 3 && mf_tok_eq(t[0], "pages") && mf_tok_eq(t[1], "free"))
        dst = &r->free;
    else if (n == 2 && mf_tok_eq(t[0], "min"))
        dst = &r->min;
    else if (n == 2 && mf_tok_eq(t[0], "low"))
        dst = &r->low;
    else if (n == 2 && mf_tok_eq(t[0], "high"))
        dst = &r->high;
    else if (n == 2 && mf_tok_eq(t[0], "managed"))
        dst = &r->managed;
    else if (n == 2 && mf_tok_eq(t[0], "nr_free_pages") && r->free < 0)
        dst = &r->free;
    int64_t v;
    if (!dst || !mf_tok_i64(t[n - 1], &v))
        return 0;
    /* no zone has more pages: times the page size it overflowed (event
     * counters such as numa_hit may be that large; they are not read) */
    if (v > (int64_t)MF_MAX_PAGES)
        mf_snapcur_bad(&s->c, pc, l, "zoneinfo page count");
    else
        *dst = v;
    return 0;
}

static void zi_close(void *state, mf_parse_ctx *pc)
{
    zi_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_zoneinfo = {
    "zoneinfo", "/proc/zoneinfo snapshots (free pages, watermarks)",
    zoneinfo_bid, false, zi_open, zi_line, NULL, zi_close,
};
