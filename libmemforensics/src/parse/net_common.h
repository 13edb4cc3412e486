/* net_common.h - helpers shared by the network and configuration modules:
 * whitespace tokens, numbers, capture-loop date lines and snapshot tracking. */
#ifndef MF_NET_COMMON_H
#define MF_NET_COMMON_H

#include "util/util.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/netcfg.h"
#include "parse/module.h"

typedef struct mf_net_tok {
    const char *s;
    size_t n;
} mf_net_tok;

/* Split on blanks (space, tab, CR); returns the number of tokens stored
 * (at most max). *more is set when tokens were left over. */
size_t mf_net_tokens(const char *s, size_t n, mf_net_tok *out, size_t max, bool *more);

/* Whole-token numbers; false when the token is not one. */
bool mf_net_tok_u64(const char *s, size_t n, uint64_t *out);
bool mf_net_tok_i64(const char *s, size_t n, int64_t *out);
bool mf_net_tok_hex(const char *s, size_t n, uint64_t *out);
bool mf_net_tok_is(const mf_net_tok *t, const char *lit);

/* Trim blanks and CR at both ends. */
void mf_trim(const char **s, size_t *n);

/* A capture-loop date line: `Tue Aug  6 15:35:12 CST 2019`, `Tue Aug  6
 * 15:35:12 2019`, an epoch (`date +%s`), or `2019-08-06 15:35:12[+08:00]`,
 * possibly inside `=== ... ===` decorations. Named zones are ignored (the
 * times only order snapshots and measure intervals). */
bool mf_date_line(const char *s, size_t n, int64_t *epoch);


/* Per-member snapshot tracking for capture loops: a date line, a repeated
 * header or the first row starts a snapshot. */
typedef struct mf_snaptrack {
    int32_t cur;    /* current snapshot index, -1 none */
    uint32_t seq;   /* snapshots started in this member */
    bool has_date;  /* a date line is pending for the next snapshot */
    int64_t date;
    uint64_t bad, first_bad; /* malformed rows skipped, line of the first */
} mf_snaptrack;

void mf_snaptrack_init(mf_snaptrack *t);
/* The start of every line: trim it; true when the line is used up (blank,
 * or a capture-loop date line, noted for the next snapshot). */
bool mf_snaptrack_prelude(mf_snaptrack *t, const mf_line *line, const char **s,
                          size_t *n);
/* Count a malformed row. */
void mf_snaptrack_bad(mf_snaptrack *t, uint64_t line);
/* At the end of the member: one "bad-row" warning "N <what> skipped". */
void mf_snaptrack_warn_bad(const mf_snaptrack *t, mf_parse_ctx *pc,
                           const char *what);
/* Note a date line: the next row or header starts a new snapshot. */
void mf_snaptrack_date(mf_snaptrack *t, int64_t date);
/* Begin a new snapshot now (a header line). Returns its index or -1. */
int32_t mf_snaptrack_begin(mf_snaptrack *t, mf_parse_ctx *pc, mf_snapkind k,
                           uint64_t line);
/* The current snapshot, starting one if none is open. */
int32_t mf_snaptrack_cur(mf_snaptrack *t, mf_parse_ctx *pc, mf_snapkind k,
                         uint64_t line);

/* Copy at most cap-1 bytes, NUL-terminated. */
void mf_copy_field(char *dst, size_t cap, const char *s, size_t n);

/* Path helpers for bidders: does the path (or a dumpstate section title in
 * it) contain `needle`? */
bool mf_path_has(const char *path, const char *needle);
/* Does the member path end with `suffix`? */
bool mf_path_ends_with(const char *path, const char *suffix);

/* Keep one netstat/ss row (the caller filled everything but loc, snap and
 * tool). Returns 0, or -1 on allocation failure. */
int mf_listing_push(mf_parse_ctx *pc, mf_snaptrack *t, uint8_t tool,
                    const mf_listing_row *row, uint64_t line);

/* Append a key and value (copied; the value's blank runs become one
 * space) to a mf_kv vector. Returns 0, or -1 on allocation failure. */
int mf_kv_push(mf_parse_ctx *pc, mf_vec *v, const char *what, const char *key,
               size_t kn, const char *val, size_t vn, uint64_t line);

/* Set a string fact once (first source wins); 0 or -1. */
int mf_strfact_once(mf_parse_ctx *pc, mf_strfact *f, const char *val,
                    size_t vn, uint64_t line, const char *text, size_t tn);

#endif
