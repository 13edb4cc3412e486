/* net_socktab.c - the rows of /proc/net/{raw6,raw,udp6,udp}, shared by the
 * four modules net-raw6, net-raw, net-udp6 and net-udp (one file each).
 *
 * Rows (net/ipv6/raw.c, net/ipv6/datagram.c __ip6_dgram_sock_seq_show):
 *   %5d: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X %02X %08X:%08X
 *   %02X:%08lX %08X %5u %8d %lu %d %pK %u
 * IPv4 rows have 8-digit addresses. The last column (drops) is missing on
 * old kernels. Addresses are kept as printed; src/analyze/netcfg.c decodes
 * them once the byte order of the device is known. */
#include <stdio.h>
#include <string.h>

#include "parse/net_common.h"
#include "parse/net_socktab.h"

static const char *const table_names[] = {"raw6", "raw", "udp6", "udp"};

const char *mf_socktab_name(mf_snapkind t)
{
    return (unsigned)t < 4 ? table_names[t] : "?";
}

/* The table named by the path (/proc/net/raw6, sos proc/net/udp, a
 * dumpstate section title, a capture file raw6.log). */
static int table_from_path(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '!')
            base = p + 1;
    const char *hay = base;
    if (strstr(hay, "raw6"))
        return MF_NETSNAP_RAW6;
    if (strstr(hay, "udp6"))
        return MF_NETSNAP_UDP6;
    if (strstr(hay, "udplite") || strstr(hay, "tcp") || strstr(hay, "unix") ||
        strstr(hay, "icmp"))
        return -2; /* another table */
    if (strstr(hay, "raw"))
        return MF_NETSNAP_RAW;
    if (strstr(hay, "udp"))
        return MF_NETSNAP_UDP;
    return -1;
}

/* 8 or 32 hex digits then ':' and 4 hex digits. */
static int addr_width(const mf_net_tok *t)
{
    if (t->n != 13 && t->n != 37)
        return 0;
    size_t w = t->n - 5;
    if (t->s[w] != ':')
        return 0;
    uint64_t v;
    for (size_t i = 0; i < w; i += 8)
        if (!mf_net_tok_hex(t->s + i, 8, &v))
            return 0;
    if (!mf_net_tok_hex(t->s + w + 1, 4, &v))
        return 0;
    return (int)w;
}

/* Width of the addresses of the first rows (0 when no row is seen). */
static int head_width(const char *head, size_t len, bool *has_header)
{
    *has_header = mf_memmem(head, len, "local_address", 13) != NULL &&
                  mf_memmem(head, len, "tx_queue", 8) != NULL;
    const char *p = head, *end = head + len;
    int lines = 0;
    while (p < end && lines++ < 40) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        mf_net_tok t[3];
        size_t k = mf_net_tokens(p, (size_t)(le - p), t, 3, NULL);
        if (k == 3 && t[0].n >= 2 && t[0].s[t[0].n - 1] == ':') {
            int w = addr_width(&t[1]);
            if (w && addr_width(&t[2]) == w)
                return w;
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

int mf_socktab_bid(mf_snapkind table, const char *path, const char *head,
                   size_t len)
{
    bool header;
    int w = head_width(head, len, &header);
    int from_path = table_from_path(path);
    bool v6 = table == MF_NETSNAP_RAW6 || table == MF_NETSNAP_UDP6;
    if (from_path == -2)
        return 0;
    if (w && w != (v6 ? 32 : 8))
        return 0;
    if (from_path == (int)table) {
        if (header || w)
            return 95;
        return 30; /* an empty or headless capture of that file */
    }
    if (from_path >= 0 || !(header || w))
        return 0;
    /* Content alone cannot tell raw from udp: udp is the common case. */
    if (table == MF_NETSNAP_UDP6 && (w == 32))
        return 45;
    if (table == MF_NETSNAP_UDP && (w == 8))
        return 45;
    return 0;
}

typedef struct socktab_state {
    mf_snapkind table;
    mf_snaptrack track;
} socktab_state;

void *mf_socktab_open(mf_parse_ctx *pc, mf_snapkind table)
{
    socktab_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    st->table = table;
    mf_snaptrack_init(&st->track);
    if (!mf_netcfg_get(pc->ev)) {
        mf_free(pc->ev->alloc, st);
        return NULL;
    }
    return st;
}

int mf_socktab_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    socktab_state *st = state;
    const char *s;
    size_t n;
    if (mf_snaptrack_prelude(&st->track, line, &s, &n))
        return 0;
    if (mf_memmem(s, n, "local_address", 13)) {
        return mf_snaptrack_begin(&st->track, pc, st->table, line->lineno) < 0
                   ? -1
                   : 0;
    }
    mf_net_tok t[14];
    bool more;
    size_t k = mf_net_tokens(s, n, t, 14, &more);
    uint64_t sl;
    if (k == 0 || t[0].n < 2 || t[0].s[t[0].n - 1] != ':' ||
        !mf_net_tok_u64(t[0].s, t[0].n - 1, &sl))
        return 0; /* not a row: a prompt, a command echo, a note */
    bool v6 = st->table == MF_NETSNAP_RAW6 || st->table == MF_NETSNAP_UDP6;
    int want = v6 ? 32 : 8;
    uint64_t txq, rxq, uid, inode, drops = 0, stv;
    if (k < 10 || more || addr_width(&t[1]) != want ||
        addr_width(&t[2]) != want || !mf_net_tok_hex(t[3].s, t[3].n, &stv) ||
        stv > 0xff || t[4].n != 17 || t[4].s[8] != ':' ||
        !mf_net_tok_hex(t[4].s, 8, &txq) || !mf_net_tok_hex(t[4].s + 9, 8, &rxq) ||
        !mf_net_tok_u64(t[7].s, t[7].n, &uid) || uid > UINT32_MAX ||
        !mf_net_tok_u64(t[9].s, t[9].n, &inode) ||
        (k >= 13 && !mf_net_tok_u64(t[12].s, t[12].n, &drops))) {
        mf_snaptrack_bad(&st->track, line->lineno);
        return 0;
    }
    mf_evidence *ev = pc->ev;
    mf_netcfg *nc = ev->netcfg;
    if (!mf_netcfg_room(ev, &nc->sock_rows, pc->member, "socket rows"))
        return 0;
    int32_t snap = mf_snaptrack_cur(&st->track, pc, st->table, line->lineno);
    if (snap < 0)
        return -1;
    mf_sock_row *r = mf_vec_push(&nc->sock_rows);
    if (!r)
        return -1;
    r->table = (uint8_t)st->table;
    r->snap = (uint32_t)snap;
    mf_copy_field(r->local_hex, sizeof r->local_hex, t[1].s, (size_t)want);
    mf_copy_field(r->remote_hex, sizeof r->remote_hex, t[2].s, (size_t)want);
    uint64_t port;
    mf_net_tok_hex(t[1].s + want + 1, 4, &port);
    r->local_port = (uint16_t)port;
    mf_net_tok_hex(t[2].s + want + 1, 4, &port);
    r->remote_port = (uint16_t)port;
    r->state = (uint8_t)stv;
    r->tx_queue = txq;
    r->rx_queue = rxq;
    r->uid = (uint32_t)uid;
    r->inode = inode;
    r->has_drops = k >= 13;
    r->drops = drops;
    r->loc.member = (uint32_t)pc->member;
    r->loc.line = line->lineno;
    return 0;
}

void mf_socktab_close(void *state, mf_parse_ctx *pc)
{
    socktab_state *st = state;
    char what[48];
    snprintf(what, sizeof what, "malformed %s row(s)", mf_socktab_name(st->table));
    mf_snaptrack_warn_bad(&st->track, pc, what);
    mf_free(pc->ev->alloc, st);
}
