#include "rules/ruleset.h"

#include <string.h>

#include "util/util.h"

const char *mf_rules_version(char out[17])
{
    mf_sha256 *h = mf_sha256_new();
    for (size_t i = 0; i < mf_embedded_rule_count; i++) {
        const mf_embedded_rule *r = &mf_embedded_rules[i];
        mf_sha256_update(h, r->name, strlen(r->name) + 1);
        mf_sha256_update(h, r->data, r->len);
    }
    char hex[65];
    mf_sha256_final_hex(h, hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
    return out;
}
