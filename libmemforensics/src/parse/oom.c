/* oom.c - the OOM-killer reader of kernel logs (mm/oom_kill.c and the dumps
 * it calls), for every kernel from 2.6.32 to 6.x.
 *
 * A report opens at `COMM invoked oom-killer:` and closes at its kill line
 * (`Killed process`, `OOM victim ... is already exiting`, `no killable
 * processes`). Between the two every message is offered to the line
 * handlers: CPU line, cpuset, call trace, show_mem (shared showmem.c),
 * memcg usage and stats, task table, `oom-kill:` summary, score line.
 * Messages of other subsystems interleaved inside a report are skipped. A
 * report is closed as truncated when a new report begins, the member ends,
 * the boot changes, or too many foreign messages (or seconds) pass before
 * its kill line. A kill line without a header (the log starts inside a
 * report) opens a truncated report. `oom_reaper:` lines, which may come
 * much later, attach to the recent report of the same victim. */
#define _GNU_SOURCE
#include <string.h>

#include "model/oom.h"
#include "parse/kernel_log.h"
#include "parse/oom.h"

#define MAX_FOREIGN 400   /* foreign messages inside an open report */
#define MAX_SPAN_S 60.0   /* seconds from header to kill line */
#define MAX_TASKS 65536   /* task rows read per report */
#define MAX_COLS 16

typedef struct task_row {
    int64_t pid, rss;
    uint32_t name_off, name_len;
} task_row;

typedef struct oom_state {
    bool open;
    mf_oom_event cur;
    uint64_t foreign;
    size_t first_event; /* index of this member's first event */
    /* call trace */
    bool in_trace;
    /* task table: column of rss among the numeric columns, and their count */
    int ncols, rss_col;
    mf_vec rows;  /* task_row */
    mf_buf names; /* task names, back to back */
    bool in_stats; /* after `Memory cgroup stats for` (v2 lines follow) */
    /* printk caller id of the header ('T' + pid): the whole report is
     * printed by that task, so another caller's message is foreign */
    char caller_kind;
    uint32_t caller_id;
    /* opened by a body line (Mem-Info, task table, oom-kill:) without a
     * header: kept only if its kill line follows */
    bool tentative;
    uint64_t hash;
} oom_state;

/* ---- records ---- */

void mf_oom_records_init(mf_oom_records *r, const mf_allocator *a)
{
    mf_vec_init(&r->events, a, sizeof(mf_oom_event));
}

static void task_free(mf_oom_task *t, const mf_allocator *a)
{
    mf_free(a, t->comm);
    t->comm = NULL;
}

void mf_oom_event_clear(mf_oom_event *e, const mf_allocator *a)
{
    char **strs[] = {&e->trigger_comm, &e->gfp_mask,   &e->gfp_flags,
                     &e->nodemask,     &e->constraint, &e->memcg,
                     &e->task_memcg,   &e->cpuset,     &e->mems_allowed,
                     &e->kernel_release, &e->taint,    &e->hardware,
                     &e->victim.comm,  &e->mcg.stats_path, &e->text};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        mf_free(a, *strs[i]);
        *strs[i] = NULL;
    }
    for (int i = 0; i < e->ntrace; i++)
        mf_free(a, e->trace[i]);
    for (int i = 0; i < e->ntop; i++)
        task_free(&e->top[i], a);
    for (int i = 0; i < e->nprograms; i++)
        task_free(&e->programs[i], a);
    mf_vec_free(&e->also);
}

void mf_oom_records_free(mf_oom_records *r, const mf_allocator *a)
{
    for (size_t i = 0; i < r->events.len; i++)
        mf_oom_event_clear(mf_vec_at(&r->events, i), a);
    mf_vec_free(&r->events);
}

static void event_init(mf_oom_event *e, const mf_allocator *a)
{
    memset(e, 0, sizeof *e);
    e->trigger_pid = e->trigger_uid = -1;
    e->oom_score_adj = e->oom_adj = INT64_MIN;
    e->victim.pid = -1;
    e->victim.total_vm_kb = e->victim.anon_rss_kb = e->victim.file_rss_kb = -1;
    e->victim.shmem_rss_kb = e->victim.uid = e->victim.pgtables_kb = -1;
    e->victim.oom_score_adj = INT64_MIN;
    e->victim.score = -1;
    e->reaped_anon_kb = e->reaped_file_kb = e->reaped_shmem_kb = -1;
    mf_showmem_reset(&e->sm);
    mf_oom_memcg *m = &e->mcg;
    m->usage_kb = m->limit_kb = m->failcnt = -1;
    m->memsw_usage_kb = m->memsw_limit_kb = -1;
    m->kmem_usage_kb = m->kmem_limit_kb = -1;
    m->swap_usage_kb = m->swap_limit_kb = -1;
    mf_vec_init(&e->also, a, sizeof(mf_loc));
}

/* ---- scanners ---- */

static bool starts(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

static const char *find(const char *p, const char *end, const char *lit)
{
    if (p >= end)
        return NULL;
    return memmem(p, (size_t)(end - p), lit, strlen(lit));
}

static const char *num(const char *p, const char *end, int64_t *out)
{
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    const char *s = p;
    int64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        if (v < (INT64_MAX - 9) / 10)
            v = v * 10 + (*p - '0');
        p++;
    }
    if (p == s)
        return NULL;
    if (v > MF_SM_VALUE_MAX)
        v = MF_SM_VALUE_MAX;
    *out = neg ? -v : v;
    return p;
}

/* The number after `key` (e.g. "total-vm:") anywhere in [p, end). */
static bool num_after(const char *p, const char *end, const char *key,
                      int64_t *out)
{
    const char *k = find(p, end, key);
    if (!k)
        return false;
    const char *q = k + strlen(key);
    while (q < end && *q == ' ')
        q++;
    return num(q, end, out) != NULL;
}

static char *dup(mf_evidence *ev, const char *s, const char *e)
{
    if (!s || e <= s)
        return NULL;
    return mf_evidence_excerpt(ev, s, (size_t)(e - s));
}

static void set_str(mf_evidence *ev, char **dst, const char *s, const char *e)
{
    if (*dst)
        return; /* the first value wins */
    *dst = dup(ev, s, e);
}

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    if (!h)
        h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The end of a process name that starts at p (after "("): the name may
 * hold spaces and parentheses, so it ends before the first known follower,
 * else at the last ')'. */
static const char *comm_end(const char *p, const char *end)
{
    static const char *const followers[] = {
        ") total-vm:", "), UID ", ") score ", ") is already exiting",
        "), now anon-rss:", ") sharing same memory"};
    const char *best = NULL;
    for (size_t i = 0; i < sizeof followers / sizeof followers[0]; i++) {
        const char *f = find(p, end, followers[i]);
        if (f && (!best || f < best))
            best = f;
    }
    if (best)
        return best;
    for (const char *q = end; q > p; q--)
        if (q[-1] == ')')
            return q - 1;
    return NULL;
}

/* `N (comm)` at p: fills pid and comm; returns the text after ')' */
static const char *pid_comm(mf_evidence *ev, const char *p, const char *end,
                            int64_t *pid, char **comm)
{
    const char *q = num(p, end, pid);
    if (!q)
        return NULL;
    while (q < end && (*q == ' ' || *q == ','))
        q++;
    /* RHEL6: `28656, UID 602, (java)` */
    if (starts(q, end, "UID ")) {
        const char *lp = memchr(q, '(', (size_t)(end - q));
        if (!lp)
            return NULL;
        q = lp;
    }
    if (q >= end || *q != '(')
        return NULL;
    const char *ce = comm_end(q + 1, end);
    if (!ce)
        return NULL;
    if (comm && !*comm)
        *comm = dup(ev, q + 1, ce);
    return ce + 1;
}

/* ---- report life ---- */

static void flush_tasks(oom_state *st, mf_evidence *ev);

static void finish(oom_state *st, mf_parse_ctx *pc, bool truncated)
{
    if (!st->open)
        return;
    mf_evidence *ev = pc->ev;
    st->open = false;
    if (st->tentative && !st->cur.victim.known) {
        /* a dump without header or kill line: an allocation failure's
         * show_mem, or a report cut at both ends; not an OOM event */
        st->tentative = false;
        st->rows.len = 0;
        mf_buf_clear(&st->names);
        mf_oom_event_clear(&st->cur, ev->alloc);
        memset(&st->cur, 0, sizeof st->cur);
        return;
    }
    st->tentative = false;
    st->in_trace = st->in_stats = false;
    flush_tasks(st, ev);
    mf_oom_event *e = &st->cur;
    e->truncated = truncated || e->truncated; /* headless reports stay truncated */
    e->text_hash = st->hash;
    /* an event with zones, task table and memcg stats renders up to ~33 KB
     * of report (tree and text); 20 KB is the usual share */
    bool keep = mf_evidence_keep(ev, ev->oom.events.len, "OOM reports",
                                 sizeof *e + 1024, 20000, pc->member, e->loc.line);
    mf_oom_event *slot = keep ? mf_vec_push(&ev->oom.events) : NULL;
    if (!slot) { /* refused (a record-limit warning says so) or out of memory */
        mf_oom_event_clear(e, ev->alloc);
        return;
    }
    *slot = *e;
    memset(e, 0, sizeof *e);
}

static void begin(oom_state *st, mf_parse_ctx *pc, const mf_logmsg *m)
{
    finish(st, pc, true);
    event_init(&st->cur, pc->ev->alloc);
    st->open = true;
    st->foreign = 0;
    st->ncols = 0;
    st->rss_col = -1;
    st->rows.len = 0;
    mf_buf_clear(&st->names);
    st->hash = 0;
    st->cur.loc.member = (uint32_t)pc->member;
    st->cur.loc.line = m->lineno;
    st->cur.text = mf_evidence_excerpt(pc->ev, m->msg, m->len); /* NULL: no text */
    st->cur.time = m->time;
    st->caller_kind = m->caller_kind;
    st->caller_id = m->caller_id;
    st->tentative = false;
}

/* ---- line handlers: each returns true when it took the message ---- */

static const char *skip_gfp_paren(const char *p, const char *end)
{
    /* (flags) may be empty `()` or hold `|` lists */
    if (p < end && *p == '(') {
        const char *c = memchr(p, ')', (size_t)(end - p));
        return c ? c + 1 : end;
    }
    return p;
}

static void read_header(oom_state *st, mf_parse_ctx *pc, const mf_logmsg *m,
                        const char *at)
{
    mf_evidence *ev = pc->ev;
    mf_oom_event *e = &st->cur;
    const char *s = m->msg, *end = m->msg + m->len;
    while (s < at && *s == ' ')
        s++;
    e->trigger_comm = dup(ev, s, at);
    st->hash = fnv(st->hash, s, (size_t)(end - s));
    const char *p = at;
    const char *g = find(p, end, "gfp_mask=");
    if (g) {
        g += 9;
        const char *h = g;
        while (h < end && ((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f') ||
                           (*h >= 'A' && *h <= 'F') || *h == 'x' || *h == 'X'))
            h++;
        if (h > g) {
            /* 2.6.32/3.10 print "%x" after "0x": keep "0x" form */
            if (starts(g, h, "0x") || starts(g, h, "0X"))
                e->gfp_mask = dup(ev, g, h);
            else {
                mf_buf b;
                mf_buf_init(&b, ev->alloc);
                mf_buf_puts(&b, "0x");
                mf_buf_append(&b, g, (size_t)(h - g));
                e->gfp_mask = b.failed ? (mf_buf_free(&b), NULL) : mf_buf_detach(&b);
            }
        }
        if (h < end && *h == '(') {
            const char *c = memchr(h, ')', (size_t)(end - h));
            if (c && c > h + 1)
                e->gfp_flags = dup(ev, h + 1, c);
            p = skip_gfp_paren(h, end);
        } else {
            p = h;
        }
    }
    const char *nm = find(p, end, "nodemask=");
    if (nm) {
        nm += 9;
        const char *ne = nm;
        /* `(null)` or a list like `0-1` or `0,2`: ends at ",  order" or ", order" */
        const char *o = find(nm, end, " order=");
        if (o) {
            ne = o;
            while (ne > nm && (ne[-1] == ',' || ne[-1] == ' '))
                ne--;
            e->nodemask = dup(ev, nm, ne);
        }
    }
    int64_t v;
    if (num_after(p, end, "order=", &v)) {
        e->order = (int32_t)(v < -1 ? -1 : v > 64 ? 64 : v);
        e->has_order = true;
    }
    if (num_after(p, end, "oom_score_adj=", &v))
        e->oom_score_adj = v;
    if (num_after(p, end, "oom_adj=", &v))
        e->oom_adj = v;
    if (e->has_order && e->order == -1)
        e->kind = MF_OOM_MANUAL;
}

/* CPU: 1 PID: 49358 Comm: grep Not tainted 5.15.0 #101-Ubuntu
 * CPU: 3 UID: 1000 PID: 4242 Comm: x Tainted: G        W  O      6.11.5 #1
 * Pid: 1234, comm: java Not tainted 2.6.32-754.el6.x86_64 #1 */
static bool read_cpu_line(oom_state *st, mf_evidence *ev, const char *p,
                          const char *end)
{
    mf_oom_event *e = &st->cur;
    const char *c;
    int64_t v;
    if (starts(p, end, "CPU: ")) {
        c = find(p, end, " Comm: ");
        if (!c)
            return false;
        if (num_after(p, c, " PID: ", &v) && e->trigger_pid < 0)
            e->trigger_pid = v;
        if (num_after(p, c, " UID: ", &v))
            e->trigger_uid = v;
        c += 7;
    } else if (starts(p, end, "Pid: ")) {
        c = find(p, end, ", comm: ");
        if (!c)
            return false;
        if (num(p + 5, c, &v) && e->trigger_pid < 0)
            e->trigger_pid = v;
        c += 8;
    } else {
        return false;
    }
    if (e->kernel_release)
        return true; /* a second CPU line (nested warnings): keep the first */
    const char *t = find(c, end, " Not tainted ");
    const char *rel = NULL;
    if (t) {
        set_str(ev, &e->taint, t + 1, t + 12);
        rel = t + 13;
    } else if ((t = find(c, end, " Tainted: ")) != NULL) {
        /* flags are single letters or spaces: the release is the first
         * token holding a digit */
        const char *q = t + 10;
        while (q < end) {
            while (q < end && *q == ' ')
                q++;
            const char *w = q;
            while (q < end && *q != ' ')
                q++;
            bool digit = false;
            for (const char *x = w; x < q; x++)
                if (*x >= '0' && *x <= '9')
                    digit = true;
            if (digit) {
                rel = w;
                break;
            }
        }
        const char *te = rel ? rel : end;
        while (te > t + 10 && te[-1] == ' ')
            te--;
        set_str(ev, &e->taint, t + 10, te);
    }
    if (rel) {
        const char *re = rel;
        while (re < end && *re != ' ')
            re++;
        set_str(ev, &e->kernel_release, rel, re);
    }
    return true;
}

/* `COMM cpuset=X mems_allowed=Y` (≤4.19) */
static bool read_cpuset(oom_state *st, mf_evidence *ev, const char *p,
                        const char *end)
{
    const char *c = find(p, end, " cpuset=");
    const char *mem = c ? find(c, end, " mems_allowed=") : NULL;
    if (!mem)
        return false;
    set_str(ev, &st->cur.cpuset, c + 8, mem);
    set_str(ev, &st->cur.mems_allowed, mem + 14, end);
    return true;
}

/* oom-kill:constraint=...,nodemask=...,[cpuset=...,mems_allowed=...,]
 * oom_memcg=PATH|global_oom,task_memcg=PATH,task=COMM,pid=N,uid=N */
static void read_oom_kill(oom_state *st, mf_evidence *ev, const char *p,
                          const char *end)
{
    mf_oom_event *e = &st->cur;
    st->hash = fnv(st->hash, p, (size_t)(end - p));
    const char *task = find(p, end, ",task=");
    const char *fields_end = task ? task : end;
    const char *q = p + 9; /* after "oom-kill:" */
    while (q < fields_end) {
        const char *c = memchr(q, ',', (size_t)(fields_end - q));
        const char *fe = c ? c : fields_end;
        const char *eq = memchr(q, '=', (size_t)(fe - q));
        if (eq) {
            size_t kl = (size_t)(eq - q);
            const char *v = eq + 1;
            if (kl == 10 && memcmp(q, "constraint", 10) == 0)
                set_str(ev, &e->constraint, v, fe);
            else if (kl == 8 && memcmp(q, "nodemask", 8) == 0)
                set_str(ev, &e->nodemask, v, fe);
            else if (kl == 6 && memcmp(q, "cpuset", 6) == 0)
                set_str(ev, &e->cpuset, v, fe);
            else if (kl == 12 && memcmp(q, "mems_allowed", 12) == 0)
                set_str(ev, &e->mems_allowed, v, fe);
            else if (kl == 9 && memcmp(q, "oom_memcg", 9) == 0) {
                set_str(ev, &e->memcg, v, fe);
                e->kind = MF_OOM_MEMCG;
            } else if (kl == 10 && memcmp(q, "task_memcg", 10) == 0)
                set_str(ev, &e->task_memcg, v, fe);
        }
        q = fe + 1;
    }
    if (task) {
        const char *pid = NULL;
        for (const char *x = task + 6; (x = find(x, end, ",pid=")) != NULL; x++)
            pid = x;
        if (pid) {
            if (!e->victim.comm)
                e->victim.comm = dup(ev, task + 6, pid);
            int64_t v;
            if (num(pid + 5, end, &v)) {
                e->victim.pid = v;
                e->victim.known = true;
            }
            if (num_after(pid, end, ",uid=", &v))
                e->victim.uid = v;
        }
    }
}

static void read_kill_values(mf_oom_victim *v, const char *p, const char *end)
{
    int64_t x;
    if (num_after(p, end, "total-vm:", &x)) v->total_vm_kb = x;
    if (num_after(p, end, "anon-rss:", &x)) v->anon_rss_kb = x;
    if (num_after(p, end, "file-rss:", &x)) v->file_rss_kb = x;
    if (num_after(p, end, "shmem-rss:", &x)) v->shmem_rss_kb = x;
    if (num_after(p, end, "UID:", &x) || num_after(p, end, "UID ", &x)) v->uid = x;
    if (num_after(p, end, "pgtables:", &x)) v->pgtables_kb = x;
    if (num_after(p, end, "oom_score_adj:", &x)) v->oom_score_adj = x;
}

/* Strip a kill-line prefix; sets *memcg when it names a memcg OOM. */
static const char *kill_prefix(const char *p, const char *end, bool *memcg)
{
    *memcg = false;
    if (starts(p, end, "Out of memory: "))
        return p + 15;
    if (starts(p, end, "Out of memory (oom_kill_allocating_task): "))
        return p + 42;
    if (starts(p, end, "Memory cgroup out of memory: ")) {
        *memcg = true;
        return p + 29;
    }
    return NULL;
}

enum { KILL_NONE = 0, KILL_SCORE, KILL_DONE };

static int read_kill(oom_state *st, mf_evidence *ev, const char *p,
                     const char *end)
{
    mf_oom_event *e = &st->cur;
    bool memcg = false;
    const char *q = kill_prefix(p, end, &memcg);
    if (!q)
        q = p;
    int r = KILL_NONE;
    int64_t pid = -1;
    if (starts(q, end, "Kill process ") || starts(q, end, "kill process ")) {
        const char *after = pid_comm(ev, q + 13, end, &pid, &e->victim.comm);
        if (!after)
            return KILL_NONE;
        int64_t s;
        if (num_after(after, end, "score ", &s))
            e->victim.score = s;
        r = KILL_SCORE;
    } else if (starts(q, end, "Killed process ")) {
        const char *after = pid_comm(ev, q + 15, end, &pid, &e->victim.comm);
        if (!after)
            return KILL_NONE;
        read_kill_values(&e->victim, q, end);
        e->killed = true;
        r = KILL_DONE;
    } else if (starts(q, end, "OOM victim ")) {
        if (!pid_comm(ev, q + 11, end, &pid, &e->victim.comm))
            return KILL_NONE;
        r = KILL_DONE;
    } else if (starts(p, end, "Out of memory and no killable processes")) {
        return KILL_DONE; /* the kernel panics next */
    } else {
        return KILL_NONE;
    }
    if (pid >= 0) {
        e->victim.pid = pid;
        e->victim.known = true;
    }
    if (memcg)
        e->kind = MF_OOM_MEMCG;
    if (r == KILL_DONE)
        st->hash = fnv(st->hash, q, (size_t)(end - q));
    return r;
}

/* memory: usage 524288kB, limit 524288kB, failcnt 1234 */
static bool read_usage(const char *p, const char *end, int64_t *usage,
                       int64_t *limit, int64_t *failcnt)
{
    int64_t v;
    bool any = false;
    if (num_after(p, end, "usage ", &v)) { *usage = v; any = true; }
    if (num_after(p, end, "limit ", &v)) { *limit = v; any = true; }
    if (failcnt && num_after(p, end, "failcnt ", &v)) *failcnt = v;
    return any;
}

static void add_stat(mf_oom_memcg *m, const char *k, size_t kl, int64_t kb)
{
    if (m->nstats >= MF_OOM_MEMCG_STATS || kl == 0 || kl >= sizeof m->stats[0].key)
        return;
    for (int i = 0; i < m->nstats; i++)
        if (strlen(m->stats[i].key) == kl && memcmp(m->stats[i].key, k, kl) == 0)
            return;
    mf_oom_memcg_stat *s = &m->stats[m->nstats++];
    memcpy(s->key, k, kl);
    s->key[kl] = 0;
    s->kb = kb;
}

/* v1: " cache:0KB rss:1048576KB ..." on the stats line itself */
static void read_v1_stats(mf_oom_memcg *m, const char *p, const char *end)
{
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *k = p;
        while (p < end && *p != ':' && *p != ' ')
            p++;
        if (p < end && *p == ':') {
            int64_t v;
            const char *q = num(p + 1, end, &v);
            if (q && q + 1 < end + 1 && (q < end && (*q == 'K' || *q == 'k')))
                add_stat(m, k, (size_t)(p - k), v);
            if (q)
                p = q;
        }
        while (p < end && *p != ' ')
            p++;
    }
}

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9');
}

/* v2: "anon 42897408" (bytes) */
static bool read_v2_stat(mf_oom_memcg *m, const char *p, const char *end)
{
    const char *k = p;
    while (p < end && is_key_char(*p))
        p++;
    if (p == k || p >= end || *p != ' ')
        return false;
    int64_t v;
    const char *q = num(p + 1, end, &v);
    if (!q || q != end)
        return false;
    m->stats_v2 = true;
    add_stat(m, k, (size_t)(p - k), v / 1024);
    return true;
}

static bool read_memcg(oom_state *st, mf_evidence *ev, const char *p,
                       const char *end)
{
    mf_oom_event *e = &st->cur;
    mf_oom_memcg *m = &e->mcg;
    const char *c;
    if (starts(p, end, "Task in ") &&
        (c = find(p, end, " killed as a result of limit of ")) != NULL) {
        set_str(ev, &e->task_memcg, p + 8, c);
        set_str(ev, &e->memcg, c + 32, end);
        e->kind = MF_OOM_MEMCG;
        return true;
    }
    if (starts(p, end, "Memory limit reached of cgroup ")) {
        set_str(ev, &e->memcg, p + 31, end);
        e->kind = MF_OOM_MEMCG;
        return true;
    }
    if (starts(p, end, "memory: usage ")) {
        e->has_memcg_info = read_usage(p, end, &m->usage_kb, &m->limit_kb, &m->failcnt);
        return true;
    }
    if (starts(p, end, "memory+swap: usage ")) {
        read_usage(p, end, &m->memsw_usage_kb, &m->memsw_limit_kb, NULL);
        return true;
    }
    if (starts(p, end, "kmem: usage ")) {
        read_usage(p, end, &m->kmem_usage_kb, &m->kmem_limit_kb, NULL);
        return true;
    }
    if (starts(p, end, "swap: usage ")) {
        read_usage(p, end, &m->swap_usage_kb, &m->swap_limit_kb, NULL);
        return true;
    }
    if (starts(p, end, "Memory cgroup stats for ")) {
        const char *colon = NULL;
        /* the path ends at the last ':' that is followed by a space or the
         * end of the line (paths may hold ':') */
        for (const char *x = p + 24; x < end; x++)
            if (*x == ':' && (x + 1 == end || x[1] == ' '))
                colon = x;
        if (!colon)
            return true;
        set_str(ev, &m->stats_path, p + 24, colon);
        read_v1_stats(m, colon + 1, end);
        st->in_stats = true;
        e->has_memcg_info = true;
        return true;
    }
    if (starts(p, end, "Tasks in ") && find(p, end, "memory.oom.group"))
        return true;
    return false;
}

/* ---- task table ---- */

static bool read_task_header(oom_state *st, const char *p, const char *end)
{
    /* "[ pid ]" or "[  pid  ]" then column names */
    const char *rb = memchr(p, ']', (size_t)(end - p));
    if (!rb)
        return false;
    const char *q = rb + 1;
    int n = 0, rss = -1;
    bool name = false;
    while (q < end) {
        while (q < end && *q == ' ')
            q++;
        const char *w = q;
        while (q < end && *q != ' ')
            q++;
        if (q == w)
            break;
        if (q - w == 4 && memcmp(w, "name", 4) == 0) {
            name = true;
            break;
        }
        if (q - w == 3 && memcmp(w, "rss", 3) == 0)
            rss = n;
        n++;
    }
    if (!name || rss < 0 || n > MAX_COLS)
        return false;
    st->ncols = n;
    st->rss_col = rss;
    st->cur.has_tasks = true;
    return true;
}

static bool read_task_row(oom_state *st, mf_evidence *ev, const char *p,
                          const char *end)
{
    int64_t pid;
    const char *q = p + 1;
    while (q < end && *q == ' ')
        q++;
    q = num(q, end, &pid);
    if (!q || q >= end || *q != ']')
        return false;
    q++;
    int64_t rss = -1;
    for (int i = 0; i < st->ncols; i++) {
        while (q < end && *q == ' ')
            q++;
        int64_t v;
        const char *r = num(q, end, &v);
        if (!r || (r < end && *r != ' '))
            return true; /* a damaged row: consumed, not counted */
        if (i == st->rss_col)
            rss = v;
        q = r;
    }
    while (q < end && *q == ' ')
        q++;
    const char *ne = end;
    while (ne > q && ne[-1] == ' ')
        ne--;
    st->cur.ntasks++;
    if (rss > 0) {
        st->cur.tasks_rss_pages += rss;
        if (st->cur.tasks_rss_pages > MF_SM_VALUE_MAX)
            st->cur.tasks_rss_pages = MF_SM_VALUE_MAX;
    }
    if (st->rows.len >= MAX_TASKS)
        return true;
    size_t off = st->names.len;
    if (mf_buf_append(&st->names, q, (size_t)(ne - q)) < 0)
        return true;
    task_row *t = mf_vec_push(&st->rows);
    if (!t)
        return true;
    t->pid = pid;
    t->rss = rss < 0 ? 0 : rss;
    t->name_off = (uint32_t)off;
    t->name_len = (uint32_t)(ne - q);
    (void)ev;
    return true;
}

/* Sort helpers: the task names live in st->names, which qsort's comparator
 * cannot see, so sort by a small index array through a static-free merge
 * sort with a context pointer. */
typedef struct sort_ctx {
    const task_row *rows;
    const char *names;
} sort_ctx;

static int cmp_name(const sort_ctx *c, uint32_t a, uint32_t b)
{
    const task_row *x = &c->rows[a], *y = &c->rows[b];
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int r = memcmp(c->names + x->name_off, c->names + y->name_off, n);
    if (r)
        return r;
    return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static void merge_sort(const sort_ctx *c, uint32_t *a, uint32_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(c, a, tmp, h);
    merge_sort(c, a + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_name(c, a[i], a[j]) <= 0 ? a[i++] : a[j++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

/* Insert into a top-N list ordered by rss (then pid / name for ties). */
static void top_insert(mf_oom_task *top, int *n, const mf_oom_task *t,
                       const mf_allocator *a)
{
    int pos = *n;
    while (pos > 0) {
        const mf_oom_task *p = &top[pos - 1];
        bool before = t->rss_pages > p->rss_pages ||
                      (t->rss_pages == p->rss_pages && t->pid < p->pid);
        if (!before)
            break;
        pos--;
    }
    if (pos >= MF_OOM_TOP) {
        mf_free(a, t->comm);
        return;
    }
    if (*n == MF_OOM_TOP) {
        mf_free(a, top[MF_OOM_TOP - 1].comm);
        (*n)--;
    }
    memmove(&top[pos + 1], &top[pos], (size_t)(*n - pos) * sizeof *top);
    top[pos] = *t;
    (*n)++;
}

static void flush_tasks(oom_state *st, mf_evidence *ev)
{
    mf_oom_event *e = &st->cur;
    size_t n = st->rows.len;
    if (!n)
        return;
    const task_row *rows = st->rows.data;
    const char *names = st->names.data;
    for (size_t i = 0; i < n; i++) {
        mf_oom_task t = {rows[i].pid, NULL, rows[i].rss, 1};
        if (e->ntop == MF_OOM_TOP && t.rss_pages <= e->top[MF_OOM_TOP - 1].rss_pages)
            continue;
        t.comm = mf_evidence_excerpt(ev, names + rows[i].name_off, rows[i].name_len);
        top_insert(e->top, &e->ntop, &t, ev->alloc);
    }
    /* programs: instances of one name summed */
    uint32_t *idx = mf_calloc(ev->alloc, n * 2, sizeof *idx);
    if (!idx)
        return;
    for (size_t i = 0; i < n; i++)
        idx[i] = (uint32_t)i;
    sort_ctx c = {rows, names};
    merge_sort(&c, idx, idx + n, n);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        mf_oom_task t = {-1, NULL, 0, 0};
        while (j < n && cmp_name(&c, idx[i], idx[j]) == 0) {
            t.rss_pages += rows[idx[j]].rss;
            if (t.rss_pages > MF_SM_VALUE_MAX)
                t.rss_pages = MF_SM_VALUE_MAX;
            if (t.pid < 0 || rows[idx[j]].pid < t.pid)
                t.pid = rows[idx[j]].pid;
            t.count++;
            j++;
        }
        if (!(e->nprograms == MF_OOM_TOP &&
              t.rss_pages <= e->programs[MF_OOM_TOP - 1].rss_pages)) {
            const task_row *r = &rows[idx[i]];
            t.comm = mf_evidence_excerpt(ev, names + r->name_off, r->name_len);
            top_insert(e->programs, &e->nprograms, &t, ev->alloc);
        }
        i = j;
    }
    mf_free(ev->alloc, idx);
    st->rows.len = 0;
    mf_buf_clear(&st->names);
}

/* ---- call trace ---- */

static bool read_trace(oom_state *st, mf_evidence *ev, const char *p,
                       const char *end)
{
    mf_oom_event *e = &st->cur;
    while (p < end && *p == ' ')
        p++;
    if (starts(p, end, "<TASK>") || starts(p, end, "</TASK>") ||
        starts(p, end, "<IRQ>") || starts(p, end, "</IRQ>"))
        return true;
    bool unreliable = false;
    /* x86 ≤4.x: [<ffffffff8113f2a4>] dump_header+0x6b/0x1b0 */
    if (starts(p, end, "[<")) {
        const char *rb = find(p, end, ">] ");
        if (!rb)
            return false;
        p = rb + 3;
        /* arm32: [<c010f4b8>] (unwind_backtrace) from [<...>] (show_stack+0x10/0x14) */
        if (p < end && *p == '(') {
            const char *fr = find(p, end, " from ");
            if (fr) {
                const char *lp = memchr(fr, '(', (size_t)(end - fr));
                if (lp)
                    p = lp;
            }
            p++;
        }
    }
    if (starts(p, end, "? ")) {
        unreliable = true;
        p += 2;
    }
    const char *plus = find(p, end, "+0x");
    if (!plus || plus == p)
        return false;
    for (const char *x = p; x < plus; x++)
        if (*x == ' ' || *x == '(' || *x == ')')
            return false;
    if (!unreliable && e->ntrace < MF_OOM_TRACE) {
        char *f = dup(ev, p, plus);
        if (f)
            e->trace[e->ntrace++] = f;
    }
    return true;
}

/* ---- oom_reaper ---- */

static void read_reaper(oom_state *st, mf_parse_ctx *pc, const mf_logmsg *m)
{
    mf_evidence *ev = pc->ev;
    const char *p = m->msg + 12, *end = m->msg + m->len;
    bool failed = false;
    int64_t pid = -1;
    if (starts(p, end, "reaped process ")) {
        if (!num(p + 15, end, &pid))
            return;
    } else if (starts(p, end, "unable to reap pid:")) {
        if (!num(p + 19, end, &pid))
            return;
        failed = true;
    } else {
        return;
    }
    mf_oom_event *target = NULL;
    if (st->open && st->cur.victim.pid == pid)
        target = &st->cur;
    for (size_t i = ev->oom.events.len; !target && i > st->first_event; i--) {
        mf_oom_event *e = mf_vec_at(&ev->oom.events, i - 1);
        if (e->victim.pid == pid && e->loc.member == (uint32_t)pc->member)
            target = e;
        if (ev->oom.events.len - i > 8)
            break;
    }
    if (!target || target->reaped_known)
        return;
    target->reaped_known = true;
    target->reap_failed = failed;
    target->reaped_loc.member = (uint32_t)pc->member;
    target->reaped_loc.line = m->lineno;
    int64_t v;
    if (num_after(p, end, "anon-rss:", &v)) target->reaped_anon_kb = v;
    if (num_after(p, end, "file-rss:", &v)) target->reaped_file_kb = v;
    if (num_after(p, end, "shmem-rss:", &v)) target->reaped_shmem_kb = v;
}

/* ---- the reader ---- */

static void *oom_open(mf_parse_ctx *pc)
{
    oom_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    mf_vec_init(&st->rows, pc->ev->alloc, sizeof(task_row));
    mf_buf_init(&st->names, pc->ev->alloc);
    st->first_event = pc->ev->oom.events.len;
    return st;
}

static void oom_close(void *state, mf_parse_ctx *pc)
{
    oom_state *st = state;
    if (!st)
        return;
    finish(st, pc, true);
    if (st->open)
        mf_oom_event_clear(&st->cur, pc->ev->alloc);
    mf_vec_free(&st->rows);
    mf_buf_free(&st->names);
    mf_free(pc->ev->alloc, st);
}

/* Does the message hold the start of a report? Returns the position of
 * " invoked oom-killer:" or NULL. */
static const char *header_at(const char *s, size_t len)
{
    if (len < 20)
        return NULL;
    return memmem(s, len, "invoked oom-killer:", 19);
}

/* Lines that only appear inside a report (or an allocation failure's
 * dump): where a headless report may begin. */
static bool body_start(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    if (p >= end)
        return false;
    switch (*p) {
    case 'M':
        return starts(p, end, "Mem-Info:");
    case 'T':
        return starts(p, end, "Tasks state (memory values in pages)");
    case 'o':
        return starts(p, end, "oom-kill:constraint=");
    case '[':
        return find(p, end, " uid  tgid total_vm ") != NULL;
    default:
        return false;
    }
}

static int oom_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    oom_state *st = state;
    if (!st)
        return 0;
    mf_evidence *ev = pc->ev;
    const char *p = m->msg, *end = m->msg + m->len;
    while (end > p && (end[-1] == '\r' || end[-1] == ' '))
        end--;
    const char *h = header_at(p, (size_t)(end - p));
    if (h) {
        begin(st, pc, m);
        read_header(st, pc, m, h > p ? h - 1 : h);
        return 0;
    }
    if (m->len >= 12 && p[0] == 'o' && starts(p, end, "oom_reaper: ")) {
        read_reaper(st, pc, m);
        return 0;
    }
    if (!st->open) {
        /* The log starts inside a report (rotation, ring-buffer wrap): a
         * kill line opens a headless report at once; a body line opens a
         * tentative one that only a kill line will keep. */
        if ((p[0] == 'O' || p[0] == 'M') && m->len > 20) {
            bool memcg;
            const char *q = kill_prefix(p, end, &memcg);
            if (q && (starts(q, end, "Killed process ") || starts(q, end, "Kill process "))) {
                begin(st, pc, m);
                st->cur.truncated = true;
                int r = read_kill(st, ev, p, end);
                if (r == KILL_DONE)
                    finish(st, pc, true);
                return 0;
            }
        }
        if (!body_start(p, end))
            return 0;
        begin(st, pc, m);
        st->tentative = true;
        st->cur.truncated = true;
        /* and read the line below */
    }
    /* A tentative report meets an allocation-failure header: it was that
     * report's dump, not an OOM's. */
    if (st->tentative && find(p, end, "page allocation ")) {
        finish(st, pc, true);
        return 0;
    }
    /* An open report: too far from its header? */
    mf_oom_event *e = &st->cur;
    if (m->time.boot != e->time.boot ||
        (m->time.has_mono && e->time.has_mono &&
         m->time.mono_s - e->time.mono_s > MAX_SPAN_S)) {
        finish(st, pc, true);
        return 0;
    }
    if (st->caller_kind == 'T' && m->caller_kind &&
        (m->caller_kind != 'T' || m->caller_id != st->caller_id)) {
        if (++st->foreign > MAX_FOREIGN)
            finish(st, pc, true);
        return 0; /* another task's or CPU's message */
    }
    const char *s = p;
    while (s < end && *s == ' ')
        s++;
    bool took = false;
    if (s < end && *s == '[' && st->ncols > 0 && s + 1 < end && (s[1] == ' ' || (s[1] >= '0' && s[1] <= '9'))) {
        if (!st->in_trace || !starts(s, end, "[<"))
            took = read_task_row(st, ev, s, end);
    }
    if (!took && st->in_stats) {
        if (read_v2_stat(&e->mcg, s, end)) {
            took = true;
        } else if (find(s, end, "KB") && memchr(s, ':', (size_t)(end - s)) &&
                   !starts(s, end, "Memory cgroup") && !starts(s, end, "Tasks")) {
            /* v1 stats continued on their own line (pr_cont broken by
             * another CPU's message) */
            read_v1_stats(&e->mcg, s, end);
            took = true;
        } else {
            st->in_stats = false;
        }
    }
    if (!took) {
        int r = read_kill(st, ev, s, end);
        if (r == KILL_DONE) {
            finish(st, pc, false);
            return 0;
        }
        took = r != KILL_NONE;
    }
    if (!took && starts(s, end, "Call Trace:")) {
        st->in_trace = true;
        took = true;
    }
    if (!took && st->in_trace && read_trace(st, ev, s, end))
        took = true;
    if (!took && (starts(s, end, "CPU: ") || starts(s, end, "Pid: ")))
        took = read_cpu_line(st, ev, s, end);
    if (!took && starts(s, end, "Hardware name: ")) {
        set_str(ev, &e->hardware, s + 15, end);
        took = true;
    }
    if (!took && starts(s, end, "oom-kill:")) {
        read_oom_kill(st, ev, s, end);
        st->in_trace = false;
        took = true;
    }
    if (!took && mf_showmem_line(&e->sm, s, (size_t)(end - s))) {
        st->in_trace = false;
        took = true;
    }
    if (!took && read_memcg(st, ev, s, end)) {
        st->in_trace = false;
        took = true;
    }
    if (!took && s < end && *s == '[' && find(s, end, "pid") &&
        read_task_header(st, s, end)) {
        st->in_trace = false;
        took = true;
    }
    if (!took && (starts(s, end, "Tasks state") ||
                  starts(s, end, "Tainted: ") ||
                  starts(s, end, "Node ") /* unlisted node lines */))
        took = true;
    if (!took && find(s, end, " cpuset=") && read_cpuset(st, ev, s, end))
        took = true;
    if (took) {
        st->foreign = 0;
    } else if (++st->foreign > MAX_FOREIGN) {
        finish(st, pc, true);
    }
    return 0;
}

const mf_klog_reader mf_klog_oom = {"oom", oom_open, oom_message, oom_close,
                                     true};
