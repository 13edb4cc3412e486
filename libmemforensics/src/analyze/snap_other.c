/* snap_other.c - buddy fragmentation per zone, per-process RSS growth and
 * the kernel-versus-user split, tmpfs (df, du) and vmalloc growth. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/snap.h"

static int cmp_named(const void *a, const void *b)
{
    const mf_named_find *x = a, *y = b;
    bool gx = x->fit.claim && x->fit.slope > 0;
    bool gy = y->fit.claim && y->fit.slope > 0;
    if (gx != gy)
        return gx ? -1 : 1;
    if (gx && x->fit.slope != y->fit.slope)
        return x->fit.slope > y->fit.slope ? -1 : 1;
    if (x->last != y->last)
        return x->last > y->last ? -1 : 1;
    return strcmp(x->name_s, y->name_s);
}

/* One mf_named_find per name of the group, ranked, at most `keep`. Names
 * missing from the series' last snapshot report last = 0 there (a process
 * that exited, a file removed) only when `gone_is_zero`. */
static int grouped_fits(mf_evidence *ev, const mf_series *s, const mf_group *g,
                        size_t skip_prefix, mf_vec *out, size_t keep,
                        size_t *total, bool aux_is_count)
{
    size_t maxn = 0;
    for (size_t id = 0; id < g->names; id++)
        if (g->off[id + 1] - g->off[id] > maxn)
            maxn = g->off[id + 1] - g->off[id];
    double *scratch = mf_calloc(ev->alloc, 2 * maxn + 2, sizeof *scratch);
    if (!scratch)
        return MF_ENOMEM;
    bool timed = s->basis < MF_TB_ORDER;
    for (size_t id = 0; id < g->names; id++) {
        size_t a = g->off[id], n = g->off[id + 1] - a;
        if (!n)
            continue;
        mf_named_find *nf = mf_vec_push(out);
        if (!nf) {
            mf_free(ev->alloc, scratch);
            return MF_ENOMEM;
        }
        nf->name = (uint32_t)id;
        nf->name_s = mf_strtab_get(&ev->snaps.names, (uint32_t)id) + skip_prefix;
        nf->first = (int64_t)g->v[a];
        nf->last = (int64_t)g->v[a + n - 1];
        nf->aux_last = aux_is_count ? (int64_t)g->cnt[a + n - 1]
                                    : (int64_t)g->aux[a + n - 1];
        nf->member = g->member[a + n - 1];
        nf->line = g->line[a + n - 1];
        mf_fit_robust(g->t + a, g->v + a, n, scratch, &nf->fit);
        nf->fit.n = (uint32_t)n;
        mf_fit_judge_ranked(&nf->fit, timed);
        /* gone before the end: no claim about its growth now */
        nf->in_last = g->last_snap[a + n - 1] + 1 == s->n;
        if (!nf->in_last && nf->fit.claim) {
            nf->fit.claim = false;
            nf->fit.limit = "gone";
        }
    }
    mf_free(ev->alloc, scratch);
    *total = out->len;
    if (out->len > 1)
        qsort(out->data, out->len, sizeof(mf_named_find), cmp_named);
    if (out->len > keep)
        out->len = keep;
    return 0;
}

/* ---- fragmentation ---- */

typedef struct zagg {
    int32_t node;
    uint32_t zone;
    uint8_t norders;
    uint64_t count[MF_MAX_ORDER];
    uint64_t line;
} zagg;

/* Per-zone free block counts of a buddyinfo or pagetypeinfo snapshot. */
static size_t zones_of(const mf_evidence *ev, const mf_snap *sn, zagg *z,
                       size_t max)
{
    size_t nz = 0;
    for (size_t k = 0; k < sn->row_count; k++) {
        const mf_zone_row *r = mf_vec_at(&ev->snaps.zone, sn->row_first + k);
        size_t i = 0;
        while (i < nz && !(z[i].node == r->node && z[i].zone == r->zone))
            i++;
        if (i == nz) {
            if (nz == max)
                continue;
            memset(&z[nz], 0, sizeof z[nz]);
            z[nz].node = r->node;
            z[nz].zone = r->zone;
            z[nz].line = r->line;
            nz++;
        }
        if (r->norders > z[i].norders)
            z[i].norders = r->norders;
        for (size_t o = 0; o < r->norders && o < MF_MAX_ORDER; o++)
            z[i].count[o] += r->count[o];
    }
    return nz;
}

static void zone_numbers(const zagg *z, uint32_t page_kb, int64_t *free_kb,
                         int64_t *high_kb, double *unusable)
{
    uint64_t pages = 0, high = 0;
    for (size_t o = 0; o < z->norders && o < MF_MAX_ORDER; o++) {
        uint64_t p = z->count[o] << o;
        pages += p;
        if (o >= 3)
            high += p;
    }
    *free_kb = (int64_t)(pages * page_kb);
    *high_kb = (int64_t)(high * page_kb);
    /* unusable free space index at order 3 (PAGE_ALLOC_COSTLY_ORDER) */
    *unusable = pages ? (double)(pages - high) / (double)pages : NAN;
}

/* Without free lists per order (no buddyinfo, no pagetypeinfo), zoneinfo
 * still gives each zone's free memory and watermarks. */
static int zoneinfo_only(mf_evidence *ev, mf_snapfind *f, mf_boots *boots)
{
    static const uint8_t zi[] = {MF_SNAP_ZONEINFO};
    int rc = mf_series_build(ev, zi, 1, NULL, boots, &f->buddy);
    if (rc < 0 || f->buddy.n == 0)
        return rc;
    const mf_series *s = &f->buddy;
    const mf_snap *ls = mf_vec_at(&ev->snaps.snaps, s->snaps[s->n - 1]);
    const mf_snap *fs = mf_vec_at(&ev->snaps.snaps, s->snaps[0]);
    int64_t pk = f->page_kb;
    for (size_t k = 0; k < ls->row_count; k++) {
        const mf_zone_row *r = mf_vec_at(&ev->snaps.zone, ls->row_first + k);
        mf_zone_find *z = mf_vec_push(&f->zones);
        if (!z)
            return MF_ENOMEM;
        z->node = r->node;
        z->zone = r->zone;
        z->member = ls->member;
        z->line = r->line;
        z->free_kb = r->free >= 0 ? r->free * pk : -1;
        z->high_order_free_kb = -1;
        z->unusable_index = NAN;
        z->first_free_kb = -1;
        z->first_unusable_index = NAN;
        for (size_t q = 0; q < fs->row_count; q++) {
            const mf_zone_row *o = mf_vec_at(&ev->snaps.zone, fs->row_first + q);
            if (o->node == r->node && o->zone == r->zone && o->free >= 0)
                z->first_free_kb = o->free * pk;
        }
        z->first_high_order_free_kb = -1;
        z->high_fit.limit = "no-orders";
        z->wm_min_kb = r->min >= 0 ? r->min * pk : -1;
        z->wm_low_kb = r->low >= 0 ? r->low * pk : -1;
        z->wm_high_kb = r->high >= 0 ? r->high * pk : -1;
        z->managed_kb = r->managed >= 0 ? r->managed * pk : -1;
    }
    return 0;
}

static int fragmentation(mf_evidence *ev, mf_snapfind *f, mf_boots *boots)
{
    static const uint8_t bu[] = {MF_SNAP_BUDDY};
    static const uint8_t pt[] = {MF_SNAP_PAGETYPE};
    static const uint8_t zi[] = {MF_SNAP_ZONEINFO};
    int rc = mf_series_build(ev, bu, 1, NULL, boots, &f->buddy);
    if (rc < 0)
        return rc;
    if (f->buddy.n == 0) {
        mf_free(ev->alloc, f->buddy.snaps);
        mf_free(ev->alloc, f->buddy.t);
        rc = mf_series_build(ev, pt, 1, NULL, boots, &f->buddy);
        if (rc < 0)
            return rc;
    }
    if (f->buddy.n == 0) {
        mf_free(ev->alloc, f->buddy.snaps);
        mf_free(ev->alloc, f->buddy.t);
        return zoneinfo_only(ev, f, boots);
    }
    const mf_series *s = &f->buddy;
    zagg last[32], first[32], cur[32];
    const mf_snap *ls = mf_vec_at(&ev->snaps.snaps, s->snaps[s->n - 1]);
    const mf_snap *fs = mf_vec_at(&ev->snaps.snaps, s->snaps[0]);
    size_t nl = zones_of(ev, ls, last, 32), nf = zones_of(ev, fs, first, 32);
    double *t = mf_calloc(ev->alloc, s->n, sizeof *t);
    double *y = mf_calloc(ev->alloc, s->n, sizeof *y);
    double *scratch = mf_calloc(ev->alloc, 2 * (size_t)s->n, sizeof *scratch);
    mf_series zs;
    memset(&zs, 0, sizeof zs);
    rc = MF_ENOMEM;
    if (!t || !y || !scratch)
        goto out;
    rc = mf_series_build(ev, zi, 1, NULL, boots, &zs);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < nl; i++) {
        mf_zone_find *z = mf_vec_push(&f->zones);
        if (!z) {
            rc = MF_ENOMEM;
            goto out;
        }
        z->node = last[i].node;
        z->zone = last[i].zone;
        z->norders = last[i].norders;
        z->member = ls->member;
        z->line = last[i].line;
        zone_numbers(&last[i], f->page_kb, &z->free_kb, &z->high_order_free_kb,
                     &z->unusable_index);
        z->first_free_kb = -1;
        z->first_high_order_free_kb = -1;
        z->first_unusable_index = NAN;
        for (size_t k = 0; k < nf; k++)
            if (first[k].node == z->node && first[k].zone == z->zone)
                zone_numbers(&first[k], f->page_kb, &z->first_free_kb,
                             &z->first_high_order_free_kb,
                             &z->first_unusable_index);
        size_t n = 0;
        for (uint32_t q = 0; q < s->n; q++) {
            const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[q]);
            size_t nc = zones_of(ev, sn, cur, 32);
            for (size_t k = 0; k < nc; k++)
                if (cur[k].node == z->node && cur[k].zone == z->zone) {
                    int64_t fk, hk;
                    double u;
                    zone_numbers(&cur[k], f->page_kb, &fk, &hk, &u);
                    t[n] = s->t[q];
                    y[n++] = (double)hk;
                }
        }
        mf_fit_robust(t, y, n, scratch, &z->high_fit);
        z->high_fit.n = (uint32_t)n;
        mf_fit_judge(&z->high_fit, s->basis < MF_TB_ORDER);
        /* watermarks from the last zoneinfo snapshot */
        z->wm_min_kb = z->wm_low_kb = z->wm_high_kb = z->managed_kb = -1;
        if (zs.n) {
            const mf_snap *zn = mf_vec_at(&ev->snaps.snaps, zs.snaps[zs.n - 1]);
            for (size_t k = 0; k < zn->row_count; k++) {
                const mf_zone_row *r = mf_vec_at(&ev->snaps.zone, zn->row_first + k);
                if (r->node != z->node || r->zone != z->zone)
                    continue;
                int64_t pk = f->page_kb;
                z->wm_min_kb = r->min >= 0 ? r->min * pk : -1;
                z->wm_low_kb = r->low >= 0 ? r->low * pk : -1;
                z->wm_high_kb = r->high >= 0 ? r->high * pk : -1;
                z->managed_kb = r->managed >= 0 ? r->managed * pk : -1;
            }
        }
    }
    rc = 0;
out:
    mf_free(ev->alloc, zs.snaps);
    mf_free(ev->alloc, zs.t);
    mf_free(ev->alloc, t);
    mf_free(ev->alloc, y);
    mf_free(ev->alloc, scratch);
    return rc;
}

/* ---- processes ---- */

static bool avail_of(const mf_evidence *ev, const mf_snap *sn, int64_t *used)
{
    uint32_t tot = mf_strtab_find(&ev->snaps.names, "MemTotal", 8);
    uint32_t av = mf_strtab_find(&ev->snaps.names, "MemAvailable", 12);
    uint32_t fr = mf_strtab_find(&ev->snaps.names, "MemFree", 7);
    uint32_t bu = mf_strtab_find(&ev->snaps.names, "Buffers", 7);
    uint32_t ca = mf_strtab_find(&ev->snaps.names, "Cached", 6);
    int64_t t, a, x = 0, y = 0;
    if (tot == UINT32_MAX || !mf_snap_value(ev, sn, tot, &t))
        return false;
    if (av == UINT32_MAX || !mf_snap_value(ev, sn, av, &a)) {
        if (fr == UINT32_MAX || !mf_snap_value(ev, sn, fr, &a))
            return false;
        if (bu != UINT32_MAX)
            mf_snap_value(ev, sn, bu, &x);
        if (ca != UINT32_MAX)
            mf_snap_value(ev, sn, ca, &y);
        a += x + y;
    }
    *used = t - a;
    return true;
}

#define MF_SPLIT_MAX_GAP_S 300

static int processes(mf_evidence *ev, mf_snapfind *f, mf_boots *boots)
{
    static const uint8_t pl[] = {MF_SNAP_PROCS};
    static const uint8_t ps[] = {MF_SNAP_PROC_STATUS};
    int rc = mf_series_build(ev, pl, 1, NULL, boots, &f->procs);
    if (rc < 0)
        return rc;
    bool lists = f->procs.n > 0;
    if (!lists) {
        mf_free(ev->alloc, f->procs.snaps);
        mf_free(ev->alloc, f->procs.t);
        rc = mf_series_build(ev, ps, 1, NULL, boots, &f->procs);
        if (rc < 0 || f->procs.n == 0)
            return rc;
    }
    const mf_series *s = &f->procs;
    mf_group g;
    if (mf_group_named(ev, s, NULL, &g) < 0)
        return MF_ENOMEM;
    rc = grouped_fits(ev, s, &g, 0, &f->proc_growth, 15, &f->procs_total, true);
    mf_group_free(ev, &g);
    if (rc < 0 || !lists)
        return rc;
    /* kernel versus user: MemTotal - MemAvailable against the sum of RSS,
     * pairing each process list with the meminfo snapshot nearest in time */
    const mf_series *m = &f->mem;
    if (!m->n || m->basis >= MF_TB_ORDER || s->basis >= MF_TB_ORDER ||
        f->mem_from_free)
        return 0;
    double *t = mf_calloc(ev->alloc, s->n, sizeof *t);
    double *u = mf_calloc(ev->alloc, s->n, sizeof *u);
    double *k = mf_calloc(ev->alloc, s->n, sizeof *k);
    double *scratch = mf_calloc(ev->alloc, 2 * (size_t)s->n, sizeof *scratch);
    rc = MF_ENOMEM;
    if (!t || !u || !k || !scratch)
        goto out;
    size_t n = 0, j = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        int64_t at = s->t_first + (int64_t)s->t[i];
        while (j + 1 < m->n &&
               llabs(m->t_first + (int64_t)m->t[j + 1] - at) <=
                   llabs(m->t_first + (int64_t)m->t[j] - at))
            j++;
        if (llabs(m->t_first + (int64_t)m->t[j] - at) > MF_SPLIT_MAX_GAP_S)
            continue;
        int64_t used;
        if (!avail_of(ev, mf_vec_at(&ev->snaps.snaps, m->snaps[j]), &used))
            continue;
        const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[i]);
        double rss = 0;
        for (size_t r = 0; r < sn->row_count; r++)
            rss += (double)((mf_named_row *)mf_vec_at(&ev->snaps.named,
                                                      sn->row_first + r))->v0;
        t[n] = s->t[i];
        u[n] = (double)used;
        k[n] = rss;
        if (!n) {
            f->split_used_first = used;
            f->split_user_first = (int64_t)rss;
            f->split_first_snap = s->snaps[i];
        }
        f->split_used_last = used;
        f->split_user_last = (int64_t)rss;
        f->split_last_snap = s->snaps[i];
        n++;
    }
    if (n) {
        f->split_valid = true;
        f->split_points = (uint32_t)n;
        mf_fit_robust(t, u, n, scratch, &f->split_used);
        f->split_used.n = (uint32_t)n;
        mf_fit_judge(&f->split_used, true);
        mf_fit_robust(t, k, n, scratch, &f->split_user);
        f->split_user.n = (uint32_t)n;
        mf_fit_judge(&f->split_user, true);
        bool used_grows = f->split_used.claim && f->split_used.slope > 0;
        bool user_grows = f->split_user.claim && f->split_user.slope > 0;
        if (!used_grows)
            f->split_verdict = "no-growth";
        else if (user_grows && f->split_user.slope >= 0.5 * f->split_used.slope)
            f->split_verdict = "user";
        else
            f->split_verdict = "kernel";
    }
    rc = 0;
out:
    mf_free(ev->alloc, t);
    mf_free(ev->alloc, u);
    mf_free(ev->alloc, k);
    mf_free(ev->alloc, scratch);
    return rc;
}

static int named_series(mf_evidence *ev, mf_boots *boots, uint8_t kind,
                        mf_series *s, const char *prefix, mf_vec *out,
                        size_t keep, bool aux_is_count)
{
    uint8_t kinds[1] = {kind};
    int rc = mf_series_build(ev, kinds, 1, NULL, boots, s);
    if (rc < 0 || s->n == 0)
        return rc;
    mf_group g;
    if (mf_group_named(ev, s, prefix, &g) < 0)
        return MF_ENOMEM;
    size_t total;
    rc = grouped_fits(ev, s, &g, prefix ? strlen(prefix) : 0, out, keep, &total,
                      aux_is_count);
    mf_group_free(ev, &g);
    return rc;
}

int mf_snap_other(mf_evidence *ev, mf_snapfind *f, mf_boots *boots)
{
    int rc = fragmentation(ev, f, boots);
    if (rc == 0)
        rc = processes(ev, f, boots);
    if (rc == 0)
        rc = named_series(ev, boots, MF_SNAP_DF, &f->df, NULL, &f->mounts, 20, false);
    if (rc == 0)
        rc = named_series(ev, boots, MF_SNAP_DU, &f->du, NULL, &f->du_paths, 10, false);
    if (rc == 0)
        rc = named_series(ev, boots, MF_SNAP_VMALLOC, &f->vmalloc, "kind:",
                          &f->vm_kinds, 16, false);
    if (rc == 0 && f->vmalloc.n) {
        mf_group g;
        if (mf_group_named(ev, &f->vmalloc, "caller:", &g) < 0)
            return MF_ENOMEM;
        size_t total;
        rc = grouped_fits(ev, &f->vmalloc, &g, 7, &f->vm_callers, 10, &total, false);
        mf_group_free(ev, &g);
    }
    return rc;
}
