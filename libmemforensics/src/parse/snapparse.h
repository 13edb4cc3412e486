/* snapparse.h - what the /proc-style parse modules share: snapshot framing
 * (capture-loop time lines, one snapshot per header), bad-row warnings,
 * the records limit, and a whitespace tokenizer. */
#ifndef MF_SNAPPARSE_H
#define MF_SNAPPARSE_H

#include "model/snapshot.h"
#include "parse/module.h"

typedef struct mf_tok {
    const char *s;
    size_t len;
} mf_tok;

typedef struct mf_snapcur {
    mf_snap_kind kind;
    int32_t snap;          /* index of the open snapshot, or -1 */
    bool pending;          /* a time line was read */
    int64_t pending_time;
    bool pending_up;       /* an uptime line was read */
    int64_t pending_uptime;
    uint32_t bad;          /* bad rows in this member */
    uint32_t snaps;        /* snapshots made from this member */
} mf_snapcur;

void mf_snapcur_init(mf_snapcur *c, mf_snap_kind kind);
/* A capture-loop time line ends the open snapshot and dates the next one;
 * an uptime line gives the open snapshot (when it has none yet) or the next
 * one its uptime (a lower uptime later means a reboot). Returns true when
 * the line was one of these. */
bool mf_snapcur_time_line(mf_snapcur *c, mf_parse_ctx *pc, const mf_line *l);
/* End the open snapshot (an empty one is dropped) and open a new one.
 * Returns NULL on allocation failure. */
mf_snap *mf_snapcur_begin(mf_snapcur *c, mf_parse_ctx *pc, uint64_t line);
/* The open snapshot, opening one if none is. */
mf_snap *mf_snapcur_get(mf_snapcur *c, mf_parse_ctx *pc, uint64_t line);
void mf_snapcur_end(mf_snapcur *c, mf_parse_ctx *pc);
/* End of member: closes the snapshot and summarises bad rows. */
void mf_snapcur_close(mf_snapcur *c, mf_parse_ctx *pc);
/* A row that does not parse: a warning (the first 10 per member). */
void mf_snapcur_bad(mf_snapcur *c, mf_parse_ctx *pc, const mf_line *l,
                    const char *why);
/* Append a zeroed row of the open snapshot to `v`. Returns 0 with *out NULL
 * when the records limit is reached, -1 on allocation failure. */
int mf_snapcur_row(mf_snapcur *c, mf_parse_ctx *pc, mf_vec *v, uint64_t line,
                   void **out);

/* Split on blanks; returns the number of tokens (at most max). */
size_t mf_tokens(const char *s, size_t len, mf_tok *t, size_t max);
/* Unsigned decimal token; false if not all digits or overflow. */
bool mf_tok_u64(mf_tok t, uint64_t *out);
bool mf_tok_i64(mf_tok t, int64_t *out);
/* A decimal with optional fraction, e.g. 0.50 or 12.3K (suffix left). */
bool mf_tok_double(mf_tok t, double *out, size_t *used);
/* A size with an optional K/M/G/T suffix (`1.2g`, `512M`, `2048`, `12K`),
 * returned in kB; `unit_kb` is what a bare number means. */
bool mf_tok_kb(mf_tok t, double unit_kb, int64_t *out_kb);
bool mf_tok_eq(mf_tok t, const char *s);
/* Line helpers */
bool mf_line_blank(const mf_line *l);



/* Count head lines that start with `prefix` (after blanks when
 * `skip_blanks`) and contain every one of `needles` (NULL-terminated). */
int mf_head_count_lines(const char *head, size_t len, const char *prefix,
                        bool skip_blanks, const char *const *needles,
                        int max_lines);

/* `Node N, zone NAME` at the start of a line (buddyinfo, pagetypeinfo,
 * zoneinfo); *rest is the offset after the zone name. */
bool mf_parse_node_zone(const char *s, size_t len, int32_t *node, mf_tok *zone,
                        size_t *rest);
#endif
