/* snap_mem.c - meminfo trends and time to exhaustion; vmstat and pressure
 * counters (which also reveal reboots); the grouping helper and the entry
 * point of the snapshot analyses. */
#include <math.h>
#include <string.h>

#include "analyze/snap.h"

static const char *const mem_keys[MF_MEM_KEYS] = {
    "MemAvailable", "Slab",       "SUnreclaim", "Shmem",
    "AnonPages",    "KernelStack", "PageTables", "VmallocUsed"};

static uint32_t name_id(const mf_evidence *ev, const char *s)
{
    return mf_strtab_find(&ev->snaps.names, s, strlen(s));
}

static bool value_of(const mf_evidence *ev, const mf_snap *s, const char *key,
                     int64_t *v)
{
    uint32_t id = name_id(ev, key);
    return id != UINT32_MAX && mf_snap_value(ev, s, id, v);
}

/* The value of `key` in a snapshot and the line it was read from. */
static bool value_at(const mf_evidence *ev, const mf_snap *s, const char *key,
                     int64_t *v, uint64_t *line)
{
    uint32_t id = name_id(ev, key);
    const mf_named_row *r = id == UINT32_MAX ? NULL : mf_snap_row(ev, s, id);
    if (!r)
        return false;
    *v = r->v0;
    *line = r->line;
    return true;
}

/* MemAvailable, or MemFree+Buffers+Cached before 3.14 (the MemFree line). */
static bool available(const mf_evidence *ev, const mf_snap *s, int64_t *v,
                      bool *derived, uint64_t *line)
{
    if (value_at(ev, s, "MemAvailable", v, line)) {
        *derived = false;
        return true;
    }
    int64_t fr, bu = 0, ca = 0;
    if (!value_at(ev, s, "MemFree", &fr, line))
        return false;
    value_of(ev, s, "Buffers", &bu);
    value_of(ev, s, "Cached", &ca);
    *v = fr + bu + ca;
    *derived = true;
    return true;
}

static bool memtotal_changed(const mf_evidence *ev, const mf_snap *a,
                             const mf_snap *b)
{
    int64_t x, y;
    return value_of(ev, a, "MemTotal", &x) && value_of(ev, b, "MemTotal", &y) &&
           x != y;
}

/* Event counters only grow within a boot. */
static bool vmstat_reset(const mf_evidence *ev, const mf_snap *a,
                         const mf_snap *b)
{
    static const char *const mono[] = {"pgfault", "pgpgin", "pgpgout",
                                       "pgfree", "pgactivate"};
    for (size_t i = 0; i < sizeof mono / sizeof mono[0]; i++) {
        int64_t x, y;
        if (value_of(ev, a, mono[i], &x) && value_of(ev, b, mono[i], &y) && y < x)
            return true;
    }
    return false;
}

static bool psi_reset(const mf_evidence *ev, const mf_snap *a, const mf_snap *b)
{
    int64_t x, y;
    return value_of(ev, a, "some_total", &x) && value_of(ev, b, "some_total", &y) &&
           y < x;
}

int mf_group_named(mf_evidence *ev, const mf_series *s, const char *prefix,
                   mf_group *g)
{
    memset(g, 0, sizeof *g);
    const mf_snapstore *st = &ev->snaps;
    size_t names = st->names.strs.len, plen = prefix ? strlen(prefix) : 0;
    g->names = names;
    g->off = mf_calloc(ev->alloc, names + 1, sizeof *g->off);
    uint32_t *seen = mf_calloc(ev->alloc, names + 1, sizeof *seen);
    uint32_t *pos = mf_calloc(ev->alloc, names + 1, sizeof *pos);
    if (!g->off || !seen || !pos)
        goto fail;
    for (uint32_t i = 0; i < s->n; i++) {
        const mf_snap *sn = mf_vec_at(&st->snaps, s->snaps[i]);
        for (size_t k = 0; k < sn->row_count; k++) {
            const mf_named_row *r = mf_vec_at(&st->named, sn->row_first + k);
            if (plen && strncmp(mf_strtab_get(&st->names, r->name), prefix, plen))
                continue;
            if (seen[r->name] != i + 1) {
                seen[r->name] = i + 1;
                g->off[r->name + 1]++;
            }
        }
    }
    for (size_t i = 0; i < names; i++)
        g->off[i + 1] += g->off[i];
    size_t total = g->off[names];
    g->t = mf_calloc(ev->alloc, total + 1, sizeof *g->t);
    g->v = mf_calloc(ev->alloc, total + 1, sizeof *g->v);
    g->aux = mf_calloc(ev->alloc, total + 1, sizeof *g->aux);
    g->last_snap = mf_calloc(ev->alloc, total + 1, sizeof *g->last_snap);
    g->line = mf_calloc(ev->alloc, total + 1, sizeof *g->line);
    g->member = mf_calloc(ev->alloc, total + 1, sizeof *g->member);
    g->cnt = mf_calloc(ev->alloc, total + 1, sizeof *g->cnt);
    if (!g->t || !g->v || !g->aux || !g->last_snap || !g->line || !g->member ||
        !g->cnt)
        goto fail;
    memcpy(pos, g->off, names * sizeof *pos);
    memset(seen, 0, (names + 1) * sizeof *seen);
    for (uint32_t i = 0; i < s->n; i++) {
        const mf_snap *sn = mf_vec_at(&st->snaps, s->snaps[i]);
        for (size_t k = 0; k < sn->row_count; k++) {
            const mf_named_row *r = mf_vec_at(&st->named, sn->row_first + k);
            if (plen && strncmp(mf_strtab_get(&st->names, r->name), prefix, plen))
                continue;
            uint32_t p;
            if (seen[r->name] != i + 1) {
                seen[r->name] = i + 1;
                p = pos[r->name]++;
                g->t[p] = s->t[i];
                g->last_snap[p] = i;
                g->line[p] = r->line;
                g->member[p] = sn->member;
            } else {
                p = pos[r->name] - 1;
            }
            g->v[p] += (double)r->v0;
            g->aux[p] += (double)r->v1;
            g->cnt[p]++;
        }
    }
    mf_free(ev->alloc, seen);
    mf_free(ev->alloc, pos);
    return 0;
fail:
    mf_free(ev->alloc, seen);
    mf_free(ev->alloc, pos);
    mf_group_free(ev, g);
    return MF_ENOMEM;
}

void mf_group_free(mf_evidence *ev, mf_group *g)
{
    mf_free(ev->alloc, g->off);
    mf_free(ev->alloc, g->t);
    mf_free(ev->alloc, g->v);
    mf_free(ev->alloc, g->aux);
    mf_free(ev->alloc, g->last_snap);
    mf_free(ev->alloc, g->line);
    mf_free(ev->alloc, g->member);
    mf_free(ev->alloc, g->cnt);
    memset(g, 0, sizeof *g);
}

int mf_snap_mem(mf_evidence *ev, mf_snapfind *f, mf_boots *boots)
{
    static const uint8_t mi[] = {MF_SNAP_MEMINFO};
    static const uint8_t fr[] = {MF_SNAP_FREE};
    int rc = mf_series_build(ev, mi, 1, memtotal_changed, boots, &f->mem);
    if (rc < 0)
        return rc;
    if (f->mem.n == 0) {
        mf_free(ev->alloc, f->mem.snaps);
        mf_free(ev->alloc, f->mem.t);
        rc = mf_series_build(ev, fr, 1, memtotal_changed, boots, &f->mem);
        if (rc < 0 || f->mem.n == 0)
            return rc;
        f->mem_from_free = true;
    }
    const mf_series *s = &f->mem;
    bool timed = s->basis < MF_TB_ORDER;
    double *y = mf_calloc(ev->alloc, s->n, sizeof *y);
    double *t = mf_calloc(ev->alloc, s->n, sizeof *t);
    double *scratch = mf_calloc(ev->alloc, 2 * (size_t)s->n, sizeof *scratch);
    if (!y || !t || !scratch) {
        mf_free(ev->alloc, y);
        mf_free(ev->alloc, t);
        mf_free(ev->alloc, scratch);
        return MF_ENOMEM;
    }
    for (int k = 0; k < MF_MEM_KEYS; k++) {
        mf_mem_find *m = &f->mem_keys[k];
        m->key = mem_keys[k];
        size_t n = 0;
        bool derived_any = false;
        for (uint32_t i = 0; i < s->n; i++) {
            const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[i]);
            int64_t v;
            uint64_t line = 0;
            bool derived = false,
                 ok = k == 0 ? available(ev, sn, &v, &derived, &line)
                             : value_at(ev, sn, mem_keys[k], &v, &line);
            if (!ok)
                continue;
            derived_any |= derived;
            t[n] = s->t[i];
            y[n] = (double)v;
            mf_mem_point pt = {v, sn->member, line, derived};
            if (!n)
                m->first = pt;
            m->last = pt;
            n++;
        }
        if (!n)
            continue;
        m->present = true;
        if (k == 0)
            f->avail_basis = derived_any ? "MemFree+Buffers+Cached" : "MemAvailable";
        mf_fit_robust(t, y, n, scratch, &m->fit);
        m->fit.n = (uint32_t)n;
        mf_fit_judge(&m->fit, timed);
    }
    /* time to exhaustion: MemAvailable falling with a supported trend */
    const mf_mem_find *av = &f->mem_keys[0];
    if (!av->present) {
        f->eta_limit = "no-available-memory-series";
    } else if (!av->fit.claim) {
        f->eta_limit = av->fit.limit;
    } else if (av->fit.slope >= 0) {
        f->eta_limit = "not-declining";
    } else {
        double now = av->fit.intercept + av->fit.slope * s->t[s->n - 1];
        if (now < 0)
            now = 0;
        f->has_eta = true;
        f->eta_h = now / -av->fit.slope / 3600.0;
    }
    /* system.mem_total_kb: the last meminfo snapshot's MemTotal */
    for (uint32_t i = s->n; i-- > 0 && !f->mem_from_free;) {
        const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[i]);
        int64_t v;
        if (sn->text && value_of(ev, sn, "MemTotal", &v)) {
            f->has_mem_total = true;
            f->mem_total_kb = v;
            f->mem_total_member = sn->member;
            f->mem_total_line = sn->text_line;
            f->mem_total_text = sn->text;
            break;
        }
    }
    /* page size from the huge page size (2 MB: 4 KB pages; 512 MB: 64 KB) */
    mf_free(ev->alloc, y);
    mf_free(ev->alloc, t);
    mf_free(ev->alloc, scratch);
    return 0;
}

static uint32_t page_kb_of(const mf_evidence *ev)
{
    uint32_t id = mf_strtab_find(&ev->snaps.names, "Hugepagesize", 12);
    if (id == UINT32_MAX)
        return 4;
    for (size_t i = ev->snaps.snaps.len; i-- > 0;) {
        const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, i);
        int64_t v;
        if (sn->kind == MF_SNAP_MEMINFO && mf_snap_value(ev, sn, id, &v))
            return v == 524288 ? 64 : v == 32768 ? 16 : 4;
    }
    return 4;
}

int mf_snap_counters(mf_evidence *ev, mf_snapfind *f, mf_boots *boots)
{
    static const uint8_t vs[] = {MF_SNAP_VMSTAT};
    static const uint8_t ps[] = {MF_SNAP_PSI};
    int rc = mf_series_build(ev, vs, 1, vmstat_reset, boots, &f->vmstat);
    if (rc < 0)
        return rc;
    rc = mf_series_build(ev, ps, 1, psi_reset, boots, &f->psi);
    if (rc < 0)
        return rc;
    static const char *const counters[] = {
        "allocstall", "allocstall_dma32", "allocstall_movable",
        "allocstall_normal", "compact_fail", "compact_stall",
        "compact_success", "nr_free_pages", "oom_kill", "pgmajfault",
        "pgscan_direct", "pswpin", "pswpout", "workingset_refault",
        "workingset_refault_file"};
    const mf_series *s = &f->vmstat;
    for (size_t c = 0; s->n && c < sizeof counters / sizeof counters[0]; c++) {
        uint32_t id = name_id(ev, counters[c]);
        if (id == UINT32_MAX)
            continue;
        mf_named_find nf = {0};
        bool any = false;
        double t0 = 0, t1 = 0;
        for (uint32_t i = 0; i < s->n; i++) {
            const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[i]);
            int64_t v;
            if (!mf_snap_value(ev, sn, id, &v))
                continue;
            if (!any) {
                nf.first = v;
                t0 = s->t[i];
            }
            any = true;
            nf.last = v;
            t1 = s->t[i];
            nf.fit.n++;
            nf.member = sn->member;
        }
        if (!any)
            continue;
        nf.name = id;
        nf.fit.span_s = t1 - t0;
        if (t1 > t0 && s->basis < MF_TB_ORDER) {
            nf.fit.valid = true;
            nf.fit.slope = (double)(nf.last - nf.first) / (t1 - t0);
        }
        mf_named_find *p = mf_vec_push(&f->vm_counters);
        if (!p)
            return MF_ENOMEM;
        *p = nf;
    }
    static const char *const psi_names[] = {"some_avg10", "some_avg60",
                                            "some_avg300", "some_total",
                                            "full_avg10", "full_avg60",
                                            "full_avg300", "full_total"};
    s = &f->psi;
    for (size_t c = 0; s->n && c < 8; c++) {
        uint32_t id = name_id(ev, psi_names[c]);
        if (id == UINT32_MAX)
            continue;
        mf_named_find nf = {0};
        bool any = false;
        for (uint32_t i = 0; i < s->n; i++) {
            const mf_snap *sn = mf_vec_at(&ev->snaps.snaps, s->snaps[i]);
            const mf_named_row *r = mf_snap_row(ev, sn, id);
            if (!r)
                continue;
            if (!any)
                nf.first = r->v0;
            any = true;
            nf.last = r->v0;
            nf.member = sn->member;
            nf.line = r->line;
            nf.fit.n++;
        }
        if (!any)
            continue;
        nf.name = id;
        mf_named_find *p = mf_vec_push(&f->psi_values);
        if (!p)
            return MF_ENOMEM;
        *p = nf;
    }
    return 0;
}

int mf_analyze_snapshots(mf_evidence *ev)
{
    if (ev->snaps.snaps.len == 0 && ev->snaps.links.len == 0)
        return 0;
    mf_snapfind *f = mf_snapfind_new(ev->alloc);
    if (!f)
        return MF_ENOMEM;
    ev->snapfind = f;
    f->page_kb = page_kb_of(ev);
    mf_boots boots;
    boots.n = 0;
    int rc = mf_snap_counters(ev, f, &boots);
    if (rc == 0)
        rc = mf_snap_mem(ev, f, &boots);
    if (rc == 0)
        rc = mf_snap_slab(ev, f, &boots);
    if (rc == 0)
        rc = mf_snap_other(ev, f, &boots);
    f->reboots = (uint32_t)boots.n;
    return rc;
}
