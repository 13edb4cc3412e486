/* rt6_stats.c - /proc/net/rt6_stats (net/ipv6/route.c rt6_stats_seq_show):
 *   %04x %04x %04x %04x %04x %04x %04x
 * fib_nodes, fib_route_nodes, fib_rt_alloc, fib_rt_entries, fib_rt_cache,
 * dst entries (dst_entries_get_slow of ip6_dst_ops), fib_discarded_routes.
 * Hex, not decimal; the sixth field rises with the fib6_rule_suppress leak. */
#include <string.h>

#include "parse/net_common.h"

static bool rt6_row(const char *s, size_t n, uint32_t f[7])
{
    mf_net_tok t[8];
    bool more;
    mf_trim(&s, &n);
    if (mf_net_tokens(s, n, t, 8, &more) != 7 || more)
        return false;
    for (int i = 0; i < 7; i++) {
        uint64_t v;
        if (t[i].n < 4 || t[i].n > 8 || !mf_net_tok_hex(t[i].s, t[i].n, &v) ||
            t[i].s[1] == 'x')
            return false;
        f[i] = (uint32_t)v;
    }
    return true;
}

static int rt6_bid(const char *path, const char *head, size_t len)
{
    bool name = mf_path_has(path, "rt6_stats");
    bool row = false;
    const char *p = head, *end = head + len;
    for (int lines = 0; p < end && lines < 5 && !row; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        uint32_t f[7];
        row = rt6_row(p, (size_t)(le - p), f);
        p = nl ? nl + 1 : end;
    }
    if (name)
        return row ? 95 : 40;
    return row ? 35 : 0;
}

typedef struct rt6_state {
    mf_snaptrack track;
} rt6_state;

static void *rt6_open(mf_parse_ctx *pc)
{
    rt6_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (st)
        mf_snaptrack_init(&st->track);
    return st;
}

static int rt6_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    rt6_state *st = state;
    const char *s;
    size_t n;
    if (mf_snaptrack_prelude(&st->track, line, &s, &n))
        return 0;
    uint32_t f[7];
    if (!rt6_row(s, n, f)) {
        bool hexish = (s[0] >= '0' && s[0] <= '9') || (s[0] >= 'a' && s[0] <= 'f');
        if (!hexish)
            return 0; /* a prompt or a note */
        mf_snaptrack_bad(&st->track, line->lineno);
        return 0;
    }
    mf_netcfg *nc = mf_netcfg_get(pc->ev);
    if (!nc)
        return -1;
    if (!mf_netcfg_room(pc->ev, &nc->rt6, pc->member, "rt6_stats rows"))
        return 0;
    /* every row is one snapshot */
    int32_t snap = mf_snaptrack_begin(&st->track, pc, MF_NETSNAP_RT6_STATS,
                                      line->lineno);
    if (snap < 0)
        return -1;
    mf_rt6_stats *r = mf_vec_push(&nc->rt6);
    if (!r)
        return -1;
    r->snap = (uint32_t)snap;
    memcpy(r->field, f, sizeof r->field);
    r->loc.member = (uint32_t)pc->member;
    r->loc.line = line->lineno;
    return 0;
}

static void rt6_close(void *state, mf_parse_ctx *pc)
{
    rt6_state *st = state;
    mf_snaptrack_warn_bad(&st->track, pc, "line(s) that are not rt6_stats rows");
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_rt6_stats = {
    "rt6-stats", "/proc/net/rt6_stats IPv6 route statistics", rt6_bid, false,
    rt6_open, rt6_line, NULL, rt6_close,
};
