/*
 * memforensics.h - the one public header of libmemforensics.
 *
 * libmemforensics triages memory failures from logs and dumps pulled off
 * devices: it reads a bundle (a file, a folder, an archive, a stream), parses
 * the memory evidence in it and renders one JSON report (schema in
 * docs/report.schema.json).
 *
 * Conventions (libgit2 / cmark style):
 *  - functions are mf_<noun>_<verb>; types are opaque unless documented;
 *  - out-parameters come first; functions return 0 (MF_OK) or a negative
 *    mf_error_code, and mf_error_last() describes the last failure of the
 *    calling thread;
 *  - every object is freed by its own *_free function, which accepts NULL;
 *  - options structs are versioned: initialise them with their _INIT macro
 *    (or mf_options_init()) and change only the fields you need.
 *
 * The library never prints, never exits and never aborts on input. It keeps
 * no mutable global state: distinct analyses may run in parallel threads.
 */
#ifndef MEMFORENSICS_H
#define MEMFORENSICS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MF_STATIC)
#define MF_EXTERN
#elif defined(_WIN32)
#if defined(MF_BUILDING_LIBRARY)
#define MF_EXTERN __declspec(dllexport)
#else
#define MF_EXTERN __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define MF_EXTERN __attribute__((visibility("default")))
#else
#define MF_EXTERN
#endif

/** Library version (semantic); the SONAME follows MF_ABI_VERSION. */
#define MF_VERSION_MAJOR 0
#define MF_VERSION_MINOR 1
#define MF_VERSION_PATCH 0
#define MF_VERSION_STRING "0.1.0"
/** Version of the JSON report contract; changes only when a field is removed
 *  or changes meaning. */
#define MF_SCHEMA_VERSION 1

/** The library's version string, e.g. "0.1.0". Static storage. */
MF_EXTERN const char *mf_version(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

typedef enum mf_error_code {
    MF_OK = 0,
    MF_ERROR = -1,      /**< generic failure */
    MF_ENOMEM = -2,     /**< an allocation failed */
    MF_EINVAL = -3,     /**< invalid argument or options */
    MF_EINPUT = -4,     /**< the input could not be read at all */
    MF_ECANCELLED = -5, /**< the cancel callback asked to stop */
    MF_ETIMEOUT = -6,   /**< the deadline passed */
    MF_EVERSION = -7,   /**< options struct of an unknown version */
    MF_ERULES = -8      /**< rule files are invalid (see mf_ruleset_error_at) */
} mf_error_code;

typedef struct mf_error {
    int code;            /**< an mf_error_code */
    const char *message; /**< one line, no trailing newline */
} mf_error;

/** The last error raised on the calling thread, or NULL if none. The pointer
 *  stays valid until the next failing call on this thread. */
MF_EXTERN const mf_error *mf_error_last(void);
/** Forget the calling thread's last error. */
MF_EXTERN void mf_error_clear(void);

/* ------------------------------------------------------------------------ */
/* Memory                                                                   */

/** A caller-supplied allocator (cmark's cmark_mem). All three functions are
 *  required; they receive `ctx` as their last argument. Returning NULL from
 *  calloc/realloc makes the current call fail with MF_ENOMEM. */
typedef struct mf_allocator {
    void *(*calloc)(size_t count, size_t size, void *ctx);
    void *(*realloc)(void *ptr, size_t size, void *ctx);
    void (*free)(void *ptr, void *ctx);
    void *ctx;
} mf_allocator;

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

/** Limits protect the library from hostile or broken input. A limit of 0
 *  means "use the default" (the values shown). Hitting a limit marks the
 *  affected member and sets input.complete to false; the rest of the
 *  bundle is still analysed. */
typedef struct mf_limits {
    uint64_t max_total_bytes;  /**< bytes read over the whole input (8 GiB) */
    uint64_t max_member_bytes; /**< bytes read from one member (1 GiB) */
    uint64_t max_members;      /**< members analysed (25000) */
    uint32_t max_depth;        /**< archive nesting depth (4) */
    uint32_t max_line_bytes;   /**< longer lines are cut (65536) */
    uint32_t max_ratio;        /**< compression ratio allowed once a member
                                    passes 64 MiB (1000) */
    uint32_t max_records;      /**< records kept per kind (1000000) */
    uint64_t max_record_bytes; /**< memory for the records kept, all kinds
                                    together, with their share of the
                                    report (32 MiB; one kind may take half).
                                    Later records are not kept. */
} mf_limits;

/** Progress report, given to the progress callback between members. */
typedef struct mf_progress {
    uint64_t bytes_read;      /**< bytes consumed from the input so far */
    uint64_t members_done;    /**< members fully processed */
    const char *member;       /**< path of the member just finished */
} mf_progress;

/** Return non-zero to cancel the analysis (checked between chunks). */
typedef int (*mf_cancel_fn)(void *ctx);
/** Called after each member; must not call back into the same analysis. */
typedef void (*mf_progress_fn)(const mf_progress *progress, void *ctx);
/** Read callback for mf_analyze_reader: fill `buf` with at most `cap` bytes
 *  and set *out_len (0 means end of input). Return 0, or a negative value
 *  for a read error. */
typedef int (*mf_read_fn)(void *ctx, void *buf, size_t cap, size_t *out_len);

/** Output flags for mf_options.flags. */
#define MF_OPT_EVIDENCE_ONLY (1u << 0) /**< skip rules: members and evidence */
#define MF_OPT_TIMINGS (1u << 1)       /**< add timings (non-deterministic) */
#define MF_OPT_REDACT (1u << 2)  /**< mask IP and MAC addresses, host and user
                                      names in evidence excerpts, summaries
                                      and system{} */

/* ------------------------------------------------------------------------ */
/* Rule sets                                                                */

/** A compiled, immutable rule set (docs/rules.md). Loaded once and shared
 *  read-only by any number of concurrent analyses; free it after the last
 *  analysis that uses it has returned. */
typedef struct mf_ruleset mf_ruleset;

/** Load the rule set embedded in the library at build time. */
MF_EXTERN int mf_ruleset_load_default(mf_ruleset **out);

/** Load every `*.json` file of `dir` (one rule per file) on top of `base`
 *  (NULL: on nothing): a rule of `dir` whose id is already in `base`
 *  replaces it. `base` is not modified. If a file is invalid, returns
 *  MF_ERULES and still stores in *out a rule set that holds no rules but
 *  lists every problem (mf_ruleset_error_at); other failures store NULL. */
MF_EXTERN int mf_ruleset_load_dir(mf_ruleset **out, const char *dir,
                                  const mf_ruleset *base);

/** Free a rule set. Accepts NULL. */
MF_EXTERN void mf_ruleset_free(mf_ruleset *rules);

/** Number of rules. */
MF_EXTERN size_t mf_ruleset_count(const mf_ruleset *rules);

/** First 16 hex digits of SHA-256 over the rule files in use (the report's
 *  tool.rules_version). Owned by the rule set. */
MF_EXTERN const char *mf_ruleset_version(const mf_ruleset *rules);

/** Problems found while loading, one line each: "FILE:LINE:COL: MESSAGE".
 *  Owned by the rule set. */
MF_EXTERN size_t mf_ruleset_error_count(const mf_ruleset *rules);
MF_EXTERN const char *mf_ruleset_error_at(const mf_ruleset *rules, size_t i);

/** What a rule is, for listings. All strings are owned by the rule set. */
typedef struct mf_rule_info {
    const char *id;
    const char *title;
    const char *category;
    const char *severity; /**< critical, high, medium, low or info */
    const char *file;     /**< file name it was loaded from */
    const char *source;   /**< the rule's JSON text */
} mf_rule_info;

/** The i-th rule in id order, or NULL past the end. Copies into *info. */
MF_EXTERN int mf_ruleset_rule_at(const mf_ruleset *rules, size_t i,
                                 mf_rule_info *info);

#define MF_OPTIONS_VERSION 1

typedef struct mf_options {
    unsigned int version;          /**< MF_OPTIONS_VERSION */
    unsigned int flags;            /**< MF_OPT_* */
    const mf_allocator *allocator; /**< NULL: malloc/realloc/free; must
                                        outlive every object made with it */
    mf_limits limits;
    uint64_t timeout_ms;           /**< wall-clock budget, 0 = none */
    mf_cancel_fn cancel;
    void *cancel_ctx;
    mf_progress_fn progress;
    void *progress_ctx;
    const mf_ruleset *rules;       /**< NULL: the embedded default set; must
                                        outlive the analysis. A set with
                                        errors makes the analysis fail with
                                        MF_ERULES. */
} mf_options;

#define MF_LIMITS_INIT {0, 0, 0, 0, 0, 0, 0, 0}
#define MF_OPTIONS_INIT \
    {MF_OPTIONS_VERSION, 0, NULL, MF_LIMITS_INIT, 0, NULL, NULL, NULL, NULL, NULL}

/** Initialise `opts` as MF_OPTIONS_INIT does. Returns 0, or MF_EVERSION if
 *  `version` is not one this library knows. */
MF_EXTERN int mf_options_init(mf_options *opts, unsigned int version);

/* ------------------------------------------------------------------------ */
/* Analysis                                                                 */

/** A finished analysis: the report and everything it points to. Owned by the
 *  caller; free with mf_report_free(). A report is not shared between
 *  threads while it is being rendered. */
typedef struct mf_report mf_report;

/** Analyse a file, a folder or an archive at `path` ("-" reads stdin).
 *  `opts` may be NULL for defaults.
 *  On success returns 0 and stores a new report in *out.
 *  If the input cannot be read at all, returns MF_EINPUT and still stores a
 *  report in *out whose input section names the error, so that every path
 *  gets a report; other failures store NULL. */
MF_EXTERN int mf_analyze_path(mf_report **out, const char *path,
                              const mf_options *opts);

/** Analyse `len` bytes at `data` as if they were a file called `name` (which
 *  may be NULL). The buffer is not retained. */
MF_EXTERN int mf_analyze_buffer(mf_report **out, const void *data, size_t len,
                                const char *name, const mf_options *opts);

/** Analyse a stream the caller reads with `read` (called until it reports end
 *  of input or an error), named `name` (may be NULL). */
MF_EXTERN int mf_analyze_reader(mf_report **out, mf_read_fn read,
                                void *read_ctx, const char *name,
                                const mf_options *opts);

/** Free a report and everything it owns. Accepts NULL. */
MF_EXTERN void mf_report_free(mf_report *report);

typedef enum mf_format {
    MF_FORMAT_JSON = 0, /**< one JSON document (pretty-printed) */
    MF_FORMAT_JSON_LINE = 1, /**< one JSON document on a single line */
    MF_FORMAT_TEXT = 2  /**< a short summary for people */
} mf_format;

/** Render the report. The returned string is NUL-terminated, owned by the
 *  report and valid until the report is freed or rendered again in another
 *  format; *out_len (optional) receives its length. Returns NULL on
 *  allocation failure (see mf_error_last()). */
MF_EXTERN const char *mf_report_render(mf_report *report, mf_format format,
                                       size_t *out_len);

/** Why rule `rule_id` fired or did not on this input, condition by
 *  condition (text, several lines). Owned by the report and valid until it
 *  is freed. NULL when the rule set has no such rule or the analysis ran
 *  without rules. */
MF_EXTERN const char *mf_report_explain(const mf_report *report,
                                        const char *rule_id);

/** Members that could not be read whole (corrupt, truncated, refused,
 *  encrypted, capture errors, limits), one line each: "MEMBER: STATUS:
 *  REASON". The strings are owned by the report. */
MF_EXTERN size_t mf_report_problem_count(const mf_report *report);
MF_EXTERN const char *mf_report_problem_at(const mf_report *report, size_t i);

typedef enum mf_severity {
    MF_SEVERITY_NONE = 0,
    MF_SEVERITY_INFO = 1,
    MF_SEVERITY_LOW = 2,
    MF_SEVERITY_MEDIUM = 3,
    MF_SEVERITY_HIGH = 4,
    MF_SEVERITY_CRITICAL = 5
} mf_severity;

/** The highest severity among the report's diagnoses (MF_SEVERITY_NONE if
 *  there is none). */
MF_EXTERN mf_severity mf_report_max_severity(const mf_report *report);

/** Parse a severity name ("critical", "high", "medium", "low", "info");
 *  returns MF_SEVERITY_NONE for an unknown name. */
MF_EXTERN mf_severity mf_severity_from_name(const char *name);

/* ------------------------------------------------------------------------ */
/* Fact registry                                                            */

/** One fact a rule may test: a path of the report (e.g.
 *  "system.kernel_release", "findings.oom_events[].victim.comm"). */
typedef struct mf_fact_info {
    const char *path;  /**< report path; "[]" marks a list, "<key>" a map */
    const char *type;  /**< string, integer, number, boolean, list, map,
                            object, or scalar (a string or a number) */
    const char *unit;  /**< "kB", "bytes", "s", ... or "" */
    const char *kinds; /**< member kinds that produce it, comma-separated */
    const char *description;
} mf_fact_info;

/** Number of registered facts. */
MF_EXTERN size_t mf_fact_count(void);
/** The i-th registered fact (static storage), or NULL past the end. */
MF_EXTERN const mf_fact_info *mf_fact_at(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* MEMFORENSICS_H */
