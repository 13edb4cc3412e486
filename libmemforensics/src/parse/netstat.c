/* netstat.c - `netstat -an`, `netstat -6 -an`, `netstat -anp`, `netstat
 * -anpe` (net-tools and busybox):
 *
 *   Proto Recv-Q Send-Q Local Address   Foreign Address  State   PID/Program name
 *   raw6  213120      0 :::58           :::*             7       812/zebra
 *
 * Recv-Q and Send-Q are bytes. The owner column appears with -p, User and
 * Inode with -e. UNIX-domain sockets are skipped. */
#include <string.h>

#include "parse/net_common.h"

int mf_listing_push(mf_parse_ctx *pc, mf_snaptrack *t, uint8_t tool,
                    const mf_listing_row *row, uint64_t line)
{
    mf_netcfg *nc = mf_netcfg_get(pc->ev);
    if (!nc)
        return -1;
    if (!mf_netcfg_room(pc->ev, &nc->listing, pc->member, "netstat/ss rows"))
        return 0;
    int32_t snap = mf_snaptrack_cur(t, pc, MF_NETSNAP_NETSTAT, line);
    if (snap < 0)
        return -1;
    mf_listing_row *r = mf_vec_push(&nc->listing);
    if (!r)
        return -1;
    *r = *row;
    r->tool = tool;
    r->snap = (uint32_t)snap;
    r->loc.member = (uint32_t)pc->member;
    r->loc.line = line;
    return 0;
}

static bool inet_proto(const mf_net_tok *t)
{
    static const char *const protos[] = {"tcp",  "tcp6",  "udp", "udp6",
                                         "udpl", "udpl6", "raw", "raw6",
                                         "sctp", "sctp6", NULL};
    for (int i = 0; protos[i]; i++)
        if (mf_net_tok_is(t, protos[i]))
            return true;
    return false;
}

static int netstat_bid(const char *path, const char *head, size_t len)
{
    const char *h = mf_memmem(head, len, "Proto Recv-Q Send-Q Local Address", 33);
    if (!h)
        return 0;
    return mf_path_has(path, "netstat") ? 95 : 85;
}

typedef struct netstat_state {
    mf_snaptrack track;
    bool has_owner; /* PID/Program name column */
    bool has_inode; /* -e: User and Inode columns */
    bool has_timer; /* -o: a Timer column, `off (0.00/0/0)` */
    bool in_inet;   /* inside an Internet section */
} netstat_state;

static void *netstat_open(mf_parse_ctx *pc)
{
    netstat_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (st) {
        mf_snaptrack_init(&st->track);
        st->in_inet = true; /* `netstat -an | grep raw` has no header */
    }
    return st;
}

static int netstat_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    netstat_state *st = state;
    const char *s;
    size_t n;
    if (mf_snaptrack_prelude(&st->track, line, &s, &n))
        return 0;
    if (mf_starts_with(s, n, "Active ")) {
        st->in_inet = mf_memmem(s, n, "Internet", 8) != NULL;
        return 0;
    }
    if (mf_starts_with(s, n, "Proto ")) {
        if (!mf_memmem(s, n, "Recv-Q", 6))
            return 0; /* the UNIX-domain header */
        st->in_inet = true;
        st->has_owner = mf_memmem(s, n, "PID/Program", 11) != NULL;
        st->has_inode = mf_memmem(s, n, "Inode", 5) != NULL;
        st->has_timer = mf_memmem(s, n, "Timer", 5) != NULL;
        /* A header without a date line after rows: a new snapshot. */
        if (st->track.cur >= 0) {
            mf_netcfg *nc = pc->ev->netcfg;
            const mf_listing_row *last =
                nc && nc->listing.len ? mf_vec_at(&nc->listing, nc->listing.len - 1)
                                      : NULL;
            if (last && last->snap == (uint32_t)st->track.cur &&
                last->loc.member == (uint32_t)pc->member)
                st->track.cur = -1;
        }
        return 0;
    }
    mf_net_tok t[24];
    bool more;
    size_t k = mf_net_tokens(s, n, t, 24, &more);
    if (k == 0 || !st->in_inet || !inet_proto(&t[0]))
        return 0;
    mf_listing_row r;
    memset(&r, 0, sizeof r);
    r.pid = -1;
    r.rcvbuf = r.drops = -1;
    if (k < 5 || !mf_net_tok_u64(t[1].s, t[1].n, &r.recv_q) ||
        !mf_net_tok_u64(t[2].s, t[2].n, &r.send_q)) {
        mf_snaptrack_bad(&st->track, line->lineno);
        return 0;
    }
    mf_copy_field(r.proto, sizeof r.proto, t[0].s, t[0].n);
    mf_copy_field(r.local, sizeof r.local, t[3].s, t[3].n);
    mf_copy_field(r.remote, sizeof r.remote, t[4].s, t[4].n);
    size_t rest = 5, end = k;
    if (st->has_timer && end >= rest + 2 && t[end - 1].s[0] == '(' &&
        t[end - 1].s[t[end - 1].n - 1] == ')')
        end -= 2; /* `off (0.00/0/0)`, `keepalive (7199.20/0/0)` */
    const char *oend = end > rest ? t[end - 1].s + t[end - 1].n : s + n;
    if (st->has_owner && end > rest) {
        const mf_net_tok *o = &t[end - 1];
        const char *slash = memchr(o->s, '/', o->n);
        uint64_t pid;
        if (slash && mf_net_tok_u64(o->s, (size_t)(slash - o->s), &pid) &&
            pid <= INT32_MAX) {
            r.pid = (int32_t)pid;
            /* the name runs to the end of the line (it may hold blanks) */
            const char *nm = slash + 1;
            mf_copy_field(r.owner, sizeof r.owner, nm, (size_t)(oend - nm));
            end--;
        } else if (mf_net_tok_is(o, "-")) {
            end--;
        } else {
            /* a name with blanks: find the pid/ token further left */
            for (size_t i = end; i-- > rest;) {
                slash = memchr(t[i].s, '/', t[i].n);
                if (slash && mf_net_tok_u64(t[i].s, (size_t)(slash - t[i].s), &pid) &&
                    pid <= INT32_MAX) {
                    r.pid = (int32_t)pid;
                    mf_copy_field(r.owner, sizeof r.owner, slash + 1,
                                  (size_t)(oend - slash - 1));
                    end = i;
                    break;
                }
            }
        }
    }
    if (st->has_inode && end >= rest + 2) {
        uint64_t ino;
        if (mf_net_tok_u64(t[end - 1].s, t[end - 1].n, &ino))
            r.inode = ino;
        end -= 2; /* User, Inode */
    }
    if (end > rest)
        mf_copy_field(r.state, sizeof r.state, t[rest].s, t[rest].n);
    return mf_listing_push(pc, &st->track, 0, &r, line->lineno);
}

static void netstat_close(void *state, mf_parse_ctx *pc)
{
    netstat_state *st = state;
    mf_snaptrack_warn_bad(&st->track, pc, "malformed netstat row(s)");
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_netstat = {
    "netstat", "netstat -an[pe] socket listings", netstat_bid, false,
    netstat_open, netstat_line, NULL, netstat_close,
};
