/* ethtool.c - `ethtool -S IFACE` counters, `ethtool IFACE` link settings and
 * `ethtool -i IFACE` driver names, alone or concatenated in a capture loop.
 *
 *   NIC statistics:                    Settings for eth0:
 *        tx_packets: 1234                      Speed: 1000Mb/s
 *        congestion time (ms): 15              Duplex: Full
 *        entered congestion: 3                 Link detected: yes
 *
 * Counter names may hold blanks and parentheses (DPAA's `congestion time
 * (ms)`): the value is the number after the last colon. The interface comes
 * from `Settings for`, a command echo (`# ethtool -S eth0`), or the member
 * path (sos `ethtool_-S_eth0`, dumpstate `(ethtool -S eth0)`). */
#include <stddef.h>
#include <string.h>

#include "parse/net_common.h"

static int ethtool_bid(const char *path, const char *head, size_t len)
{
    bool stats = mf_memmem(head, len, "NIC statistics:", 15) != NULL;
    bool link = mf_memmem(head, len, "Settings for ", 13) &&
                (mf_memmem(head, len, "Link detected:", 14) ||
                 mf_memmem(head, len, "Supported ports:", 16));
    bool drv = mf_path_has(path, "ethtool") &&
               mf_memmem(head, len, "driver: ", 8) &&
               mf_memmem(head, len, "bus-info:", 9);
    if (stats || link)
        return 90;
    return drv ? 80 : 0;
}

typedef enum { BLOCK_NONE, BLOCK_STATS, BLOCK_LINK, BLOCK_DRIVER } block_t;

typedef struct ethtool_state {
    mf_snaptrack track;
    char path_iface[32];
    char iface[32];
    block_t block;
    int32_t link; /* index in eth_links of the current block, -1 none */
} ethtool_state;

/* The interface named by the path: the last `_` or blank separated word
 * after "ethtool", when it is not an option. */
static void iface_from_path(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    const char *e = strstr(path, "ethtool");
    if (!e)
        return;
    e += 7;
    const char *end = e + strlen(e);
    while (end > e && (end[-1] == ')' || end[-1] == ' '))
        end--;
    if (end - e > 4 && (memcmp(end - 4, ".txt", 4) == 0 ||
                        memcmp(end - 4, ".log", 4) == 0 ||
                        memcmp(end - 4, ".out", 4) == 0))
        end -= 4;
    const char *b = end;
    while (b > e && b[-1] != '_' && b[-1] != ' ' && b[-1] != '/')
        b--;
    if (b < end && *b != '-' && b > e)
        mf_copy_field(out, cap, b, (size_t)(end - b));
}

static void *ethtool_open(mf_parse_ctx *pc)
{
    ethtool_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    mf_snaptrack_init(&st->track);
    iface_from_path(pc->path, st->path_iface, sizeof st->path_iface);
    memcpy(st->iface, st->path_iface, sizeof st->iface);
    st->link = -1;
    return st;
}

static mf_ethtool_link *current_link(ethtool_state *st, mf_parse_ctx *pc,
                                     uint64_t line)
{
    mf_netcfg *nc = mf_netcfg_get(pc->ev);
    if (!nc)
        return NULL;
    if (st->link >= 0)
        return mf_vec_at(&nc->eth_links, (size_t)st->link);
    if (!mf_netcfg_room(pc->ev, &nc->eth_links, pc->member, "ethtool links"))
        return NULL;
    int32_t snap = mf_snaptrack_cur(&st->track, pc, MF_NETSNAP_ETHTOOL, line);
    if (snap < 0)
        return NULL;
    mf_ethtool_link *l = mf_vec_push(&nc->eth_links);
    if (!l)
        return NULL;
    l->snap = (uint32_t)snap;
    l->link_detected = -1;
    memcpy(l->iface, st->iface, sizeof l->iface);
    l->loc.member = (uint32_t)pc->member;
    l->loc.line = line;
    st->link = (int32_t)(nc->eth_links.len - 1);
    return l;
}

static int link_field(ethtool_state *st, mf_parse_ctx *pc, const char *key,
                      size_t kn, const char *val, size_t vn, uint64_t line)
{
    struct {
        const char *key;
        size_t off, cap;
    } const fields[] = {
        {"Speed", offsetof(mf_ethtool_link, speed), sizeof ((mf_ethtool_link *)0)->speed},
        {"Duplex", offsetof(mf_ethtool_link, duplex), sizeof ((mf_ethtool_link *)0)->duplex},
        {"Port", offsetof(mf_ethtool_link, port), sizeof ((mf_ethtool_link *)0)->port},
        {"Auto-negotiation", offsetof(mf_ethtool_link, autoneg), sizeof ((mf_ethtool_link *)0)->autoneg},
        {"driver", offsetof(mf_ethtool_link, driver), sizeof ((mf_ethtool_link *)0)->driver},
    };
    bool linkdet = kn == 13 && memcmp(key, "Link detected", 13) == 0;
    size_t which = sizeof fields / sizeof fields[0];
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strlen(fields[i].key) == kn && memcmp(fields[i].key, key, kn) == 0)
            which = i;
    if (!linkdet && which == sizeof fields / sizeof fields[0])
        return 0;
    mf_ethtool_link *l = current_link(st, pc, line);
    if (!l)
        return pc->ev->netcfg ? 0 : -1;
    if (linkdet) {
        l->link_detected = (int8_t)(vn == 3 && memcmp(val, "yes", 3) == 0
                                        ? 1
                                        : vn == 2 && memcmp(val, "no", 2) == 0 ? 0 : -1);
        l->loc.line = line; /* the line that proves the link state */
    } else {
        mf_copy_field((char *)l + fields[which].off, fields[which].cap, val, vn);
    }
    return 0;
}

static int ethtool_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    ethtool_state *st = state;
    const char *s = line->text;
    size_t n = line->len;
    mf_trim(&s, &n);
    if (n == 0)
        return 0;
    int64_t date;
    if (mf_date_line(s, n, &date)) {
        mf_snaptrack_date(&st->track, date);
        st->block = BLOCK_NONE;
        st->link = -1;
        return 0;
    }
    /* a command echo names the interface of what follows */
    const char *cmd = mf_memmem(s, n, "ethtool ", 8);
    if (cmd && (cmd == s || cmd[-1] == ' ' || cmd[-1] == '#' || cmd[-1] == '$')) {
        mf_net_tok t[6];
        bool more;
        size_t k = mf_net_tokens(cmd, (size_t)(s + n - cmd), t, 6, &more);
        if (k >= 2 && t[k - 1].s[0] != '-')
            mf_copy_field(st->iface, sizeof st->iface, t[k - 1].s, t[k - 1].n);
        st->block = BLOCK_NONE;
        st->link = -1;
        st->track.cur = -1;
        return 0;
    }
    if (mf_starts_with(s, n, "NIC statistics:")) {
        st->block = BLOCK_STATS;
        st->link = -1;
        return mf_snaptrack_begin(&st->track, pc, MF_NETSNAP_ETHTOOL,
                                  line->lineno) < 0 ? -1 : 0;
    }
    if (mf_starts_with(s, n, "Settings for ")) {
        const char *nm = s + 13;
        size_t nn = n - 13;
        if (nn && nm[nn - 1] == ':')
            nn--;
        mf_copy_field(st->iface, sizeof st->iface, nm, nn);
        st->block = BLOCK_LINK;
        st->link = -1;
        if (mf_snaptrack_begin(&st->track, pc, MF_NETSNAP_ETHTOOL, line->lineno) < 0)
            return -1;
        return current_link(st, pc, line->lineno) || pc->ev->netcfg ? 0 : -1;
    }
    const char *colon = NULL;
    for (size_t i = n; i-- > 0;)
        if (s[i] == ':') {
            colon = s + i;
            break;
        }
    if (!colon)
        return 0;
    const char *key = s;
    size_t kn = (size_t)(colon - s);
    const char *val = colon + 1;
    size_t vn = (size_t)(s + n - val);
    mf_trim(&key, &kn);
    mf_trim(&val, &vn);
    if (mf_starts_with(s, n, "driver: ")) {
        st->block = BLOCK_DRIVER;
        st->link = -1;
        /* `ethtool -i` after `ethtool`: same interface, same record */
        mf_netcfg *nc = pc->ev->netcfg;
        if (nc && nc->eth_links.len) {
            mf_ethtool_link *l = mf_vec_at(&nc->eth_links, nc->eth_links.len - 1);
            if (l->loc.member == (uint32_t)pc->member &&
                strcmp(l->iface, st->iface) == 0 && !l->driver[0])
                st->link = (int32_t)(nc->eth_links.len - 1);
        }
        return link_field(st, pc, "driver", 6, s + 8, n - 8, line->lineno);
    }
    if (st->block == BLOCK_LINK) {
        /* `Speed: 1000Mb/s` - the key is before the first colon */
        const char *c1 = memchr(s, ':', n);
        key = s;
        kn = (size_t)(c1 - s);
        val = c1 + 1;
        vn = (size_t)(s + n - val);
        mf_trim(&key, &kn);
        mf_trim(&val, &vn);
        return link_field(st, pc, key, kn, val, vn, line->lineno);
    }
    if (st->block != BLOCK_STATS)
        return 0;
    uint64_t v;
    if (kn == 0 || !mf_net_tok_u64(val, vn, &v)) {
        mf_snaptrack_bad(&st->track, line->lineno);
        return 0;
    }
    mf_netcfg *nc = mf_netcfg_get(pc->ev);
    if (!nc)
        return -1;
    if (!mf_netcfg_room(pc->ev, &nc->eth_counters, pc->member, "ethtool counters"))
        return 0;
    int32_t snap = mf_snaptrack_cur(&st->track, pc, MF_NETSNAP_ETHTOOL, line->lineno);
    if (snap < 0)
        return -1;
    mf_ethtool_counter *c = mf_vec_push(&nc->eth_counters);
    if (!c)
        return -1;
    c->snap = (uint32_t)snap;
    memcpy(c->iface, st->iface, sizeof c->iface);
    mf_copy_field(c->name, sizeof c->name, key, kn);
    c->value = v;
    c->loc.member = (uint32_t)pc->member;
    c->loc.line = line->lineno;
    return 0;
}

static void ethtool_close(void *state, mf_parse_ctx *pc)
{
    ethtool_state *st = state;
    mf_snaptrack_warn_bad(&st->track, pc, "malformed ethtool counter line(s)");
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_ethtool = {
    "ethtool", "ethtool -S counters, ethtool link settings, ethtool -i",
    ethtool_bid, false, ethtool_open, ethtool_line, NULL, ethtool_close,
};
