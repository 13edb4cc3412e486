/* json_snap.c - findings built from /proc snapshot series: slab, meminfo,
 * fragmentation, processes, tmpfs, vmalloc, vmstat, psi; and
 * system.mem_total_kb. Paths are registered in src/model/facts.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/events.h"
#include "model/snapfind.h"
#include "report/json_snap.h"


static void num_or_null(cJSON *o, const char *k, bool ok, double v)
{
    if (ok && isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static bool timed(const mf_series *s)
{
    return s->basis < MF_TB_ORDER;
}

static const char *member_path(const mf_evidence *ev, uint32_t m)
{
    const mf_member *mm = mf_vec_at(&ev->members, m);
    return mm ? mm->path : NULL;
}

static void add_loc(const mf_evidence *ev, cJSON *o, uint32_t member,
                    uint64_t line)
{
    cJSON *l = cJSON_AddObjectToObject(o, "source");
    if (!l)
        return;
    mf_json_add_str(ev->alloc, l, "member", member_path(ev, member));
    cJSON_AddNumberToObject(l, "line", (double)line);
}

static void series_header(const mf_evidence *ev, cJSON *o, const mf_series *s)
{
    (void)ev;
    cJSON_AddNumberToObject(o, "snapshots", s->n);
    cJSON_AddNumberToObject(o, "snapshots_total", s->total);
    cJSON_AddNumberToObject(o, "duplicates", s->duplicates);
    cJSON_AddNumberToObject(o, "segments", s->segments);
    cJSON_AddStringToObject(o, "time_basis", mf_time_basis_name(s->basis));
    num_or_null(o, "span_s", timed(s), (double)(s->t_last - s->t_first));
    cJSON_AddNumberToObject(o, "bad_rows", s->bad_rows);
}

/* {growth per hour, r2, points, claim, limit} of a fit. */
static void fit_fields(cJSON *o, const char *rate_key, const mf_fit *f,
                       bool is_timed, double scale)
{
    num_or_null(o, rate_key, f->valid && is_timed, f->slope * 3600.0 * scale);
    num_or_null(o, "r2", f->valid, f->r2);
    cJSON_AddNumberToObject(o, "points", f->n);
    cJSON_AddBoolToObject(o, "claim", f->claim);
    if (f->limit)
        cJSON_AddStringToObject(o, "limit", f->limit);
    else
        cJSON_AddNullToObject(o, "limit");
}

/* A generic kmalloc cache: kmalloc-N, kmalloc-Nk (also -rcl-, -dma-, -cg-);
 * its family prefix length in *fam (kmalloc-, kmalloc-rcl-...). */
static bool kmalloc_cache(const char *name, size_t *fam)
{
    static const char *const fams[] = {"kmalloc-rcl-", "kmalloc-dma-", "kmalloc-cg-", "dma-kmalloc-",
                                       "kmalloc-"};
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++) {
        size_t n = strlen(fams[i]);
        if (strncmp(name, fams[i], n) == 0 && name[n] >= '0' && name[n] <= '9') {
            *fam = n;
            return true;
        }
    }
    return false;
}

/* The kmemleak culprit whose objects this kmalloc cache holds: the first
 * group (groups are ranked by bytes) with a culprit and an object size in
 * (the next smaller kmalloc cache of the same family in the list, objsize].
 * NULL when the cache is not a kmalloc cache or no group fits. */
static const char *kmemleak_culprit_of(const mf_evidence *ev, const mf_snapfind *f,
                                       const mf_slab_find *c)
{
    size_t fam, fam2;
    const mf_events *e = ev->events;
    if (!e || !e->kmemleak_seen || !kmalloc_cache(c->name_s, &fam))
        return NULL;
    uint64_t lower = 0;
    for (size_t i = 0; i < f->caches.len; i++) {
        const mf_slab_find *o = mf_vec_at(&f->caches, i);
        if (o != c && o->objsize < c->objsize && o->objsize > lower &&
            kmalloc_cache(o->name_s, &fam2) && fam2 == fam &&
            strncmp(o->name_s, c->name_s, fam) == 0)
            lower = o->objsize;
    }
    const mf_kmemleak *km = &e->kmemleak;
    for (size_t i = 0; i < km->groups.len; i++) {
        const mf_kml_group *g = mf_vec_at(&km->groups, i);
        if (!g->culprit)
            continue;
        for (uint32_t k = 0; k < g->nsizes; k++)
            if (g->sizes[k] > lower && g->sizes[k] <= c->objsize)
                return g->culprit;
    }
    return NULL;
}

static void build_slab(const mf_evidence *ev, const mf_snapfind *f, cJSON *o)
{
    const mf_series *s = &f->slab;
    series_header(ev, o, s);
    cJSON_AddNumberToObject(o, "page_kb", f->page_kb);
    cJSON_AddNumberToObject(o, "caches_total", (double)f->caches_total);
    mf_json_add_str(ev->alloc, o, "merge_table", f->merge_table);
    cJSON_AddBoolToObject(o, "sysfs_links", f->sysfs_links);
    cJSON *arr = cJSON_AddArrayToObject(o, "caches");
    for (size_t i = 0; arr && i < f->caches.len; i++) {
        const mf_slab_find *c = mf_vec_at(&f->caches, i);
        cJSON *x = cJSON_CreateObject();
        if (!x || !cJSON_AddItemToArray(arr, x)) {
            cJSON_Delete(x);
            return;
        }
        mf_json_add_str(ev->alloc, x, "name", c->name_s);
        cJSON_AddNumberToObject(x, "objsize", c->objsize);
        cJSON_AddNumberToObject(x, "num_objs_last", (double)c->num_objs_last);
        cJSON_AddNumberToObject(x, "active_objs_last", (double)c->active_objs_last);
        cJSON_AddNumberToObject(x, "bytes_last", (double)c->bytes_last);
        num_or_null(x, "growth_bytes_per_hour", c->bytes.valid && timed(s),
                    c->bytes.slope * 3600.0);
        num_or_null(x, "growth_objs_per_hour", c->objs.valid && timed(s),
                    c->objs.slope * 3600.0);
        num_or_null(x, "r2", c->bytes.valid, c->bytes.r2);
        num_or_null(x, "r2_objs", c->objs.valid, c->objs.r2);
        cJSON_AddNumberToObject(x, "points", c->bytes.n);
        cJSON_AddBoolToObject(x, "claim", c->bytes.claim);
        if (c->bytes.limit)
            cJSON_AddStringToObject(x, "limit", c->bytes.limit);
        else
            cJSON_AddNullToObject(x, "limit");
        cJSON_AddBoolToObject(x, "bookkeeping", c->bookkeeping);
        cJSON *mc = cJSON_AddArrayToObject(x, "merge_candidates");
        mf_buf names; /* the same names in one string, for rule summaries */
        mf_buf_init(&names, ev->alloc);
        for (size_t k = 0; mc && k < c->cand_count; k++) {
            const mf_merge_cand *m = mf_vec_at(&f->cands, c->cand_first + k);
            cJSON *y = cJSON_CreateObject();
            if (!y || !cJSON_AddItemToArray(mc, y)) {
                cJSON_Delete(y);
                break;
            }
            mf_json_add_str(ev->alloc, y, "name", m->name);
            cJSON_AddStringToObject(y, "source", m->source);
            if (names.len)
                mf_buf_puts(&names, ", ");
            mf_buf_puts(&names, m->name);
        }
        mf_json_add_str(ev->alloc, x, "merged_with",
                        names.len && !names.failed ? names.data : NULL);
        mf_buf_free(&names);
        mf_json_add_str(ev->alloc, x, "kmemleak_culprit", kmemleak_culprit_of(ev, f, c));
        add_loc(ev, x, c->member, c->line);
    }
}

/* Caches sharing one /sys/kernel/slab entry (2 names or more). */
static void build_sysfs_groups(const mf_evidence *ev, const mf_snapfind *f,
                               cJSON *o)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "sysfs_groups");
    for (size_t i = 0; arr && i < f->aliases.len;) {
        const mf_merge_cand *a = mf_vec_at(&f->aliases, i);
        size_t j = i + 1;
        while (j < f->aliases.len &&
               strcmp(((mf_merge_cand *)mf_vec_at(&f->aliases, j))->source, a->source) == 0)
            j++;
        if (j - i >= 2) {
            cJSON *g = cJSON_CreateObject();
            if (!g || !cJSON_AddItemToArray(arr, g)) {
                cJSON_Delete(g);
                return;
            }
            mf_json_add_str(ev->alloc, g, "target", a->source);
            cJSON *names = cJSON_AddArrayToObject(g, "names");
            for (size_t k = i; names && k < j; k++) {
                const char *nm = ((mf_merge_cand *)mf_vec_at(&f->aliases, k))->name;
                mf_buf b;
                mf_buf_init(&b, ev->alloc);
                mf_buf_append_utf8(&b, nm, strlen(nm));
                cJSON *n = b.failed ? NULL : cJSON_CreateString(b.data ? b.data : "");
                mf_buf_free(&b);
                if (!n || !cJSON_AddItemToArray(names, n)) {
                    cJSON_Delete(n);
                    return;
                }
            }
        }
        i = j;
    }
}

/* Where the first or last value of a meminfo series was read: a source
 * {member, line, text}, the text as the key and value read there. */
static void mem_point(const mf_evidence *ev, cJSON *x, const char *key,
                      const mf_mem_find *m, const mf_mem_point *p)
{
    cJSON *l = cJSON_AddObjectToObject(x, key);
    if (!l)
        return;
    mf_json_add_str(ev->alloc, l, "member", member_path(ev, p->member));
    cJSON_AddNumberToObject(l, "line", (double)p->line);
    char text[96];
    snprintf(text, sizeof text, "%s: %lld kB", p->derived ? "MemFree+Buffers+Cached" : m->key,
             (long long)p->kb);
    mf_json_add_str(ev->alloc, l, "text", text);
}

static void build_meminfo(const mf_evidence *ev, const mf_snapfind *f, cJSON *o)
{
    const mf_series *s = &f->mem;
    series_header(ev, o, s);
    cJSON_AddStringToObject(o, "source_kind", f->mem_from_free ? "free" : "meminfo");
    mf_json_add_str(ev->alloc, o, "available_basis", f->avail_basis);
    cJSON *ser = cJSON_AddObjectToObject(o, "series");
    for (int k = 0; ser && k < MF_MEM_KEYS; k++) {
        const mf_mem_find *m = &f->mem_keys[k];
        if (!m->present)
            continue;
        cJSON *x = cJSON_AddObjectToObject(ser, m->key);
        if (!x)
            return;
        cJSON_AddNumberToObject(x, "first_kb", (double)m->first.kb);
        cJSON_AddNumberToObject(x, "last_kb", (double)m->last.kb);
        fit_fields(x, "slope_kb_per_hour", &m->fit, timed(s), 1);
        mem_point(ev, x, "first", m, &m->first);
        mem_point(ev, x, "last", m, &m->last);
    }
    num_or_null(o, "exhaustion_eta_h", f->has_eta, f->eta_h);
    mf_json_add_str(ev->alloc, o, "exhaustion_limit", f->has_eta ? NULL : f->eta_limit);
}

static void build_fragmentation(const mf_evidence *ev, const mf_snapfind *f,
                                cJSON *o)
{
    const mf_series *s = &f->buddy;
    series_header(ev, o, s);
    const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[0]);
    cJSON_AddStringToObject(o, "source_kind", mf_snap_kind_name(sn->kind));
    cJSON_AddNumberToObject(o, "page_kb", f->page_kb);
    cJSON_AddNumberToObject(o, "high_order", 3);
    cJSON *arr = cJSON_AddArrayToObject(o, "zones");
    for (size_t i = 0; arr && i < f->zones.len; i++) {
        const mf_zone_find *z = mf_vec_at(&f->zones, i);
        cJSON *x = cJSON_CreateObject();
        if (!x || !cJSON_AddItemToArray(arr, x)) {
            cJSON_Delete(x);
            return;
        }
        cJSON_AddNumberToObject(x, "node", z->node);
        mf_json_add_str(ev->alloc, x, "zone", mf_strtab_get(&ev->snaps.names, z->zone));
        cJSON_AddNumberToObject(x, "orders", z->norders);
        num_or_null(x, "free_kb", z->free_kb >= 0, (double)z->free_kb);
        num_or_null(x, "high_order_free_kb", z->high_order_free_kb >= 0,
                    (double)z->high_order_free_kb);
        num_or_null(x, "unusable_index", true, z->unusable_index);
        num_or_null(x, "first_free_kb", z->first_free_kb >= 0, (double)z->first_free_kb);
        num_or_null(x, "first_high_order_free_kb", z->first_high_order_free_kb >= 0,
                    (double)z->first_high_order_free_kb);
        num_or_null(x, "first_unusable_index", z->first_free_kb >= 0,
                    z->first_unusable_index);
        fit_fields(x, "high_order_free_kb_per_hour", &z->high_fit, timed(s), 1);
        num_or_null(x, "watermark_min_kb", z->wm_min_kb >= 0, (double)z->wm_min_kb);
        num_or_null(x, "watermark_low_kb", z->wm_low_kb >= 0, (double)z->wm_low_kb);
        num_or_null(x, "watermark_high_kb", z->wm_high_kb >= 0, (double)z->wm_high_kb);
        num_or_null(x, "managed_kb", z->managed_kb >= 0, (double)z->managed_kb);
        add_loc(ev, x, z->member, z->line);
    }
}

/* A ranked list of named growth rows. */
static void named_list(const mf_evidence *ev, cJSON *o, const char *key,
                       const mf_vec *v, const mf_series *s, const char *name_key,
                       const char *first_key, const char *last_key,
                       const char *aux_key, const char *rate_key, double scale)
{
    cJSON *arr = cJSON_AddArrayToObject(o, key);
    for (size_t i = 0; arr && i < v->len; i++) {
        const mf_named_find *n = mf_vec_at(v, i);
        cJSON *x = cJSON_CreateObject();
        if (!x || !cJSON_AddItemToArray(arr, x)) {
            cJSON_Delete(x);
            return;
        }
        mf_json_add_str(ev->alloc, x, name_key, n->name_s);
        if (aux_key)
            cJSON_AddNumberToObject(x, aux_key, (double)n->aux_last);
        cJSON_AddNumberToObject(x, first_key, (double)n->first * scale);
        cJSON_AddNumberToObject(x, last_key, (double)n->last * scale);
        fit_fields(x, rate_key, &n->fit, timed(s), scale);
        add_loc(ev, x, n->member, n->line);
    }
}

/* A point of the kernel-versus-user split: the process list it summed (its
 * first line), with the RSS sum and the used memory it was paired with. */
static void split_point(const mf_evidence *ev, cJSON *x, const char *key, uint32_t snap,
                        int64_t user_kb, int64_t used_kb)
{
    const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, snap);
    cJSON *l = sn ? cJSON_AddObjectToObject(x, key) : NULL;
    if (!l)
        return;
    mf_json_add_str(ev->alloc, l, "member", member_path(ev, sn->member));
    cJSON_AddNumberToObject(l, "line", (double)sn->line);
    char text[128];
    snprintf(text, sizeof text, "process list: RSS %lld kB in all; used memory then %lld kB",
             (long long)user_kb, (long long)used_kb);
    mf_json_add_str(ev->alloc, l, "text", text);
}

static void build_processes(const mf_evidence *ev, const mf_snapfind *f, cJSON *o)
{
    const mf_series *s = &f->procs;
    series_header(ev, o, s);
    const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[0]);
    cJSON_AddStringToObject(o, "source_kind", mf_snap_kind_name(sn->kind));
    cJSON_AddNumberToObject(o, "names_total", (double)f->procs_total);
    named_list(ev, o, "top", &f->proc_growth, s, "name", "rss_kb_first",
               "rss_kb_last", "count_last", "growth_kb_per_hour", 1);
    if (!f->split_valid) {
        cJSON_AddNullToObject(o, "split");
        return;
    }
    cJSON *x = cJSON_AddObjectToObject(o, "split");
    if (!x)
        return;
    cJSON_AddNumberToObject(x, "points", f->split_points);
    cJSON_AddNumberToObject(x, "used_kb_first", (double)f->split_used_first);
    cJSON_AddNumberToObject(x, "used_kb_last", (double)f->split_used_last);
    cJSON_AddNumberToObject(x, "user_rss_kb_first", (double)f->split_user_first);
    cJSON_AddNumberToObject(x, "user_rss_kb_last", (double)f->split_user_last);
    num_or_null(x, "used_kb_per_hour", f->split_used.valid, f->split_used.slope * 3600);
    num_or_null(x, "user_rss_kb_per_hour", f->split_user.valid,
                f->split_user.slope * 3600);
    cJSON_AddStringToObject(x, "verdict", f->split_verdict);
    split_point(ev, x, "first", f->split_first_snap, f->split_user_first, f->split_used_first);
    split_point(ev, x, "last", f->split_last_snap, f->split_user_last, f->split_used_last);
}

static void build_tmpfs(const mf_evidence *ev, const mf_snapfind *f, cJSON *o)
{
    if (f->df.n) {
        cJSON *d = cJSON_AddObjectToObject(o, "df");
        if (!d)
            return;
        series_header(ev, d, &f->df);
        named_list(ev, d, "mounts", &f->mounts, &f->df, "mount", "used_kb_first",
                   "used_kb_last", "size_kb", "growth_kb_per_hour", 1);
    } else {
        cJSON_AddNullToObject(o, "df");
    }
    if (f->du.n) {
        cJSON *d = cJSON_AddObjectToObject(o, "du");
        if (!d)
            return;
        series_header(ev, d, &f->du);
        named_list(ev, d, "paths", &f->du_paths, &f->du, "path", "kb_first",
                   "kb_last", NULL, "growth_kb_per_hour", 1);
    } else {
        cJSON_AddNullToObject(o, "du");
    }
}

static void build_vmalloc(const mf_evidence *ev, const mf_snapfind *f, cJSON *o)
{
    series_header(ev, o, &f->vmalloc);
    double total = 0;
    for (size_t i = 0; i < f->vm_kinds.len; i++) {
        const mf_named_find *n = mf_vec_at(&f->vm_kinds, i);
        if (n->in_last) /* a kind absent from the last snapshot has 0 */
            total += (double)n->last;
    }
    cJSON_AddNumberToObject(o, "total_bytes", total);
    named_list(ev, o, "kinds", &f->vm_kinds, &f->vmalloc, "kind", "bytes_first",
               "bytes_last", "areas", "growth_bytes_per_hour", 1);
    named_list(ev, o, "callers", &f->vm_callers, &f->vmalloc, "caller",
               "bytes_first", "bytes_last", "areas", "growth_bytes_per_hour", 1);
}

static void build_vmstat(const mf_evidence *ev, const mf_snapfind *f, cJSON *o)
{
    series_header(ev, o, &f->vmstat);
    cJSON *c = cJSON_AddObjectToObject(o, "counters");
    for (size_t i = 0; c && i < f->vm_counters.len; i++) {
        const mf_named_find *n = mf_vec_at(&f->vm_counters, i);
        cJSON *x = cJSON_AddObjectToObject(c, mf_strtab_get(&ev->snaps.names, n->name));
        if (!x)
            return;
        cJSON_AddNumberToObject(x, "first", (double)n->first);
        cJSON_AddNumberToObject(x, "last", (double)n->last);
        num_or_null(x, "per_hour", n->fit.valid, n->fit.slope * 3600);
    }
}

/* psi: the values of the last snapshot (totals: the growth since the
 * first), each with its line in sources{} ("some avg300=19.80"). */
static void build_psi(const mf_evidence *ev, const mf_snapfind *f, cJSON *o)
{
    series_header(ev, o, &f->psi);
    cJSON *sources = f->psi_values.len ? cJSON_CreateObject() : NULL;
    for (size_t i = 0; i < f->psi_values.len; i++) {
        const mf_named_find *n = mf_vec_at(&f->psi_values, i);
        const char *name = mf_strtab_get(&ev->snaps.names, n->name);
        const char *us = strchr(name, '_'); /* some_avg10 -> "some", "avg10" */
        char key[40], text[64];
        if (strstr(name, "_total")) {
            snprintf(key, sizeof key, "%s_us_delta", name);
            cJSON_AddNumberToObject(o, key, (double)(n->last - n->first));
            snprintf(text, sizeof text, "%.*s total=%lld", us ? (int)(us - name) : 0, name,
                     (long long)n->last);
        } else {
            snprintf(key, sizeof key, "%s_pct", name);
            cJSON_AddNumberToObject(o, key, (double)n->last / 100.0);
            snprintf(text, sizeof text, "%.*s %s=%lld.%02lld", us ? (int)(us - name) : 0, name,
                     us ? us + 1 : name, (long long)(n->last / 100), (long long)(n->last % 100));
        }
        cJSON *src = cJSON_CreateObject();
        if (!src || !cJSON_AddItemToObject(sources, key, src)) {
            cJSON_Delete(src);
            continue;
        }
        mf_json_add_str(ev->alloc, src, "member", member_path(ev, n->member));
        cJSON_AddNumberToObject(src, "line", (double)n->line);
        mf_json_add_str(ev->alloc, src, "text", text);
    }
    if (sources && !cJSON_AddItemToObject(o, "sources", sources))
        cJSON_Delete(sources);
}

cJSON *mf_json_snap_section(const mf_evidence *ev, cJSON *findings,
                            const char *name)
{
    cJSON *o = cJSON_AddObjectToObject(findings, name);
    const mf_snapfind *f = ev->snapfind;
    if (!o || !f)
        return o;
    if (strcmp(name, "slab") == 0 && (f->slab.n || f->aliases.len)) {
        if (f->slab.n)
            build_slab(ev, f, o);
        if (f->aliases.len)
            build_sysfs_groups(ev, f, o);
    }
    else if (strcmp(name, "meminfo") == 0 && f->mem.n)
        build_meminfo(ev, f, o);
    else if (strcmp(name, "fragmentation") == 0 && f->buddy.n)
        build_fragmentation(ev, f, o);
    else if (strcmp(name, "processes") == 0 && f->procs.n)
        build_processes(ev, f, o);
    else if (strcmp(name, "tmpfs") == 0 && (f->df.n || f->du.n))
        build_tmpfs(ev, f, o);
    else if (strcmp(name, "vmalloc") == 0 && f->vmalloc.n)
        build_vmalloc(ev, f, o);
    else if (strcmp(name, "vmstat") == 0 && f->vmstat.n)
        build_vmstat(ev, f, o);
    else if (strcmp(name, "psi") == 0 && f->psi.n)
        build_psi(ev, f, o);
    return o;
}

void mf_json_snap_mem_total(const mf_evidence *ev, cJSON *sys)
{
    const mf_snapfind *f = ev->snapfind;
    if (f && f->has_mem_total)
        cJSON_AddNumberToObject(sys, "mem_total_kb", (double)f->mem_total_kb);
    else
        cJSON_AddNullToObject(sys, "mem_total_kb");
}

void mf_json_snap_mem_total_source(const mf_evidence *ev, cJSON *sources)
{
    const mf_snapfind *f = ev->snapfind;
    if (!f || !f->has_mem_total)
        return;
    cJSON *src = cJSON_AddObjectToObject(sources, "mem_total_kb");
    if (!src)
        return;
    mf_json_add_str(ev->alloc, src, "member", member_path(ev, f->mem_total_member));
    cJSON_AddNumberToObject(src, "line", (double)f->mem_total_line);
    mf_json_add_str(ev->alloc, src, "text", f->mem_total_text);
}
