/* linereader.h - bounded, streaming line splitter.
 *
 * Bytes are pushed in chunks of any size; complete lines are handed to a
 * callback with their 1-based line number. LF, CRLF and a lone CR end a line;
 * a run of CRs followed by LF is one end (serial consoles emit "\r\r\n"),
 * a run of k CRs not followed by LF is k ends. NUL bytes are dropped and
 * counted (the length limit applies before they are dropped). A line longer
 * than the limit is cut at the limit and the rest of it discarded (counted).
 * A last line without an end is still delivered, flagged MF_LINE_NO_EOL.
 * The output does not depend on how the input is cut into chunks. */
#ifndef MF_LINEREADER_H
#define MF_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define MF_LINE_CUT (1u << 0)    /* longer than the limit; rest dropped */
#define MF_LINE_NO_EOL (1u << 1) /* last line of the member, no line end */
#define MF_LINE_HAD_NUL (1u << 2) /* NUL bytes were removed */

typedef struct mf_line {
    const char *text; /* not NUL-terminated; valid during the callback */
    size_t len;
    uint64_t lineno; /* 1-based */
    unsigned flags;  /* MF_LINE_* */
} mf_line;

/* Return 0 to go on, non-zero to stop reading (mf_linereader_feed returns
 * it). */
typedef int (*mf_line_fn)(void *ctx, const mf_line *line);

typedef struct mf_linereader {
    mf_buf partial;     /* bytes of an unfinished line */
    size_t max_len;
    uint64_t lineno;
    bool skipping;      /* discarding the rest of an over-long line */
    bool pending_cr;    /* a CR ended the last line; an LF may follow */
    unsigned pending_flags;
    uint64_t extra_cr;  /* CRs after that CR, not yet known to precede LF */
    mf_line_fn fn;
    void *ctx;
    /* statistics */
    uint64_t lines;
    uint64_t cut_lines;
    uint64_t nul_bytes;
    uint64_t bytes;
} mf_linereader;

/* `a` NULL means mf_default_allocator; max_len 0 means 64 KiB. */
void mf_linereader_init(mf_linereader *lr, const mf_allocator *a,
                        size_t max_len, mf_line_fn fn, void *ctx);
/* Feed a chunk. Returns 0, the callback's non-zero value, or -1 when an
 * allocation failed. */
int mf_linereader_feed(mf_linereader *lr, const char *data, size_t len);
/* Deliver the unfinished last line, if any (and the empty lines of trailing
 * lone CRs). */
int mf_linereader_finish(mf_linereader *lr);
void mf_linereader_free(mf_linereader *lr);

#endif
