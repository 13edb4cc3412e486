/* ss.c - `ss -a`, `ss -nwp`, `ss -antupe` (iproute2):
 *
 *   Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
 *   raw   UNCONN 213120 0      *:ipv6-icmp        *:*    users:(("zebra",pid=812,fd=19))
 *
 * The Netid column is absent when one socket type was asked for (`ss -nwp`);
 * the type then comes from the command in the member's path. Recv-Q and
 * Send-Q are bytes; owner and inode come from users:((...)) and ino:N. */
#include <string.h>

#include "parse/net_common.h"

static int ss_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    const char *h = mf_memmem(head, len, "Recv-Q", 6);
    if (!h || !mf_memmem(head, len, "Local Address:Port", 18))
        return 0;
    return 90;
}

typedef struct ss_state {
    mf_snaptrack track;
    bool netid;          /* the first column is Netid */
    char proto[8];       /* from the command when there is no Netid */
} ss_state;

/* The socket type a `ss -...` command asked for, from the member path:
 * sos `ss_-nwp`, a dumpstate title `(ss -nwp)`, a file `ss-nwp.txt`. */
static void proto_from_path(const char *path, char *out, size_t cap)
{
    const char *p = strstr(path, "ss");
    mf_copy_field(out, cap, "?", 1);
    while (p) {
        const char *q = p + 2;
        if ((q[0] == '_' || q[0] == ' ' || q[0] == '-') && strchr(q, '-')) {
            q = strchr(q, '-') + 1;
            int found = 0;
            const char *which = "?";
            for (; *q && *q != ' ' && *q != '_' && *q != ')' && *q != '.'; q++) {
                if (*q == 'w') which = "raw", found++;
                if (*q == 'u') which = "udp", found++;
                if (*q == 't') which = "tcp", found++;
            }
            if (found == 1)
                mf_copy_field(out, cap, which, strlen(which));
            return;
        }
        p = strstr(p + 2, "ss");
    }
}

static void *ss_open(mf_parse_ctx *pc)
{
    ss_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    mf_snaptrack_init(&st->track);
    proto_from_path(pc->path, st->proto, sizeof st->proto);
    return st;
}

static bool inet_netid(const mf_net_tok *t)
{
    static const char *const ids[] = {"tcp", "udp", "raw", "sctp", "icmp6",
                                      "mptcp", "dccp", NULL};
    for (int i = 0; ids[i]; i++)
        if (mf_net_tok_is(t, ids[i]))
            return true;
    return false;
}

/* skmem:(r213120,rb50000000,t0,tb212992,f0,w0,o0,bl0,d48817): the
 * receive buffer limit (rb, bytes) and drops (d). */
static void parse_skmem(const mf_net_tok *t, int64_t *rcvbuf, int64_t *drops)
{
    const char *p = t->s + 7, *end = t->s + t->n;
    while (p < end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *e = c ? c : end;
        if (e > p && e[-1] == ')')
            e--;
        int64_t v;
        if (e - p > 2 && p[0] == 'r' && p[1] == 'b' && mf_net_tok_i64(p + 2, (size_t)(e - p - 2), &v))
            *rcvbuf = v;
        else if (e - p > 1 && p[0] == 'd' && mf_net_tok_i64(p + 1, (size_t)(e - p - 1), &v))
            *drops = v;
        p = c ? c + 1 : end;
    }
}

/* users:(("zebra",pid=812,fd=19)) */
static void parse_users(const mf_net_tok *t, mf_listing_row *r)
{
    const char *q = memchr(t->s, '"', t->n);
    if (!q)
        return;
    const char *end = t->s + t->n;
    const char *q2 = memchr(q + 1, '"', (size_t)(end - q - 1));
    if (!q2)
        return;
    mf_copy_field(r->owner, sizeof r->owner, q + 1, (size_t)(q2 - q - 1));
    const char *pid = mf_memmem(q2, (size_t)(end - q2), "pid=", 4);
    if (pid) {
        pid += 4;
        size_t l = 0;
        while (pid + l < end && pid[l] >= '0' && pid[l] <= '9')
            l++;
        uint64_t v;
        if (mf_net_tok_u64(pid, l, &v) && v <= INT32_MAX)
            r->pid = (int32_t)v;
    }
}

static int ss_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    ss_state *st = state;
    const char *s;
    size_t n;
    if (mf_snaptrack_prelude(&st->track, line, &s, &n))
        return 0;
    if (mf_memmem(s, n, "Recv-Q", 6) && mf_memmem(s, n, "Local Address", 13)) {
        st->netid = mf_starts_with(s, n, "Netid");
        if (st->track.cur >= 0) /* a repeated header: next snapshot */
            st->track.cur = -1;
        return 0;
    }
    mf_net_tok t[16];
    bool more;
    size_t k = mf_net_tokens(s, n, t, 16, &more);
    size_t c = st->netid ? 1 : 0;
    if (k >= 1 && mf_starts_with(t[0].s, t[0].n, "skmem:(")) {
        /* `ss -m` prints it on a continuation line: the socket above */
        mf_netcfg *nc = pc->ev->netcfg;
        mf_listing_row *last = nc && nc->listing.len
                                   ? mf_vec_at(&nc->listing, nc->listing.len - 1)
                                   : NULL;
        if (last && last->loc.member == (uint32_t)pc->member && last->tool == 1)
            parse_skmem(&t[0], &last->rcvbuf, &last->drops);
        return 0;
    }
    if (k < c + 5)
        return 0;
    if (st->netid && !inet_netid(&t[0]))
        return 0; /* unix, netlink, packet sockets */
    mf_listing_row r;
    memset(&r, 0, sizeof r);
    r.pid = -1;
    r.rcvbuf = r.drops = -1;
    if (!mf_net_tok_u64(t[c + 1].s, t[c + 1].n, &r.recv_q) ||
        !mf_net_tok_u64(t[c + 2].s, t[c + 2].n, &r.send_q)) {
        mf_snaptrack_bad(&st->track, line->lineno);
        return 0;
    }
    if (st->netid)
        mf_copy_field(r.proto, sizeof r.proto, t[0].s, t[0].n);
    else
        mf_copy_field(r.proto, sizeof r.proto, st->proto, strlen(st->proto));
    mf_copy_field(r.state, sizeof r.state, t[c].s, t[c].n);
    mf_copy_field(r.local, sizeof r.local, t[c + 3].s, t[c + 3].n);
    mf_copy_field(r.remote, sizeof r.remote, t[c + 4].s, t[c + 4].n);
    for (size_t i = c + 5; i < k; i++) {
        if (mf_starts_with(t[i].s, t[i].n, "users:"))
            parse_users(&t[i], &r);
        else if (mf_starts_with(t[i].s, t[i].n, "skmem:("))
            parse_skmem(&t[i], &r.rcvbuf, &r.drops);
        else if (mf_starts_with(t[i].s, t[i].n, "ino:")) {
            uint64_t v;
            if (mf_net_tok_u64(t[i].s + 4, t[i].n - 4, &v))
                r.inode = v;
        }
    }
    return mf_listing_push(pc, &st->track, 1, &r, line->lineno);
}

static void ss_close(void *state, mf_parse_ctx *pc)
{
    ss_state *st = state;
    mf_snaptrack_warn_bad(&st->track, pc, "malformed ss row(s)");
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_ss = {
    "ss", "ss -a / ss -nwp socket listings", ss_bid, false,
    ss_open, ss_line, NULL, ss_close,
};
