/* rules.h - the compiled rule language (docs/rules.md).
 *
 * A rule set is loaded from JSON files (load.c: parse with cJSON, locate
 * every node in the text for file:line:col messages, validate against the
 * fact registry, compile PCRE2 patterns once), then shared read-only by
 * analyses. Evaluation (eval.c) runs over the report document, with the log
 * messages an analysis saw collected by the log matcher (logmatch.c). */
#ifndef MF_RULES_H
#define MF_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <pcre2.h>

#include "memforensics.h"
#include "model/evidence.h"
#include "util/util.h"

/* Limits on one regex match: a hit is a warning, never a hang. */
#define MF_RULE_MATCH_LIMIT 100000u
#define MF_RULE_DEPTH_LIMIT 1000u
/* Diagnoses of one rule with "each": one per matching record, at most. */
#define MF_RULE_MAX_EACH 32

/* ---- kernel versions (kver.c) ---- */

/* An upstream version: major.minor.patch, rc 0 for a final release. */
typedef struct mf_kver {
    long major, minor, patch;
    long rc;        /* -rcN; 0 = final (sorts after every rc) */
    bool vendor;    /* the release carries a distribution/vendor suffix */
    size_t len;     /* bytes of the upstream part */
} mf_kver;

/* Parse "5.10.16-1-default", "4.14.180-openwrt", "3.10.0-514.el7.x86_64",
 * "5.10.198-android12-9-...", "5.16-rc4", "6.1". Returns 0 or -1. */
int mf_kver_parse(const char *s, mf_kver *out);
int mf_kver_cmp(const mf_kver *a, const mf_kver *b);

typedef struct mf_kver_range {
    bool has_lo, lo_incl, has_hi, hi_incl;
    mf_kver lo, hi;
} mf_kver_range;

/* Parse "[5.4,5.4.164)", "(,4.9)", "[5.16-rc1,5.16-rc4)", "[6.1,)" or a
 * single version ("5.10.16": that release exactly). On error returns -1 and
 * stores the offset of the problem in *err_off and a message in *msg. */
int mf_kver_range_parse(const char *s, mf_kver_range *out, size_t *err_off,
                        const char **msg);
bool mf_kver_in_range(const mf_kver *v, const mf_kver_range *r);

/* ---- compiled regex ---- */

typedef struct mf_regex {
    pcre2_code *code;
    char *pattern;
    char *literal;   /* a byte string every match contains, or NULL */
    size_t literal_len;
    bool jit;
} mf_regex;

/* ---- conditions ---- */

typedef enum mf_cond_kind {
    MF_COND_FACT = 0, /* operators over one fact */
    MF_COND_ANY,      /* some record of a list satisfies all of `where` */
    MF_COND_LOG       /* some normalised log message matches a regex */
} mf_cond_kind;

typedef struct mf_cond mf_cond;

struct mf_cond {
    mf_cond_kind kind;
    char *label;     /* for explain: "system.kernel_release in [5.4,5.4.164)" */
    char *path;      /* fact path as written (relative inside `where`) */
    char *abs_path;  /* registry form of the path, with [] for lists */
    bool required;
    double weight;
    bool negate;
    char *collect;   /* what to collect when the fact is absent */
    char *as;        /* binding name for any/log ("record", "msg") */
    /* operators (FACT): every one present must hold */
    int has_exists, exists;
    cJSON *eq, *ne, *in, *not_in; /* owned copies */
    int has_lt, has_le, has_gt, has_ge;
    double lt, le, gt, ge;
    mf_regex *regex;
    mf_kver_range *kranges;
    size_t nkranges;
    double vendor_cap; /* 0: none */
    bool each;        /* ANY: one diagnosis per matching record */
    /* ANY: the list path and its conditions (all must hold) */
    mf_cond *where;
    size_t nwhere;
    /* LOG */
    mf_regex *log;
    size_t log_index; /* slot in the rule set's log pattern table */
    uint64_t min_count;
};

typedef struct mf_suppress {
    char *rule;
    char *same; /* a template reference, or NULL: any diagnosis of `rule` */
} mf_suppress;

typedef struct mf_rule {
    char *id, *title, *category;
    mf_severity severity;
    char *summary, *remediation, *collect;
    char **links;
    size_t nlinks;
    mf_cond *conds;
    size_t nconds;
    double max_confidence; /* 1 unless the rule caps it */
    double min_confidence;
    mf_suppress *suppresses;
    size_t nsuppresses;
    char **fp_keys;
    size_t nfp_keys;
    char *file;   /* file name */
    char *source; /* the rule's JSON text */
    int layer;    /* 0 the base set, 1 a --rules folder on top of it */
    unsigned id_line, id_col; /* where the id is, for duplicate ids */
    size_t file_index;
    bool dropped; /* replaced by a rule of a later layer */
} mf_rule;

struct mf_ruleset {
    const mf_allocator *alloc;
    mf_vec rules;   /* mf_rule, sorted by id */
    mf_vec logs;    /* mf_regex *: every log pattern, for the matcher */
    mf_vec errors;  /* char *: "file:line:col: message" */
    mf_vec files;   /* mf_rule_file: the files in use, for the version */
    char version[17];
    /* the fact registry rules are checked against; NULL: mf_fact_at() */
    const mf_fact_info *facts;
    size_t nfacts;
    /* Log prefilter: one bit per byte pair that starts some pattern's
     * literal, and the (pair, pattern) list sorted by pair, so that one
     * pass over a message finds the patterns worth running. */
    uint64_t lit_bits[1024];
    mf_vec lit_index; /* mf_lit_entry */
    mf_vec always;    /* size_t: log patterns without a literal */
};

typedef struct mf_lit_entry {
    uint16_t pair;    /* a rare byte pair of the literal ... */
    uint16_t offset;  /* ... at this offset in it */
    uint32_t pattern; /* index in logs */
} mf_lit_entry;

typedef struct mf_rule_file {
    char *name;
    char *data;
    size_t len;
    int overridden; /* every rule of it was replaced by a later file */
} mf_rule_file;

/* Find a rule by id, or NULL. */
const mf_rule *mf_ruleset_find(const mf_ruleset *rs, const char *id);

/* The default rule set, loaded once (thread-safe); NULL if it cannot be. */
const mf_ruleset *mf_ruleset_default(void);

/* Compile one rule file's text into `rs` (tests and the fuzzer use it).
 * Problems are appended to rs->errors. Returns 0, or -1 on allocation
 * failure. */
int mf_ruleset_add_text(mf_ruleset *rs, const char *name, const char *data,
                        size_t len, int override);
mf_ruleset *mf_ruleset_new_empty(void);
/* Sort, index and hash after the last mf_ruleset_add_text. */
int mf_ruleset_finish(mf_ruleset *rs);

/* Run a regex with the match limits; returns 1 match, 0 no match, -1 a
 * limit or another matching error. */
int mf_regex_match(const mf_regex *re, pcre2_match_data *md,
                   pcre2_match_context *mc, const char *s, size_t len);
/* The same without the literal check (the caller has done it). */
int mf_regex_exec(const mf_regex *re, pcre2_match_data *md,
                  pcre2_match_context *mc, const char *s, size_t len);

/* ---- log matcher (logmatch.c) ---- */

typedef struct mf_logmatch mf_logmatch;

typedef struct mf_loghit {
    uint32_t member;
    uint64_t line;
    char *text;
} mf_loghit;

#define MF_LOGHIT_KEEP 3

mf_logmatch *mf_logmatch_new(mf_evidence *ev, const mf_ruleset *rs);
void mf_logmatch_free(mf_logmatch *lm);
/* Called for every normalised log message of a log member. */
int mf_logmatch_message(mf_logmatch *lm, int32_t member, uint64_t line,
                        const char *msg, size_t len);
/* Messages seen, matches of pattern `i`, and the first kept hits. */
uint64_t mf_logmatch_messages(const mf_logmatch *lm);
uint64_t mf_logmatch_count(const mf_logmatch *lm, size_t i);
size_t mf_logmatch_hits(const mf_logmatch *lm, size_t i,
                        const mf_loghit **hits);

/* ---- evaluation (eval.c) ---- */

/* Explanations, one per rule, kept by the report. */
typedef struct mf_explain {
    char *rule_id;
    char *text;
} mf_explain;

/* Evaluate every rule over `doc` (the report document) and fill its
 * diagnoses[] and not_evaluable[] arrays; explanations go to `explain`
 * (mf_explain, may be NULL). `lm` may be NULL (no log messages seen).
 * Returns 0, -1 on allocation failure, or what ev's deadline and cancel
 * check returned (MF_ETIMEOUT, MF_ECANCELLED; checked before each rule). */
int mf_rules_evaluate(const mf_ruleset *rs, cJSON *doc, const mf_logmatch *lm,
                      mf_evidence *ev, mf_vec *explain);

/* Canonical JSON of a value (sorted keys, report number format). */
int mf_json_canonical(mf_buf *b, const cJSON *v);

/* ---- redaction (redact.c) ---- */

/* Mask IPv4/IPv6/MAC addresses, `hostname` (may be NULL) and user names
 * in `s`; returns a new string (mf_free) or NULL on allocation failure. */
char *mf_redact_text(const mf_allocator *a, const char *s, const char *hostname);
/* Redact the evidence texts, summaries and system{} of a report document. */
int mf_redact_report(const mf_allocator *a, cJSON *doc);

#endif
