/* oom.c - what each OOM report means: where the memory went, why the
 * allocation failed (watermarks or fragmentation in the zones the gfp mask
 * allows), what filled a memory cgroup, and the same report read twice.
 *
 * Accounting (global OOMs, kB): of the memory the zones manage, free, the
 * file LRU (page cache), the anon LRU less shmem (process memory), shmem,
 * unevictable, slab reclaimable and unreclaimable, page tables and kernel
 * stacks are what the kernel counts; the remainder is memory the kernel
 * used without counting it (driver allocations with alloc_pages, vmalloc,
 * leaks). The verdict names the largest of user processes, slab, page
 * cache / shmem, and that remainder.
 *
 * Watermarks: the kernel fails an allocation of order o in a zone when
 * free - (2^o - 1) pages <= min + lowmem_reserve[classzone], and for o > 0
 * also when no free block of order >= o is left. The classzone is the
 * highest zone the gfp mask allows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/oom.h"

/* ---- zones ---- */

static const char *const zone_order[] = {"DMA", "DMA32", "Normal", "HighMem",
                                         "Movable", "Device"};
#define NZONE_TYPES 6

int mf_oom_zone_rank(const char *name)
{
    for (int i = 0; i < NZONE_TYPES; i++)
        if (strcmp(name, zone_order[i]) == 0)
            return i;
    return 2; /* an unknown name: treat as Normal */
}

static bool flag_token(const char *flags, const char *tok)
{
    size_t n = strlen(tok);
    for (const char *p = flags; (p = strstr(p, tok)) != NULL; p += n) {
        bool start = p == flags || p[-1] == '|';
        bool stop = p[n] == 0 || p[n] == '|';
        if (start && stop)
            return true;
    }
    return false;
}

int mf_oom_gfp_highest_zone(const char *flags, const char *mask)
{
    bool dma = false, dma32 = false, high = false, movable = false;
    if (flags && *flags) {
        dma = flag_token(flags, "__GFP_DMA") || flag_token(flags, "GFP_DMA");
        dma32 = flag_token(flags, "__GFP_DMA32") || flag_token(flags, "GFP_DMA32");
        high = flag_token(flags, "__GFP_HIGHMEM") || flag_token(flags, "GFP_HIGHUSER") ||
               flag_token(flags, "GFP_HIGHUSER_MOVABLE");
        movable = flag_token(flags, "__GFP_MOVABLE") ||
                  flag_token(flags, "GFP_HIGHUSER_MOVABLE");
    } else if (mask) {
        /* the zone bits are stable from 2.6.32 to 6.x */
        unsigned long v = strtoul(mask, NULL, 16);
        dma = v & 0x01;
        high = v & 0x02;
        dma32 = v & 0x04;
        movable = v & 0x08;
    } else {
        return -1;
    }
    if (dma32)
        return 1;
    if (dma)
        return 0;
    if (high)
        return movable ? 4 : 3;
    return 2;
}

static int64_t pages_kb(int64_t pages, uint32_t page_kb)
{
    return pages < 0 || !page_kb ? -1 : pages * (int64_t)page_kb;
}

static int64_t nz(int64_t v)
{
    return v < 0 ? 0 : v;
}

/* Index of the classzone in lowmem_reserve[]. The arrays have one entry
 * per zone type the kernel was built with, populated or not, and only
 * populated zones are printed. A lower zone's array tells: it is zero up
 * to its own index and grows at each populated zone above it. So find a
 * lower zone with a non-zero entry, take its index from its leading zeros,
 * and count the growth steps up to the classzone. Without such a zone,
 * count the zone types printed below the classzone. */
static int classzone_index(const mf_showmem *sm, const bool seen[NZONE_TYPES],
                           int class_rank)
{
    int fallback = 0;
    for (int r = 0; r < class_rank; r++)
        fallback += seen[r];
    for (int i = 0; i < sm->nzones; i++) {
        const mf_sm_zone *z = &sm->zones[i];
        int rank = mf_oom_zone_rank(z->name);
        if (rank >= class_rank || z->nreserve < 2)
            continue;
        int lead = 0;
        while (lead < z->nreserve && z->lowmem_reserve[lead] == 0)
            lead++;
        if (lead == z->nreserve)
            continue;
        int own = lead - 1; /* this zone's index */
        if (own < 0)
            continue;
        /* populated zone types above this one, up to the classzone */
        int steps = 0;
        for (int r = rank + 1; r <= class_rank; r++)
            steps += seen[r];
        int idx = own;
        for (int j = own + 1; j < z->nreserve && steps > 0; j++)
            if (z->lowmem_reserve[j] > z->lowmem_reserve[j - 1]) {
                idx = j;
                steps--;
            }
        return steps == 0 ? idx : fallback;
    }
    return fallback;
}

static void watermarks(mf_oom_event *e)
{
    mf_oom_derived *d = &e->d;
    const mf_showmem *sm = &e->sm;
    if (e->kind != MF_OOM_GLOBAL || !e->has_order || e->order < 0 ||
        e->order >= MF_SM_MAX_ORDER || sm->nzones == 0)
        return;
    int hi = mf_oom_gfp_highest_zone(e->gfp_flags, e->gfp_mask);
    if (hi < 0)
        return;
    /* the classzone: the highest allowed zone present in the report; its
     * index in lowmem_reserve[] is its position among the zone types seen */
    bool seen[NZONE_TYPES] = {false};
    int class_rank = -1;
    for (int i = 0; i < sm->nzones; i++) {
        int r = mf_oom_zone_rank(sm->zones[i].name);
        seen[r] = true;
        if (r <= hi && r > class_rank)
            class_rank = r;
    }
    if (class_rank < 0)
        return;
    snprintf(d->highest_zone, sizeof d->highest_zone, "%s", zone_order[class_rank]);
    int class_idx = classzone_index(sm, seen, class_rank);
    int nmin = 0, nlow = 0, nblock = 0, nok = 0, nknown = 0;
    for (int i = 0; i < sm->nzones; i++) {
        const mf_sm_zone *z = &sm->zones[i];
        if (mf_oom_zone_rank(z->name) > hi) {
            d->zone_state[i] = MF_ZONE_NOT_ALLOWED;
            continue;
        }
        if (z->free_kb < 0 || z->min_kb < 0 || !d->page_kb) {
            d->zone_state[i] = MF_ZONE_UNKNOWN;
            continue;
        }
        int64_t reserve = class_idx < z->nreserve ? z->lowmem_reserve[class_idx] * d->page_kb : 0;
        int64_t free = z->free_kb - (((int64_t)1 << e->order) - 1) * d->page_kb;
        int64_t low = z->low_kb >= 0 ? z->low_kb : z->min_kb;
        bool block = true;
        if (e->order > 0 && z->has_buddy) {
            block = false;
            for (int o = e->order; o < z->norders; o++)
                if (z->blocks[o] > 0)
                    block = true;
        }
        nknown++;
        if (free <= z->min_kb + reserve) {
            d->zone_state[i] = MF_ZONE_BELOW_MIN;
            nmin++;
        } else if (free <= low + reserve) {
            d->zone_state[i] = MF_ZONE_BELOW_LOW;
            nlow++;
        } else if (!block) {
            d->zone_state[i] = MF_ZONE_NO_BLOCK;
            nblock++;
        } else {
            d->zone_state[i] = MF_ZONE_OK;
            nok++;
        }
    }
    if (!nknown)
        return;
    if (nmin == nknown)
        d->wm_verdict = "below_min";
    else if (nok > 0)
        d->wm_verdict = "above_watermarks";
    else if (nblock > 0)
        d->wm_verdict = "fragmentation";
    else
        d->wm_verdict = "below_low";
}

static void accounting(mf_oom_event *e)
{
    mf_oom_derived *d = &e->d;
    const mf_showmem *sm = &e->sm;
    uint32_t pg = d->page_kb;
    const int64_t *c = sm->counters;
    d->ram_kb = pages_kb(sm->ram_pages, pg);
    d->managed_kb = -1;
    for (int i = 0; i < sm->nzones; i++)
        if (sm->zones[i].managed_kb >= 0)
            d->managed_kb = nz(d->managed_kb) + sm->zones[i].managed_kb;
    d->free_kb = pages_kb(c[MF_SM_FREE], pg);
    d->shmem_kb = pages_kb(c[MF_SM_SHMEM], pg);
    d->unevictable_kb = pages_kb(c[MF_SM_UNEVICTABLE], pg);
    d->slab_reclaimable_kb = pages_kb(c[MF_SM_SLAB_RECLAIMABLE], pg);
    d->slab_unreclaimable_kb = pages_kb(c[MF_SM_SLAB_UNRECLAIMABLE], pg);
    d->pagetables_kb = pages_kb(c[MF_SM_PAGETABLES], pg);
    d->kernel_stack_kb = sm->node_kernel_stack_kb;
    if (d->kernel_stack_kb < 0)
        for (int i = 0; i < sm->nzones; i++)
            if (sm->zones[i].kernel_stack_kb >= 0)
                d->kernel_stack_kb = nz(d->kernel_stack_kb) + sm->zones[i].kernel_stack_kb;
    d->tasks_rss_kb = e->has_tasks ? pages_kb(e->tasks_rss_pages, pg) : -1;
    d->pagecache_kb = d->anon_kb = d->unaccounted_kb = -1;
    if (c[MF_SM_ACTIVE_FILE] >= 0 && c[MF_SM_INACTIVE_FILE] >= 0 && pg)
        d->pagecache_kb = pages_kb(c[MF_SM_ACTIVE_FILE] + c[MF_SM_INACTIVE_FILE] +
                                       nz(c[MF_SM_ISOLATED_FILE]), pg);
    int64_t anon_lru = -1;
    if (c[MF_SM_ACTIVE_ANON] >= 0 && c[MF_SM_INACTIVE_ANON] >= 0 && pg) {
        anon_lru = pages_kb(c[MF_SM_ACTIVE_ANON] + c[MF_SM_INACTIVE_ANON] +
                                nz(c[MF_SM_ISOLATED_ANON]), pg);
        /* shmem pages are swap-backed: they sit on the anon LRU */
        d->anon_kb = anon_lru - nz(d->shmem_kb);
        if (d->anon_kb < 0)
            d->anon_kb = 0;
    }
    int64_t total = d->managed_kb >= 0 ? d->managed_kb
                  : d->ram_kb >= 0 ? d->ram_kb - nz(pages_kb(sm->reserved_pages, pg))
                  : -1;
    if (total < 0 || d->free_kb < 0 || anon_lru < 0 || d->pagecache_kb < 0 ||
        d->slab_reclaimable_kb < 0 || d->slab_unreclaimable_kb < 0)
        return;
    d->unaccounted_kb = total - d->free_kb - anon_lru - d->pagecache_kb -
                        nz(d->unevictable_kb) - d->slab_reclaimable_kb -
                        d->slab_unreclaimable_kb - nz(d->pagetables_kb) -
                        nz(d->kernel_stack_kb);
    int64_t user = d->anon_kb + nz(d->unevictable_kb);
    int64_t slab = d->slab_reclaimable_kb + d->slab_unreclaimable_kb;
    int64_t cache = d->pagecache_kb + nz(d->shmem_kb);
    int64_t other = d->unaccounted_kb;
    d->verdict = "user_processes";
    int64_t best = user;
    if (slab > best) { best = slab; d->verdict = "slab"; }
    if (cache > best) { best = cache; d->verdict = "page_cache_shmem"; }
    if (other > best) { d->verdict = "unaccounted_kernel"; }
}

static int64_t stat_kb(const mf_oom_memcg *m, const char *key)
{
    for (int i = 0; i < m->nstats; i++)
        if (strcmp(m->stats[i].key, key) == 0)
            return m->stats[i].kb;
    return -1;
}

static void memcg_fill(mf_oom_event *e)
{
    const mf_oom_memcg *m = &e->mcg;
    if (e->kind != MF_OOM_MEMCG || m->nstats == 0)
        return;
    int64_t anon, file, shmem = nz(stat_kb(m, "shmem")), kernel;
    if (m->stats_v2) {
        anon = nz(stat_kb(m, "anon"));
        file = nz(stat_kb(m, "file")) - shmem;
        kernel = stat_kb(m, "kernel");
        if (kernel < 0)
            kernel = nz(stat_kb(m, "slab")) + nz(stat_kb(m, "kernel_stack")) +
                     nz(stat_kb(m, "pagetables")) + nz(stat_kb(m, "percpu")) +
                     nz(stat_kb(m, "sock")) + nz(stat_kb(m, "vmalloc"));
    } else {
        anon = nz(stat_kb(m, "rss")) + nz(stat_kb(m, "rss_huge"));
        file = nz(stat_kb(m, "cache")) - shmem;
        kernel = nz(m->kmem_usage_kb);
    }
    if (file < 0)
        file = 0;
    const char *by = "anon";
    int64_t best = anon;
    if (file > best) { best = file; by = "file"; }
    if (shmem > best) { best = shmem; by = "shmem"; }
    if (kernel > best) { best = kernel; by = "kernel"; }
    e->d.memcg_filled_by = best > 0 ? by : NULL;
}

/* ---- duplicates ---- */

typedef struct dkey {
    double mono;
    size_t idx;
} dkey;

static int cmp_dkey(const void *a, const void *b)
{
    const dkey *x = a, *y = b;
    if (x->mono != y->mono)
        return x->mono < y->mono ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_loc(const void *a, const void *b)
{
    const mf_loc *x = a, *y = b;
    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static bool str_eq(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

static bool same_report(const mf_oom_event *a, const mf_oom_event *b)
{
    if (a->loc.member == b->loc.member)
        return false;
    if (a->victim.pid != b->victim.pid || !str_eq(a->victim.comm, b->victim.comm))
        return false;
    return str_eq(a->kernel_release, b->kernel_release);
}

/* Rank for the one that stays: complete, then with Mem-Info, then first. */
static int completeness(const mf_oom_event *e)
{
    return (!e->truncated) * 4 + e->sm.mem_info * 2 + e->has_tasks;
}

static int merge(mf_evidence *ev, mf_oom_event *a, mf_oom_event *b)
{
    mf_oom_event *keep = a, *drop = b;
    int ca = completeness(a), cb = completeness(b);
    if (cb > ca || (cb == ca && cmp_loc(&b->loc, &a->loc) < 0)) {
        keep = b;
        drop = a;
    }
    (void)ev;
    mf_loc *l = mf_vec_push(&keep->also);
    if (!l)
        return MF_ENOMEM;
    *l = drop->loc;
    for (size_t i = 0; i < drop->also.len; i++) {
        mf_loc *x = mf_vec_push(&keep->also);
        if (!x)
            return MF_ENOMEM;
        *x = *(mf_loc *)mf_vec_at(&drop->also, i);
    }
    if (!keep->reaped_known && drop->reaped_known) {
        keep->reaped_known = true;
        keep->reap_failed = drop->reap_failed;
        keep->reaped_loc = drop->reaped_loc;
        keep->reaped_anon_kb = drop->reaped_anon_kb;
        keep->reaped_file_kb = drop->reaped_file_kb;
        keep->reaped_shmem_kb = drop->reaped_shmem_kb;
    }
    /* a syslog copy may know the wall clock the dmesg copy lacks */
    if (!(keep->time.wall_flags & MF_WALL_VALID) && (drop->time.wall_flags & MF_WALL_VALID)) {
        mf_logtime t = drop->time;
        t.boot = keep->time.boot;
        t.has_mono = keep->time.has_mono;
        t.mono_s = keep->time.mono_s;
        keep->time = t;
    }
    drop->duplicate = true;
    return 0;
}

/* Copies of one report sit next to each other in time (or text) order; a
 * report looks back at most this many neighbours, so a flood of reports in
 * one millisecond (or of one text) stays linear. */
#define DEDUP_WINDOW 64

static int dedup(mf_evidence *ev)
{
    size_t n = ev->oom.events.len;
    if (n < 2)
        return 0;
    dkey *keys = mf_calloc(ev->alloc, n, sizeof *keys);
    if (!keys)
        return MF_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const mf_oom_event *e = mf_vec_at(&ev->oom.events, i);
        if (e->time.has_mono)
            keys[k++] = (dkey){e->time.mono_s, i};
    }
    qsort(keys, k, sizeof *keys, cmp_dkey);
    int rc = 0;
    for (size_t i = 0; i < k && rc == 0; i++) {
        mf_oom_event *a = mf_vec_at(&ev->oom.events, keys[i].idx);
        for (size_t j = i; j-- > 0 && i - j <= DEDUP_WINDOW;) {
            if (keys[i].mono - keys[j].mono > 0.001)
                break;
            mf_oom_event *b = mf_vec_at(&ev->oom.events, keys[j].idx);
            if (a->duplicate || b->duplicate || !same_report(a, b))
                continue;
            rc = merge(ev, b, a);
            break;
        }
    }
    /* without timestamps on one side (a syslog copy without the kernel's
     * stamps): the same header, oom-kill and kill lines */
    k = 0;
    for (size_t i = 0; i < n; i++) {
        const mf_oom_event *e = mf_vec_at(&ev->oom.events, i);
        if (e->text_hash && !e->duplicate)
            keys[k++] = (dkey){(double)(e->text_hash >> 11), i};
    }
    qsort(keys, k, sizeof *keys, cmp_dkey);
    for (size_t i = 0; i < k && rc == 0; i++) {
        mf_oom_event *a = mf_vec_at(&ev->oom.events, keys[i].idx);
        for (size_t j = i; j-- > 0 && i - j <= DEDUP_WINDOW;) {
            if (keys[j].mono != keys[i].mono)
                break;
            mf_oom_event *b = mf_vec_at(&ev->oom.events, keys[j].idx);
            if (a->duplicate || b->duplicate || b->text_hash != a->text_hash ||
                (a->time.has_mono && b->time.has_mono) || !same_report(a, b))
                continue;
            rc = merge(ev, b, a);
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        mf_oom_event *e = mf_vec_at(&ev->oom.events, i);
        if (e->also.len > 1)
            qsort(e->also.data, e->also.len, sizeof(mf_loc), cmp_loc);
    }
    mf_free(ev->alloc, keys);
    return rc;
}

/* ---- system facts ---- */

static int system_facts(mf_evidence *ev, uint32_t sys_pg)
{
    char text[200];
    mf_oom_event *pe = NULL, *re = NULL;
    for (size_t i = 0; i < ev->oom.events.len; i++) {
        mf_oom_event *e = mf_vec_at(&ev->oom.events, i);
        if (e->sm.page_kb && !pe)
            pe = e;
        if (e->sm.ram_pages > 0 && e->d.page_kb && !e->duplicate)
            re = e; /* the last one: the latest boot */
    }
    if (pe) {
        ev->system.oom_page_size = (int64_t)sys_pg * 1024;
        int n = snprintf(text, sizeof text,
                         "OOM report buddy lines: the first order is %ukB",
                         (unsigned)sys_pg);
        char val[32];
        int vn = snprintf(val, sizeof val, "%ukB", (unsigned)sys_pg);
        if (mf_strfact_set(ev, &ev->system.oom_page_size_src, val, (size_t)vn,
                           pe->loc, text, (size_t)n) < 0)
            return MF_ENOMEM;
    }
    if (re) {
        ev->system.oom_ram_kb = re->sm.ram_pages * re->d.page_kb;
        int n = snprintf(text, sizeof text, "OOM report: %lld pages RAM of %ukB",
                         (long long)re->sm.ram_pages, (unsigned)re->d.page_kb);
        if (mf_strfact_set(ev, &ev->system.oom_ram_src, "pages RAM", 9, re->loc,
                           text, (size_t)n) < 0)
            return MF_ENOMEM;
    }
    return 0;
}

/* Without a buddy line (memcg OOMs print none), the victim proves the page
 * size: its row's rss (pages) and its kill line's anon+file+shmem (kB) are
 * the same counters, read moments apart (within 3%: candidate sizes are a
 * factor of two apart, so the match is unambiguous). */
static uint32_t page_kb_from_victim(const mf_oom_event *e)
{
    const mf_oom_victim *v = &e->victim;
    if (!v->known || v->anon_rss_kb < 0 || v->file_rss_kb < 0)
        return 0;
    int64_t kb = v->anon_rss_kb + v->file_rss_kb + (v->shmem_rss_kb > 0 ? v->shmem_rss_kb : 0);
    for (int i = 0; i < e->ntop; i++) {
        if (e->top[i].pid != v->pid || e->top[i].rss_pages <= 0)
            continue;
        for (uint32_t pg = 4; pg <= 256; pg *= 2) {
            int64_t est = e->top[i].rss_pages * (int64_t)pg;
            int64_t diff = est > kb ? est - kb : kb - est;
            if (diff <= kb / 33)
                return pg;
        }
    }
    return 0;
}

int mf_analyze_oom(mf_evidence *ev)
{
    /* the system's page size: the first report that shows one */
    uint32_t sys_pg = 0;
    for (size_t i = 0; i < ev->oom.events.len && !sys_pg; i++) {
        const mf_oom_event *e = mf_vec_at(&ev->oom.events, i);
        sys_pg = e->sm.page_kb;
    }
    for (size_t i = 0; i < ev->oom.events.len; i++) {
        mf_oom_event *e = mf_vec_at(&ev->oom.events, i);
        memset(&e->d, 0, sizeof e->d);
        e->d.page_kb = e->sm.page_kb ? e->sm.page_kb : sys_pg;
        if (!e->d.page_kb)
            e->d.page_kb = page_kb_from_victim(e);
        if (e->kind == MF_OOM_GLOBAL && e->has_order && e->order == -1)
            e->kind = MF_OOM_MANUAL;
        accounting(e);
        watermarks(e);
        memcg_fill(e);
    }
    int rc = dedup(ev);
    if (rc < 0)
        return rc;
    return system_facts(ev, sys_pg);
}
