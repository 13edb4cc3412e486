/* json_events.c - findings.kmemleak, findings.alloc_failures[],
 * findings.lmk_kills[] and findings.lmk_pressure[]. Arrays are in reading
 * order (member, line), kmemleak groups by bytes (then count, then
 * backtrace); sizes ascend, comms sort by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/events.h"
#include "report/json_events.h"

static const char *member_path(const mf_evidence *ev, uint32_t i)
{
    const mf_member *m = mf_vec_at(&ev->members, i);
    return m ? m->path : NULL;
}

static void add_int(cJSON *o, const char *key, int64_t v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, (double)v);
}

static void add_sint(cJSON *o, const char *key, int64_t v, bool known)
{
    if (!known)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, (double)v);
}

static void add_loc(const mf_evidence *ev, cJSON *o, mf_loc loc)
{
    mf_json_add_str(ev->alloc, o, "member", member_path(ev, loc.member));
    cJSON_AddNumberToObject(o, "line", (double)loc.line);
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

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append a string (made valid UTF-8) to an array. */
static void push_str(const mf_evidence *ev, cJSON *arr, const char *v, size_t n)
{
    mf_buf b;
    mf_buf_init(&b, ev->alloc);
    mf_buf_append_utf8(&b, v, n);
    cJSON *s = b.failed ? NULL : cJSON_CreateString(b.data ? b.data : "");
    if (s && !cJSON_AddItemToArray(arr, s))
        cJSON_Delete(s);
    mf_buf_free(&b);
}

/* The frames of a group key, one per line. */
static void add_key_frames(const mf_evidence *ev, cJSON *o, const char *key,
                           size_t len)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "frames");
    const char *p = key, *e = key + len;
    while (arr && p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        const char *le = nl ? nl : e;
        push_str(ev, arr, p, (size_t)(le - p));
        p = nl ? nl + 1 : e;
    }
}

void mf_json_kmemleak(const mf_evidence *ev, cJSON *findings)
{
    cJSON *k = cJSON_AddObjectToObject(findings, "kmemleak");
    const mf_events *e = ev->events;
    if (!k || !e || !e->kmemleak_seen)
        return; /* no kmemleak output read: absent, not zero */
    const mf_kmemleak *km = &e->kmemleak;
    cJSON_AddNumberToObject(k, "objects", (double)km->objects);
    cJSON_AddNumberToObject(k, "bytes", (double)km->bytes);
    cJSON *groups = cJSON_AddArrayToObject(k, "groups");
    for (size_t i = 0; groups && i < km->groups.len; i++) {
        const mf_kml_group *g = mf_vec_at(&km->groups, i);
        cJSON *o = push_obj(groups);
        if (!o)
            return;
        mf_json_add_str(ev->alloc, o, "culprit", g->culprit);
        char title[300];
        if (g->culprit)
            snprintf(title, sizeof title, "memory leak in %s", g->culprit);
        else
            snprintf(title, sizeof title, "memory leak (no backtrace)");
        mf_json_add_str(ev->alloc, o, "title", title);
        add_key_frames(ev, o, g->key, g->key_len);
        cJSON_AddNumberToObject(o, "count", (double)g->count);
        cJSON_AddNumberToObject(o, "bytes", (double)g->bytes);
        uint64_t sizes[MF_KML_MAX_SIZES];
        memcpy(sizes, g->sizes, g->nsizes * sizeof sizes[0]);
        qsort(sizes, g->nsizes, sizeof sizes[0], u64_cmp);
        cJSON *sz = cJSON_AddArrayToObject(o, "sizes");
        for (uint32_t j = 0; sz && j < g->nsizes; j++) {
            cJSON *n = cJSON_CreateNumber((double)sizes[j]);
            if (!n || !cJSON_AddItemToArray(sz, n))
                cJSON_Delete(n);
        }
        char *comms[MF_KML_MAX_COMMS];
        memcpy(comms, g->comms, g->ncomms * sizeof comms[0]);
        qsort(comms, g->ncomms, sizeof comms[0], str_cmp);
        cJSON *ca = cJSON_AddArrayToObject(o, "comms");
        for (uint32_t j = 0; ca && j < g->ncomms; j++)
            push_str(ev, ca, comms[j], strlen(comms[j]));
        cJSON *first = cJSON_AddObjectToObject(o, "first");
        if (first)
            add_loc(ev, first, g->first);
    }
    cJSON *sums = cJSON_AddArrayToObject(k, "summaries");
    for (size_t i = 0; sums && i < km->summaries.len; i++) {
        const mf_kml_summary *s = mf_vec_at(&km->summaries, i);
        cJSON *o = push_obj(sums);
        if (!o)
            return;
        cJSON_AddNumberToObject(o, "count", (double)s->count);
        mf_json_add_time(ev, o, "time", &s->time, s->has_time);
        add_loc(ev, o, s->loc);
    }
}

void mf_json_alloc_failures(const mf_evidence *ev, cJSON *findings)
{
    cJSON *arr = cJSON_AddArrayToObject(findings, "alloc_failures");
    const mf_events *e = ev->events;
    for (size_t i = 0; arr && e && i < e->alloc_failures.len; i++) {
        const mf_alloc_failure *f = mf_vec_at(&e->alloc_failures, i);
        cJSON *o = push_obj(arr);
        if (!o)
            return;
        mf_json_add_str(ev->alloc, o, "kind", f->kind);
        mf_json_add_str(ev->alloc, o, "comm", f->comm);
        add_int(o, "pid", f->pid);
        add_int(o, "order", f->order);
        char mode[24];
        if (f->mode >= 0) {
            snprintf(mode, sizeof mode, "0x%llx", (unsigned long long)f->mode);
            mf_json_add_str(ev->alloc, o, "mode", mode);
        } else {
            cJSON_AddNullToObject(o, "mode");
        }
        cJSON *flags = cJSON_AddArrayToObject(o, "gfp_flags");
        if (flags && f->gfp_flags) {
            const char *p = f->gfp_flags;
            while (*p) {
                const char *b = strchr(p, '|');
                size_t n = b ? (size_t)(b - p) : strlen(p);
                if (n > 0)
                    push_str(ev, flags, p, n);
                p += n + (b ? 1 : 0);
            }
        }
        mf_json_add_str(ev->alloc, o, "nodemask", f->nodemask);
        mf_json_add_str(ev->alloc, o, "slab_cache", f->slab_cache);
        add_int(o, "size_bytes", f->size_bytes);
        add_int(o, "stall_ms", f->stall_ms);
        mf_json_add_str(ev->alloc, o, "culprit", f->culprit);
        cJSON *fr = cJSON_AddArrayToObject(o, "frames");
        for (size_t j = 0; fr && j < f->frames.len; j++) {
            char *const *s = mf_vec_at(&f->frames, j);
            push_str(ev, fr, *s, strlen(*s));
        }
        cJSON *bd = cJSON_AddArrayToObject(o, "buddy");
        for (size_t j = 0; bd && j < f->buddy.len; j++) {
            const mf_buddy_zone *z = mf_vec_at(&f->buddy, j);
            cJSON *zo = push_obj(bd);
            if (!zo)
                return;
            add_int(zo, "node", z->node);
            mf_json_add_str(ev->alloc, zo, "zone", z->zone);
            cJSON_AddNumberToObject(zo, "page_kb", (double)z->page_kb);
            cJSON_AddNumberToObject(zo, "free_kb", (double)z->free_kb);
            cJSON *c = cJSON_AddArrayToObject(zo, "counts");
            for (uint32_t q = 0; c && q < z->norders; q++) {
                cJSON *n = cJSON_CreateNumber((double)z->counts[q]);
                if (!n || !cJSON_AddItemToArray(c, n))
                    cJSON_Delete(n);
            }
        }
        mf_json_add_time(ev, o, "time", &f->time, f->has_time);
        add_loc(ev, o, f->loc);
        mf_json_add_str(ev->alloc, o, "text", f->text);
    }
}

void mf_json_lmk(const mf_evidence *ev, cJSON *findings)
{
    cJSON *arr = cJSON_AddArrayToObject(findings, "lmk_kills");
    const mf_events *e = ev->events;
    for (size_t i = 0; arr && e && i < e->lmk_kills.len; i++) {
        const mf_lmk_kill *k = mf_vec_at(&e->lmk_kills, i);
        cJSON *o = push_obj(arr);
        if (!o)
            return;
        mf_json_add_str(ev->alloc, o, "source", k->source);
        mf_json_add_str(ev->alloc, o, "comm", k->comm);
        add_int(o, "pid", k->pid);
        add_int(o, "uid", k->uid);
        add_sint(o, "adj", k->adj, k->adj != MF_ADJ_UNKNOWN);
        add_sint(o, "min_adj", k->min_adj, k->min_adj != MF_ADJ_UNKNOWN);
        add_int(o, "freed_kb", k->freed_kb);
        add_int(o, "swap_kb", k->swap_kb);
        add_int(o, "size_pages", k->size_pages);
        mf_json_add_str(ev->alloc, o, "reason", k->reason);
        mf_json_add_time(ev, o, "time", &k->time, k->has_time);
        add_loc(ev, o, k->loc);
        mf_json_add_str(ev->alloc, o, "text", k->text);
    }
    arr = cJSON_AddArrayToObject(findings, "lmk_pressure");
    for (size_t i = 0; arr && e && i < e->lmk_pressure.len; i++) {
        const mf_lmk_pressure *p = mf_vec_at(&e->lmk_pressure, i);
        cJSON *o = push_obj(arr);
        if (!o)
            return;
        mf_json_add_str(ev->alloc, o, "source", p->source);
        add_int(o, "processes", p->processes);
        mf_json_add_time(ev, o, "time", &p->time, p->has_time);
        add_loc(ev, o, p->loc);
    }
}
