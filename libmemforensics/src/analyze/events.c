/* events.c - derived facts of memory events.
 *
 * kmemleak: each backtrace group gets its culprit, the bare name of its first
 * frame that is not allocator plumbing (whole names and explicit prefixes
 * from the plumbing list, so `hci_alloc_dev` stays a culprit), and groups are
 * ranked by bytes. Allocation failures get a culprit the same way. A kill
 * lmkd told twice (its logcat line and its `killinfo` event) shares a pid:
 * the event, which has no process name, borrows the name. */
#include "analyze/events.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "model/events.h"

static int name_cmp(const void *a, const void *b)
{
    const struct mf_plumb_name *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->n < y->n ? -1 : x->n > y->n);
}

int mf_plumbing_init(mf_plumbing *p, const mf_allocator *a, const char *text)
{
    memset(p, 0, sizeof *p);
    p->alloc = a;
    size_t lines = 1;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    p->exact = mf_calloc(a, lines, sizeof *p->exact);
    p->prefix = mf_calloc(a, lines, sizeof *p->prefix);
    if (!p->exact || !p->prefix) {
        mf_plumbing_free(p);
        return -1;
    }
    const char *s = text;
    while (*s) {
        const char *e = strchr(s, '\n');
        if (!e)
            e = s + strlen(s);
        const char *h = memchr(s, '#', (size_t)(e - s));
        const char *le = h ? h : e;
        while (s < le && (*s == ' ' || *s == '\t'))
            s++;
        while (le > s && (le[-1] == ' ' || le[-1] == '\t' || le[-1] == '\r'))
            le--;
        if (le > s) {
            if (le[-1] == '*') {
                p->prefix[p->nprefix].s = s;
                p->prefix[p->nprefix++].n = (size_t)(le - 1 - s);
            } else {
                p->exact[p->nexact].s = s;
                p->exact[p->nexact++].n = (size_t)(le - s);
            }
        }
        s = *e ? e + 1 : e;
    }
    qsort(p->exact, p->nexact, sizeof *p->exact, name_cmp);
    return 0;
}

void mf_plumbing_free(mf_plumbing *p)
{
    mf_free(p->alloc, p->exact);
    mf_free(p->alloc, p->prefix);
    p->exact = p->prefix = NULL;
    p->nexact = p->nprefix = 0;
}

bool mf_plumbing_match(const mf_plumbing *p, const char *name, size_t n)
{
    struct mf_plumb_name key = {name, n};
    if (bsearch(&key, p->exact, p->nexact, sizeof key, name_cmp))
        return true;
    for (size_t i = 0; i < p->nprefix; i++)
        if (p->prefix[i].n <= n && memcmp(p->prefix[i].s, name, p->prefix[i].n) == 0)
            return true;
    return false;
}

size_t mf_frame_bare_name(const char *frame, size_t n)
{
    size_t i = 0;
    /* a compiler suffix starts at the first '.': .isra.N, .constprop.N,
     * .part.N, .cold, .llvm.N */
    while (i < n && frame[i] != ' ' && frame[i] != '+' && frame[i] != '.' &&
           frame[i] != '\t')
        i++;
    return i;
}

/* The culprit among '\n'-separated frames: the first that is not plumbing,
 * else the last frame. NULL when there is no frame. */
static char *culprit_of(mf_evidence *ev, const mf_plumbing *pl,
                        const char *key, size_t len, bool *oom)
{
    const char *p = key, *e = key + len;
    const char *last = NULL;
    size_t last_n = 0;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        const char *le = nl ? nl : e;
        size_t bn = mf_frame_bare_name(p, (size_t)(le - p));
        if (bn) {
            if (!mf_plumbing_match(pl, p, bn)) {
                last = p;
                last_n = bn;
                break;
            }
            last = p;
            last_n = bn;
        }
        p = nl ? nl + 1 : e;
    }
    if (!last)
        return NULL;
    char *c = mf_strndup(ev->alloc, last, last_n);
    if (!c)
        *oom = true;
    return c;
}

static int group_cmp(const void *a, const void *b)
{
    const mf_kml_group *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if ((x->nframes == 0) != (y->nframes == 0))
        return x->nframes == 0 ? 1 : -1; /* a named culprit first */
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

static int kill_pid_cmp(const void *a, const void *b)
{
    const mf_lmk_kill *x = *(mf_lmk_kill *const *)a, *y = *(mf_lmk_kill *const *)b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    if (x->loc.member != y->loc.member)
        return x->loc.member < y->loc.member ? -1 : 1;
    return x->loc.line < y->loc.line ? -1 : x->loc.line > y->loc.line;
}

/* killinfo events carry no process name: take it from the lmkd line about
 * the same pid and uid. */
static int join_killinfo(mf_evidence *ev, mf_events *e)
{
    size_t n = 0;
    for (size_t i = 0; i < e->lmk_kills.len; i++) {
        const mf_lmk_kill *k = mf_vec_at(&e->lmk_kills, i);
        n += k->comm && k->pid >= 0 && strcmp(k->source, "killinfo") != 0;
    }
    if (!n)
        return 0;
    mf_lmk_kill **named = mf_calloc(ev->alloc, n, sizeof *named);
    if (!named)
        return MF_ENOMEM;
    n = 0;
    for (size_t i = 0; i < e->lmk_kills.len; i++) {
        mf_lmk_kill *k = mf_vec_at(&e->lmk_kills, i);
        if (k->comm && k->pid >= 0 && strcmp(k->source, "killinfo") != 0)
            named[n++] = k;
    }
    qsort(named, n, sizeof *named, kill_pid_cmp);
    int rc = 0;
    for (size_t i = 0; i < e->lmk_kills.len && rc == 0; i++) {
        mf_lmk_kill *k = mf_vec_at(&e->lmk_kills, i);
        if (k->comm || strcmp(k->source, "killinfo") != 0)
            continue;
        size_t lo = 0, hi = n;
        while (lo < hi) { /* first with pid >= k->pid */
            size_t mid = (lo + hi) / 2;
            if (named[mid]->pid < k->pid)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < n && named[lo]->pid == k->pid; lo++) {
            if (k->uid >= 0 && named[lo]->uid >= 0 && named[lo]->uid != k->uid)
                continue;
            k->comm = mf_strdup(ev->alloc, named[lo]->comm);
            if (!k->comm)
                rc = MF_ENOMEM;
            break;
        }
    }
    mf_free(ev->alloc, named);
    return rc;
}

int mf_analyze_events(mf_evidence *ev)
{
    mf_events *e = ev->events;
    if (!e)
        return 0;
    mf_plumbing pl;
    if (mf_plumbing_init(&pl, ev->alloc, mf_kmemleak_plumbing_txt) < 0)
        return MF_ENOMEM;
    bool oom = false;
    mf_kmemleak *k = &e->kmemleak;
    for (size_t i = 0; i < k->groups.len && !oom; i++) {
        mf_kml_group *g = mf_vec_at(&k->groups, i);
        if (!g->culprit)
            g->culprit = culprit_of(ev, &pl, g->key, g->key_len, &oom);
    }
    if (k->groups.len > 1)
        qsort(k->groups.data, k->groups.len, sizeof(mf_kml_group), group_cmp);
    mf_free(ev->alloc, k->table); /* indices are stale once sorted */
    k->table = NULL;
    k->table_cap = 0;
    mf_buf key;
    mf_buf_init(&key, ev->alloc);
    for (size_t i = 0; i < e->alloc_failures.len && !oom; i++) {
        mf_alloc_failure *f = mf_vec_at(&e->alloc_failures, i);
        mf_buf_clear(&key);
        for (size_t j = 0; j < f->frames.len; j++) {
            if (j)
                mf_buf_append(&key, "\n", 1);
            mf_buf_puts(&key, *(char **)mf_vec_at(&f->frames, j));
        }
        if (key.failed) {
            oom = true;
            break;
        }
        if (key.len && !f->culprit)
            f->culprit = culprit_of(ev, &pl, key.data, key.len, &oom);
    }
    mf_buf_free(&key);
    mf_plumbing_free(&pl);
    if (oom)
        return MF_ENOMEM;
    return join_killinfo(ev, e);
}
