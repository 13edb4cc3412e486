#include "analyze/series.h"

#include <stdlib.h>
#include <string.h>

typedef struct item {
    uint32_t snap;
    uint32_t member, seq;
    int64_t time;
    mf_time_basis basis;
} item;

static int cmp_appearance(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_time(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return cmp_appearance(a, b);
}

typedef struct mkey {
    uint32_t member;
    uint64_t hash;
    const char *origin;
    int64_t ctime;
    bool has_when; /* a capture time or a time in the file name */
    int64_t when;
} mkey;

static int cmp_hash(const void *a, const void *b)
{
    const mkey *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->member < y->member ? -1 : x->member > y->member;
}

static int cmp_origin(const void *a, const void *b)
{
    const mkey *x = a, *y = b;
    int c = strcmp(x->origin ? x->origin : "", y->origin ? y->origin : "");
    if (c)
        return c;
    if (x->ctime != y->ctime)
        return x->ctime < y->ctime ? -1 : 1;
    return x->member < y->member ? -1 : x->member > y->member;
}

const mf_named_row *mf_snap_row(const mf_evidence *ev, const mf_snap *s, uint32_t name)
{
    for (size_t i = 0; i < s->row_count; i++) {
        const mf_named_row *r = mf_vec_at(&ev->snaps.named, s->row_first + i);
        if (r->name == name)
            return r;
    }
    return NULL;
}

bool mf_snap_value(const mf_evidence *ev, const mf_snap *s, uint32_t name,
                   int64_t *out)
{
    const mf_named_row *r = mf_snap_row(ev, s, name);
    if (r)
        *out = r->v0;
    return r != NULL;
}

/* Members of `it` reached twice: mark them in `dup` (indexed by member). */
static int find_duplicates(mf_evidence *ev, const item *it, size_t n, bool *dup)
{
    size_t nm = 0;
    mkey *keys = mf_calloc(ev->alloc, n ? n : 1, sizeof *keys);
    if (!keys)
        return MF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (nm && keys[nm - 1].member == it[i].member)
            continue; /* items are in appearance order */
        const mf_member *m = mf_vec_at(&ev->members, it[i].member);
        keys[nm].member = it[i].member;
        keys[nm].hash = m->content_hash;
        keys[nm].origin = m->has_capture_time ? m->origin : NULL;
        keys[nm].ctime = m->capture_time;
        keys[nm].has_when = m->has_capture_time ||
                            mf_parse_time_in_name(m->path, &keys[nm].when);
        if (m->has_capture_time)
            keys[nm].when = m->capture_time;
        nm++;
    }
    qsort(keys, nm, sizeof *keys, cmp_hash);
    /* same bytes: the same file reached twice, unless the two say they
     * were captured at different times (an idle system's buddyinfo can
     * repeat itself an hour later) */
    for (size_t i = 1; i < nm; i++)
        if (keys[i].hash && keys[i].hash == keys[i - 1].hash &&
            !(keys[i].has_when && keys[i - 1].has_when &&
              keys[i].when != keys[i - 1].when))
            dup[keys[i].member] = true;
    qsort(keys, nm, sizeof *keys, cmp_origin);
    for (size_t i = 1; i < nm; i++)
        if (keys[i].origin && keys[i - 1].origin &&
            strcmp(keys[i].origin, keys[i - 1].origin) == 0 &&
            keys[i].ctime == keys[i - 1].ctime &&
            !dup[keys[i - 1].member])
            dup[keys[i].member] = true;
    mf_free(ev->alloc, keys);
    return 0;
}

int mf_series_build(mf_evidence *ev, const uint8_t *kinds, size_t nkinds,
                    mf_reset_fn reset, mf_boots *boots, mf_series *out)
{
    memset(out, 0, sizeof *out);
    out->basis = MF_TB_NONE;
    const mf_snapstore *st = &ev->snaps;
    size_t n = 0;
    for (size_t i = 0; i < st->snaps.len; i++) {
        const mf_snap *s = mf_vec_at(&st->snaps, i);
        for (size_t k = 0; k < nkinds; k++)
            n += s->kind == kinds[k] && s->row_count > 0;
    }
    if (!n)
        return 0;
    item *it = mf_calloc(ev->alloc, n, sizeof *it);
    bool *dup = mf_calloc(ev->alloc, ev->members.len + 1, sizeof *dup);
    uint32_t *per_member = mf_calloc(ev->alloc, ev->members.len + 1,
                                     sizeof *per_member);
    if (!it || !dup || !per_member) {
        mf_free(ev->alloc, it);
        mf_free(ev->alloc, dup);
        mf_free(ev->alloc, per_member);
        return MF_ENOMEM;
    }
    size_t j = 0;
    for (size_t i = 0; i < st->snaps.len; i++) {
        const mf_snap *s = mf_vec_at(&st->snaps, i);
        bool want = false;
        for (size_t k = 0; k < nkinds; k++)
            want |= s->kind == kinds[k] && s->row_count > 0;
        if (!want)
            continue;
        it[j].snap = (uint32_t)i;
        it[j].member = s->member;
        it[j].seq = s->seq;
        j++;
    }
    qsort(it, n, sizeof *it, cmp_appearance);
    int rc = find_duplicates(ev, it, n, dup);
    if (rc < 0)
        goto out;
    /* drop duplicates; count untimed snapshots per member */
    j = 0;
    for (size_t i = 0; i < n; i++) {
        if (dup[it[i].member]) {
            out->duplicates++;
            continue;
        }
        const mf_snap *s = mf_vec_at(&st->snaps, it[i].snap);
        if (!s->has_time)
            per_member[it[i].member]++;
        it[j++] = it[i];
    }
    n = j;
    out->total = (uint32_t)n;
    /* times */
    bool ordered_only = false;
    mf_time_basis worst = MF_TB_CAPTURE;
    for (size_t i = 0; i < n; i++) {
        const mf_snap *s = mf_vec_at(&st->snaps, it[i].snap);
        const mf_member *m = mf_vec_at(&ev->members, it[i].member);
        out->bad_rows += s->bad_rows;
        int64_t t;
        if (s->has_time) {
            it[i].time = s->time;
            it[i].basis = MF_TB_CAPTURE;
        } else if (per_member[it[i].member] > 1) {
            ordered_only = true; /* several undated snapshots in one file */
        } else if (m->has_capture_time) {
            it[i].time = m->capture_time;
            it[i].basis = MF_TB_MEMBER;
        } else if (mf_parse_time_in_name(m->path, &t)) {
            it[i].time = t;
            it[i].basis = MF_TB_FILENAME;
        } else if (m->mtime_source == MF_MTIME_ARCHIVE && m->mtime > 0) {
            it[i].time = m->mtime;
            it[i].basis = MF_TB_MTIME;
        } else {
            ordered_only = true;
        }
        if (it[i].basis > worst)
            worst = it[i].basis;
    }
    if (ordered_only || n == 1) {
        out->basis = n == 1 && !ordered_only ? worst : MF_TB_ORDER;
        for (size_t i = 0; i < n; i++)
            it[i].time = (int64_t)i;
    } else {
        out->basis = worst;
        qsort(it, n, sizeof *it, cmp_time);
    }
    bool timed = out->basis < MF_TB_ORDER;
    /* reboots: this series' own resets, then the boots other series saw */
    size_t first = 0;
    out->segments = 1;
    for (size_t i = 1; i < n; i++) {
        const mf_snap *a = mf_vec_at(&st->snaps, it[i - 1].snap);
        const mf_snap *b = mf_vec_at(&st->snaps, it[i].snap);
        bool split = (a->has_uptime && b->has_uptime && b->uptime_s < a->uptime_s) ||
                     (reset && reset(ev, a, b));
        if (split && timed && boots && boots->n < 64) {
            bool known = false;
            for (size_t k = 0; k < boots->n; k++)
                known |= boots->t[k] == it[i].time;
            if (!known)
                boots->t[boots->n++] = it[i].time;
        }
        for (size_t k = 0; !split && timed && boots && k < boots->n; k++)
            split = it[i - 1].time < boots->t[k] && boots->t[k] <= it[i].time;
        if (split) {
            out->segments++;
            first = i;
        }
    }
    out->n = (uint32_t)(n - first);
    out->snaps = mf_calloc(ev->alloc, out->n, sizeof *out->snaps);
    out->t = mf_calloc(ev->alloc, out->n, sizeof *out->t);
    if (!out->snaps || !out->t) {
        rc = MF_ENOMEM;
        goto out;
    }
    for (size_t i = first; i < n; i++) {
        out->snaps[i - first] = it[i].snap;
        out->t[i - first] = (double)(it[i].time - it[first].time);
    }
    out->t_first = timed ? it[first].time : 0;
    out->t_last = timed ? it[n - 1].time : 0;
out:
    mf_free(ev->alloc, it);
    mf_free(ev->alloc, dup);
    mf_free(ev->alloc, per_member);
    return rc;
}
