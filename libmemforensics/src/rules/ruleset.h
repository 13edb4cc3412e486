/* ruleset.h - the rule set embedded in the library at build time.
 *
 * The build turns every rules/<name>.json file into a byte array
 * (cmake/embed_rules.cmake); mf_rules_version() identifies the set. The
 * rule language, loader and evaluator build on this table. */
#ifndef MF_RULESET_H
#define MF_RULESET_H

#include <stddef.h>

typedef struct mf_embedded_rule {
    const char *name; /* file name, e.g. "raw6-unread-socket.json" */
    const unsigned char *data;
    size_t len;
} mf_embedded_rule;

extern const mf_embedded_rule mf_embedded_rules[];
extern const size_t mf_embedded_rule_count;

/* First 16 hex digits of SHA-256 over the embedded files (name, NUL,
 * content, in name order): the report's tool.rules_version. */
const char *mf_rules_version(char out[17]);

#endif
