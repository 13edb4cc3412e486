/* kmemleak.c - kmemleak reports: the /sys/kernel/debug/kmemleak dump (kind
 * "kmemleak", also when a test harness or syslog wraps it) and the
 * `kmemleak: ` lines of kernel logs, through one record builder.
 *
 *   unreferenced object 0xffff880005339a00 (size 256):
 *     comm "kworker/u3:1", pid 1011, jiffies 4294671976 (age 107.389s)
 *     hex dump (first 32 bytes[ on cpu 3]):
 *       00 00 …  ................
 *     backtrace[ (crc 1b2f3c4d)]:
 *       [<ffffffff8116bba8>] kmem_cache_alloc+0x128/0x180
 *       hci_event_packet+0xc1/0x3290 [bluetooth]        (6.13+: no address)
 *       kmalloc include/linux/slab.h:590 [inline]       (symbolized)
 *
 * 2.6.32 has no `(age …)`, 6.8+ neither; the variants differ only in what
 * the builder ignores. */
#include "parse/kmemleak.h"

#include <string.h>

#include "model/events.h"
#include "parse/kernel_log.h"

enum { KM_NONE = 0, KM_HEADER, KM_HEX, KM_TRACE };

void mf_kml_builder_init(mf_kml_builder *b, const mf_allocator *a)
{
    memset(b, 0, sizeof *b);
    mf_buf_init(&b->comm, a);
    mf_buf_init(&b->key, a);
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

static const char *dec(const char *p, const char *e, uint64_t *v)
{
    const char *b = p;
    uint64_t x = 0;
    while (p < e && *p >= '0' && *p <= '9') {
        if (x < UINT64_MAX / 10)
            x = x * 10 + (uint64_t)(*p - '0');
        p++;
    }
    *v = x;
    return p > b ? p : NULL;
}

size_t mf_kml_frame_normalise(const char *s, size_t n, char *out, size_t cap)
{
    const char *p = s, *e = s + n;
    p = skip_sp(p, e);
    if (starts(p, e, "[<")) {
        const char *q = memchr(p, ']', (size_t)(e - p));
        if (!q)
            return 0;
        p = skip_sp(q + 1, e);
    }
    if (p < e && *p == '?') /* unreliable frame marker */
        p = skip_sp(p + 1, e);
    const char *sym = p;
    while (p < e && *p != ' ' && *p != '\t' && *p != '+')
        p++;
    const char *se = p;
    if (se == sym || (se - sym >= 2 && sym[0] == '0' && sym[1] == 'x'))
        return 0; /* an address only: 0xffffffffffffffff or unresolved */
    if (*sym == '[' || *sym == '(')
        return 0;
    while (p < e && *p != ' ' && *p != '\t')
        p++; /* +0x49/0xa0 */
    /* a module among the remaining words: "[bluetooth]", not "[inline]" */
    const char *mod = NULL, *me = NULL;
    while (p < e) {
        p = skip_sp(p, e);
        const char *w = p;
        while (p < e && *p != ' ' && *p != '\t')
            p++;
        if (p - w >= 3 && *w == '[' && p[-1] == ']' &&
            !(p - w == 8 && memcmp(w, "[inline]", 8) == 0)) {
            mod = w;
            me = p;
        }
    }
    size_t len = (size_t)(se - sym);
    size_t need = len + (mod ? 1 + (size_t)(me - mod) : 0);
    if (need + 1 > cap)
        return 0;
    memcpy(out, sym, len);
    if (mod) {
        out[len] = ' ';
        memcpy(out + len + 1, mod, (size_t)(me - mod));
    }
    out[need] = '\0';
    return need;
}

/* Count the open object into its group. */
static int finish_object(mf_kml_builder *b, mf_parse_ctx *pc)
{
    if (b->mode == KM_NONE)
        return 0;
    if (b->nframes == 0)
        b->truncated++;
    int rc = mf_kmemleak_add_object(pc->ev, b->key.data ? b->key.data : "",
                                    b->key.len, b->nframes, b->size,
                                    b->has_comm ? b->comm.data : NULL,
                                    b->has_comm ? b->comm.len : 0, b->loc);
    b->mode = KM_NONE;
    mf_buf_clear(&b->comm);
    mf_buf_clear(&b->key);
    b->has_comm = false;
    b->nframes = 0;
    b->size = 0;
    return rc;
}

/* "00 11 22 …": a hex-dump row without its indentation */
static bool is_hex_row(const char *p, const char *e)
{
    for (int i = 0; i < 2; i++, p += 3)
        if (e - p < 3 || !((p[0] >= '0' && p[0] <= '9') || (p[0] >= 'a' && p[0] <= 'f')) ||
            !((p[1] >= '0' && p[1] <= '9') || (p[1] >= 'a' && p[1] <= 'f')) || p[2] != ' ')
            return false;
    return true;
}

/* "N new suspected memory leaks (see /sys/kernel/debug/kmemleak)" */
static bool summary_line(const char *p, const char *e, uint64_t *count)
{
    const char *q = dec(p, e, count);
    return q && starts(q, e, " new suspected memory leak");
}

int mf_kml_builder_line(mf_kml_builder *b, mf_parse_ctx *pc,
                        const mf_logmsg *m, const char *s, size_t n)
{
    const char *e = s + n;
    while (e > s && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '\t'))
        e--;
    const char *p = skip_sp(s, e);
    bool indented = p > s;
    mf_loc loc = {(uint32_t)pc->member, m->lineno};
    uint64_t v;

    if (starts(p, e, "unreferenced object ")) {
        if (finish_object(b, pc) < 0)
            return -1;
        const char *sz = mf_memmem(p, (size_t)(e - p), "(size ", 6);
        b->size = 0;
        if (sz && dec(sz + 6, e, &v))
            b->size = v;
        b->mode = KM_HEADER;
        b->loc = loc;
        if (!mf_events_get(pc->ev))
            return -1;
        pc->ev->events->kmemleak_seen = true;
        return 0;
    }
    if (summary_line(p, e, &v)) {
        if (finish_object(b, pc) < 0)
            return -1;
        if (!mf_events_get(pc->ev))
            return -1;
        pc->ev->events->kmemleak_seen = true;
        return mf_kmemleak_add_summary(pc->ev, v, m, loc);
    }
    if (b->mode == KM_NONE)
        return 1;
    if (p == e) /* a blank line ends the object */
        return finish_object(b, pc) < 0 ? -1 : 0;
    /* tools that trim indentation still leave the keywords */
    if (starts(p, e, "comm \"")) {
        const char *c = p + 6;
        const char *q = mf_memmem(c, (size_t)(e - c), "\", pid ", 7);
        if (!q) {
            q = e;
            while (q > c && q[-1] != '"')
                q--;
            if (q > c)
                q--;
            else
                q = e;
        }
        mf_buf_clear(&b->comm);
        mf_buf_append(&b->comm, c, (size_t)(q - c));
        b->has_comm = !b->comm.failed;
        b->mode = KM_HEADER;
        return b->comm.failed ? -1 : 0;
    }
    if (starts(p, e, "hex dump")) {
        b->mode = KM_HEX;
        return 0;
    }
    if (starts(p, e, "backtrace")) {
        b->mode = KM_TRACE;
        return 0;
    }
    if (b->mode == KM_HEX && (indented || is_hex_row(p, e)))
        return 0;
    if (b->mode == KM_TRACE && (indented || starts(p, e, "[<"))) {
        char frame[512];
        size_t fl = mf_kml_frame_normalise(p, (size_t)(e - p), frame, sizeof frame);
        if (fl && b->nframes < MF_KML_MAX_FRAMES) {
            if (b->nframes)
                mf_buf_append(&b->key, "\n", 1);
            mf_buf_append(&b->key, frame, fl);
            if (b->key.failed)
                return -1;
            b->nframes++;
        }
        return 0;
    }
    /* anything else ends the object */
    if (finish_object(b, pc) < 0)
        return -1;
    return 1;
}

void mf_kml_builder_finish(mf_kml_builder *b, mf_parse_ctx *pc)
{
    if (b->mode != KM_NONE && b->nframes == 0)
        mf_evidence_warn(pc->ev, pc->member, b->loc.line, "kmemleak-truncated",
                         "kmemleak report cut before its backtrace");
    if (finish_object(b, pc) < 0)
        mf_evidence_warn(pc->ev, pc->member, 0, "out-of-memory",
                         "kmemleak object lost: out of memory");
    mf_buf_free(&b->comm);
    mf_buf_free(&b->key);
}

/* ---- the kernel-log reader: lines with the `kmemleak: ` prefix ---- */

static void *klog_open(mf_parse_ctx *pc)
{
    mf_kml_builder *b = mf_calloc(pc->ev->alloc, 1, sizeof *b);
    if (b)
        mf_kml_builder_init(b, pc->ev->alloc);
    return b;
}

static int klog_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    if (m->len < 10 || memcmp(m->msg, "kmemleak: ", 10) != 0)
        return 0;
    int rc = mf_kml_builder_line(state, pc, m, m->msg + 10, m->len - 10);
    return rc < 0 ? rc : 0;
}

static void klog_close(void *state, mf_parse_ctx *pc)
{
    if (!state)
        return;
    mf_kml_builder_finish(state, pc);
    mf_free(pc->ev->alloc, state);
}

const mf_klog_reader mf_klog_kmemleak = {"kmemleak", klog_open, klog_message,
                                         klog_close, true};

/* ---- the dump module ---- */

static int kmemleak_bid(const char *path, const char *head, size_t len)
{
    int bid = mf_path_basename_is(path, "kmemleak") ? 60 : 0;
    const char *u = mf_memmem(head, len, "unreferenced object 0x", 22);
    if (!u)
        return bid;
    bool trace = mf_memmem(head, len, "backtrace", 9) ||
                 mf_memmem(head, len, "comm \"", 6);
    if (!trace)
        return bid > 40 ? bid : 40;
    /* `kmemleak: ` on every line is a kernel log in verbose mode: the
     * kernel-log module reads it, unless nothing else bids. */
    if (u - head >= 10 && memcmp(u - 10, "kmemleak: ", 10) == 0)
        return bid > 45 ? bid : 45;
    return 95;
}

/* The dump is read as raw lines: lines of the dump itself (they start with
 * "unreferenced object", a space, or `kmemleak: `) go straight to the
 * builder, and only the others (a harness's or syslog's wrapping) pass
 * through a log normaliser of the module's own. A dump of millions of
 * objects then costs little more than reading its lines. */
typedef struct dump_state {
    mf_kml_builder b;
    mf_normalizer *norm;
    mf_parse_ctx *pc;
} dump_state;

static int dump_feed(dump_state *st, mf_parse_ctx *pc, const mf_logmsg *m)
{
    const char *s = m->msg;
    size_t n = m->len;
    if (n >= 10 && memcmp(s, "kmemleak: ", 10) == 0) {
        s += 10;
        n -= 10;
    }
    int rc = mf_kml_builder_line(&st->b, pc, m, s, n);
    return rc < 0 ? rc : 0;
}

static int dump_on_message(void *ctx, const mf_logmsg *m)
{
    dump_state *st = ctx;
    return dump_feed(st, st->pc, m);
}

static void *kmemleak_open(mf_parse_ctx *pc)
{
    dump_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    st->norm = mf_normalizer_new(pc->ev->alloc);
    if (!st->norm) {
        mf_free(pc->ev->alloc, st);
        return NULL;
    }
    mf_kml_builder_init(&st->b, pc->ev->alloc);
    return st;
}

static int kmemleak_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    dump_state *st = state;
    const char *t = line->text;
    size_t n = line->len;
    if (n == 0 || t[0] == ' ' || t[0] == '\t' || t[0] == '\r' ||
        (n >= 20 && memcmp(t, "unreferenced object ", 20) == 0) ||
        (n >= 10 && memcmp(t, "kmemleak: ", 10) == 0)) {
        mf_logmsg m;
        memset(&m, 0, sizeof m);
        m.msg = t;
        m.len = n;
        m.lineno = line->lineno;
        m.time.boot = -1;
        m.level = -1;
        m.pid = m.tid = -1;
        m.uid = -1;
        m.line_flags = line->flags;
        return dump_feed(st, pc, &m);
    }
    st->pc = pc;
    return mf_normalizer_line(st->norm, line, dump_on_message, st);
}

static void kmemleak_close(void *state, mf_parse_ctx *pc)
{
    dump_state *st = state;
    if (!st)
        return;
    st->pc = pc;
    mf_normalizer_finish(st->norm, dump_on_message, st);
    mf_kml_builder_finish(&st->b, pc);
    mf_normalizer_free(st->norm);
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_kmemleak = {
    "kmemleak",
    "kmemleak reports: /sys/kernel/debug/kmemleak, also wrapped in harness logs",
    kmemleak_bid,
    false,
    kmemleak_open,
    kmemleak_line,
    NULL,
    kmemleak_close,
};
