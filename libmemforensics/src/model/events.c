/* events.c - storage of memory events: kmemleak groups in a hash table keyed
 * by the normalised backtrace (objects are counted as they are read, never
 * kept one by one, so a dump of millions of objects costs the memory of its
 * distinct backtraces), allocation failures and low-memory-killer kills. */
#include "model/events.h"

#include <string.h>

mf_events *mf_events_get(mf_evidence *ev)
{
    if (ev->events)
        return ev->events;
    mf_events *e = mf_calloc(ev->alloc, 1, sizeof *e);
    if (!e)
        return NULL;
    mf_vec_init(&e->kmemleak.groups, ev->alloc, sizeof(mf_kml_group));
    mf_vec_init(&e->kmemleak.summaries, ev->alloc, sizeof(mf_kml_summary));
    mf_vec_init(&e->alloc_failures, ev->alloc, sizeof(mf_alloc_failure));
    mf_vec_init(&e->lmk_kills, ev->alloc, sizeof(mf_lmk_kill));
    mf_vec_init(&e->lmk_pressure, ev->alloc, sizeof(mf_lmk_pressure));
    ev->events = e;
    return e;
}

void mf_events_free(mf_evidence *ev)
{
    mf_events *e = ev->events;
    if (!e)
        return;
    const mf_allocator *a = ev->alloc;
    for (size_t i = 0; i < e->kmemleak.groups.len; i++) {
        mf_kml_group *g = mf_vec_at(&e->kmemleak.groups, i);
        mf_free(a, g->key);
        mf_free(a, g->culprit);
        for (uint32_t c = 0; c < g->ncomms; c++)
            mf_free(a, g->comms[c]);
    }
    mf_vec_free(&e->kmemleak.groups);
    mf_vec_free(&e->kmemleak.summaries);
    mf_free(a, e->kmemleak.table);
    for (size_t i = 0; i < e->alloc_failures.len; i++) {
        mf_alloc_failure *f = mf_vec_at(&e->alloc_failures, i);
        mf_free(a, f->comm);
        mf_free(a, f->gfp_flags);
        mf_free(a, f->nodemask);
        mf_free(a, f->slab_cache);
        mf_free(a, f->text);
        mf_free(a, f->culprit);
        for (size_t j = 0; j < f->frames.len; j++)
            mf_free(a, *(char **)mf_vec_at(&f->frames, j));
        mf_vec_free(&f->frames);
        mf_vec_free(&f->buddy);
    }
    mf_vec_free(&e->alloc_failures);
    for (size_t i = 0; i < e->lmk_kills.len; i++) {
        mf_lmk_kill *k = mf_vec_at(&e->lmk_kills, i);
        mf_free(a, k->comm);
        mf_free(a, k->reason);
        mf_free(a, k->text);
    }
    mf_vec_free(&e->lmk_kills);
    mf_vec_free(&e->lmk_pressure);
    mf_free(a, e);
    ev->events = NULL;
}

int mf_events_lost(mf_evidence *ev)
{
    return !ev->events || ev->events->oom ? -1 : 0;
}

/* What one record costs, for the record budget: the model's share (the
 * struct and its usual strings) and the report's (JSON tree and text,
 * measured on the corpus; the largest allocation failures reach 9 KB). */
#define KML_GROUP_REPORT 3000
#define KML_SUMMARY_REPORT 1000
#define ALLOC_FAILURE_REPORT 10000
#define LMK_KILL_REPORT 2400
#define LMK_PRESSURE_REPORT 1600

static bool under_limit(mf_evidence *ev, const mf_vec *v, const char *what,
                        size_t strings, size_t report, mf_loc loc)
{
    return mf_evidence_keep(ev, v->len, what, v->elem + strings, report,
                            (int32_t)loc.member, loc.line);
}

mf_alloc_failure *mf_events_add_alloc_failure(mf_evidence *ev, mf_loc loc)
{
    mf_events *e = mf_events_get(ev);
    if (!e || !under_limit(ev, &e->alloc_failures, "allocation failures", 1024, ALLOC_FAILURE_REPORT, loc))
        return NULL;
    mf_alloc_failure *f = mf_vec_push(&e->alloc_failures);
    if (!f) {
        e->oom = true;
        return NULL;
    }
    f->pid = -1;
    f->order = -1;
    f->size_bytes = -1;
    f->stall_ms = -1;
    f->mode = -1;
    f->loc = loc;
    mf_vec_init(&f->frames, ev->alloc, sizeof(char *));
    mf_vec_init(&f->buddy, ev->alloc, sizeof(mf_buddy_zone));
    return f;
}

mf_lmk_kill *mf_events_add_kill(mf_evidence *ev, mf_loc loc)
{
    mf_events *e = mf_events_get(ev);
    if (!e || !under_limit(ev, &e->lmk_kills, "low-memory kills", 64, LMK_KILL_REPORT, loc))
        return NULL;
    mf_lmk_kill *k = mf_vec_push(&e->lmk_kills);
    if (!k) {
        e->oom = true;
        return NULL;
    }
    k->pid = k->uid = k->freed_kb = -1;
    k->swap_kb = k->size_pages = -1;
    k->adj = k->min_adj = MF_ADJ_UNKNOWN;
    k->loc = loc;
    return k;
}

mf_lmk_pressure *mf_events_add_pressure(mf_evidence *ev, mf_loc loc)
{
    mf_events *e = mf_events_get(ev);
    if (!e || !under_limit(ev, &e->lmk_pressure, "memory-pressure signals", 0, LMK_PRESSURE_REPORT, loc))
        return NULL;
    mf_lmk_pressure *p = mf_vec_push(&e->lmk_pressure);
    if (!p) {
        e->oom = true;
        return NULL;
    }
    p->processes = -1;
    p->loc = loc;
    return p;
}

/* ---- kmemleak groups ---- */

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int table_grow(mf_evidence *ev, mf_kmemleak *k)
{
    size_t cap = k->table_cap ? k->table_cap * 2 : 256;
    uint32_t *t = mf_calloc(ev->alloc, cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < k->groups.len; i++) {
        const mf_kml_group *g = mf_vec_at(&k->groups, i);
        size_t s = (size_t)g->hash & (cap - 1);
        while (t[s])
            s = (s + 1) & (cap - 1);
        t[s] = (uint32_t)i + 1;
    }
    mf_free(ev->alloc, k->table);
    k->table = t;
    k->table_cap = cap;
    return 0;
}

int mf_kmemleak_add_object(mf_evidence *ev, const char *key, size_t key_len,
                           uint32_t nframes, uint64_t size, const char *comm,
                           size_t comm_len, mf_loc loc)
{
    mf_events *e = mf_events_get(ev);
    if (!e)
        return -1;
    mf_kmemleak *k = &e->kmemleak;
    k->objects++;
    k->bytes += size;
    if ((k->groups.len + 1) * 2 > k->table_cap && table_grow(ev, k) < 0)
        return -1;
    uint64_t h = fnv1a(key, key_len);
    size_t s = (size_t)h & (k->table_cap - 1);
    mf_kml_group *g = NULL;
    while (k->table[s]) {
        mf_kml_group *c = mf_vec_at(&k->groups, k->table[s] - 1);
        if (c->hash == h && c->key_len == key_len &&
            memcmp(c->key, key, key_len) == 0) {
            g = c;
            break;
        }
        s = (s + 1) & (k->table_cap - 1);
    }
    if (!g) {
        if (k->groups.len >= UINT32_MAX - 1 ||
            !mf_evidence_keep(ev, k->groups.len, "kmemleak backtraces",
                              sizeof(mf_kml_group) + key_len + 64, KML_GROUP_REPORT,
                              (int32_t)loc.member, loc.line)) {
            k->dropped_objects++; /* counted in objects and bytes, not grouped */
            return 0;
        }
        char *kc = mf_strndup(ev->alloc, key, key_len);
        if (!kc)
            return -1;
        g = mf_vec_push(&k->groups);
        if (!g) {
            mf_free(ev->alloc, kc);
            return -1;
        }
        g->hash = h;
        g->key = kc;
        g->key_len = key_len;
        g->nframes = nframes;
        g->first = loc;
        k->table[s] = (uint32_t)k->groups.len;
    }
    g->count++;
    g->bytes += size;
    bool have = false;
    for (uint32_t i = 0; i < g->nsizes && !have; i++)
        have = g->sizes[i] == size;
    if (!have && g->nsizes < MF_KML_MAX_SIZES)
        g->sizes[g->nsizes++] = size;
    if (comm && g->ncomms < MF_KML_MAX_COMMS) {
        have = false;
        for (uint32_t i = 0; i < g->ncomms && !have; i++)
            have = strlen(g->comms[i]) == comm_len &&
                   memcmp(g->comms[i], comm, comm_len) == 0;
        if (!have) {
            char *c = mf_evidence_excerpt(ev, comm, comm_len);
            if (!c)
                return -1;
            g->comms[g->ncomms++] = c;
        }
    }
    return 0;
}

int mf_kmemleak_add_summary(mf_evidence *ev, uint64_t count,
                            const mf_logmsg *m, mf_loc loc)
{
    mf_events *e = mf_events_get(ev);
    if (!e)
        return -1;
    if (!mf_evidence_keep(ev, e->kmemleak.summaries.len, "kmemleak summaries",
                          sizeof(mf_kml_summary), KML_SUMMARY_REPORT,
                          (int32_t)loc.member, loc.line))
        return 0;
    mf_kml_summary *s = mf_vec_push(&e->kmemleak.summaries);
    if (!s)
        return -1;
    s->count = count;
    s->loc = loc;
    if (m) {
        s->time = m->time;
        s->has_time = true;
    }
    return 0;
}
