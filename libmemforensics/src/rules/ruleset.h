/* ruleset.h - the rule set embedded in the library at build time.
 *
 * The build turns every rules/<name>.json file into a byte array
 * (cmake/embed_rules.cmake); mf_ruleset_load_default() (load.c) compiles
 * them, and tool.rules_version is the SHA-256 of the files in use. */
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

#endif
