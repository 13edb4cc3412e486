/* module.h - the parse-module interface and the module table.
 *
 * A parse module owns one member kind. It bids on a member from its path and
 * first bytes (0 = not mine, 100 = certainly mine; the highest bid wins, as
 * libarchive's formats bid), then reads the member's lines: raw lines for
 * /proc-style files, normalised log messages for log kinds. A module keeps
 * what a diagnosis needs, with its source location, never the whole text.
 *
 * To add an input kind: write src/parse/<kind>.c defining an mf_module, add
 * it to the table in registry.c, register the facts it emits in
 * src/model/facts.c, and add its corpus and tests. */
#ifndef MF_MODULE_H
#define MF_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/evidence.h"
#include "text/linereader.h"
#include "text/normalize.h"

/* How much of a member the classifier sees before deciding. */
#define MF_CLASSIFY_HEAD 4096

typedef struct mf_parse_ctx {
    mf_evidence *ev;
    int32_t member; /* index in ev->members */
    const char *path;
} mf_parse_ctx;

typedef struct mf_module {
    const char *kind;        /* member kind, e.g. "kernel-log" */
    const char *description; /* one line for docs and `parse` output */
    /* Bid 0..100 on a member from its path (inside the bundle) and up to
     * MF_CLASSIFY_HEAD first bytes. */
    int (*bid)(const char *path, const char *head, size_t len);
    bool log; /* true: lines go through the log normaliser */
    /* Optional per-member state: open() returns it (NULL on allocation
     * failure), close() ends the member (also after an error) and frees it. */
    void *(*open)(mf_parse_ctx *pc);
    /* One of line() (raw lines) or message() (log kinds) is set for a kind
     * that is parsed; a module with neither recognises a kind it cannot
     * parse yet (member status "recognised"). Return 0 to go on. */
    int (*line)(void *state, mf_parse_ctx *pc, const mf_line *line);
    int (*message)(void *state, mf_parse_ctx *pc, const mf_logmsg *msg);
    void (*close)(void *state, mf_parse_ctx *pc);
} mf_module;

/* The module table, NULL-terminated. */
extern const mf_module *const mf_modules[];

/* The module with the highest bid, or NULL when none bids. */
const mf_module *mf_classify(const char *path, const char *head, size_t len);
/* The same for a member: every module bids on the member path and, when
 * the bundle tells it, on the origin (`/proc/meminfo` for the dumpstate
 * section `…#MEMORY INFO (/proc/meminfo)`); its higher bid counts. */
const mf_module *mf_classify_member(const char *path, const char *origin,
                                    const char *head, size_t len);

/* Helpers for bidders. */
bool mf_path_basename_is(const char *path, const char *name);
/* Count lines of `head` (up to `max_lines`) that contain `needle`. */
int mf_head_count_lines_with(const char *head, size_t len, const char *needle,
                             int max_lines);

#endif
