/* snap_slab.c - per slab cache growth: objects (num_objs) and bytes per
 * hour with the fit's R², ranked by bytes; for a growing cache, the caches
 * that may be merged into it (shipped table, /sys/kernel/slab links). Never
 * from other rows of slabinfo: merged caches are not rows there. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/snap.h"

#define MF_SLAB_CACHES_SHOWN 25

typedef struct cand_ctx {
    mf_evidence *ev;
    mf_snapfind *f;
    size_t first;
    int rc;
} cand_ctx;

static int add_cand(void *ctx, const char *name, size_t len)
{
    cand_ctx *c = ctx;
    uint32_t id = mf_strtab_intern(&c->ev->snaps.names, name, len);
    if (id == UINT32_MAX)
        return c->rc = MF_ENOMEM;
    const char *s = mf_strtab_get(&c->ev->snaps.names, id);
    for (size_t i = c->first; i < c->f->cands.len; i++) {
        mf_merge_cand *m = mf_vec_at(&c->f->cands, i);
        if (strcmp(m->name, s) == 0)
            return 0; /* once per name; sysfs rows come first */
    }
    mf_merge_cand *m = mf_vec_push(&c->f->cands);
    if (!m)
        return c->rc = MF_ENOMEM;
    m->name = s;
    m->source = "table";
    return 0;
}

static int cmp_caches(const void *a, const void *b)
{
    const mf_slab_find *x = a, *y = b;
    bool gx = x->bytes.claim && x->bytes.slope > 0;
    bool gy = y->bytes.claim && y->bytes.slope > 0;
    if (gx != gy)
        return gx ? -1 : 1;
    if (gx && x->bytes.slope != y->bytes.slope)
        return x->bytes.slope > y->bytes.slope ? -1 : 1;
    if (x->bytes_last != y->bytes_last)
        return x->bytes_last > y->bytes_last ? -1 : 1;
    return strcmp(x->name_s, y->name_s);
}

static void kernel_version(const mf_evidence *ev, int *maj, int *min)
{
    *maj = *min = 0;
    const char *r = ev->system.kernel_release.value;
    if (!r)
        return;
    char *e;
    long a = strtol(r, &e, 10);
    if (*e != '.')
        return;
    long b = strtol(e + 1, &e, 10);
    *maj = (int)a;
    *min = (int)b;
}

static int arch_bits(const mf_evidence *ev)
{
    const char *a = ev->system.arch.value;
    if (!a)
        return 0;
    if (strstr(a, "64") || strcmp(a, "s390x") == 0)
        return 64;
    return 32;
}

static int cmp_alias(const void *a, const void *b)
{
    const mf_merge_cand *x = a, *y = b;
    int c = strcmp(x->source, y->source);
    return c ? c : strcmp(x->name, y->name);
}

/* /sys/kernel/slab aliases grouped by target: the caches merged together. */
static int sysfs_aliases(mf_evidence *ev, mf_snapfind *f)
{
    const mf_snapstore *st = &ev->snaps;
    for (size_t k = 0; k < st->links.len; k++) {
        const mf_slab_link *lk = mf_vec_at(&st->links, k);
        mf_merge_cand *m = mf_vec_push(&f->aliases);
        if (!m)
            return MF_ENOMEM;
        m->name = mf_strtab_get(&st->names, lk->name);
        m->source = mf_strtab_get(&st->names, lk->target);
    }
    if (f->aliases.len > 1)
        qsort(f->aliases.data, f->aliases.len, sizeof(mf_merge_cand), cmp_alias);
    /* the same link listed twice (two listings) counts once */
    size_t j = 0;
    for (size_t i = 0; i < f->aliases.len; i++) {
        mf_merge_cand *m = mf_vec_at(&f->aliases, i);
        mf_merge_cand *p = j ? mf_vec_at(&f->aliases, j - 1) : NULL;
        if (p && cmp_alias(p, m) == 0)
            continue;
        *(mf_merge_cand *)mf_vec_at(&f->aliases, j++) = *m;
    }
    f->aliases.len = j;
    return 0;
}

int mf_snap_slab(mf_evidence *ev, mf_snapfind *f, mf_boots *boots)
{
    static const uint8_t kinds[] = {MF_SNAP_SLAB};
    if (sysfs_aliases(ev, f) < 0)
        return MF_ENOMEM;
    int rc = mf_series_build(ev, kinds, 1, NULL, boots, &f->slab);
    if (rc < 0 || f->slab.n == 0)
        return rc;
    const mf_series *s = &f->slab;
    mf_snapstore *st = &ev->snaps;
    size_t names = st->names.strs.len;
    /* points per cache: count, offsets, fill (linear) */
    uint32_t *off = mf_calloc(ev->alloc, names + 1, sizeof *off);
    size_t total = 0;
    for (uint32_t i = 0; i < s->n; i++)
        total += ((mf_snap *)mf_vec_at(&st->snaps, s->snaps[i]))->row_count;
    double *pt = mf_calloc(ev->alloc, total + 1, sizeof *pt);
    double *po = mf_calloc(ev->alloc, total + 1, sizeof *po);
    double *pb = mf_calloc(ev->alloc, total + 1, sizeof *pb);
    double *scratch = mf_calloc(ev->alloc, 2 * total + 2, sizeof *scratch);
    uint32_t *last = mf_calloc(ev->alloc, names + 1, sizeof *last);
    uint32_t *pos = mf_calloc(ev->alloc, names + 1, sizeof *pos);
    rc = MF_ENOMEM;
    if (!off || !pt || !po || !pb || !scratch || !last || !pos)
        goto out;
    for (uint32_t i = 0; i < s->n; i++) {
        const mf_snap *sn = mf_vec_at(&st->snaps, s->snaps[i]);
        for (size_t k = 0; k < sn->row_count; k++) {
            const mf_slab_row *r = mf_vec_at(&st->slab, sn->row_first + k);
            off[r->name + 1]++;
        }
    }
    for (size_t i = 0; i < names; i++)
        off[i + 1] += off[i];
    memcpy(pos, off, names * sizeof *pos);
    uint64_t page = (uint64_t)f->page_kb * 1024;
    for (uint32_t i = 0; i < s->n; i++) {
        const mf_snap *sn = mf_vec_at(&st->snaps, s->snaps[i]);
        for (size_t k = 0; k < sn->row_count; k++) {
            const mf_slab_row *r = mf_vec_at(&st->slab, sn->row_first + k);
            uint64_t bytes = r->bytes;
            if (!bytes)
                bytes = r->num_slabs && r->pagesperslab
                            ? r->num_slabs * r->pagesperslab * page
                            : r->num_objs * r->objsize;
            uint32_t p = pos[r->name]++;
            pt[p] = s->t[i];
            po[p] = (double)r->num_objs;
            pb[p] = (double)bytes;
            last[r->name] = (uint32_t)(sn->row_first + k) + 1;
        }
    }
    bool timed = s->basis < MF_TB_ORDER;
    for (size_t id = 0; id < names; id++) {
        size_t n = off[id + 1] - off[id];
        if (!n)
            continue;
        const mf_slab_row *r = mf_vec_at(&st->slab, last[id] - 1);
        mf_slab_find *c = mf_vec_push(&f->caches);
        if (!c)
            goto out;
        c->name = (uint32_t)id;
        c->objsize = r->objsize;
        c->num_objs_last = r->num_objs;
        c->active_objs_last = r->active_objs;
        c->bytes_last = (uint64_t)pb[off[id + 1] - 1];
        c->member = ((mf_snap *)mf_vec_at(&st->snaps, r->snap))->member;
        c->line = r->line;
        mf_fit_robust(pt + off[id], po + off[id], n, scratch, &c->objs);
        mf_fit_robust(pt + off[id], pb + off[id], n, scratch, &c->bytes);
        mf_fit_judge_ranked(&c->objs, timed);
        mf_fit_judge_ranked(&c->bytes, timed);
        c->name_s = mf_strtab_get(&st->names, (uint32_t)id);
        c->bookkeeping = mf_slab_is_bookkeeping(c->name_s);
        if (c->bookkeeping) { /* kmemleak's own objects: not a leak */
            c->objs.claim = c->bytes.claim = false;
            c->objs.limit = c->bytes.limit = "kmemleak-bookkeeping";
        }
    }
    f->caches_total = f->caches.len;
    if (f->caches.len > 1)
        qsort(f->caches.data, f->caches.len, sizeof(mf_slab_find), cmp_caches);
    if (f->caches.len > MF_SLAB_CACHES_SHOWN)
        f->caches.len = MF_SLAB_CACHES_SHOWN;
    /* merge candidates of growing caches */
    int kmaj, kmin, bits = arch_bits(ev);
    kernel_version(ev, &kmaj, &kmin);
    snprintf(f->merge_table, sizeof f->merge_table, "%s, %s",
             bits == 64 ? "64-bit" : bits == 32 ? "32-bit"
                                               : "word size unknown: not used",
             kmaj ? "" : "any kernel");
    if (kmaj) {
        size_t l = strlen(f->merge_table) - 0;
        snprintf(f->merge_table + l, sizeof f->merge_table - l, "kernel %d.%d",
                 kmaj, kmin);
    }
    f->sysfs_links = st->links.len > 0;
    for (size_t i = 0; i < f->caches.len; i++) {
        mf_slab_find *c = mf_vec_at(&f->caches, i);
        c->cand_first = f->cands.len;
        if (!(c->bytes.claim && c->bytes.slope > 0) && !(c->objs.claim && c->objs.slope > 0))
            continue;
        const char *name = mf_strtab_get(&st->names, c->name);
        /* sysfs: names linking to the same :flags-size entry */
        uint32_t target = UINT32_MAX;
        for (size_t k = 0; k < st->links.len; k++) {
            const mf_slab_link *lk = mf_vec_at(&st->links, k);
            if (lk->name == c->name)
                target = lk->target;
        }
        for (size_t k = 0; target != UINT32_MAX && k < st->links.len; k++) {
            const mf_slab_link *lk = mf_vec_at(&st->links, k);
            if (lk->target != target || lk->name == c->name)
                continue;
            bool seen = false;
            for (size_t q = c->cand_first; q < f->cands.len; q++)
                seen |= strcmp(((mf_merge_cand *)mf_vec_at(&f->cands, q))->name,
                               mf_strtab_get(&st->names, lk->name)) == 0;
            if (seen)
                continue;
            mf_merge_cand *m = mf_vec_push(&f->cands);
            if (!m)
                goto out;
            m->name = mf_strtab_get(&st->names, lk->name);
            m->source = "sysfs";
        }
        cand_ctx cc = {ev, f, c->cand_first, 0};
        mf_slab_merge_candidates(name, c->objsize, bits, kmaj, kmin, add_cand, &cc);
        if (cc.rc < 0)
            goto out;
        c = mf_vec_at(&f->caches, i);
        c->cand_count = f->cands.len - c->cand_first;
    }
    rc = 0;
out:
    mf_free(ev->alloc, off);
    mf_free(ev->alloc, pt);
    mf_free(ev->alloc, po);
    mf_free(ev->alloc, pb);
    mf_free(ev->alloc, scratch);
    mf_free(ev->alloc, last);
    mf_free(ev->alloc, pos);
    return rc;
}
