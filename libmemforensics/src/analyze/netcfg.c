/* netcfg.c - derived network and configuration facts.
 *
 * - Snapshot times: a capture-loop date line, else the member's capture
 *   time (bundle header), else the archive entry's mtime (never a checkout's
 *   file mtime), else order of appearance - and each series says which.
 * - Byte order of /proc/net socket addresses: from the addresses themselves
 *   where a loopback, link-local or v4-mapped address shows it, else from
 *   system.arch (big-endian CPUs print words unswapped), else assumed
 *   little-endian, and the report says which.
 * - Sockets across snapshots keyed by inode (or local address, port and
 *   uid when the inode is 0): latest queue and drops, growth, and the owner
 *   where a netstat/ss listing names it.
 * - Interfaces: /proc/net/dev and ethtool counters across snapshots.
 * - sysctl and kconfig maps (the last value of a key wins), and system{}
 *   facts that no kernel banner gave (uname) or that only release files
 *   tell (platform). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "model/netcfg.h"

/* ---- snapshot order ---- */

typedef struct snap_key {
    int64_t time;
    uint32_t index;
    bool timed;
} snap_key;

static int cmp_snap(const void *a, const void *b)
{
    const snap_key *x = a, *y = b;
    if (x->timed && y->timed && x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* ---- the same capture reached twice ---- */

typedef struct dup_key {
    uint64_t key;
    const char *kind;
    uint32_t member;
} dup_key;

static int cmp_dup(const void *a, const void *b)
{
    const dup_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    int c = strcmp(x->kind, y->kind);
    if (c)
        return c;
    return x->member < y->member ? -1 : x->member > y->member;
}

static uint64_t fnv(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Members of one kind with the same content, or the same origin and capture
 * time, are one capture reached twice (a bugreport's FS/ copy and its
 * dumpstate section): only the first in reading order counts, so a late
 * copy of an early snapshot cannot fake or hide growth. */
static int mark_duplicates(mf_evidence *ev, mf_netcfg *nc)
{
    size_t nm = ev->members.len;
    if (!nm || !nc->snapshots.len)
        return 0;
    bool *dup = mf_calloc(ev->alloc, nm, sizeof *dup);
    dup_key *keys = mf_calloc(ev->alloc, nm, sizeof *keys);
    if (!dup || !keys) {
        mf_free(ev->alloc, dup);
        mf_free(ev->alloc, keys);
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (size_t i = 0; i < nm; i++) {
            const mf_member *m = mf_vec_at(&ev->members, i);
            uint64_t k = 0;
            if (pass == 0 && m->content_hash)
                k = m->content_hash;
            else if (pass == 1 && m->origin && m->has_capture_time)
                k = fnv(m->origin, 14695981039346656037ull) ^
                    ((uint64_t)m->capture_time * 0x9E3779B97F4A7C15ull);
            if (!k)
                continue;
            keys[n++] = (dup_key){k, m->kind ? m->kind : "", (uint32_t)i};
        }
        qsort(keys, n, sizeof *keys, cmp_dup);
        for (size_t i = 1; i < n; i++)
            if (keys[i].key == keys[i - 1].key &&
                strcmp(keys[i].kind, keys[i - 1].kind) == 0)
                dup[keys[i].member] = true;
    }
    for (size_t i = 0; i < nc->snapshots.len; i++) {
        mf_net_snapshot *s = mf_vec_at(&nc->snapshots, i);
        if (s->member < nm && dup[s->member]) {
            s->duplicate = true;
            nc->series[s->kind].duplicates++;
        }
    }
    mf_free(ev->alloc, dup);
    mf_free(ev->alloc, keys);
    return 0;
}

static int order_snapshots(mf_evidence *ev, mf_netcfg *nc)
{
    size_t ns = nc->snapshots.len;
    for (size_t i = 0; i < ns; i++) {
        mf_net_snapshot *s = mf_vec_at(&nc->snapshots, i);
        const mf_member *m = mf_vec_at(&ev->members, s->member);
        if (s->has_date) {
            s->has_time = true;
            s->time = s->date;
            s->time_source = MF_SNAPTIME_DATE_LINE;
        } else if (m && m->has_capture_time) {
            s->has_time = true;
            s->time = m->capture_time;
            s->time_source = MF_SNAPTIME_CAPTURE;
        } else if (m && m->mtime_source == MF_MTIME_ARCHIVE) {
            s->has_time = true;
            s->time = m->mtime;
            s->time_source = MF_SNAPTIME_ARCHIVE_MTIME;
        } else {
            s->time_source = MF_SNAPTIME_ORDER;
        }
    }
    snap_key *keys = mf_calloc(ev->alloc, ns ? ns : 1, sizeof *keys);
    if (!keys)
        return -1;
    for (int k = 0; k < MF_NETSNAP_KINDS; k++) {
        size_t n = 0;
        bool all_timed = true;
        uint8_t weakest = MF_SNAPTIME_DATE_LINE;
        for (size_t i = 0; i < ns; i++) {
            const mf_net_snapshot *s = mf_vec_at(&nc->snapshots, i);
            if (s->kind != k || s->duplicate)
                continue;
            all_timed &= s->has_time;
            if (s->time_source > weakest)
                weakest = s->time_source;
            keys[n].time = s->time;
            keys[n].index = (uint32_t)i;
            keys[n].timed = s->has_time;
            n++;
        }
        mf_series_info *si = &nc->series[k];
        si->snapshots = (uint32_t)n;
        if (!n)
            continue;
        /* Without a time for every snapshot, appearance order decides. */
        if (!all_timed) {
            weakest = MF_SNAPTIME_ORDER;
            for (size_t i = 0; i < n; i++)
                keys[i].timed = false;
        }
        qsort(keys, n, sizeof *keys, cmp_snap);
        si->time_source = weakest;
        for (size_t i = 0; i < n; i++) {
            mf_net_snapshot *s = mf_vec_at(&nc->snapshots, keys[i].index);
            s->order = (uint32_t)i;
        }
        if (all_timed) {
            si->has_span = true;
            si->first_time = keys[0].time;
            si->last_time = keys[n - 1].time;
        }
    }
    mf_free(ev->alloc, keys);
    return 0;
}

static uint32_t snap_order(const mf_netcfg *nc, uint32_t snap)
{
    const mf_net_snapshot *s = mf_vec_at(&nc->snapshots, snap);
    return s ? s->order : 0;
}

static bool snap_dup(const mf_netcfg *nc, uint32_t snap)
{
    const mf_net_snapshot *s = mf_vec_at(&nc->snapshots, snap);
    return s && s->duplicate;
}

/* ---- byte order ---- */

static bool big_endian_arch(const char *arch)
{
    static const char *const be[] = {"mips",    "mips64", "powerpc", "powerpc64",
                                     "ppc",     "ppc64",  "s390",    "s390x",
                                     "sparc",   "sparc64", "m68k",   "parisc",
                                     "armeb",   "aarch64_be", NULL};
    for (int i = 0; be[i]; i++)
        if (strcmp(arch, be[i]) == 0)
            return true;
    return false;
}

/* +1: the address is printed little-endian, -1 big-endian, 0: cannot tell. */
static int address_vote(const char *hex)
{
    size_t n = strlen(hex);
    if (n == 8) {
        if (strcmp(hex, "0100007F") == 0)
            return 1;
        if (strcmp(hex, "7F000001") == 0)
            return -1;
        return 0;
    }
    if (n != 32)
        return 0;
    if (strcmp(hex, "00000000000000000000000001000000") == 0)
        return 1; /* ::1 */
    if (strcmp(hex, "00000000000000000000000000000001") == 0)
        return -1;
    if (memcmp(hex, "000080FE", 8) == 0)
        return 1; /* fe80::/10 */
    if (memcmp(hex, "FE800000", 8) == 0)
        return -1;
    if (memcmp(hex, "0000000000000000FFFF0000", 24) == 0)
        return 1; /* ::ffff:a.b.c.d */
    if (memcmp(hex, "000000000000000000000000", 24) != 0 &&
        memcmp(hex, "00000000000000000000FFFF", 24) == 0)
        return -1;
    return 0;
}

static int decide_byte_order(mf_evidence *ev, mf_netcfg *nc)
{
    int votes = 0;
    const mf_sock_row *proof_le = NULL, *proof_be = NULL;
    for (size_t i = 0; i < nc->sock_rows.len; i++) {
        const mf_sock_row *r = mf_vec_at(&nc->sock_rows, i);
        int v = address_vote(r->local_hex);
        if (!v)
            v = address_vote(r->remote_hex);
        if (v > 0 && !proof_le)
            proof_le = r;
        if (v < 0 && !proof_be)
            proof_be = r;
        votes += v;
    }
    if (votes) {
        const mf_sock_row *proof = votes < 0 ? proof_be : proof_le;
        nc->big_endian = votes < 0;
        nc->byte_order_source = "socket addresses";
        char text[160];
        snprintf(text, sizeof text, "%s address %s", 
                 strlen(proof->local_hex) == 8 ? "IPv4" : "IPv6",
                 address_vote(proof->local_hex) ? proof->local_hex
                                                : proof->remote_hex);
        const char *v = nc->big_endian ? "big-endian" : "little-endian";
        return mf_strfact_set(ev, &nc->byte_order_evidence, v, strlen(v),
                              proof->loc, text, strlen(text));
    }
    /* The kernel config says it outright (a mips kernel is either). */
    for (size_t i = 0; i < nc->kconfig.len; i++) {
        const mf_kv *kv = mf_vec_at(&nc->kconfig, i);
        bool be = strcmp(kv->key, "CONFIG_CPU_BIG_ENDIAN") == 0;
        bool le = strcmp(kv->key, "CONFIG_CPU_LITTLE_ENDIAN") == 0;
        if ((be || le) && strcmp(kv->value, "y") == 0) {
            nc->big_endian = be;
            nc->byte_order_source = "kconfig";
            char text[80];
            snprintf(text, sizeof text, "%s=y", kv->key);
            const char *v = be ? "big-endian" : "little-endian";
            return mf_strfact_set(ev, &nc->byte_order_evidence, v, strlen(v),
                                  kv->loc, text, strlen(text));
        }
    }
    const char *arch = ev->system.arch.value;
    if (arch) {
        nc->big_endian = big_endian_arch(arch);
        nc->byte_order_source = "system.arch";
    } else {
        nc->big_endian = false;
        nc->byte_order_source = "assumed";
    }
    return 0;
}

/* ---- addresses ---- */

static unsigned hexbyte(const char *h)
{
    unsigned v = 0;
    for (int i = 0; i < 2; i++) {
        char c = h[i];
        v <<= 4;
        v |= (unsigned)(c >= '0' && c <= '9' ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                               : c - 'A' + 10);
    }
    return v;
}

/* Bytes in network order of a printed address. */
static size_t address_bytes(const char *hex, bool big_endian, uint8_t out[16])
{
    size_t n = strlen(hex) / 2;
    for (size_t w = 0; w < n / 4; w++)
        for (size_t b = 0; b < 4; b++) {
            size_t src = big_endian ? b : 3 - b;
            out[w * 4 + b] = (uint8_t)hexbyte(hex + (w * 4 + src) * 2);
        }
    return n;
}

void mf_format_address(const char *hex, bool big_endian, char *out, size_t cap)
{
    uint8_t a[16];
    size_t n = address_bytes(hex, big_endian, a);
    if (n == 4) {
        snprintf(out, cap, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        return;
    }
    if (n != 16) {
        snprintf(out, cap, "?");
        return;
    }
    /* v4-mapped */
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, 12) == 0) {
        snprintf(out, cap, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
        return;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    /* RFC 5952: the longest run (>= 2) of zero groups becomes :: */
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (g[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !g[j])
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < 8 && len < cap; i++) {
        if (i == best) {
            len += (size_t)snprintf(out + len, cap - len, "::");
            i += best_len - 1;
            continue;
        }
        bool colon = i > 0 && i != best + best_len;
        len += (size_t)snprintf(out + len, cap - len, "%s%x", colon ? ":" : "", g[i]);
    }
}

/* ---- sockets ---- */

typedef struct row_key {
    const mf_sock_row *r;
    uint32_t index;
    uint32_t order;
} row_key;

static int same_socket(const mf_sock_row *x, const mf_sock_row *y)
{
    if (x->table != y->table)
        return x->table < y->table ? -1 : 1;
    if (x->inode != y->inode)
        return x->inode < y->inode ? -1 : 1;
    if (x->inode)
        return 0;
    int c = strcmp(x->local_hex, y->local_hex);
    if (c)
        return c;
    if (x->local_port != y->local_port)
        return x->local_port < y->local_port ? -1 : 1;
    if (x->uid != y->uid)
        return x->uid < y->uid ? -1 : 1;
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    int c = same_socket(x->r, y->r);
    if (c)
        return c;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The port of a netstat/ss local address (`:::58`, `*:ipv6-icmp`,
 * `[::]:58`, `0.0.0.0:68`), or -1. */
static long listing_port(const char *local)
{
    const char *c = strrchr(local, ':');
    if (!c)
        return -1;
    c++;
    if (!strcmp(c, "ipv6-icmp"))
        return 58;
    if (!strcmp(c, "icmp"))
        return 1;
    if (!*c || *c < '0' || *c > '9')
        return -1;
    char *end;
    long v = strtol(c, &end, 10);
    return *end || v > 65535 ? -1 : v;
}

static bool listing_v6(const mf_listing_row *l)
{
    if (l->proto[0] && l->proto[strlen(l->proto) - 1] == '6')
        return true;
    const char *c = strchr(l->local, ':');
    return l->local[0] == '[' || (c && strchr(c + 1, ':'));
}

static bool listing_matches(const mf_listing_row *l, const mf_sock_row *r)
{
    bool raw = r->table == MF_NETSNAP_RAW6 || r->table == MF_NETSNAP_RAW;
    bool v6 = r->table == MF_NETSNAP_RAW6 || r->table == MF_NETSNAP_UDP6;
    bool lraw = !strncmp(l->proto, "raw", 3) || !strcmp(l->proto, "icmp6");
    bool ludp = !strncmp(l->proto, "udp", 3);
    if ((raw && !lraw) || (!raw && !ludp) || listing_v6(l) != v6)
        return false;
    return listing_port(l->local) == r->local_port;
}

static int32_t find_owner(const mf_netcfg *nc, const mf_sock_row *r)
{
    /* An inode is proof; a listing row with another inode is another
     * socket. Without inodes, the port decides only when one process
     * owns every socket listed on it. */
    int32_t found = -1;
    for (size_t i = 0; i < nc->listing.len; i++) {
        const mf_listing_row *l = mf_vec_at(&nc->listing, i);
        if (l->owner[0] && l->inode && r->inode && l->inode == r->inode)
            return (int32_t)i;
    }
    for (size_t i = 0; i < nc->listing.len; i++) {
        const mf_listing_row *l = mf_vec_at(&nc->listing, i);
        if (l->inode || !listing_matches(l, r))
            continue;
        if (!l->owner[0])
            continue;
        if (found >= 0) {
            const mf_listing_row *f = mf_vec_at(&nc->listing, (size_t)found);
            if (strcmp(f->owner, l->owner) != 0)
                return -1; /* two owners on that port: do not guess */
        }
        found = (int32_t)i;
    }
    return found;
}

static int cmp_summary(const void *a, const void *b, const mf_netcfg *nc)
{
    const mf_sock_summary *x = a, *y = b;
    if (x->table != y->table)
        return x->table < y->table ? -1 : 1;
    const mf_sock_row *rx = mf_vec_at(&nc->sock_rows, x->last);
    const mf_sock_row *ry = mf_vec_at(&nc->sock_rows, y->last);
    if (rx->rx_queue != ry->rx_queue)
        return rx->rx_queue > ry->rx_queue ? -1 : 1;
    if (rx->drops != ry->drops)
        return rx->drops > ry->drops ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Insertion-merge sort keyed through nc (qsort has no context argument). */
static int sort_summaries(mf_evidence *ev, mf_netcfg *nc)
{
    size_t n = nc->sockets.len;
    if (n < 2)
        return 0;
    mf_sock_summary *a = nc->sockets.data;
    mf_sock_summary *tmp = mf_calloc(ev->alloc, n, sizeof *tmp);
    if (!tmp)
        return -1;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = cmp_summary(&a[j], &a[i], nc) < 0 ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
    mf_free(ev->alloc, tmp);
    return 0;
}

static int socket_series(mf_evidence *ev, mf_netcfg *nc)
{
    size_t n = nc->sock_rows.len;
    if (!n)
        return 0;
    row_key *keys = mf_calloc(ev->alloc, n, sizeof *keys);
    if (!keys)
        return -1;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const mf_sock_row *r = mf_vec_at(&nc->sock_rows, i);
        if (snap_dup(nc, r->snap))
            continue;
        keys[kept].r = r;
        keys[kept].index = (uint32_t)i;
        keys[kept].order = snap_order(nc, r->snap);
        kept++;
    }
    n = kept;
    qsort(keys, n, sizeof *keys, cmp_row);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && same_socket(keys[i].r, keys[j].r) == 0)
            j++;
        mf_sock_summary *s = mf_vec_push(&nc->sockets);
        if (!s) {
            mf_free(ev->alloc, keys);
            return -1;
        }
        s->table = keys[i].r->table;
        s->first = keys[i].index;
        s->last = keys[j - 1].index;
        uint32_t prev = UINT32_MAX;
        for (size_t k = i; k < j; k++) {
            if (keys[k].order != prev)
                s->snapshots++;
            prev = keys[k].order;
            if (keys[k].r->rx_queue > s->rx_queue_max)
                s->rx_queue_max = keys[k].r->rx_queue;
        }
        const mf_sock_row *last = keys[j - 1].r;
        mf_format_address(last->local_hex, nc->big_endian, s->local, sizeof s->local);
        mf_format_address(last->remote_hex, nc->big_endian, s->remote, sizeof s->remote);
        s->owner = find_owner(nc, last);
        i = j;
    }
    mf_free(ev->alloc, keys);
    return sort_summaries(ev, nc);
}

/* ---- sockstat, rt6_stats ---- */

static void sockstat_series(mf_netcfg *nc)
{
    for (int f = 0; f < MF_SOCKSTAT_FIELDS; f++) {
        nc->sockstat_first[f] = nc->sockstat_last[f] = -1;
        nc->sockstat_n[f] = 0;
    }
    uint32_t first_order[MF_SOCKSTAT_FIELDS] = {0}, last_order[MF_SOCKSTAT_FIELDS] = {0};
    for (size_t i = 0; i < nc->sockstat.len; i++) {
        const mf_sockstat_val *v = mf_vec_at(&nc->sockstat, i);
        if (snap_dup(nc, v->snap))
            continue;
        unsigned f = v->field;
        uint32_t o = snap_order(nc, v->snap);
        if (nc->sockstat_first[f] < 0 || o < first_order[f]) {
            nc->sockstat_first[f] = (int32_t)i;
            first_order[f] = o;
        }
        if (nc->sockstat_last[f] < 0 || o >= last_order[f]) {
            nc->sockstat_last[f] = (int32_t)i;
            last_order[f] = o;
        }
        nc->sockstat_n[f]++;
    }
}

static void rt6_series(mf_netcfg *nc)
{
    uint32_t fo = 0, lo = 0;
    for (size_t i = 0; i < nc->rt6.len; i++) {
        const mf_rt6_stats *r = mf_vec_at(&nc->rt6, i);
        if (snap_dup(nc, r->snap))
            continue;
        uint32_t o = snap_order(nc, r->snap);
        if (nc->rt6_first < 0 || o < fo) {
            nc->rt6_first = (int32_t)i;
            fo = o;
        }
        if (nc->rt6_last < 0 || o >= lo) {
            nc->rt6_last = (int32_t)i;
            lo = o;
        }
    }
}

/* ---- interfaces ---- */

typedef struct name_key {
    const char *iface;
    const char *name; /* counter name, "" for others */
    uint32_t order;
    uint32_t index;
    uint8_t source; /* 0 net/dev, 1 link, 2 counter */
} name_key;

static int cmp_name(const void *a, const void *b)
{
    const name_key *x = a, *y = b;
    int c = strcmp(x->iface, y->iface);
    if (c)
        return c;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static mf_iface_summary *iface_get(mf_netcfg *nc, const char *name)
{
    if (nc->ifaces.len) {
        mf_iface_summary *last = mf_vec_at(&nc->ifaces, nc->ifaces.len - 1);
        if (strcmp(last->name, name) == 0)
            return last;
    }
    mf_iface_summary *s = mf_vec_push(&nc->ifaces);
    if (!s)
        return NULL;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->dev_first = s->dev_last = s->link = -1;
    s->counters_begin = s->counters_end = (uint32_t)nc->counter_summaries.len;
    return s;
}

static int interface_series(mf_evidence *ev, mf_netcfg *nc)
{
    size_t n = nc->netdev.len + nc->eth_links.len + nc->eth_counters.len;
    if (!n)
        return 0;
    name_key *keys = mf_calloc(ev->alloc, n, sizeof *keys);
    if (!keys)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < nc->netdev.len; i++) {
        const mf_netdev_row *r = mf_vec_at(&nc->netdev, i);
        if (!snap_dup(nc, r->snap))
            keys[k++] = (name_key){r->iface, "", snap_order(nc, r->snap), (uint32_t)i, 0};
    }
    for (size_t i = 0; i < nc->eth_links.len; i++) {
        const mf_ethtool_link *r = mf_vec_at(&nc->eth_links, i);
        if (!snap_dup(nc, r->snap))
            keys[k++] = (name_key){r->iface, "", snap_order(nc, r->snap), (uint32_t)i, 1};
    }
    for (size_t i = 0; i < nc->eth_counters.len; i++) {
        const mf_ethtool_counter *r = mf_vec_at(&nc->eth_counters, i);
        if (!snap_dup(nc, r->snap))
            keys[k++] = (name_key){r->iface, r->name, snap_order(nc, r->snap), (uint32_t)i, 2};
    }
    n = k;
    qsort(keys, n, sizeof *keys, cmp_name);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        size_t j = i + 1;
        while (j < n && keys[j].source == keys[i].source &&
               strcmp(keys[j].iface, keys[i].iface) == 0 &&
               strcmp(keys[j].name, keys[i].name) == 0)
            j++;
        mf_iface_summary *s = iface_get(nc, keys[i].iface);
        if (!s) {
            rc = -1;
            break;
        }
        uint32_t snaps = 0, prev = UINT32_MAX;
        for (size_t q = i; q < j; q++) {
            if (keys[q].order != prev)
                snaps++;
            prev = keys[q].order;
        }
        if (keys[i].source == 0) {
            s->dev_first = (int32_t)keys[i].index;
            s->dev_last = (int32_t)keys[j - 1].index;
            s->dev_snapshots = snaps;
        } else if (keys[i].source == 1) {
            s->link = (int32_t)keys[j - 1].index;
        } else {
            mf_counter_summary *c = mf_vec_push(&nc->counter_summaries);
            if (!c) {
                rc = -1;
                break;
            }
            c->first = keys[i].index;
            c->last = keys[j - 1].index;
            c->snapshots = snaps;
            s = mf_vec_at(&nc->ifaces, nc->ifaces.len - 1);
            s->counters_end = (uint32_t)nc->counter_summaries.len;
            if (snaps > s->eth_snapshots)
                s->eth_snapshots = snaps;
        }
        i = j;
    }
    mf_free(ev->alloc, keys);
    return rc;
}

/* ---- maps ---- */

typedef struct kv_key {
    const char *key;
    uint32_t index;
} kv_key;

static int cmp_kv(const void *a, const void *b)
{
    const kv_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int winners(mf_evidence *ev, const mf_vec *kv, mf_vec *out)
{
    size_t n = kv->len;
    if (!n)
        return 0;
    kv_key *keys = mf_calloc(ev->alloc, n, sizeof *keys);
    if (!keys)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const mf_kv *e = mf_vec_at(kv, i);
        keys[i].key = e->key;
        keys[i].index = (uint32_t)i;
    }
    qsort(keys, n, sizeof *keys, cmp_kv);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i + 1 < n && strcmp(keys[i].key, keys[i + 1].key) == 0)
            continue; /* a later value of the same key wins */
        uint32_t *slot = mf_vec_push(out);
        if (!slot)
            rc = -1;
        else
            *slot = keys[i].index;
    }
    mf_free(ev->alloc, keys);
    return rc;
}

/* ---- system ---- */

static int fill(mf_evidence *ev, mf_strfact *dst, const mf_strfact *src)
{
    if (dst->value || !src->value || !src->text)
        return 0;
    return mf_strfact_set(ev, dst, src->value, strlen(src->value), src->loc,
                          src->text, strlen(src->text));
}

static int system_facts(mf_evidence *ev, mf_netcfg *nc)
{
    if (!ev->system.kernel_release.value && nc->uname_release.value) {
        if (fill(ev, &ev->system.kernel_release, &nc->uname_release) < 0)
            return -1;
        nc->release_from_uname = true;
    }
    if (!ev->system.arch.value && nc->uname_arch.value) {
        if (fill(ev, &ev->system.arch, &nc->uname_arch) < 0)
            return -1;
        nc->arch_from_uname = true;
    }
    if (fill(ev, &nc->system_hostname, &nc->uname_hostname) < 0 ||
        fill(ev, &nc->system_platform, &nc->os_platform) < 0)
        return -1;
    return 0;
}

int mf_analyze_netcfg(mf_evidence *ev)
{
    mf_netcfg *nc = ev->netcfg;
    if (!nc)
        return 0;
    if (system_facts(ev, nc) < 0 || mark_duplicates(ev, nc) < 0 ||
        order_snapshots(ev, nc) < 0 ||
        decide_byte_order(ev, nc) < 0 || socket_series(ev, nc) < 0 ||
        interface_series(ev, nc) < 0 || winners(ev, &nc->sysctl, &nc->sysctl_keys) < 0 ||
        winners(ev, &nc->kconfig, &nc->kconfig_keys) < 0)
        return MF_ENOMEM;
    sockstat_series(nc);
    rt6_series(nc);
    return 0;
}
