/* json_oom.c - findings.oom_events[] and the system facts OOM reports
 * prove. Field names are the contract (issue 5, docs/report.schema.json,
 * src/model/facts.c): unknown values are null, never guessed. */
#include <stdio.h>
#include <string.h>

#include "report/json_oom.h"
#include "analyze/oom.h"

static void add_int(cJSON *o, const char *key, int64_t v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, (double)v);
}

/* For values that may be negative (oom_score_adj); INT64_MIN is unknown. */
static void add_sint(cJSON *o, const char *key, int64_t v)
{
    if (v == INT64_MIN)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, (double)v);
}

static const char *member_path(const mf_evidence *ev, uint32_t i)
{
    const mf_member *m = i < ev->members.len ? mf_vec_at(&ev->members, i) : NULL;
    return m ? m->path : NULL;
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

static const char *kind_name(mf_oom_kind k)
{
    switch (k) {
    case MF_OOM_MANUAL: return "manual";
    case MF_OOM_MEMCG: return "memcg";
    default: return "global";
    }
}

static const char *zone_state_name(mf_oom_zone_state s)
{
    switch (s) {
    case MF_ZONE_OK: return "ok";
    case MF_ZONE_BELOW_LOW: return "below_low";
    case MF_ZONE_BELOW_MIN: return "below_min";
    case MF_ZONE_NO_BLOCK: return "no_block";
    case MF_ZONE_UNKNOWN: return "unknown";
    default: return "not_allowed";
    }
}

static int64_t pk(int64_t pages, uint32_t page_kb)
{
    return pages < 0 || !page_kb ? -1 : pages * (int64_t)page_kb;
}

static void add_share(cJSON *o, const char *key, int64_t part, int64_t total)
{
    if (part < 0 || total <= 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, (double)part / (double)total);
}

static void build_victim(const mf_evidence *ev, cJSON *o, const mf_oom_event *e)
{
    const mf_oom_victim *v = &e->victim;
    if (!v->known && !v->comm) {
        cJSON_AddNullToObject(o, "victim");
        return;
    }
    cJSON *vo = cJSON_AddObjectToObject(o, "victim");
    if (!vo)
        return;
    add_int(vo, "pid", v->pid);
    mf_json_add_str(ev->alloc, vo, "comm", v->comm);
    add_int(vo, "total_vm_kb", v->total_vm_kb);
    add_int(vo, "anon_rss_kb", v->anon_rss_kb);
    add_int(vo, "file_rss_kb", v->file_rss_kb);
    add_int(vo, "shmem_rss_kb", v->shmem_rss_kb);
    add_int(vo, "uid", v->uid);
    add_sint(vo, "oom_score_adj", v->oom_score_adj);
    add_int(vo, "pgtables_kb", v->pgtables_kb);
    add_int(vo, "score", v->score);
}

static void build_reaped(const mf_evidence *ev, cJSON *o, const mf_oom_event *e)
{
    if (!e->reaped_known) {
        cJSON_AddNullToObject(o, "reaped");
        return;
    }
    cJSON *r = cJSON_AddObjectToObject(o, "reaped");
    if (!r)
        return;
    cJSON_AddBoolToObject(r, "ok", !e->reap_failed);
    add_int(r, "anon_rss_kb", e->reaped_anon_kb);
    add_int(r, "file_rss_kb", e->reaped_file_kb);
    add_int(r, "shmem_rss_kb", e->reaped_shmem_kb);
    mf_json_add_str(ev->alloc, r, "member", member_path(ev, e->reaped_loc.member));
    cJSON_AddNumberToObject(r, "line", (double)e->reaped_loc.line);
}

static void build_mem(cJSON *o, const mf_oom_event *e)
{
    const mf_showmem *sm = &e->sm;
    uint32_t pg = e->d.page_kb;
    if (!sm->seen) {
        cJSON_AddNullToObject(o, "mem");
        return;
    }
    cJSON *m = cJSON_AddObjectToObject(o, "mem");
    if (!m)
        return;
    char key[48];
    for (int i = 0; i < MF_SM_NCOUNTERS; i++) {
        if (sm->counters[i] < 0)
            continue;
        snprintf(key, sizeof key, "%s_kb", mf_sm_counter_name((mf_sm_counter)i));
        add_int(m, key, pk(sm->counters[i], pg));
    }
    if (sm->node_kernel_stack_kb >= 0 || e->d.kernel_stack_kb >= 0)
        add_int(m, "kernel_stack_kb", e->d.kernel_stack_kb);
    if (sm->pagecache_pages >= 0)
        add_int(m, "pagecache_total_kb", pk(sm->pagecache_pages, pg));
    if (sm->swapcache_pages >= 0)
        add_int(m, "swap_cache_kb", pk(sm->swapcache_pages, pg));
    if (sm->reserved_pages >= 0)
        add_int(m, "reserved_kb", pk(sm->reserved_pages, pg));
    if (sm->highmem_pages >= 0)
        add_int(m, "highmem_kb", pk(sm->highmem_pages, pg));
    if (sm->cma_reserved_pages >= 0)
        add_int(m, "cma_reserved_kb", pk(sm->cma_reserved_pages, pg));
    if (sm->hugepages_total >= 0) {
        add_int(m, "hugepages_total", sm->hugepages_total);
        add_int(m, "hugepages_free", sm->hugepages_free);
        add_int(m, "hugepages_size_kb", sm->hugepages_size_kb);
    }
}

static void build_zones(cJSON *o, const mf_oom_event *e)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "zones");
    const mf_showmem *sm = &e->sm;
    for (int i = 0; arr && i < sm->nzones; i++) {
        const mf_sm_zone *z = &sm->zones[i];
        cJSON *zo = push_obj(arr);
        if (!zo)
            return;
        if (z->node >= 0)
            cJSON_AddNumberToObject(zo, "node", z->node);
        else
            cJSON_AddNullToObject(zo, "node");
        cJSON_AddStringToObject(zo, "zone", z->name);
        add_int(zo, "free_kb", z->free_kb);
        add_int(zo, "boost_kb", z->boost_kb);
        add_int(zo, "min_kb", z->min_kb);
        add_int(zo, "low_kb", z->low_kb);
        add_int(zo, "high_kb", z->high_kb);
        add_int(zo, "present_kb", z->present_kb);
        add_int(zo, "managed_kb", z->managed_kb);
        cJSON *lr = cJSON_AddArrayToObject(zo, "lowmem_reserve");
        for (int j = 0; lr && j < z->nreserve; j++)
            cJSON_AddItemToArray(lr, cJSON_CreateNumber((double)z->lowmem_reserve[j]));
        if (z->has_buddy) {
            cJSON *b = cJSON_AddArrayToObject(zo, "free_blocks_by_order");
            for (int j = 0; b && j < z->norders; j++)
                cJSON_AddItemToArray(b, cJSON_CreateNumber((double)z->blocks[j]));
        } else {
            cJSON_AddNullToObject(zo, "free_blocks_by_order");
        }
        mf_json_add_str(NULL, zo, "watermark", NULL);
        if (e->d.wm_verdict || e->d.zone_state[i] != MF_ZONE_NOT_ALLOWED)
            cJSON_ReplaceItemInObjectCaseSensitive(
                zo, "watermark", cJSON_CreateString(zone_state_name(e->d.zone_state[i])));
    }
}

static void build_tasks(const mf_evidence *ev, cJSON *o, const mf_oom_event *e)
{
    if (!e->has_tasks) {
        cJSON_AddNullToObject(o, "tasks");
        return;
    }
    uint32_t pg = e->d.page_kb;
    cJSON *t = cJSON_AddObjectToObject(o, "tasks");
    if (!t)
        return;
    cJSON_AddNumberToObject(t, "count", (double)e->ntasks);
    add_int(t, "rss_kb_total", pk(e->tasks_rss_pages, pg));
    int64_t base = e->d.managed_kb > 0 ? e->d.managed_kb : e->d.ram_kb;
    cJSON *top = cJSON_AddArrayToObject(t, "top");
    for (int i = 0; top && i < e->ntop; i++) {
        cJSON *x = push_obj(top);
        if (!x)
            return;
        cJSON_AddNumberToObject(x, "pid", (double)e->top[i].pid);
        mf_json_add_str(ev->alloc, x, "comm", e->top[i].comm);
        add_int(x, "rss_kb", pk(e->top[i].rss_pages, pg));
    }
    cJSON *pr = cJSON_AddArrayToObject(t, "programs");
    for (int i = 0; pr && i < e->nprograms; i++) {
        cJSON *x = push_obj(pr);
        if (!x)
            return;
        mf_json_add_str(ev->alloc, x, "comm", e->programs[i].comm);
        cJSON_AddNumberToObject(x, "count", (double)e->programs[i].count);
        int64_t kb = pk(e->programs[i].rss_pages, pg);
        add_int(x, "rss_kb", kb);
        add_share(x, "share_of_tasks", e->programs[i].rss_pages, e->tasks_rss_pages);
        add_share(x, "share_of_ram", kb, base);
    }
}

static void build_memcg(const mf_evidence *ev, cJSON *o, const mf_oom_event *e)
{
    const mf_oom_memcg *m = &e->mcg;
    if (e->kind != MF_OOM_MEMCG && !e->has_memcg_info) {
        cJSON_AddNullToObject(o, "memcg_usage");
        return;
    }
    cJSON *c = cJSON_AddObjectToObject(o, "memcg_usage");
    if (!c)
        return;
    add_int(c, "usage_kb", m->usage_kb);
    add_int(c, "limit_kb", m->limit_kb);
    add_int(c, "failcnt", m->failcnt);
    add_int(c, "memsw_usage_kb", m->memsw_usage_kb);
    add_int(c, "memsw_limit_kb", m->memsw_limit_kb);
    add_int(c, "kmem_usage_kb", m->kmem_usage_kb);
    add_int(c, "swap_usage_kb", m->swap_usage_kb);
    add_int(c, "swap_limit_kb", m->swap_limit_kb);
    mf_json_add_str(ev->alloc, c, "stats_path", m->stats_path);
    cJSON *st = cJSON_AddObjectToObject(c, "stats_kb");
    for (int i = 0; st && i < m->nstats; i++)
        cJSON_AddNumberToObject(st, m->stats[i].key, (double)m->stats[i].kb);
    mf_json_add_str(ev->alloc, c, "filled_by", e->d.memcg_filled_by);
}

static void build_accounting(cJSON *o, const mf_oom_event *e)
{
    const mf_oom_derived *d = &e->d;
    if (!e->sm.mem_info) {
        cJSON_AddNullToObject(o, "accounting");
        return;
    }
    cJSON *a = cJSON_AddObjectToObject(o, "accounting");
    if (!a)
        return;
    int64_t total = d->managed_kb >= 0 ? d->managed_kb : d->ram_kb;
    add_int(a, "ram_kb", d->ram_kb);
    add_int(a, "managed_kb", d->managed_kb);
    add_int(a, "free_kb", d->free_kb);
    add_int(a, "pagecache_kb", d->pagecache_kb);
    add_int(a, "anon_kb", d->anon_kb);
    add_int(a, "shmem_kb", d->shmem_kb);
    add_int(a, "unevictable_kb", d->unevictable_kb);
    add_int(a, "slab_reclaimable_kb", d->slab_reclaimable_kb);
    add_int(a, "slab_unreclaimable_kb", d->slab_unreclaimable_kb);
    add_int(a, "pagetables_kb", d->pagetables_kb);
    add_int(a, "kernel_stack_kb", d->kernel_stack_kb);
    add_int(a, "tasks_rss_kb", d->tasks_rss_kb);
    if (d->unaccounted_kb == -1 && !d->verdict)
        cJSON_AddNullToObject(a, "unaccounted_kb");
    else
        cJSON_AddNumberToObject(a, "unaccounted_kb", (double)d->unaccounted_kb);
    if (d->verdict) {
        cJSON *s = cJSON_AddObjectToObject(a, "shares");
        if (s) {
            add_share(s, "user_processes", d->anon_kb + (d->unevictable_kb > 0 ? d->unevictable_kb : 0), total);
            add_share(s, "slab", d->slab_reclaimable_kb + d->slab_unreclaimable_kb, total);
            add_share(s, "page_cache_shmem", d->pagecache_kb + (d->shmem_kb > 0 ? d->shmem_kb : 0), total);
            add_share(s, "unaccounted_kernel", d->unaccounted_kb > 0 ? d->unaccounted_kb : 0, total);
            add_share(s, "free", d->free_kb, total);
        }
    } else {
        cJSON_AddNullToObject(a, "shares");
    }
    mf_json_add_str(NULL, a, "verdict", NULL);
    if (d->verdict)
        cJSON_ReplaceItemInObjectCaseSensitive(a, "verdict", cJSON_CreateString(d->verdict));
}

static void build_watermark(cJSON *o, const mf_oom_event *e)
{
    const mf_oom_derived *d = &e->d;
    if (!d->wm_verdict) {
        cJSON_AddNullToObject(o, "watermark");
        return;
    }
    cJSON *w = cJSON_AddObjectToObject(o, "watermark");
    if (!w)
        return;
    cJSON_AddNumberToObject(w, "order", e->order);
    cJSON_AddStringToObject(w, "highest_zone", d->highest_zone);
    cJSON_AddStringToObject(w, "verdict", d->wm_verdict);
}

static void build_event(const mf_evidence *ev, cJSON *arr, const mf_oom_event *e)
{
    cJSON *o = push_obj(arr);
    if (!o)
        return;
    const mf_allocator *a = ev->alloc;
    mf_json_add_str(a, o, "member", member_path(ev, e->loc.member));
    cJSON_AddNumberToObject(o, "line", (double)e->loc.line);
    mf_json_add_str(a, o, "text", e->text);
    cJSON *locs = cJSON_AddArrayToObject(o, "locations");
    cJSON *l0 = locs ? push_obj(locs) : NULL;
    if (l0) {
        mf_json_add_str(a, l0, "member", member_path(ev, e->loc.member));
        cJSON_AddNumberToObject(l0, "line", (double)e->loc.line);
    }
    for (size_t i = 0; locs && i < e->also.len; i++) {
        const mf_loc *l = mf_vec_at(&e->also, i);
        cJSON *x = push_obj(locs);
        if (!x)
            break;
        mf_json_add_str(a, x, "member", member_path(ev, l->member));
        cJSON_AddNumberToObject(x, "line", (double)l->line);
    }
    mf_json_add_time(ev, o, "time", &e->time, true);
    cJSON_AddStringToObject(o, "kind", kind_name(e->kind));
    cJSON *tr = cJSON_AddObjectToObject(o, "trigger");
    if (tr) {
        mf_json_add_str(a, tr, "comm", e->trigger_comm);
        add_int(tr, "pid", e->trigger_pid);
        add_int(tr, "uid", e->trigger_uid);
    }
    mf_json_add_str(a, o, "gfp_mask", e->gfp_mask);
    cJSON *gf = cJSON_AddArrayToObject(o, "gfp_flags");
    if (gf && e->gfp_flags) {
        const char *p = e->gfp_flags;
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            char *s = mf_strndup(a, p, n);
            if (s) {
                cJSON *it = cJSON_CreateString(s);
                if (it)
                    cJSON_AddItemToArray(gf, it);
                mf_free(a, s);
            }
            p += n;
            if (*p == '|')
                p++;
        }
    }
    if (e->has_order)
        cJSON_AddNumberToObject(o, "order", e->order);
    else
        cJSON_AddNullToObject(o, "order");
    add_sint(o, "oom_score_adj", e->oom_score_adj);
    add_sint(o, "oom_adj", e->oom_adj);
    mf_json_add_str(a, o, "nodemask", e->nodemask);
    mf_json_add_str(a, o, "constraint", e->constraint);
    mf_json_add_str(a, o, "memcg", e->memcg);
    mf_json_add_str(a, o, "task_memcg", e->task_memcg);
    mf_json_add_str(a, o, "cpuset", e->cpuset);
    mf_json_add_str(a, o, "kernel_release", e->kernel_release);
    mf_json_add_str(a, o, "taint", e->taint);
    mf_json_add_str(a, o, "hardware", e->hardware);
    cJSON *ct = cJSON_AddArrayToObject(o, "call_trace");
    for (int i = 0; ct && i < e->ntrace; i++) {
        cJSON *it = e->trace[i] ? cJSON_CreateString(e->trace[i]) : NULL;
        if (it)
            cJSON_AddItemToArray(ct, it);
    }
    build_victim(ev, o, e);
    build_reaped(ev, o, e);
    if (e->d.page_kb)
        cJSON_AddNumberToObject(o, "page_size_kb", e->d.page_kb);
    else
        cJSON_AddNullToObject(o, "page_size_kb");
    build_mem(o, e);
    build_zones(o, e);
    if (e->sm.total_swap_kb >= 0 || e->sm.free_swap_kb >= 0) {
        cJSON *sw = cJSON_AddObjectToObject(o, "swap");
        if (sw) {
            add_int(sw, "total_kb", e->sm.total_swap_kb);
            add_int(sw, "free_kb", e->sm.free_swap_kb);
        }
    } else {
        cJSON_AddNullToObject(o, "swap");
    }
    add_int(o, "ram_kb", e->d.ram_kb);
    build_tasks(ev, o, e);
    build_memcg(ev, o, e);
    build_accounting(o, e);
    build_watermark(o, e);
    cJSON_AddBoolToObject(o, "truncated", e->truncated);
}

void mf_json_oom_events(const mf_evidence *ev, cJSON *findings)
{
    cJSON *arr = cJSON_AddArrayToObject(findings, "oom_events");
    for (size_t i = 0; arr && i < ev->oom.events.len; i++) {
        const mf_oom_event *e = mf_vec_at(&ev->oom.events, i);
        if (!e->duplicate)
            build_event(ev, arr, e);
    }
}

static void source(const mf_evidence *ev, cJSON *sources, const char *key,
                   const mf_strfact *f)
{
    if (!sources || cJSON_GetObjectItemCaseSensitive(sources, key))
        return;
    cJSON *src = cJSON_AddObjectToObject(sources, key);
    if (!src)
        return;
    mf_json_add_str(ev->alloc, src, "member", member_path(ev, f->loc.member));
    cJSON_AddNumberToObject(src, "line", (double)f->loc.line);
    mf_json_add_str(ev->alloc, src, "text", f->text);
}

/* Set a member in place (keeps the key order of the document). */
static void put_number(cJSON *obj, const char *key, double v)
{
    cJSON *n = cJSON_CreateNumber(v);
    if (!n)
        return;
    if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
        if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, key, n))
            cJSON_Delete(n);
    } else if (!cJSON_AddItemToObject(obj, key, n)) {
        cJSON_Delete(n);
    }
}

void mf_json_oom_system(const mf_evidence *ev, cJSON *sys, cJSON *sources)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(sys, "page_size");
    if (ev->system.oom_page_size > 0 && (!ps || cJSON_IsNull(ps))) {
        put_number(sys, "page_size", (double)ev->system.oom_page_size);
        source(ev, sources, "page_size", &ev->system.oom_page_size_src);
    }
    /* meminfo's MemTotal wins: only fill what nothing else gave */
    const cJSON *mt = cJSON_GetObjectItemCaseSensitive(sys, "mem_total_kb");
    if (ev->system.oom_ram_kb > 0 && (!mt || cJSON_IsNull(mt))) {
        put_number(sys, "mem_total_kb", (double)ev->system.oom_ram_kb);
        source(ev, sources, "mem_total_kb", &ev->system.oom_ram_src);
    } else if (ev->system.boot_ram_kb > 0 && (!mt || cJSON_IsNull(mt))) {
        put_number(sys, "mem_total_kb", (double)ev->system.boot_ram_kb);
        source(ev, sources, "mem_total_kb", &ev->system.boot_ram_src);
    }
}

/* ---- text summary ---- */

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *gs(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(get(o, k));
}

static bool gn(const cJSON *o, const char *k, double *v)
{
    const cJSON *n = get(o, k);
    if (!cJSON_IsNumber(n))
        return false;
    *v = n->valuedouble;
    return true;
}

static void put_mb(mf_buf *b, double kb)
{
    if (kb >= 1024 * 1024)
        mf_buf_printf(b, "%.1f GB", kb / (1024.0 * 1024.0));
    else
        mf_buf_printf(b, "%.0f MB", kb / 1024.0);
}

static const char *verdict_text(const char *v)
{
    if (!v) return NULL;
    if (!strcmp(v, "user_processes")) return "user processes";
    if (!strcmp(v, "slab")) return "slab (kernel caches)";
    if (!strcmp(v, "page_cache_shmem")) return "page cache / shmem (tmpfs)";
    if (!strcmp(v, "unaccounted_kernel")) return "kernel memory no counter shows (driver or vmalloc leak?)";
    return v;
}

void mf_report_text_oom(mf_buf *b, const cJSON *events)
{
    int n = cJSON_GetArraySize(events), i = 0;
    if (n <= 0)
        return;
    const cJSON *e;
    cJSON_ArrayForEach(e, events)
    {
        i++;
        const cJSON *tr = get(e, "trigger"), *v = get(e, "victim");
        double x;
        mf_buf_printf(b, "OOM %d/%d (%s%s) %s:%.0f: ", i, n, gs(e, "kind") ? gs(e, "kind") : "?",
                      cJSON_IsTrue(get(e, "truncated")) ? ", truncated" : "",
                      gs(e, "member") ? gs(e, "member") : "-", gn(e, "line", &x) ? x : 0);
        bool manual = gs(e, "kind") && !strcmp(gs(e, "kind"), "manual");
        if (gs(tr, "comm")) {
            mf_buf_printf(b, "%s%s", manual ? "manual OOM (SysRq-f) run by " : "", gs(tr, "comm"));
            if (gn(tr, "pid", &x))
                mf_buf_printf(b, " (pid %.0f)", x);
            if (!manual) {
                mf_buf_puts(b, " asked");
                if (gn(e, "order", &x))
                    mf_buf_printf(b, " for order %.0f", x);
                const cJSON *f = cJSON_GetArrayItem(get(e, "gfp_flags"), 0);
                if (cJSON_GetStringValue(f))
                    mf_buf_printf(b, " %s", cJSON_GetStringValue(f));
            }
            if (gs(e, "memcg"))
                mf_buf_printf(b, " in %s", gs(e, "memcg"));
        } else {
            mf_buf_puts(b, "header not in the log");
        }
        if (v && !cJSON_IsNull(v)) {
            mf_buf_printf(b, "; killed %s", gs(v, "comm") ? gs(v, "comm") : "?");
            if (gn(v, "pid", &x))
                mf_buf_printf(b, " (pid %.0f", x);
            if (gn(v, "anon_rss_kb", &x)) {
                mf_buf_puts(b, ", anon-rss ");
                put_mb(b, x);
            }
            mf_buf_puts(b, ")");
        } else if (cJSON_IsTrue(get(e, "truncated"))) {
            mf_buf_puts(b, "; the report is cut before its kill line");
        } else {
            mf_buf_puts(b, "; nothing was killed (no killable process)");
        }
        mf_buf_puts(b, "\n  ");
        const cJSON *a = get(e, "accounting"), *mc = get(e, "memcg_usage");
        const cJSON *w = get(e, "watermark"), *t = get(e, "tasks");
        const char *verdict = verdict_text(gs(a, "verdict"));
        bool any = false;
        if (verdict) {
            double total = 0, share = 0;
            mf_buf_printf(b, "memory went to %s", verdict);
            bool has_share = gn(get(a, "shares"), gs(a, "verdict"), &share);
            if (gn(a, "managed_kb", &total) || gn(a, "ram_kb", &total)) {
                if (has_share)
                    mf_buf_printf(b, ": %.0f%% of ", share * 100);
                else
                    mf_buf_puts(b, " of ");
                put_mb(b, total);
            }
            if (gn(a, "free_kb", &x)) {
                mf_buf_puts(b, ", free ");
                put_mb(b, x);
            }
            any = true;
        } else if (mc && !cJSON_IsNull(mc)) {
            mf_buf_puts(b, "cgroup");
            if (gn(mc, "usage_kb", &x)) {
                mf_buf_puts(b, " used ");
                put_mb(b, x);
            }
            if (gn(mc, "limit_kb", &x)) {
                mf_buf_puts(b, " of its ");
                put_mb(b, x);
                mf_buf_puts(b, " limit");
            }
            if (gs(mc, "filled_by"))
                mf_buf_printf(b, ", filled by %s", gs(mc, "filled_by"));
            any = true;
        }
        const cJSON *p = cJSON_GetArrayItem(get(t, "programs"), 0);
        if (p) {
            mf_buf_printf(b, "%slargest %s", any ? "; " : "", gs(p, "comm") ? gs(p, "comm") : "?");
            if (gn(p, "count", &x) && x > 1)
                mf_buf_printf(b, " x%.0f", x);
            if (gn(p, "rss_kb", &x)) {
                mf_buf_puts(b, " ");
                put_mb(b, x);
            }
            if (gn(p, "share_of_ram", &x))
                mf_buf_printf(b, " (%.0f%% of RAM)", x * 100);
            any = true;
        }
        const char *wv = gs(w, "verdict");
        if (wv) {
            const char *zone = gs(w, "highest_zone") ? gs(w, "highest_zone") : "?";
            mf_buf_puts(b, any ? "; " : "");
            if (!strcmp(wv, "below_min"))
                mf_buf_printf(b, "zones up to %s below their min watermark", zone);
            else if (!strcmp(wv, "below_low"))
                mf_buf_printf(b, "zones up to %s below their low watermark", zone);
            else if (!strcmp(wv, "fragmentation"))
                mf_buf_printf(b, "fragmentation: no free block of order %.0f in zones up to %s",
                              gn(w, "order", &x) ? x : 0, zone);
            else
                mf_buf_printf(b, "zones up to %s above their watermarks", zone);
            any = true;
        }
        if (!any)
            mf_buf_puts(b, "where the memory went: not in the log");
        mf_buf_puts(b, "\n");
    }
}
