/* lmk.c - kills of low-memory killers.
 *
 * In-kernel lowmemorykiller (drivers/staging/android, until 4.12):
 *   2.6.x–3.4   send sigkill to 2317 (com.foo), adj 15, size 4231   (pages)
 *   3.4–4.9     [lowmemorykiller: ]Killing 'com.foo' (2317), adj 906,
 *                  to free 41016kB on behalf of 'kswapd0' (72) because
 *                  cache 183792kB is below limit 184320kB for oom_score_adj 906
 *                  Free memory is 4576kB above reserved
 *               (vendor kernels add `(tgid N)`, `Free CMA is …`, `GFP mask is`)
 *   The continuation lines are separate messages, or one with embedded
 *   newlines: both are read.
 * lmkd (logcat tag lowmemorykiller):
 *   8.0   Killing '%s' (%d), uid %d, adj %d / to free %ldkB because cache
 *         %ldkB is below limit %ldkB for oom_adj %d / Free memory is …
 *   8.1   Killing … / to free %ldkB because system is under %s memory
 *         pressure oom_adj %d
 *   9–10  Kill '%s' (%d), uid %d, oom_adj %d to free %ldkB
 *   11    … to free %ldkB; reason: %s
 *   12+   Kill '%s' (%d), uid %d, oom_score_adj %d to free %ldkB rss,
 *         %ldkB swap[; reason: %s]
 *   "kB" is matched case-insensitively (vendor builds print "kb").
 * Event log (positional fields):
 *   am_kill        [user,pid,name,adj,reason(,rss_kb 12+)]; 4.0–4.1 lack user
 *   am_low_memory  N  (processes left: a pressure signal, not a kill)
 *   killinfo       [pid,uid,oom_adj,min_oom_adj,task_size_kb,kill_reason,…] */
#include "parse/lmk.h"

#include <stdio.h>
#include <string.h>

#include "model/events.h"

#define LMK_CONT_WINDOW 12

void mf_lmk_state_init(mf_lmk_state *st)
{
    st->kcur = st->dcur = -1;
    st->ksince = st->dsince = 0;
}

static const char *skip_sp(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static bool starts(const char *p, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

static const char *num(const char *p, const char *e, int64_t *v)
{
    bool neg = false;
    if (p < e && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    const char *b = p;
    int64_t x = 0;
    while (p < e && *p >= '0' && *p <= '9') {
        if (x < INT64_MAX / 10)
            x = x * 10 + (*p - '0');
        p++;
    }
    *v = neg ? -x : x;
    return p > b ? p : NULL;
}

/* "<digits>kB" with any case of kB; returns past it. */
static const char *kb(const char *p, const char *e, int64_t *v)
{
    const char *q = num(p, e, v);
    if (!q || e - q < 2 || (q[0] != 'k' && q[0] != 'K') || (q[1] != 'b' && q[1] != 'B'))
        return NULL;
    return q + 2;
}

/* the number after `lit` somewhere in [p, e) */
static bool num_after(const char *p, const char *e, const char *lit, int64_t *v)
{
    const char *q = mf_memmem(p, (size_t)(e - p), lit, strlen(lit));
    return q && num(q + strlen(lit), e, v);
}

static bool kb_after(const char *p, const char *e, const char *lit, int64_t *v)
{
    const char *q = mf_memmem(p, (size_t)(e - p), lit, strlen(lit));
    return q && kb(q + strlen(lit), e, v);
}

static mf_lmk_kill *kill_at(mf_evidence *ev, long i)
{
    if (i < 0 || !ev->events || (size_t)i >= ev->events->lmk_kills.len)
        return NULL;
    return mf_vec_at(&ev->events->lmk_kills, (size_t)i);
}

static mf_lmk_kill *new_kill(mf_parse_ctx *pc, const mf_logmsg *m,
                             const char *source, long *index)
{
    mf_loc loc = {(uint32_t)pc->member, m->lineno};
    mf_lmk_kill *k = mf_events_add_kill(pc->ev, loc);
    if (!k)
        return NULL;
    k->source = source;
    /* the message; an event log entry with its tag (am_kill: [...]) */
    if (m->ident_len && (strcmp(source, "am_kill") == 0 || strcmp(source, "killinfo") == 0)) {
        mf_buf b;
        mf_buf_init(&b, pc->ev->alloc);
        mf_buf_printf(&b, "%.*s: %.*s", (int)m->ident_len, m->ident, (int)(m->len > 256 ? 256 : m->len),
                      m->msg);
        if (b.data)
            k->text = mf_evidence_excerpt(pc->ev, b.data, b.len);
        mf_buf_free(&b);
    } else {
        k->text = mf_evidence_excerpt(pc->ev, m->msg, m->len); /* NULL: no text */
    }
    k->time = m->time;
    k->has_time = true;
    if (index)
        *index = (long)pc->ev->events->lmk_kills.len - 1;
    return k;
}

static int set_str(mf_evidence *ev, char **dst, const char *s, size_t n)
{
    char *c = mf_evidence_excerpt(ev, s, n);
    if (!c)
        return -1;
    mf_free(ev->alloc, *dst);
    *dst = c;
    return 0;
}

/* "'name' (pid)" at p (p on the opening quote); returns past ")" */
static const char *name_pid(mf_evidence *ev, mf_lmk_kill *k, const char *p,
                            const char *e, int *err)
{
    const char *n = p + 1;
    const char *q = mf_memmem(n, (size_t)(e - n), "' (", 3);
    if (!q)
        return NULL;
    int64_t v;
    const char *r = num(q + 3, e, &v);
    if (!r || r >= e || *r != ')')
        return NULL;
    if (set_str(ev, &k->comm, n, (size_t)(q - n)) < 0)
        *err = 1;
    k->pid = v;
    return r + 1;
}

/* ---- in-kernel lowmemorykiller ---- */

/* Continuation text of a kernel kill (one line or several). */
static int kernel_cont(mf_evidence *ev, mf_lmk_kill *k, const char *p, const char *e)
{
    int64_t v, lim;
    if (k->freed_kb < 0 && kb_after(p, e, "to free ", &v))
        k->freed_kb = v;
    const char *c = mf_memmem(p, (size_t)(e - p), "cache ", 6);
    if (c && kb(c + 6, e, &v)) {
        const char *r = mf_memmem(c, (size_t)(e - c), "below limit ", 12);
        if (r && kb(r + 12, e, &lim)) {
            const char *re = kb(r + 12, e, &lim);
            if (!k->reason && set_str(ev, &k->reason, c, (size_t)(re - c)) < 0)
                return -1;
        }
        if (num_after(c, e, "oom_score_adj ", &v) || num_after(c, e, "oom_adj ", &v))
            k->min_adj = v;
    }
    return 0;
}

static bool kernel_cont_line(const char *p, const char *e)
{
    return starts(p, e, "to free ") || starts(p, e, "cache ") ||
           starts(p, e, "Free memory is") || starts(p, e, "Free CMA is") ||
           starts(p, e, "Total reserve is") || starts(p, e, "Total free pages is") ||
           starts(p, e, "Total file cache is") || starts(p, e, "GFP mask is") ||
           starts(p, e, "Slab ");
}

int mf_lmk_kernel_message(mf_lmk_state *st, mf_parse_ctx *pc,
                          const mf_logmsg *m, const char *s, size_t n)
{
    const char *e = s + n;
    const char *p = skip_sp(s, e);
    if (starts(p, e, "lowmemorykiller: "))
        p = skip_sp(p + 17, e);
    else if (starts(p, e, "lowmem_shrink") || starts(p, e, "[lowmemorykiller]"))
        return 0;
    mf_evidence *ev = pc->ev;
    int err = 0;
    int64_t v;
    if (starts(p, e, "Killing '")) {
        const char *adj = mf_memmem(p, (size_t)(e - p), ", adj ", 6);
        if (!adj || mf_memmem(p, (size_t)(adj - p), ", uid ", 6))
            return 0; /* lmkd 8.x text in a kernel log: not the kernel's */
        mf_lmk_kill *k = new_kill(pc, m, "kernel-lmk", &st->kcur);
        if (!k)
            return mf_events_lost(ev);
        st->ksince = 0;
        if (!name_pid(ev, k, p + 8, adj, &err) && err)
            return -1;
        if (err)
            return -1;
        if (num(adj + 6, e, &v))
            k->adj = v;
        return kernel_cont(ev, k, adj, e);
    }
    if (starts(p, e, "send sigkill to ")) {
        mf_lmk_kill *k = new_kill(pc, m, "kernel-lmk", NULL);
        st->kcur = -1;
        if (!k)
            return mf_events_lost(ev);
        const char *q = num(p + 16, e, &v);
        if (q)
            k->pid = v;
        if (q && starts(q, e, " (")) {
            const char *c = q + 2;
            const char *r = mf_memmem(c, (size_t)(e - c), "), adj ", 7);
            if (r) {
                if (set_str(ev, &k->comm, c, (size_t)(r - c)) < 0)
                    return -1;
                if (num(r + 7, e, &v))
                    k->adj = v;
            }
        }
        if (num_after(p, e, ", size ", &v))
            k->size_pages = v;
        return 0;
    }
    mf_lmk_kill *k = kill_at(ev, st->kcur);
    if (!k)
        return 0;
    if (++st->ksince > LMK_CONT_WINDOW) {
        st->kcur = -1;
        return 0;
    }
    if (kernel_cont_line(p, e))
        return kernel_cont(ev, k, p, e);
    return 0;
}

/* ---- lmkd ---- */

bool mf_lmkd_tag(const char *tag, size_t n)
{
    return (n == 15 && memcmp(tag, "lowmemorykiller", 15) == 0) ||
           (n == 4 && memcmp(tag, "lmkd", 4) == 0);
}

static int lmkd_cont(mf_evidence *ev, mf_lmk_kill *k, const char *p, const char *e)
{
    int64_t v;
    if (k->freed_kb < 0 && kb_after(p, e, "to free ", &v))
        k->freed_kb = v;
    const char *u = mf_memmem(p, (size_t)(e - p), "system is under ", 16);
    if (u) {
        const char *r = mf_memmem(u, (size_t)(e - u), " pressure", 9);
        if (r && !k->reason && set_str(ev, &k->reason, u, (size_t)(r + 9 - u)) < 0)
            return -1;
    }
    const char *c = mf_memmem(p, (size_t)(e - p), "because cache ", 14);
    if (c) {
        const char *r = mf_memmem(c, (size_t)(e - c), "below limit ", 12);
        const char *re = r ? kb(r + 12, e, &v) : NULL;
        if (re && !k->reason && set_str(ev, &k->reason, c + 8, (size_t)(re - c - 8)) < 0)
            return -1;
    }
    if (num_after(p, e, " oom_adj ", &v) && (u || c))
        k->min_adj = v;
    return 0;
}

int mf_lmkd_message(mf_lmk_state *st, mf_parse_ctx *pc, const mf_logmsg *m)
{
    const char *s = m->msg, *e = m->msg + m->len;
    while (e > s && (e[-1] == ' ' || e[-1] == '\r'))
        e--;
    const char *p = skip_sp(s, e);
    mf_evidence *ev = pc->ev;
    int err = 0;
    int64_t v;
    bool old = starts(p, e, "Killing '");
    if (old || starts(p, e, "Kill '")) {
        mf_lmk_kill *k = new_kill(pc, m, "lmkd", &st->dcur);
        if (!k)
            return mf_events_lost(ev);
        st->dsince = 0;
        const char *q = name_pid(ev, k, p + (old ? 8 : 5), e, &err);
        if (err)
            return -1;
        if (!q)
            q = p;
        if (num_after(q, e, ", uid ", &v))
            k->uid = v;
        if (num_after(q, e, " oom_score_adj ", &v) || num_after(q, e, " oom_adj ", &v) ||
            num_after(q, e, ", adj ", &v))
            k->adj = v;
        const char *t = mf_memmem(q, (size_t)(e - q), " to free ", 9);
        if (t && kb(t + 9, e, &v))
            k->freed_kb = v;
        const char *sw = t ? mf_memmem(t, (size_t)(e - t), "rss, ", 5) : NULL;
        if (sw && kb(sw + 5, e, &v))
            k->swap_kb = v;
        const char *r = mf_memmem(q, (size_t)(e - q), "; reason: ", 10);
        if (r && set_str(ev, &k->reason, r + 10, (size_t)(e - r - 10)) < 0)
            return -1;
        if (old && t) /* 8.x on one line */
            return lmkd_cont(ev, k, t, e);
        return 0;
    }
    mf_lmk_kill *k = kill_at(ev, st->dcur);
    if (!k)
        return 0;
    if (++st->dsince > 4) {
        st->dcur = -1;
        return 0;
    }
    if (starts(p, e, "to free ") || starts(p, e, "Free memory is"))
        return lmkd_cont(ev, k, p, e);
    st->dcur = -1;
    return 0;
}

/* ---- event log ---- */

typedef struct field {
    const char *s;
    size_t n;
} field;

static size_t split_fields(const char *p, const char *e, field *f, size_t max)
{
    p = skip_sp(p, e);
    if (p < e && *p == '[') {
        p++;
        if (e > p && e[-1] == ']')
            e--;
    }
    size_t nf = 0;
    while (p <= e && nf < max) {
        const char *c = memchr(p, ',', (size_t)(e - p));
        const char *fe = c ? c : e;
        f[nf].s = p;
        f[nf].n = (size_t)(fe - p);
        nf++;
        if (!c)
            break;
        p = c + 1;
    }
    return nf;
}

static bool field_num(const field *f, int64_t *v)
{
    const char *e = f->s + f->n;
    const char *q = num(f->s, e, v);
    return q == e;
}

static const char *const kill_reasons[] = {
    "pressure_after_kill", "not_responding",        "low_swap_and_thrashing",
    "low_mem_and_swap",    "low_mem_and_thrashing", "direct_recl_and_thrashing",
    "low_mem_and_swap_util", "low_filecache_after_thrashing", "low_mem",
    "direct_recl_stuck"};

int mf_eventlog_message(mf_parse_ctx *pc, const mf_logmsg *m)
{
    const char *tag = m->ident;
    size_t tl = m->ident_len;
    if (!tag || tl < 7)
        return 0;
    const char *e = m->msg + m->len;
    while (e > m->msg && (e[-1] == ' ' || e[-1] == '\r'))
        e--;
    mf_evidence *ev = pc->ev;
    field f[40];
    int64_t v;
    if (tl == 7 && memcmp(tag, "am_kill", 7) == 0) {
        size_t nf = split_fields(m->msg, e, f, 40);
        if (nf < 4)
            return 0;
        /* 4.2+: user first; 4.0–4.1: pid first, then the name */
        int64_t tmp;
        size_t base = nf >= 5 && field_num(&f[0], &tmp) && field_num(&f[1], &tmp) ? 1 : 0;
        if (base + 3 > nf)
            return 0;
        mf_lmk_kill *k = new_kill(pc, m, "am_kill", NULL);
        if (!k)
            return mf_events_lost(ev);
        if (field_num(&f[base], &v))
            k->pid = v;
        if (set_str(ev, &k->comm, f[base + 1].s, f[base + 1].n) < 0)
            return -1;
        if (field_num(&f[base + 2], &v))
            k->adj = v;
        size_t rs = base + 3, re = nf;
        if (base == 1 && nf >= 6 && field_num(&f[nf - 1], &v)) { /* 12+: rss */
            k->freed_kb = v;
            re = nf - 1;
        }
        if (rs < re) {
            const char *a = f[rs].s, *b = f[re - 1].s + f[re - 1].n;
            if (set_str(ev, &k->reason, a, (size_t)(b - a)) < 0)
                return -1;
        }
        return 0;
    }
    if (tl == 13 && memcmp(tag, "am_low_memory", 13) == 0) {
        size_t nf = split_fields(m->msg, e, f, 2);
        mf_loc loc = {(uint32_t)pc->member, m->lineno};
        mf_lmk_pressure *pr = mf_events_add_pressure(ev, loc);
        if (!pr)
            return mf_events_lost(ev);
        pr->source = "am_low_memory";
        pr->time = m->time;
        pr->has_time = true;
        if (nf >= 1 && field_num(&f[0], &v))
            pr->processes = v;
        return 0;
    }
    if (tl == 8 && memcmp(tag, "killinfo", 8) == 0) {
        size_t nf = split_fields(m->msg, e, f, 8);
        if (nf < 5)
            return 0;
        mf_lmk_kill *k = new_kill(pc, m, "killinfo", NULL);
        if (!k)
            return mf_events_lost(ev);
        if (field_num(&f[0], &v)) k->pid = v;
        if (field_num(&f[1], &v)) k->uid = v;
        if (field_num(&f[2], &v)) k->adj = v;
        if (field_num(&f[3], &v)) k->min_adj = v;
        if (field_num(&f[4], &v)) k->freed_kb = v;
        if (nf >= 6 && field_num(&f[5], &v) && v >= 0) {
            char buf[32];
            const char *r = buf;
            if ((size_t)v < sizeof kill_reasons / sizeof kill_reasons[0])
                r = kill_reasons[v];
            else
                snprintf(buf, sizeof buf, "kill_reason %lld", (long long)v);
            if (set_str(ev, &k->reason, r, strlen(r)) < 0)
                return -1;
        }
        return 0;
    }
    return 0;
}

/* ---- the kernel-log reader ---- */

static void *klog_open(mf_parse_ctx *pc)
{
    mf_lmk_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (st)
        mf_lmk_state_init(st);
    return st;
}

static int klog_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    mf_lmk_state *st = state;
    /* cheap literal checks first: most messages are none of ours */
    if (st->kcur < 0 && m->len > 0) {
        char c = m->msg[0];
        if (c != 'l' && c != 'K' && c != 's' && c != ' ')
            return 0;
    }
    return mf_lmk_kernel_message(st, pc, m, m->msg, m->len);
}

static void klog_close(void *state, mf_parse_ctx *pc)
{
    mf_free(pc->ev->alloc, state);
}

const mf_klog_reader mf_klog_lmk = {"lmk", klog_open, klog_message,
                                    klog_close, true};
