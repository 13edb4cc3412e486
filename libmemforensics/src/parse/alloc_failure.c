/* alloc_failure.c - the kernel-log reader of allocation failures.
 *
 *   2.6.32  comm: page allocation failure. order:1, mode:0x20
 *   3.10    comm: page allocation failure: order:1, mode:0x204020
 *   4.9     comm: page allocation failure: order:0, mode:0x2080020(GFP_ATOMIC)
 *           comm: page allocation stalls for 10212ms, order:0, mode:0x24201ca(…)
 *   4.14    …, mode:0x14000c0(GFP_KERNEL), nodemask=(null)
 *   5.0+    …, nodemask=(null),cpuset=/,mems_allowed=0
 *   vmalloc ≤3.x `vmalloc: allocation failure: N bytes` then a page
 *           allocation failure line; 4.x `comm: vmalloc: allocation failure:
 *           N bytes, mode:…`; 6.1+ `comm: vmalloc error: size N, …, mode:…`;
 *           32-bit `vmap allocation for size N failed: use vmalloc=<size> …`
 *
 * After the header come the task line (`CPU: 1 PID: 77 Comm: x` or 2.6's
 * `Pid: 77, comm: x`), the call trace, and show_mem with its buddy lines;
 * other CPUs' messages may interleave; a slab allocation adds SLUB's
 * `cache: NAME` line after show_mem. The record stays open until the next
 * report, an OOM report, a new boot or 400 messages. */
#include "parse/alloc_failure.h"
#include "parse/showmem.h"

#include <stdio.h>
#include <string.h>

#include "parse/kmemleak.h"

#define AF_WINDOW 400
#define AF_MAX_FRAMES 64

typedef struct af_state {
    long cur;          /* index of the open record, -1 none */
    uint32_t since;
    int trace;         /* 0 not yet, 1 reading, 2 done */
    bool buddy_done;
    char caller_kind;  /* the header's printk caller ([T123] / [C5]), 0 none */
    uint32_t caller_id;
    char arm_from[128];/* ARM: the caller of the last frame line */
    /* a ≤3.x `vmalloc: allocation failure` line awaiting its header */
    bool pending_vmalloc;
    int64_t pending_size;
    uint64_t pending_line;
} af_state;

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

static const char *dec(const char *p, const char *e, int64_t *v)
{
    const char *b = p;
    int64_t x = 0;
    while (p < e && *p >= '0' && *p <= '9') {
        if (x < INT64_MAX / 10)
            x = x * 10 + (*p - '0');
        p++;
    }
    *v = x;
    return p > b ? p : NULL;
}

static const char *hex(const char *p, const char *e, int64_t *v)
{
    if (e - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    const char *b = p;
    uint64_t x = 0;
    for (; p < e; p++) {
        int d;
        if (*p >= '0' && *p <= '9') d = *p - '0';
        else if (*p >= 'a' && *p <= 'f') d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F') d = *p - 'A' + 10;
        else break;
        if (x >> 59)
            return NULL;
        x = x * 16 + (uint64_t)d;
    }
    *v = (int64_t)x;
    return p > b ? p : NULL;
}

bool mf_buddy_line_parse(const char *s, size_t n, mf_buddy_zone *out)
{
    /* One buddy-line parser for the project: show_mem's (parse/showmem.c). */
    mf_sm_zone z;
    uint32_t page_kb = 0;
    memset(out, 0, sizeof *out);
    out->node = -1;
    if (!mf_showmem_parse_buddy(s, n, &z, &page_kb) || z.buddy_total_kb < 0 ||
        z.norders <= 0)
        return false;
    out->node = z.node;
    snprintf(out->zone, sizeof out->zone, "%s", z.name);
    for (int o = 0; o < z.norders && o < MF_BUDDY_MAX_ORDERS; o++)
        out->counts[out->norders++] = (uint64_t)(z.blocks[o] < 0 ? 0 : z.blocks[o]);
    out->page_kb = page_kb;
    out->free_kb = (uint64_t)z.buddy_total_kb;
    return true;
}

static mf_alloc_failure *cur(mf_evidence *ev, af_state *st)
{
    if (st->cur < 0 || !ev->events)
        return NULL;
    return mf_vec_at(&ev->events->alloc_failures, (size_t)st->cur);
}

static void close_record(af_state *st)
{
    st->cur = -1;
    st->trace = 0;
    st->buddy_done = false;
    st->arm_from[0] = '\0';
}

static int add_frame(mf_evidence *ev, mf_alloc_failure *f, const char *s,
                     size_t n)
{
    if (f->frames.len >= AF_MAX_FRAMES)
        return 0;
    char *c = mf_evidence_excerpt(ev, s, n);
    if (!c)
        return -1;
    char **slot = mf_vec_push(&f->frames);
    if (!slot) {
        mf_free(ev->alloc, c);
        return -1;
    }
    *slot = c;
    return 0;
}

/* Parse "comm: <kind text>…, order:N, mode:0x…(FLAGS), nodemask=…" from
 * the needle on. */
static int header(mf_parse_ctx *pc, af_state *st, const mf_logmsg *m,
                  const char *at, const char *kind, int64_t size,
                  int64_t stall_ms)
{
    mf_evidence *ev = pc->ev;
    const char *s = m->msg, *e = m->msg + m->len;
    close_record(st);
    mf_loc loc = {(uint32_t)pc->member, m->lineno};
    if (st->pending_vmalloc && strcmp(kind, "page") == 0 &&
        m->lineno - st->pending_line <= 3) {
        kind = "vmalloc";
        size = st->pending_size;
    }
    st->pending_vmalloc = false;
    mf_alloc_failure *f = mf_events_add_alloc_failure(ev, loc);
    if (!f)
        return mf_events_lost(ev);
    st->cur = (long)ev->events->alloc_failures.len - 1;
    st->since = 0;
    st->caller_kind = m->caller_kind;
    st->caller_id = m->caller_id;
    f->kind = kind;
    f->size_bytes = size;
    f->stall_ms = stall_ms;
    f->time = m->time;
    f->has_time = true;
    f->text = mf_evidence_excerpt(ev, m->msg, m->len);
    const char *ce = at;
    while (ce > s && (ce[-1] == ' ' || ce[-1] == ':'))
        ce--;
    if (ce > s) {
        f->comm = mf_evidence_excerpt(ev, s, (size_t)(ce - s));
        if (!f->comm)
            return -1;
    }
    const char *o = mf_memmem(at, (size_t)(e - at), "order:", 6);
    int64_t v;
    if (o && dec(o + 6, e, &v))
        f->order = (int32_t)(v > INT32_MAX ? -1 : v);
    const char *md = mf_memmem(at, (size_t)(e - at), "mode:", 5);
    if (md) {
        const char *q = hex(md + 5, e, &v);
        if (q) {
            f->mode = v;
            if (q < e && *q == '(') {
                const char *r = memchr(q, ')', (size_t)(e - q));
                if (r && r > q + 1) {
                    f->gfp_flags = mf_evidence_excerpt(ev, q + 1, (size_t)(r - q - 1));
                    if (!f->gfp_flags)
                        return -1;
                }
            }
        }
    }
    const char *nm = mf_memmem(at, (size_t)(e - at), "nodemask=", 9);
    if (nm) {
        nm += 9;
        const char *q = nm;
        int depth = 0;
        while (q < e && (depth || (*q != ',' && *q != ' '))) {
            depth += *q == '(';
            depth -= *q == ')' && depth;
            q++;
        }
        if (q > nm) {
            f->nodemask = mf_evidence_excerpt(ev, nm, (size_t)(q - nm));
            if (!f->nodemask)
                return -1;
        }
    }
    if (!f->text)
        return -1;
    return 0;
}

/* ARM: "[<c0013f04>] (unwind_backtrace+0x0/0xe0) from [<c05f4c7c>] (dump_stack+0x20/0x24)" */
static bool arm_frame(const char *p, const char *e, const char **fn, size_t *fl,
                      const char **from, size_t *froml)
{
    const char *a = memchr(p, '(', (size_t)(e - p));
    if (!a || !mf_memmem(p, (size_t)(e - p), ") from [<", 9))
        return false;
    const char *b = a + 1;
    while (b < e && *b != '+' && *b != ')')
        b++;
    *fn = a + 1;
    *fl = (size_t)(b - a - 1);
    const char *f2 = mf_memmem(b, (size_t)(e - b), ") from [<", 9);
    const char *c = f2 ? memchr(f2 + 9, '(', (size_t)(e - f2 - 9)) : NULL;
    *from = NULL;
    *froml = 0;
    if (c) {
        const char *d = c + 1;
        while (d < e && *d != '+' && *d != ')')
            d++;
        *from = c + 1;
        *froml = (size_t)(d - c - 1);
    }
    return *fl > 0;
}

/* Does the line look like a stack frame ("sym+0x1/0x2", "[<addr>] …",
 * "sym file.c:12 [inline]")? */
static bool frame_like(const char *p, const char *e)
{
    if (starts(p, e, "[<") || starts(p, e, "? "))
        return true;
    if (mf_memmem(p, (size_t)(e - p), "[inline]", 8))
        return true;
    const char *plus = mf_memmem(p, (size_t)(e - p), "+0x", 3);
    if (!plus || !mf_memmem(plus, (size_t)(e - plus), "/0x", 3))
        return false;
    for (const char *q = p; q < plus; q++)
        if (*q == ' ' || *q == ':' || *q == '=')
            return false;
    return true;
}

static int trace_line(mf_evidence *ev, af_state *st, mf_alloc_failure *f,
                      const char *p, const char *e)
{
    /* context markers; 2.6–3.x put a frame after them on the same line */
    static const char *const marks[] = {"<IRQ>", "</IRQ>", "<TASK>", "<NMI>",
                                        "</NMI>", "<EOI>", NULL};
    for (int i = 0; marks[i]; i++)
        if (starts(p, e, marks[i])) {
            p = skip_sp(p + strlen(marks[i]), e);
            if (p == e)
                return 0;
            break;
        }
    if (starts(p, e, "Exception stack") || starts(p, e, "Hardware name:"))
        return 0;
    if (starts(p, e, "</TASK>")) {
        st->trace = 2;
        return 0;
    }
    const char *fn, *from;
    size_t fl, froml;
    if (arm_frame(p, e, &fn, &fl, &from, &froml)) {
        size_t n = froml < sizeof st->arm_from - 1 ? froml : sizeof st->arm_from - 1;
        if (from)
            memcpy(st->arm_from, from, n);
        st->arm_from[from ? n : 0] = '\0';
        return add_frame(ev, f, fn, fl);
    }
    if (!frame_like(p, e)) {
        if (st->arm_from[0] && add_frame(ev, f, st->arm_from, strlen(st->arm_from)) < 0)
            return -1;
        st->arm_from[0] = '\0';
        st->trace = 2;
        return 1; /* not consumed */
    }
    /* "? foo+0x…" marks a frame the unwinder guessed; 2.6–4.x x86 kernels
     * without frame pointers mark nearly all of them, so they are kept. */
    const char *q = p;
    if (starts(q, e, "[<")) {
        const char *r = memchr(q, ']', (size_t)(e - q));
        q = r ? skip_sp(r + 1, e) : e;
        if (starts(q, e, "? "))
            p = q;
    }
    char frame[256];
    size_t n = mf_kml_frame_normalise(p, (size_t)(e - p), frame, sizeof frame);
    return n ? add_frame(ev, f, frame, n) : 0;
}

static void *af_open(mf_parse_ctx *pc)
{
    af_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (st)
        st->cur = -1;
    return st;
}

static void af_close(void *state, mf_parse_ctx *pc)
{
    mf_free(pc->ev->alloc, state);
}

static int af_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    af_state *st = state;
    const char *s = m->msg, *e = m->msg + m->len;
    while (e > s && (e[-1] == ' ' || e[-1] == '\r'))
        e--;
    size_t n = (size_t)(e - s);
    if (m->boot_start)
        close_record(st);
    /* headers: one cheap literal first */
    const char *al = mf_memmem(s, n, "allocation", 10);
    if (al) {
        const char *at;
        int64_t v;
        if ((at = mf_memmem(s, n, "page allocation failure", 23)))
            return header(pc, st, m, at, "page", -1, -1);
        if ((at = mf_memmem(s, n, "page allocation stalls for ", 27))) {
            int64_t ms = -1;
            if (dec(at + 27, e, &v))
                ms = v;
            return header(pc, st, m, at, "stall", -1, ms);
        }
        if ((at = mf_memmem(s, n, "vmalloc: allocation failure: ", 29))) {
            int64_t size = dec(at + 29, e, &v) ? v : -1;
            if (!mf_memmem(at, (size_t)(e - at), "mode:", 5) && at == s) {
                /* ≤3.x: the page allocation failure line follows */
                close_record(st);
                st->pending_vmalloc = true;
                st->pending_size = size;
                st->pending_line = m->lineno;
                return 0;
            }
            return header(pc, st, m, at, "vmalloc", size, -1);
        }
        if ((at = mf_memmem(s, n, "vmap allocation for size ", 25))) {
            int64_t size = dec(at + 25, e, &v) ? v : -1;
            return header(pc, st, m, at, "vmalloc", size, -1);
        }
    }
    const char *ve = n >= 20 ? mf_memmem(s, n, "vmalloc error: size ", 20) : NULL;
    if (ve) {
        int64_t v;
        int64_t size = dec(ve + 20, e, &v) ? v : -1;
        return header(pc, st, m, ve, "vmalloc", size, -1);
    }
    mf_alloc_failure *f = cur(pc->ev, st);
    if (!f)
        return 0;
    /* with printk caller ids, another task's or CPU's lines are not ours */
    if (st->caller_kind && m->caller_kind &&
        (m->caller_kind != st->caller_kind || m->caller_id != st->caller_id))
        return 0;
    if (++st->since > AF_WINDOW || mf_memmem(s, n, "invoked oom-killer", 18) ||
        starts(s, e, "Out of memory")) {
        close_record(st);
        return 0;
    }
    const char *p = skip_sp(s, e);
    int64_t v;
    if (starts(p, e, "CPU: ")) {
        const char *q = mf_memmem(p, (size_t)(e - p), " PID: ", 6);
        if (q && dec(q + 6, e, &v) && f->pid < 0)
            f->pid = (int32_t)(v > INT32_MAX ? -1 : v);
        q = mf_memmem(p, (size_t)(e - p), " Comm: ", 7);
        if (q && !f->comm) {
            const char *c = q + 7, *ce = c;
            while (ce < e && *ce != ' ')
                ce++;
            f->comm = mf_evidence_excerpt(pc->ev, c, (size_t)(ce - c));
            if (!f->comm)
                return -1;
        }
        return 0;
    }
    if (starts(p, e, "Pid: ")) { /* 2.6: "Pid: 77, comm: foo Not tainted" */
        if (dec(p + 5, e, &v) && f->pid < 0)
            f->pid = (int32_t)(v > INT32_MAX ? -1 : v);
        return 0;
    }
    if (starts(p, e, "cache: ") && !f->slab_cache) {
        /* SLUB: Unable to allocate memory on node -1, gfp=0x…
         *   cache: kmalloc-4096, object size: 4096, buffer size: 4096, … */
        const char *c = p + 7, *ce = c;
        while (ce < e && *ce != ',' && *ce != ' ')
            ce++;
        if (ce > c && !(f->slab_cache = mf_evidence_excerpt(pc->ev, c, (size_t)(ce - c))))
            return -1;
        return 0;
    }
    if (st->trace == 0 && (starts(p, e, "Call Trace:") || starts(p, e, "Call trace:") ||
                           starts(p, e, "Backtrace:"))) {
        st->trace = 1;
        return 0;
    }
    if (st->trace == 0 && starts(p, e, "[<") &&
        mf_memmem(p, (size_t)(e - p), ") from [<", 9))
        st->trace = 1; /* ARM ≤3.x: the frames follow the header directly */
    if (st->trace == 1) {
        int rc = trace_line(pc->ev, st, f, p, e);
        if (rc <= 0)
            return rc;
    }
    if (!st->buddy_done) {
        if (mf_memmem(p, (size_t)(e - p), "total pagecache pages", 21)) {
            st->buddy_done = true;
            return 0;
        }
        mf_buddy_zone z;
        if (mf_buddy_line_parse(p, (size_t)(e - p), &z)) {
            mf_buddy_zone *slot = f->buddy.len < 16 ? mf_vec_push(&f->buddy) : NULL;
            if (slot)
                *slot = z;
            else if (f->buddy.len < 16)
                return -1;
        }
    }
    return 0;
}

const mf_klog_reader mf_klog_alloc_failure = {"alloc-failure", af_open,
                                              af_message, af_close, true};
