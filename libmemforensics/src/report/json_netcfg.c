/* json_netcfg.c - the network and configuration parts of the report:
 * findings.sockets, findings.interfaces, findings.routes, facts.sysctl,
 * facts.kconfig, facts.ip_rules, facts.os, facts.services and the system{}
 * fields they fill. Field names are registered in src/model/facts.c. */
#include <stdio.h>
#include <string.h>

#include "model/netcfg.h"
#include "report/json_netcfg.h"

static const char *member_path(const mf_evidence *ev, uint32_t i)
{
    const mf_member *m = mf_vec_at(&ev->members, i);
    return m ? m->path : NULL;
}

static void add_loc(const mf_evidence *ev, cJSON *o, mf_loc loc)
{
    mf_json_add_str(ev->alloc, o, "member", member_path(ev, loc.member));
    cJSON_AddNumberToObject(o, "line", (double)loc.line);
}

static void add_src(const mf_evidence *ev, cJSON *obj, const char *key,
                    const mf_strfact *f)
{
    if (!f->value)
        return;
    cJSON *s = cJSON_AddObjectToObject(obj, key);
    if (!s)
        return;
    add_loc(ev, s, f->loc);
    mf_json_add_str(ev->alloc, s, "text", f->text);
}

static cJSON *push_obj(cJSON *arr)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Integers JSON can carry exactly (2^53). */
#define EXACT_MAX 9007199254740992.0

static void add_u64(cJSON *o, const char *k, uint64_t v)
{
    cJSON_AddNumberToObject(o, k, (double)v);
}

static void add_delta(cJSON *o, const char *k, uint64_t first, uint64_t last)
{
    /* counters may reset (reboot, driver reload): negative growth shows it */
    double d = last >= first ? (double)(last - first) : -(double)(first - last);
    cJSON_AddNumberToObject(o, k, d);
}

static void iso_time(int64_t t, char *out, size_t cap)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t sec = t - days * 86400;
    /* civil_from_days (H. Hinnant) */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, cap, "%04lld-%02u-%02uT%02u:%02u:%02u", (long long)y, m, d,
             (unsigned)(sec / 3600), (unsigned)(sec / 60 % 60),
             (unsigned)(sec % 60));
}

static void add_series(const mf_netcfg *nc, cJSON *obj, mf_snapkind k)
{
    const mf_series_info *si = &nc->series[k];
    cJSON *s = cJSON_AddObjectToObject(obj, "series");
    if (!s)
        return;
    cJSON_AddNumberToObject(s, "snapshots", si->snapshots);
    cJSON_AddNumberToObject(s, "duplicates", si->duplicates);
    cJSON_AddStringToObject(s, "time_source",
                            mf_snaptime_name((mf_snaptime)si->time_source));
    if (si->has_span) {
        char t[40];
        iso_time(si->first_time, t, sizeof t);
        cJSON_AddStringToObject(s, "first", t);
        iso_time(si->last_time, t, sizeof t);
        cJSON_AddStringToObject(s, "last", t);
        cJSON_AddNumberToObject(s, "span_s", (double)(si->last_time - si->first_time));
    } else {
        cJSON_AddNullToObject(s, "first");
        cJSON_AddNullToObject(s, "last");
        cJSON_AddNullToObject(s, "span_s");
    }
}

/* ---- findings.sockets ---- */

static void add_socket(const mf_evidence *ev, const mf_netcfg *nc, cJSON *arr,
                       const mf_sock_summary *s)
{
    const mf_sock_row *f = mf_vec_at(&nc->sock_rows, s->first);
    const mf_sock_row *l = mf_vec_at(&nc->sock_rows, s->last);
    cJSON *o = push_obj(arr);
    if (!o)
        return;
    bool raw = s->table == MF_NETSNAP_RAW6 || s->table == MF_NETSNAP_RAW;
    mf_json_add_str(ev->alloc, o, "local", s->local);
    cJSON_AddNumberToObject(o, raw ? "proto" : "port", l->local_port);
    mf_json_add_str(ev->alloc, o, "remote", s->remote);
    cJSON_AddNumberToObject(o, "remote_port", l->remote_port);
    cJSON_AddNumberToObject(o, "state", l->state);
    add_u64(o, "tx_queue", l->tx_queue);
    add_u64(o, "rx_queue", l->rx_queue);
    add_u64(o, "rx_queue_max", s->rx_queue_max);
    if (s->snapshots > 1)
        add_delta(o, "rx_queue_growth", f->rx_queue, l->rx_queue);
    else
        cJSON_AddNullToObject(o, "rx_queue_growth");
    if (l->has_drops)
        add_u64(o, "drops", l->drops);
    else
        cJSON_AddNullToObject(o, "drops");
    if (s->snapshots > 1 && l->has_drops && f->has_drops)
        add_delta(o, "drops_growth", f->drops, l->drops);
    else
        cJSON_AddNullToObject(o, "drops_growth");
    cJSON_AddNumberToObject(o, "uid", l->uid);
    add_u64(o, "inode", l->inode);
    const mf_listing_row *own =
        s->owner >= 0 ? mf_vec_at(&nc->listing, (size_t)s->owner) : NULL;
    mf_json_add_str(ev->alloc, o, "owner", own ? own->owner : NULL);
    if (own && own->pid >= 0)
        cJSON_AddNumberToObject(o, "pid", own->pid);
    else
        cJSON_AddNullToObject(o, "pid");
    if (own) {
        cJSON *src = cJSON_AddObjectToObject(o, "owner_source");
        if (src)
            add_loc(ev, src, own->loc);
    } else {
        cJSON_AddNullToObject(o, "owner_source");
    }
    cJSON_AddNumberToObject(o, "snapshots", s->snapshots);
    /* a socket missing from the latest snapshot was closed: its queue no
     * longer holds memory */
    const mf_net_snapshot *sn = mf_vec_at(&nc->snapshots, l->snap);
    cJSON_AddBoolToObject(o, "in_latest",
                          sn && sn->order + 1 == nc->series[s->table].snapshots);
    add_loc(ev, o, l->loc);
}

static void add_listing(const mf_evidence *ev, const mf_netcfg *nc, cJSON *obj)
{
    cJSON *arr = cJSON_AddArrayToObject(obj, "listing");
    for (size_t i = 0; arr && i < nc->listing.len; i++) {
        const mf_listing_row *r = mf_vec_at(&nc->listing, i);
        /* sockets holding data, and raw sockets (rarely many) */
        if (!r->recv_q && !r->send_q && strncmp(r->proto, "raw", 3) != 0)
            continue;
        cJSON *o = push_obj(arr);
        if (!o)
            return;
        cJSON_AddStringToObject(o, "tool", r->tool ? "ss" : "netstat");
        mf_json_add_str(ev->alloc, o, "proto", r->proto);
        add_u64(o, "recv_q", r->recv_q);
        add_u64(o, "send_q", r->send_q);
        mf_json_add_str(ev->alloc, o, "local", r->local);
        mf_json_add_str(ev->alloc, o, "remote", r->remote);
        mf_json_add_str(ev->alloc, o, "state", r->state[0] ? r->state : NULL);
        mf_json_add_str(ev->alloc, o, "owner", r->owner[0] ? r->owner : NULL);
        if (r->pid >= 0)
            cJSON_AddNumberToObject(o, "pid", r->pid);
        else
            cJSON_AddNullToObject(o, "pid");
        if (r->inode)
            add_u64(o, "inode", r->inode);
        else
            cJSON_AddNullToObject(o, "inode");
        if (r->rcvbuf >= 0)
            cJSON_AddNumberToObject(o, "rcvbuf", (double)r->rcvbuf);
        else
            cJSON_AddNullToObject(o, "rcvbuf");
        if (r->drops >= 0)
            cJSON_AddNumberToObject(o, "drops", (double)r->drops);
        else
            cJSON_AddNullToObject(o, "drops");
        add_loc(ev, o, r->loc);
    }
}

static void add_sockstat(const mf_evidence *ev, const mf_netcfg *nc, cJSON *obj)
{
    cJSON *ss = cJSON_AddObjectToObject(obj, "sockstat");
    if (!ss || !nc->series[MF_NETSNAP_SOCKSTAT].snapshots)
        return;
    cJSON *growth = NULL;
    const mf_sockstat_val *latest = NULL;
    for (unsigned f = 0; f < MF_SOCKSTAT_FIELDS; f++) {
        if (nc->sockstat_last[f] < 0)
            continue;
        const mf_sockstat_val *l = mf_vec_at(&nc->sockstat, (size_t)nc->sockstat_last[f]);
        const mf_sockstat_val *fi = mf_vec_at(&nc->sockstat, (size_t)nc->sockstat_first[f]);
        cJSON_AddNumberToObject(ss, mf_sockstat_field_name(f), (double)l->value);
        if (!latest || l->loc.member > latest->loc.member ||
            (l->loc.member == latest->loc.member && l->loc.line > latest->loc.line))
            latest = l;
        if (fi != l) {
            if (!growth)
                growth = cJSON_CreateObject();
            if (growth)
                cJSON_AddNumberToObject(growth, mf_sockstat_field_name(f),
                                        (double)(l->value - fi->value));
        }
    }
    if (growth)
        cJSON_AddItemToObject(ss, "growth", growth);
    else
        cJSON_AddNullToObject(ss, "growth");
    add_series(nc, ss, MF_NETSNAP_SOCKSTAT);
    if (latest)
        add_loc(ev, ss, latest->loc);
}

void mf_json_netcfg_sockets(const mf_evidence *ev, cJSON *sockets)
{
    const mf_netcfg *nc = ev->netcfg;
    static const char *const tables[] = {"raw6", "raw", "udp6", "udp"};
    cJSON *arr[4];
    for (int t = 0; t < 4; t++)
        arr[t] = cJSON_AddArrayToObject(sockets, tables[t]);
    if (!nc) {
        cJSON_AddArrayToObject(sockets, "queued");
        cJSON_AddObjectToObject(sockets, "sockstat");
        cJSON_AddArrayToObject(sockets, "listing");
        return;
    }
    for (size_t i = 0; i < nc->sockets.len; i++) {
        const mf_sock_summary *s = mf_vec_at(&nc->sockets, i);
        if (s->table < 4 && arr[s->table])
            add_socket(ev, nc, arr[s->table], s);
    }
    /* queued[]: the sockets of all four tables that ever held received
     * data, in table order (raw6, raw, udp6, udp), each most queued first,
     * with their table: one list for rules about any socket's buffer */
    cJSON *queued = cJSON_AddArrayToObject(sockets, "queued");
    for (int t = 0; t < 4 && queued; t++)
        for (size_t i = 0; i < nc->sockets.len; i++) {
            const mf_sock_summary *s = mf_vec_at(&nc->sockets, i);
            if (s->table != t || !s->rx_queue_max)
                continue;
            int before = cJSON_GetArraySize(queued);
            add_socket(ev, nc, queued, s);
            if (cJSON_GetArraySize(queued) > before) {
                cJSON *q = cJSON_GetArrayItem(queued, before);
                mf_json_add_str(ev->alloc, q, "table", tables[t]);
                /* one readable name: "udp 0.0.0.0:514", "raw6 :: protocol 58" */
                const mf_sock_row *l = mf_vec_at(&nc->sock_rows, s->last);
                char ep[160];
                if (l && (t == MF_NETSNAP_RAW6 || t == MF_NETSNAP_RAW))
                    snprintf(ep, sizeof ep, "%s %s protocol %u", tables[t],
                             s->local, (unsigned)l->local_port);
                else if (l)
                    snprintf(ep, sizeof ep, "%s %s%s%s:%u", tables[t], t == MF_NETSNAP_UDP6 ? "[" : "",
                             s->local, t == MF_NETSNAP_UDP6 ? "]" : "",
                             (unsigned)l->local_port);
                else
                    ep[0] = 0;
                mf_json_add_str(ev->alloc, q, "endpoint", ep[0] ? ep : NULL);
            }
        }
    bool any_table = false;
    for (int t = 0; t < 4; t++)
        any_table |= nc->series[t].snapshots > 0;
    if (any_table) {
        cJSON *bo = cJSON_AddObjectToObject(sockets, "byte_order");
        if (bo) {
            cJSON_AddStringToObject(bo, "value", nc->big_endian ? "big-endian"
                                                                : "little-endian");
            cJSON_AddStringToObject(bo, "source", nc->byte_order_source);
            if (nc->byte_order_evidence.value)
                add_src(ev, bo, "evidence", &nc->byte_order_evidence);
            else
                cJSON_AddNullToObject(bo, "evidence");
        }
        cJSON *series = cJSON_AddObjectToObject(sockets, "tables");
        for (int t = 0; series && t < 4; t++) {
            if (!nc->series[t].snapshots)
                continue;
            cJSON *o = cJSON_AddObjectToObject(series, tables[t]);
            if (o)
                add_series(nc, o, (mf_snapkind)t);
        }
    }
    add_sockstat(ev, nc, sockets);
    add_listing(ev, nc, sockets);
}

/* ---- findings.interfaces, findings.routes ---- */

void mf_json_netcfg_interfaces(const mf_evidence *ev, cJSON *arr)
{
    const mf_netcfg *nc = ev->netcfg;
    for (size_t i = 0; nc && arr && i < nc->ifaces.len; i++) {
        const mf_iface_summary *s = mf_vec_at(&nc->ifaces, i);
        cJSON *o = push_obj(arr);
        if (!o)
            return;
        mf_json_add_str(ev->alloc, o, "name", s->name);
        if (s->link >= 0) {
            const mf_ethtool_link *l = mf_vec_at(&nc->eth_links, (size_t)s->link);
            cJSON *lk = cJSON_AddObjectToObject(o, "link");
            if (lk) {
                if (l->link_detected >= 0)
                    cJSON_AddBoolToObject(lk, "link_detected", l->link_detected);
                else
                    cJSON_AddNullToObject(lk, "link_detected");
                mf_json_add_str(ev->alloc, lk, "speed", l->speed[0] ? l->speed : NULL);
                mf_json_add_str(ev->alloc, lk, "duplex", l->duplex[0] ? l->duplex : NULL);
                mf_json_add_str(ev->alloc, lk, "port", l->port[0] ? l->port : NULL);
                mf_json_add_str(ev->alloc, lk, "autoneg", l->autoneg[0] ? l->autoneg : NULL);
                mf_json_add_str(ev->alloc, lk, "driver", l->driver[0] ? l->driver : NULL);
                add_loc(ev, lk, l->loc);
            }
        } else {
            cJSON_AddNullToObject(o, "link");
        }
        if (s->dev_last >= 0) {
            const mf_netdev_row *f = mf_vec_at(&nc->netdev, (size_t)s->dev_first);
            const mf_netdev_row *l = mf_vec_at(&nc->netdev, (size_t)s->dev_last);
            cJSON *d = cJSON_AddObjectToObject(o, "dev");
            if (d) {
                for (unsigned k = 0; k < MF_NETDEV_FIELDS; k++)
                    add_u64(d, mf_netdev_field_name(k), l->v[k]);
                if (s->dev_snapshots > 1) {
                    cJSON *g = cJSON_AddObjectToObject(d, "growth");
                    for (unsigned k = 0; g && k < MF_NETDEV_FIELDS; k++)
                        add_delta(g, mf_netdev_field_name(k), f->v[k], l->v[k]);
                } else {
                    cJSON_AddNullToObject(d, "growth");
                }
                cJSON_AddNumberToObject(d, "snapshots", s->dev_snapshots);
                add_loc(ev, d, l->loc);
            }
        } else {
            cJSON_AddNullToObject(o, "dev");
        }
        if (s->counters_end > s->counters_begin) {
            cJSON *e = cJSON_AddObjectToObject(o, "ethtool");
            cJSON *c = e ? cJSON_AddObjectToObject(e, "counters") : NULL;
            cJSON *g = NULL;
            const mf_ethtool_counter *latest = NULL;
            for (uint32_t k = s->counters_begin; c && k < s->counters_end; k++) {
                const mf_counter_summary *cs = mf_vec_at(&nc->counter_summaries, k);
                const mf_ethtool_counter *f = mf_vec_at(&nc->eth_counters, cs->first);
                const mf_ethtool_counter *l = mf_vec_at(&nc->eth_counters, cs->last);
                add_u64(c, l->name, l->value);
                if (!latest || l->snap > latest->snap ||
                    (l->snap == latest->snap && l->loc.line < latest->loc.line))
                    latest = l;
                if (cs->snapshots > 1 && l->value != f->value) {
                    if (!g)
                        g = cJSON_AddObjectToObject(e, "growth");
                    if (g)
                        add_delta(g, l->name, f->value, l->value);
                }
            }
            if (e && !g)
                cJSON_AddNullToObject(e, "growth");
            if (e) {
                cJSON_AddNumberToObject(e, "snapshots", s->eth_snapshots);
                if (latest) {
                    /* the counters block of the latest snapshot */
                    const mf_net_snapshot *sn = mf_vec_at(&nc->snapshots, latest->snap);
                    mf_loc loc = {sn->member, sn->line};
                    add_loc(ev, e, loc);
                }
            }
        } else {
            cJSON_AddNullToObject(o, "ethtool");
        }
    }
}

void mf_json_netcfg_routes(const mf_evidence *ev, cJSON *routes)
{
    const mf_netcfg *nc = ev->netcfg;
    if (!nc || nc->rt6_last < 0) {
        cJSON_AddNullToObject(routes, "rt6_stats");
        return;
    }
    static const char *const names[7] = {
        "fib_nodes",     "fib_route_nodes", "fib_rt_alloc",       "fib_rt_entries",
        "fib_rt_cache",  "dst_entries",     "fib_discarded_routes"};
    const mf_rt6_stats *f = mf_vec_at(&nc->rt6, (size_t)nc->rt6_first);
    const mf_rt6_stats *l = mf_vec_at(&nc->rt6, (size_t)nc->rt6_last);
    cJSON *o = cJSON_AddObjectToObject(routes, "rt6_stats");
    if (!o)
        return;
    for (int i = 0; i < 7; i++)
        cJSON_AddNumberToObject(o, names[i], l->field[i]);
    if (nc->series[MF_NETSNAP_RT6_STATS].snapshots > 1)
        cJSON_AddNumberToObject(o, "dst_entries_growth",
                                (double)l->field[5] - (double)f->field[5]);
    else
        cJSON_AddNullToObject(o, "dst_entries_growth");
    add_series(nc, o, MF_NETSNAP_RT6_STATS);
    add_loc(ev, o, l->loc);
}

/* ---- facts ---- */

/* A decimal (or, for kconfig, hex) integer JSON carries exactly becomes a
 * number; anything else stays a string. */
static void add_value(const mf_evidence *ev, cJSON *obj, const char *key,
                      const char *v, bool hex)
{
    const char *p = v;
    bool neg = *p == '-';
    if (neg)
        p++;
    double d = 0;
    bool num = *p != '\0';
    if (hex && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && p[2] && !neg) {
        for (p += 2; *p && num; p++) {
            int c = *p;
            int dv = c >= '0' && c <= '9' ? c - '0'
                     : c >= 'a' && c <= 'f' ? c - 'a' + 10
                     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            num = dv >= 0;
            d = d * 16 + dv;
        }
    } else {
        if (p[0] == '0' && p[1]) /* leading zeros: an octal mode, keep it */
            num = false;
        for (; *p && num; p++) {
            num = *p >= '0' && *p <= '9';
            d = d * 10 + (*p - '0');
        }
    }
    if (num && d <= EXACT_MAX)
        cJSON_AddNumberToObject(obj, key, neg ? -d : d);
    else
        mf_json_add_str(ev->alloc, obj, key, v);
}

void mf_json_netcfg_facts(const mf_evidence *ev, cJSON *facts)
{
    const mf_netcfg *nc = ev->netcfg;
    cJSON *sysctl = cJSON_AddObjectToObject(facts, "sysctl");
    cJSON *kconfig = cJSON_AddObjectToObject(facts, "kconfig");
    cJSON *rules = cJSON_AddArrayToObject(facts, "ip_rules");
    cJSON *os = cJSON_AddObjectToObject(facts, "os");
    cJSON *services = cJSON_AddObjectToObject(facts, "services");
    if (!nc)
        return;
    for (size_t i = 0; sysctl && i < nc->sysctl_keys.len; i++) {
        const uint32_t *ix = mf_vec_at(&nc->sysctl_keys, i);
        const mf_kv *kv = mf_vec_at(&nc->sysctl, *ix);
        add_value(ev, sysctl, kv->key, kv->value, false);
    }
    for (size_t i = 0; kconfig && i < nc->kconfig_keys.len; i++) {
        const uint32_t *ix = mf_vec_at(&nc->kconfig_keys, i);
        const mf_kv *kv = mf_vec_at(&nc->kconfig, *ix);
        add_value(ev, kconfig, kv->key, kv->value, true);
    }
    for (size_t i = 0; rules && i < nc->ip_rules.len; i++) {
        const mf_ip_rule *r = mf_vec_at(&nc->ip_rules, i);
        cJSON *o = push_obj(rules);
        if (!o)
            break;
        mf_json_add_str(ev->alloc, o, "family",
                        r->family == 6 ? "ipv6" : r->family == 4 ? "ipv4" : NULL);
        cJSON_AddNumberToObject(o, "priority", (double)r->priority);
        mf_json_add_str(ev->alloc, o, "selector", r->selector);
        mf_json_add_str(ev->alloc, o, "action", r->action);
        mf_json_add_str(ev->alloc, o, "table", r->table);
        if (r->suppress_prefixlength >= 0)
            cJSON_AddNumberToObject(o, "suppress_prefixlength", r->suppress_prefixlength);
        else
            cJSON_AddNullToObject(o, "suppress_prefixlength");
        mf_json_add_str(ev->alloc, o, "fwmark", r->fwmark);
        add_loc(ev, o, r->loc);
        mf_json_add_str(ev->alloc, o, "text", r->text);
    }
    if (os && (nc->os_platform.value || nc->os_release.value || nc->os_board.value ||
               nc->os_model.value || nc->os_target.value || nc->os_description.value)) {
        mf_json_add_str(ev->alloc, os, "platform", nc->os_platform.value);
        mf_json_add_str(ev->alloc, os, "release", nc->os_release.value);
        mf_json_add_str(ev->alloc, os, "board", nc->os_board.value);
        mf_json_add_str(ev->alloc, os, "model", nc->os_model.value);
        mf_json_add_str(ev->alloc, os, "target", nc->os_target.value);
        mf_json_add_str(ev->alloc, os, "description", nc->os_description.value);
        cJSON *src = cJSON_AddObjectToObject(os, "sources");
        if (src) {
            add_src(ev, src, "platform", &nc->os_platform);
            add_src(ev, src, "release", &nc->os_release);
            add_src(ev, src, "board", &nc->os_board);
            add_src(ev, src, "model", &nc->os_model);
            add_src(ev, src, "target", &nc->os_target);
            add_src(ev, src, "description", &nc->os_description);
        }
    }
    if (services && nc->uwsgi.len) {
        cJSON *arr = cJSON_AddArrayToObject(services, "uwsgi");
        for (size_t i = 0; arr && i < nc->uwsgi.len; i++) {
            const mf_uwsgi_conf *u = mf_vec_at(&nc->uwsgi, i);
            cJSON *o = push_obj(arr);
            if (!o)
                break;
            mf_json_add_str(ev->alloc, o, "name", u->name);
            const struct {
                const char *k;
                int64_t v;
            } f[] = {{"processes", u->processes}, {"threads", u->threads},
                     {"buffer_size", u->buffer_size}, {"cheaper", u->cheaper}};
            for (size_t j = 0; j < 4; j++) {
                if (f[j].v >= 0)
                    cJSON_AddNumberToObject(o, f[j].k, (double)f[j].v);
                else
                    cJSON_AddNullToObject(o, f[j].k);
            }
            mf_loc loc = u->loc;
            if (u->processes_line)
                loc.line = u->processes_line;
            add_loc(ev, o, loc);
        }
    }
}

/* ---- system ---- */

const char *mf_netcfg_platform(const mf_evidence *ev)
{
    return ev->netcfg ? ev->netcfg->system_platform.value : NULL;
}

const char *mf_netcfg_hostname(const mf_evidence *ev)
{
    return ev->netcfg ? ev->netcfg->system_hostname.value : NULL;
}

void mf_json_netcfg_system_sources(const mf_evidence *ev, cJSON *sources)
{
    const mf_netcfg *nc = ev->netcfg;
    if (!nc)
        return;
    add_src(ev, sources, "platform", &nc->system_platform);
    add_src(ev, sources, "hostname", &nc->system_hostname);
}

/* ---- text summary ---- */

static const char *jstr(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static bool jnum(const cJSON *o, const char *k, double *v)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(n))
        return false;
    *v = n->valuedouble;
    return true;
}

void mf_text_netcfg(mf_buf *b, const cJSON *doc)
{
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(doc, "facts");
    const cJSON *os = cJSON_GetObjectItemCaseSensitive(facts, "os");
    if (jstr(os, "platform") || jstr(os, "board"))
        mf_buf_printf(b, "platform: %s%s%s%s%s%s\n",
                      jstr(os, "platform") ? jstr(os, "platform") : "unknown",
                      jstr(os, "release") ? " " : "",
                      jstr(os, "release") ? jstr(os, "release") : "",
                      jstr(os, "board") ? " (" : "",
                      jstr(os, "board") ? jstr(os, "board") : "",
                      jstr(os, "board") ? ")" : "");
    const cJSON *sockets = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "findings"), "sockets");
    static const char *const tables[] = {"raw6", "raw", "udp6", "udp"};
    int shown = 0, more = 0;
    for (int t = 0; t < 4; t++) {
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(sockets, tables[t]))
        {
            double rx = 0, dg = 0, port = 0;
            jnum(s, "rx_queue", &rx);
            jnum(s, "drops_growth", &dg);
            if (rx <= 0 && dg <= 0)
                continue;
            if (shown == 3) {
                more++;
                continue;
            }
            if (!jnum(s, "proto", &port))
                jnum(s, "port", &port);
            mf_buf_printf(b, "socket: %s %s %s %.0f, rx_queue %.0f bytes", tables[t],
                          jstr(s, "local") ? jstr(s, "local") : "?",
                          t < 2 ? "proto" : "port", port, rx);
            if (dg > 0)
                mf_buf_printf(b, ", drops +%.0f", dg);
            if (jstr(s, "owner"))
                mf_buf_printf(b, " (%s)", jstr(s, "owner"));
            mf_buf_puts(b, "\n");
            shown++;
        }
    }
    if (more)
        mf_buf_printf(b, "  ... %d more socket(s) holding data\n", more);
    int suppress = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(facts, "ip_rules"))
    {
        if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(r, "suppress_prefixlength")))
            suppress++;
    }
    if (suppress)
        mf_buf_printf(b, "ip rules: %d with suppress_prefixlength\n", suppress);
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(doc, "findings");
    const cJSON *rt6 = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(findings, "routes"), "rt6_stats");
    double dst, dg;
    if (jnum(rt6, "dst_entries", &dst)) {
        mf_buf_printf(b, "rt6_stats: %.0f dst entries", dst);
        if (jnum(rt6, "dst_entries_growth", &dg))
            mf_buf_printf(b, " (%+.0f over the snapshots)", dg);
        mf_buf_puts(b, "\n");
    }
    const cJSON *itf;
    cJSON_ArrayForEach(itf, cJSON_GetObjectItemCaseSensitive(findings, "interfaces"))
    {
        const cJSON *link = cJSON_GetObjectItemCaseSensitive(itf, "link");
        const cJSON *growth = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(itf, "dev"), "growth");
        const cJSON *det = cJSON_GetObjectItemCaseSensitive(link, "link_detected");
        double txg = 0, rxg = 0;
        bool g = jnum(growth, "tx_packets", &txg) && jnum(growth, "rx_packets", &rxg);
        const char *nm = jstr(itf, "name");
        if ((!cJSON_IsBool(det) && !g) || (nm && strcmp(nm, "lo") == 0))
            continue;
        mf_buf_printf(b, "interface %s:", jstr(itf, "name") ? jstr(itf, "name") : "?");
        if (cJSON_IsBool(det))
            mf_buf_printf(b, " link %s", cJSON_IsTrue(det) ? "detected" : "not detected");
        if (g)
            mf_buf_printf(b, "%s tx_packets %+.0f, rx_packets %+.0f",
                          cJSON_IsBool(det) ? "," : "", txg, rxg);
        mf_buf_puts(b, "\n");
    }
}
