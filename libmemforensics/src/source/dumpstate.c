#include "source/dumpstate.h"

#include <stdio.h>
#include <string.h>

#include "source/layout.h"

/* Lines starting with '-', '*' or '=' may be markers and are collected
 * (up to LINE_MAX bytes) before they go on; every other byte streams
 * through. */
#define LINE_MAX_BYTES 512

typedef struct title_slot {
    uint64_t hash; /* 0: empty */
    uint32_t count;
} title_slot;

struct mf_dumpstate {
    mf_evidence *ev;
    int32_t file;
    char *file_path;
    mf_dumpstate_new_member new_member;
    void *nm_ctx;
    const mf_source_sink *sink;
    bool has_time;
    int64_t time;
    bool started;
    /* the member being written: -1 when between sections */
    int32_t cur;
    mf_member_status cur_status;
    char cur_reason[256];
    uint64_t cur_hash;
    uint64_t cur_size;
    /* line state */
    bool passthrough; /* inside a line that is not a marker */
    char line[LINE_MAX_BYTES];
    size_t line_len;
    uint64_t lines;
    uint64_t remains;  /* bytes outside the header and the sections */
    uint32_t sections;
    bool failed;       /* stop: allocation failure */
    /* titles seen, to make repeated titles unique */
    title_slot *titles;
    size_t titles_cap, titles_used;
};

/* ---- detection ---- */

static size_t skip_bom(const char *h, size_t len)
{
    return len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

bool mf_dumpstate_detect(const char *head, size_t len)
{
    size_t i = skip_bom(head, len);
    static const char tag[] = "== dumpstate: ";
    /* A banner line of '=' (at least 8) first. */
    size_t eq = 0;
    while (i < len && head[i] == '=')
        i++, eq++;
    if (eq == 2 && i < len && head[i] == ' ')
        return len - (i - 2) >= sizeof tag - 1 &&
               memcmp(head + i - 2, tag, sizeof tag - 1) == 0;
    if (eq < 8)
        return false;
    if (i < len && head[i] == '\r')
        i++;
    if (i >= len || head[i] != '\n')
        return false;
    i++;
    return len - i >= sizeof tag - 1 && memcmp(head + i, tag, sizeof tag - 1) == 0;
}

bool mf_dumpstate_time(const char *head, size_t len, int64_t *out)
{
    static const char tag[] = "== dumpstate: ";
    const char *p = mf_memmem(head, len, tag, sizeof tag - 1);
    if (!p)
        return false;
    p += sizeof tag - 1;
    return mf_parse_datetime(p, len - (size_t)(p - head), false, out);
}

/* ---- origins ---- */

bool mf_dumpstate_origin(const char *src, size_t len, const char **out,
                         size_t *out_len)
{
    static const char *const roots[] = {"/proc/", "/sys/", "/d/", "/dev/",
                                        "/data/", "/cache/", "/etc/",
                                        "/metadata/", "/mnt/", NULL};
    if (len == 5 && memcmp(src, "dmesg", 5) == 0) {
        *out = "/dev/kmsg"; /* the kernel ring buffer */
        *out_len = 9;
        return true;
    }
    if (len == 0 || src[0] != '/' || memchr(src, ' ', len))
        return false;
    for (size_t i = 0; roots[i]; i++) {
        size_t n = strlen(roots[i]);
        if (len > n && memcmp(src, roots[i], n) == 0) {
            *out = src;
            *out_len = len;
            return true;
        }
    }
    return false;
}

/* ---- the splitter ---- */

mf_dumpstate *mf_dumpstate_new(mf_evidence *ev, int32_t file,
                               const char *file_path,
                               mf_dumpstate_new_member new_member,
                               void *new_member_ctx,
                               const mf_source_sink *sink)
{
    mf_dumpstate *d = mf_calloc(ev->alloc, 1, sizeof *d);
    if (!d)
        return NULL;
    d->file_path = mf_strdup(ev->alloc, file_path);
    if (!d->file_path) {
        mf_free(ev->alloc, d);
        return NULL;
    }
    d->ev = ev;
    d->file = file;
    d->new_member = new_member;
    d->nm_ctx = new_member_ctx;
    d->sink = sink;
    d->cur = -1;
    return d;
}

void mf_dumpstate_free(mf_dumpstate *d)
{
    if (!d)
        return;
    mf_free(d->ev->alloc, d->titles);
    mf_free(d->ev->alloc, d->file_path);
    mf_free(d->ev->alloc, d);
}

/* How many times a title was seen before (0 the first time); -1 on
 * allocation failure. */
static int title_seen(mf_dumpstate *d, const char *t, size_t len)
{
    uint64_t h = mf_fnv1a(MF_FNV1A_INIT, t, len);
    if (!h)
        h = 1;
    if ((d->titles_used + 1) * 2 > d->titles_cap) {
        size_t cap = d->titles_cap ? d->titles_cap * 2 : 64;
        title_slot *n = mf_calloc(d->ev->alloc, cap, sizeof *n);
        if (!n)
            return -1;
        for (size_t i = 0; i < d->titles_cap; i++) {
            if (!d->titles[i].hash)
                continue;
            size_t j = d->titles[i].hash & (cap - 1);
            while (n[j].hash)
                j = (j + 1) & (cap - 1);
            n[j] = d->titles[i];
        }
        mf_free(d->ev->alloc, d->titles);
        d->titles = n;
        d->titles_cap = cap;
    }
    size_t j = h & (d->titles_cap - 1);
    while (d->titles[j].hash && d->titles[j].hash != h)
        j = (j + 1) & (d->titles_cap - 1);
    if (!d->titles[j].hash) {
        d->titles[j].hash = h;
        d->titles_used++;
    }
    return (int)d->titles[j].count++;
}

static void close_current(mf_dumpstate *d, mf_member_status st,
                          const char *err)
{
    if (d->cur < 0)
        return;
    mf_member *m = mf_evidence_member(d->ev, d->cur);
    m->content_hash = d->cur_hash;
    m->size = d->cur_size;
    if (st == MF_MEMBER_PARSED && d->cur_status != MF_MEMBER_PARSED) {
        st = d->cur_status;
        err = d->cur_reason;
        mf_evidence_warn(d->ev, d->cur, 0, "capture-error", "%s",
                         d->cur_reason);
    }
    d->sink->end(d->sink->ctx, st, st == MF_MEMBER_PARSED ? NULL : err);
    d->cur = -1;
}

/* Start member `path` as the current one. */
static void open_member(mf_dumpstate *d, const char *path)
{
    int32_t i = d->new_member(d->nm_ctx, path);
    if (i < 0)
        return; /* a limit (recorded by the caller) or out of memory */
    mf_member *m = mf_evidence_member(d->ev, i);
    if (d->has_time) {
        m->has_capture_time = true;
        m->capture_time = d->time;
    }
    if (d->sink->begin(d->sink->ctx, i) < 0) {
        d->failed = true;
        return;
    }
    d->cur = i;
    d->cur_status = MF_MEMBER_PARSED;
    d->cur_reason[0] = 0;
    d->cur_hash = MF_FNV1A_INIT;
    d->cur_size = 0;
}

static int emit(mf_dumpstate *d, const char *p, size_t n)
{
    if (!n)
        return 0;
    if (d->cur < 0) {
        d->remains += n;
        return 0;
    }
    d->cur_hash = mf_fnv1a(d->cur_hash, p, n);
    d->cur_size += n;
    if (d->sink->data(d->sink->ctx, p, n) < 0) {
        d->failed = true;
        return -1;
    }
    return 0;
}

static bool starts(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

static bool is_footer(const char *s, size_t len)
{
    /* "0.012s was the duration of 'TITLE'" */
    size_t i = 0;
    while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
        i++;
    return i > 0 && starts(s + i, len - i, "s was the duration of ");
}

/* A section title: the name (title and source, without the `: mtime`), the
 * source and the mtime. */
static void section(mf_dumpstate *d, const char *t, size_t len)
{
    close_current(d, MF_MEMBER_PARSED, NULL);
    d->sections++;
    const char *src = NULL;
    size_t src_len = 0, name_len = len;
    int64_t mtime = 0;
    bool has_mtime = false;
    if (len >= 2 && t[len - 1] == ')') {
        int depth = 0;
        size_t i = len;
        while (i > 0) {
            i--;
            if (t[i] == ')')
                depth++;
            else if (t[i] == '(' && --depth == 0)
                break;
        }
        if (depth == 0 && t[i] == '(') {
            src = t + i + 1;
            src_len = len - i - 2;
            /* "path: 2024-01-16 09:20:11" */
            if (src_len > 21 && src[src_len - 21] == ':' &&
                src[src_len - 20] == ' ' &&
                mf_parse_datetime(src + src_len - 19, 19, false, &mtime)) {
                has_mtime = true;
                src_len -= 21;
            }
            name_len = (size_t)(src + src_len - t);
        }
    }
    int seen = title_seen(d, t, name_len);
    if (seen < 0) {
        d->failed = true;
        return;
    }
    mf_buf path;
    mf_buf_init(&path, d->ev->alloc);
    mf_buf_printf(&path, "%s#", d->file_path);
    mf_buf_append_utf8(&path, t, name_len);
    if (src)
        mf_buf_puts(&path, ")");
    if (seen > 0)
        mf_buf_printf(&path, "#%d", seen + 1);
    if (path.failed) {
        mf_buf_free(&path);
        d->failed = true;
        return;
    }
    open_member(d, path.data);
    mf_buf_free(&path);
    if (d->cur < 0)
        return;
    mf_member *m = mf_evidence_member(d->ev, d->cur);
    if (has_mtime) {
        m->mtime = mtime;
        m->mtime_source = MF_MTIME_ARCHIVE;
    }
    const char *o;
    size_t olen;
    if (src && mf_dumpstate_origin(src, src_len, &o, &olen) &&
        mf_member_set_origin(d->ev, d->cur, o, olen) < 0)
        d->failed = true;
}

/* A whole collected line (with its end of line, if any). */
static int line_done(mf_dumpstate *d)
{
    const char *s = d->line;
    size_t len = d->line_len, body = len;
    while (body > 0 && (s[body - 1] == '\n' || s[body - 1] == '\r'))
        body--;
    d->line_len = 0;
    if (body >= 14 && starts(s, body, "------ ") &&
        memcmp(s + body - 7, " ------", 7) == 0) {
        const char *t = s + 7;
        size_t tl = body - 14;
        if (is_footer(t, tl)) {
            close_current(d, MF_MEMBER_PARSED, NULL);
            d->remains += len;
        } else {
            d->remains += len;
            section(d, t, tl);
        }
        return d->failed ? -1 : 0;
    }
    if (d->sections > 0 && body >= 20 && s[0] == '=') {
        /* a banner line of '=' ("== Android Framework Services", "==
         * dumpstate: done") stands between sections: it ends one */
        size_t i = 0;
        while (i < body && s[i] == '=')
            i++;
        if (i == body) {
            close_current(d, MF_MEMBER_PARSED, NULL);
            d->remains += len;
            return d->failed ? -1 : 0;
        }
    }
    if (d->cur >= 0 && d->sections > 0 && d->cur_status == MF_MEMBER_PARSED &&
        starts(s, body, "*** ") &&
        (starts(s + 4, body - 4, "Error dumping") ||
         (starts(s + 4, body - 4, "command '") &&
          mf_memmem(s, body, "timed out", 9)))) {
        d->cur_status = MF_MEMBER_ERROR;
        size_t n = body - 4 < sizeof d->cur_reason - 1 ? body - 4
                                                       : sizeof d->cur_reason - 1;
        memcpy(d->cur_reason, s + 4, n);
        d->cur_reason[n] = 0;
    }
    return emit(d, s, len);
}

int mf_dumpstate_feed(mf_dumpstate *d, const void *buf, size_t len)
{
    const char *p = buf, *end = p + len;
    if (d->failed)
        return -1;
    if (!d->started) {
        d->started = true;
        /* The header is in the first bytes the caller saw. */
        d->has_time = mf_dumpstate_time(p, len < 512 ? len : 512, &d->time);
        mf_buf path;
        mf_buf_init(&path, d->ev->alloc);
        mf_buf_printf(&path, "%s#header", d->file_path);
        if (path.failed) {
            d->failed = true;
        } else {
            open_member(d, path.data);
        }
        mf_buf_free(&path);
        if (d->failed)
            return -1;
    }
    while (p < end) {
        if (d->passthrough) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *stop = nl ? nl + 1 : end;
            if (emit(d, p, (size_t)(stop - p)) < 0)
                return -1;
            if (nl) {
                d->passthrough = false;
                d->lines++;
            }
            p = stop;
            continue;
        }
        if (d->line_len == 0 && *p != '-' && *p != '*' && *p != '=') {
            d->passthrough = true;
            continue;
        }
        /* collect a possible marker line */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl + 1 : end;
        size_t take = (size_t)(stop - p);
        if (d->line_len + take > sizeof d->line) {
            /* too long for a marker: it is body */
            if (emit(d, d->line, d->line_len) < 0)
                return -1;
            d->line_len = 0;
            d->passthrough = true;
            continue;
        }
        memcpy(d->line + d->line_len, p, take);
        d->line_len += take;
        p = stop;
        if (nl) {
            d->lines++;
            if (line_done(d) < 0)
                return -1;
        }
    }
    return 0;
}

void mf_dumpstate_finish(mf_dumpstate *d, mf_member_status status,
                         const char *error)
{
    if (d->line_len) {
        d->lines++; /* an unterminated last line */
        if (!d->failed)
            line_done(d);
    } else if (d->passthrough) {
        d->lines++;
    }
    close_current(d, status, error);
    mf_member *f = mf_evidence_member(d->ev, d->file);
    f->kind = MF_KIND_DUMPSTATE;
    f->lines = d->lines;
    if (d->has_time) {
        f->has_capture_time = true;
        f->capture_time = d->time;
    }
    mf_member_set_status(d->ev, d->file,
                         status == MF_MEMBER_PARSED ? MF_MEMBER_PARSED : status,
                         status == MF_MEMBER_PARSED ? NULL : error);
}
