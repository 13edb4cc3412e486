/* sockstat.c - /proc/net/sockstat and /proc/net/sockstat6 (one module: the
 * lines tell the two apart).
 *
 *   sockets: used %d
 *   TCP: inuse %d orphan %d tw %d alloc %d mem %ld     mem in pages
 *   UDP: inuse %d mem %ld                              mem in pages
 *   UDPLITE: inuse %d
 *   RAW: inuse %d
 *   FRAG: inuse %u memory %lu                          memory in bytes
 *   TCP6: inuse %d / UDP6 / UDPLITE6 / RAW6 / FRAG6: inuse %u memory %lu
 *
 * Field names carry their unit (tcp_mem_pages, frag_memory_bytes). */
#include <string.h>

#include "parse/net_common.h"

static int sockstat_bid(const char *path, const char *head, size_t len)
{
    bool name = mf_path_basename_is(path, "sockstat") ||
                mf_path_basename_is(path, "sockstat6") ||
                mf_path_ends_with(path, "/proc/net/sockstat)") ||
                mf_path_ends_with(path, "/proc/net/sockstat6)");
    bool v4 = mf_memmem(head, len, "sockets: used ", 14) &&
              mf_memmem(head, len, "TCP: inuse ", 11);
    bool v6 = mf_memmem(head, len, "TCP6: inuse ", 12) ||
              mf_memmem(head, len, "RAW6: inuse ", 12);
    if (name && (v4 || v6))
        return 95;
    if (v4 || v6)
        return 85;
    return name ? 30 : 0;
}

typedef struct sockstat_state {
    mf_snaptrack track;
    uint64_t bad;
    uint64_t first_bad;
} sockstat_state;

static void *sockstat_open(mf_parse_ctx *pc)
{
    sockstat_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    if (!mf_netcfg_get(pc->ev)) {
        mf_free(pc->ev->alloc, st);
        return NULL;
    }
    mf_snaptrack_init(&st->track);
    return st;
}

/* "TCP" + "mem" -> "tcp_mem_pages" */
static int field_of(const mf_net_tok *proto, const mf_net_tok *key)
{
    char name[40];
    size_t pn = proto->n - 1; /* without ':' */
    if (pn == 0 || pn + key->n + 8 > sizeof name)
        return -1;
    for (size_t i = 0; i < pn; i++) {
        char c = proto->s[i];
        name[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    name[pn] = '_';
    memcpy(name + pn + 1, key->s, key->n);
    size_t l = pn + 1 + key->n;
    name[l] = '\0';
    if (strcmp(name, "tcp_mem") == 0 || strcmp(name, "udp_mem") == 0)
        memcpy(name + l, "_pages", 7);
    else if (strcmp(name + pn, "_memory") == 0)
        memcpy(name + l, "_bytes", 7);
    for (unsigned i = 0; i < MF_SOCKSTAT_FIELDS; i++)
        if (strcmp(name, mf_sockstat_field_name(i)) == 0)
            return (int)i;
    return -1;
}

static int sockstat_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    sockstat_state *st = state;
    const char *s;
    size_t n;
    if (mf_snaptrack_prelude(&st->track, line, &s, &n))
        return 0;
    mf_net_tok t[16];
    bool more;
    size_t k = mf_net_tokens(s, n, t, 16, &more);
    if (k < 1 || t[0].s[t[0].n - 1] != ':')
        return 0;
    if (!mf_net_tok_is(&t[0], "sockets:"))
        for (size_t i = 0; i + 1 < t[0].n; i++) /* upper-case protocols */
            if (!((t[0].s[i] >= 'A' && t[0].s[i] <= 'Z') ||
                  (t[0].s[i] >= '0' && t[0].s[i] <= '9')))
                return 0;
    if (k < 3 || (k - 1) % 2 || more) {
        mf_snaptrack_bad(&st->track, line->lineno);
        return 0;
    }
    int32_t snap;
    if (mf_net_tok_is(&t[0], "sockets:"))
        snap = mf_snaptrack_begin(&st->track, pc, MF_NETSNAP_SOCKSTAT, line->lineno);
    else
        snap = mf_snaptrack_cur(&st->track, pc, MF_NETSNAP_SOCKSTAT, line->lineno);
    if (snap < 0)
        return -1;
    mf_netcfg *nc = pc->ev->netcfg;
    for (size_t i = 1; i + 1 < k; i += 2) {
        int64_t v;
        if (!mf_net_tok_i64(t[i + 1].s, t[i + 1].n, &v)) {
            mf_snaptrack_bad(&st->track, line->lineno);
            return 0;
        }
        int f = field_of(&t[0], &t[i]);
        if (f < 0)
            continue; /* a field this version does not know */
        if (!mf_netcfg_room(pc->ev, &nc->sockstat, pc->member, "sockstat values"))
            return 0;
        mf_sockstat_val *sv = mf_vec_push(&nc->sockstat);
        if (!sv)
            return -1;
        sv->snap = (uint32_t)snap;
        sv->field = (uint8_t)f;
        sv->value = v;
        sv->loc.member = (uint32_t)pc->member;
        sv->loc.line = line->lineno;
    }
    return 0;
}

static void sockstat_close(void *state, mf_parse_ctx *pc)
{
    sockstat_state *st = state;
    mf_snaptrack_warn_bad(&st->track, pc, "malformed sockstat line(s)");
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_sockstat = {
    "sockstat",   "/proc/net/sockstat and sockstat6", sockstat_bid, false,
    sockstat_open, sockstat_line, NULL, sockstat_close,
};
