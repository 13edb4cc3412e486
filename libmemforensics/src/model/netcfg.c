#include "model/netcfg.h"

#include <string.h>

static const char *const snaptime_names[] = {"unknown", "date-line",
                                             "capture-time", "archive-mtime",
                                             "order"};

const char *mf_snaptime_name(mf_snaptime s)
{
    return (unsigned)s < 5 ? snaptime_names[s] : "unknown";
}

static const char *const sockstat_fields[MF_SOCKSTAT_FIELDS] = {
    "sockets_used",  "tcp_inuse",         "tcp_orphan",     "tcp_tw",
    "tcp_alloc",     "tcp_mem_pages",     "udp_inuse",      "udp_mem_pages",
    "udplite_inuse", "raw_inuse",         "frag_inuse",     "frag_memory_bytes",
    "tcp6_inuse",    "udp6_inuse",        "udplite6_inuse", "raw6_inuse",
    "frag6_inuse",   "frag6_memory_bytes"};

const char *mf_sockstat_field_name(unsigned i)
{
    return i < MF_SOCKSTAT_FIELDS ? sockstat_fields[i] : NULL;
}

static const char *const netdev_fields[MF_NETDEV_FIELDS] = {
    "rx_bytes",  "rx_packets", "rx_errors", "rx_dropped",
    "rx_fifo",   "rx_frame",   "rx_compressed", "rx_multicast",
    "tx_bytes",  "tx_packets", "tx_errors", "tx_dropped",
    "tx_fifo",   "tx_collisions", "tx_carrier", "tx_compressed"};

const char *mf_netdev_field_name(unsigned i)
{
    return i < MF_NETDEV_FIELDS ? netdev_fields[i] : NULL;
}

mf_netcfg *mf_netcfg_get(mf_evidence *ev)
{
    if (ev->netcfg)
        return ev->netcfg;
    mf_netcfg *n = mf_calloc(ev->alloc, 1, sizeof *n);
    if (!n)
        return NULL;
    const mf_allocator *a = ev->alloc;
    mf_vec_init(&n->snapshots, a, sizeof(mf_net_snapshot));
    mf_vec_init(&n->sock_rows, a, sizeof(mf_sock_row));
    mf_vec_init(&n->listing, a, sizeof(mf_listing_row));
    mf_vec_init(&n->sockstat, a, sizeof(mf_sockstat_val));
    mf_vec_init(&n->rt6, a, sizeof(mf_rt6_stats));
    mf_vec_init(&n->netdev, a, sizeof(mf_netdev_row));
    mf_vec_init(&n->eth_counters, a, sizeof(mf_ethtool_counter));
    mf_vec_init(&n->eth_links, a, sizeof(mf_ethtool_link));
    mf_vec_init(&n->ip_rules, a, sizeof(mf_ip_rule));
    mf_vec_init(&n->sysctl, a, sizeof(mf_kv));
    mf_vec_init(&n->kconfig, a, sizeof(mf_kv));
    mf_vec_init(&n->uwsgi, a, sizeof(mf_uwsgi_conf));
    mf_vec_init(&n->sockets, a, sizeof(mf_sock_summary));
    mf_vec_init(&n->ifaces, a, sizeof(mf_iface_summary));
    mf_vec_init(&n->counter_summaries, a, sizeof(mf_counter_summary));
    mf_vec_init(&n->sysctl_keys, a, sizeof(uint32_t));
    mf_vec_init(&n->kconfig_keys, a, sizeof(uint32_t));
    n->rt6_first = n->rt6_last = -1;
    ev->netcfg = n;
    return n;
}

static void sf_free(const mf_allocator *a, mf_strfact *f)
{
    mf_free(a, f->value);
    mf_free(a, f->text);
}

static void kv_free(const mf_allocator *a, mf_vec *v)
{
    for (size_t i = 0; i < v->len; i++) {
        mf_kv *kv = mf_vec_at(v, i);
        mf_free(a, kv->key);
        mf_free(a, kv->value);
    }
    mf_vec_free(v);
}

void mf_netcfg_free(mf_evidence *ev)
{
    mf_netcfg *n = ev->netcfg;
    if (!n)
        return;
    const mf_allocator *a = ev->alloc;
    for (size_t i = 0; i < n->ip_rules.len; i++) {
        mf_ip_rule *r = mf_vec_at(&n->ip_rules, i);
        mf_free(a, r->selector);
        mf_free(a, r->table);
        mf_free(a, r->action);
        mf_free(a, r->fwmark);
        mf_free(a, r->text);
    }
    for (size_t i = 0; i < n->uwsgi.len; i++) {
        mf_uwsgi_conf *u = mf_vec_at(&n->uwsgi, i);
        mf_free(a, u->name);
    }
    kv_free(a, &n->sysctl);
    kv_free(a, &n->kconfig);
    mf_vec_free(&n->snapshots);
    mf_vec_free(&n->sock_rows);
    mf_vec_free(&n->listing);
    mf_vec_free(&n->sockstat);
    mf_vec_free(&n->rt6);
    mf_vec_free(&n->netdev);
    mf_vec_free(&n->eth_counters);
    mf_vec_free(&n->eth_links);
    mf_vec_free(&n->ip_rules);
    mf_vec_free(&n->uwsgi);
    mf_vec_free(&n->sockets);
    mf_vec_free(&n->ifaces);
    mf_vec_free(&n->counter_summaries);
    mf_vec_free(&n->sysctl_keys);
    mf_vec_free(&n->kconfig_keys);
    mf_strfact *facts[] = {&n->uname_release,  &n->uname_arch,
                           &n->uname_hostname, &n->os_platform,
                           &n->os_release,     &n->os_board,
                           &n->os_model,       &n->os_target,
                           &n->os_description, &n->byte_order_evidence,
                           &n->system_platform, &n->system_hostname};
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
        sf_free(a, facts[i]);
    mf_free(a, n);
    ev->netcfg = NULL;
}

bool mf_netcfg_room(mf_evidence *ev, const mf_vec *v, int32_t member,
                    const char *kind)
{
    /* rows are rendered per socket, interface or rule, often merged over
     * snapshots: 512 bytes of report is a generous share */
    return mf_evidence_keep(ev, v->len, kind, v->elem + 32, 512, member, 0);
}

int32_t mf_netcfg_snapshot(mf_evidence *ev, mf_snapkind kind, int32_t member,
                           uint64_t line, uint32_t seq, bool has_date,
                           int64_t date)
{
    mf_netcfg *n = mf_netcfg_get(ev);
    if (!n || n->snapshots.len >= INT32_MAX)
        return -1;
    mf_net_snapshot *s = mf_vec_push(&n->snapshots);
    if (!s)
        return -1;
    s->kind = (uint8_t)kind;
    s->member = (uint32_t)member;
    s->line = line;
    s->seq = seq;
    s->has_date = has_date;
    s->date = date;
    return (int32_t)(n->snapshots.len - 1);
}

static const mf_kv *find_key(const mf_vec *keys, const mf_vec *kv, const char *key)
{
    size_t lo = 0, hi = keys->len; /* keys are sorted by key */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const uint32_t *ix = mf_vec_at(keys, mid);
        const mf_kv *e = mf_vec_at(kv, *ix);
        int c = strcmp(e->key, key);
        if (c == 0)
            return e;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const mf_kv *mf_netcfg_fact(const mf_evidence *ev, const char *path, bool *is_kconfig)
{
    const mf_netcfg *n = ev->netcfg;
    if (!n || !path)
        return NULL;
    if (strncmp(path, "facts.sysctl.", 13) == 0) {
        *is_kconfig = false;
        return find_key(&n->sysctl_keys, &n->sysctl, path + 13);
    }
    if (strncmp(path, "facts.kconfig.", 14) == 0) {
        *is_kconfig = true;
        return find_key(&n->kconfig_keys, &n->kconfig, path + 14);
    }
    return NULL;
}
