/* linereader.c - see linereader.h. */
#include "text/linereader.h"

#include <string.h>

void mf_linereader_init(mf_linereader *lr, const mf_allocator *a,
                        size_t max_len, mf_line_fn fn, void *ctx)
{
    memset(lr, 0, sizeof *lr);
    mf_buf_init(&lr->partial, a ? a : &mf_default_allocator);
    lr->max_len = max_len ? max_len : 65536;
    lr->fn = fn;
    lr->ctx = ctx;
}

void mf_linereader_free(mf_linereader *lr)
{
    mf_buf_free(&lr->partial);
}

/* Remove NUL bytes in place; returns the new length. */
static size_t drop_nuls(char *s, size_t len, uint64_t *count)
{
    char *w = memchr(s, '\0', len);
    if (!w)
        return len;
    char *r = w, *end = s + len;
    for (; r < end; r++) {
        if (*r)
            *w++ = *r;
        else
            (*count)++;
    }
    return (size_t)(w - s);
}

static int emit(mf_linereader *lr, const char *text, size_t len, unsigned flags)
{
    mf_line line;
    lr->lineno++;
    lr->lines++;
    if (flags & MF_LINE_CUT)
        lr->cut_lines++;
    line.text = text;
    line.len = len;
    line.lineno = lr->lineno;
    line.flags = flags;
    return lr->fn(lr->ctx, &line);
}

/* Append a piece of the current line to the partial buffer, honouring the
 * length limit. */
static int add_partial(mf_linereader *lr, const char *p, size_t n)
{
    if (lr->skipping)
        return 0;
    size_t room = lr->max_len - lr->partial.len;
    if (n > room) {
        n = room;
        lr->skipping = true;
        lr->pending_flags |= MF_LINE_CUT;
    }
    if (n && mf_buf_append(&lr->partial, p, n) < 0)
        return -1;
    return 0;
}

/* End the current line, whose last piece is [p, p+n). */
static int end_line(mf_linereader *lr, const char *p, size_t n)
{
    unsigned flags = lr->pending_flags;
    int rc;
    if (lr->partial.len == 0 && !lr->skipping) {
        /* Fast path: the whole line is inside the chunk. */
        if (n > lr->max_len) {
            n = lr->max_len;
            flags |= MF_LINE_CUT;
        }
        if (memchr(p, '\0', n)) {
            if (mf_buf_append(&lr->partial, p, n) < 0)
                return -1;
            uint64_t before = lr->nul_bytes;
            lr->partial.len = drop_nuls(lr->partial.data, lr->partial.len,
                                        &lr->nul_bytes);
            flags |= lr->nul_bytes != before ? MF_LINE_HAD_NUL : 0;
            rc = emit(lr, lr->partial.data, lr->partial.len, flags);
            mf_buf_clear(&lr->partial);
        } else {
            rc = emit(lr, p, n, flags);
        }
    } else {
        if (add_partial(lr, p, n) < 0)
            return -1;
        uint64_t before = lr->nul_bytes;
        lr->partial.len =
            lr->partial.data ? drop_nuls(lr->partial.data, lr->partial.len,
                                         &lr->nul_bytes)
                             : 0;
        flags |= lr->pending_flags;
        if (lr->partial.failed)
            return -1;
        flags |= lr->nul_bytes != before ? MF_LINE_HAD_NUL : 0;
        rc = emit(lr, lr->partial.data ? lr->partial.data : "",
                  lr->partial.len, flags);
        mf_buf_clear(&lr->partial);
    }
    lr->skipping = false;
    lr->pending_flags = 0;
    return rc;
}

/* After a CR that ended a line: a run of further CRs followed by LF belongs
 * to the same line end; without the LF every further CR ends an empty line.
 * Returns 1 when the chunk ran out before the question was settled. */
static int settle_cr(mf_linereader *lr, const char **pp, const char *end,
                     int *rc)
{
    const char *p = *pp;
    while (p < end && *p == '\r') {
        lr->extra_cr++;
        p++;
    }
    *pp = p;
    if (p == end)
        return 1;
    uint64_t k = lr->extra_cr;
    lr->extra_cr = 0;
    lr->pending_cr = false;
    if (*p == '\n') {
        *pp = p + 1;
        return 0;
    }
    while (k--) {
        *rc = end_line(lr, "", 0);
        if (*rc)
            return 0;
    }
    return 0;
}

int mf_linereader_feed(mf_linereader *lr, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    int rc = 0;
    lr->bytes += len;
    /* the next LF at or after p, found once and kept while lines end in a
     * lone CR before it: searching the rest of the chunk for every line
     * made a chunk of CR-only lines (old Mac text, progress output)
     * quadratic */
    const char *nl = NULL;
    bool nl_known = false;
    while (p < end) {
        if (lr->pending_cr) {
            if (settle_cr(lr, &p, end, &rc))
                return 0;
            if (rc)
                return rc;
            continue;
        }
        if (!nl_known || (nl && nl < p)) {
            nl = memchr(p, '\n', (size_t)(end - p));
            nl_known = true;
        }
        const char *stop = nl ? nl : end;
        const char *cr = memchr(p, '\r', (size_t)(stop - p));
        if (cr) {
            rc = end_line(lr, p, (size_t)(cr - p));
            if (rc)
                return rc;
            p = cr + 1;
            lr->pending_cr = true;
            continue;
        }
        if (!nl)
            return add_partial(lr, p, (size_t)(end - p)) < 0 ? -1 : 0;
        rc = end_line(lr, p, (size_t)(nl - p));
        if (rc)
            return rc;
        p = nl + 1;
    }
    return 0;
}

int mf_linereader_finish(mf_linereader *lr)
{
    if (lr->pending_cr) {
        /* trailing lone CRs: each one more (empty) line end */
        uint64_t k = lr->extra_cr;
        lr->extra_cr = 0;
        lr->pending_cr = false;
        while (k--) {
            int rc = end_line(lr, "", 0);
            if (rc)
                return rc;
        }
    }
    if (lr->partial.len == 0 && !lr->skipping && lr->pending_flags == 0)
        return 0;
    lr->pending_flags |= MF_LINE_NO_EOL;
    return end_line(lr, "", 0);
}
