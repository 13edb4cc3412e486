/* net_dev.c - /proc/net/dev (net/core/net-procfs.c dev_seq_printf_stats):
 *   Inter-|   Receive                                                |  Transmit
 *    face |bytes    packets errs drop fifo frame compressed multicast|bytes ...
 *     eth0: 1234 ...  (8 receive then 8 transmit counters)
 * Old kernels print `eth0:1234` with no blank after the colon. */
#include <string.h>

#include "parse/net_common.h"

static int netdev_bid(const char *path, const char *head, size_t len)
{
    bool hdr = mf_memmem(head, len, "Inter-|", 7) &&
               mf_memmem(head, len, " face |", 7);
    bool name = mf_path_basename_is(path, "dev") &&
                mf_path_has(path, "net/dev");
    if (hdr)
        return 95;
    return name ? 40 : 0;
}

typedef struct netdev_state {
    mf_snaptrack track;
} netdev_state;

static void *netdev_open(mf_parse_ctx *pc)
{
    netdev_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (st)
        mf_snaptrack_init(&st->track);
    return st;
}

static int netdev_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    netdev_state *st = state;
    const char *s;
    size_t n;
    if (mf_snaptrack_prelude(&st->track, line, &s, &n))
        return 0;
    if (mf_starts_with(s, n, "Inter-|")) {
        return mf_snaptrack_begin(&st->track, pc, MF_NETSNAP_NET_DEV,
                                  line->lineno) < 0 ? -1 : 0;
    }
    if (mf_memmem(s, n, " face |", 7) || mf_starts_with(s, n, "face |"))
        return 0;
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s)
        return 0; /* a prompt or a note */
    size_t in = (size_t)(colon - s);
    const char *after = colon + 1;
    while (after < s + n && (*after == ' ' || *after == '\t'))
        after++;
    if (after == s + n || *after < '0' || *after > '9')
        return 0; /* `root@ap:~# cat /proc/net/dev`, notes */
    mf_net_tok t[17];
    bool more;
    size_t k = mf_net_tokens(colon + 1, (size_t)(s + n - colon - 1), t, 17, &more);
    mf_netdev_row r;
    memset(&r, 0, sizeof r);
    bool ok = k == MF_NETDEV_FIELDS && !more && in < sizeof r.iface &&
              !memchr(s, ' ', in);
    for (size_t i = 0; ok && i < k; i++)
        ok = mf_net_tok_u64(t[i].s, t[i].n, &r.v[i]);
    if (!ok) {
        mf_snaptrack_bad(&st->track, line->lineno);
        return 0;
    }
    mf_netcfg *nc = mf_netcfg_get(pc->ev);
    if (!nc)
        return -1;
    if (!mf_netcfg_room(pc->ev, &nc->netdev, pc->member, "net/dev rows"))
        return 0;
    int32_t snap = mf_snaptrack_cur(&st->track, pc, MF_NETSNAP_NET_DEV, line->lineno);
    if (snap < 0)
        return -1;
    mf_netdev_row *row = mf_vec_push(&nc->netdev);
    if (!row)
        return -1;
    *row = r;
    mf_copy_field(row->iface, sizeof row->iface, s, in);
    row->snap = (uint32_t)snap;
    row->loc.member = (uint32_t)pc->member;
    row->loc.line = line->lineno;
    return 0;
}

static void netdev_close(void *state, mf_parse_ctx *pc)
{
    netdev_state *st = state;
    mf_snaptrack_warn_bad(&st->track, pc, "malformed /proc/net/dev row(s)");
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_net_dev = {
    "net-dev", "/proc/net/dev interface counters", netdev_bid, false,
    netdev_open, netdev_line, NULL, netdev_close,
};
