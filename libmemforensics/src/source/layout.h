/* layout.h - what a member's place in a bundle says about it.
 *
 * Bundles put device files at known places: an Android bugreport under FS/
 * (`FS/proc/meminfo`), a sosreport at their original paths under one top
 * folder (`sosreport-db01-2021-03-14-xkqzbnf/proc/meminfo`), an OpenWrt
 * backup as `etc/...`. From the member path this sets the member's origin
 * (the path on the device) and, when the bundle's name carries it, the
 * capture time (`bugreport-PRODUCT-BUILD-2024-01-16-09-20-11`,
 * `sosreport-HOST-2021-03-14-RAND`). */
#ifndef MF_LAYOUT_H
#define MF_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

#define MF_FNV1A_INIT 0xcbf29ce484222325ull

static inline uint64_t mf_fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Seconds since the epoch of a civil date and time taken as UTC. */
int64_t mf_civil_to_epoch(int y, int mo, int d, int h, int mi, int s);

/* Parse `YYYY-MM-DD HH:MM:SS` (or with `-` between all fields when
 * `dashes`) at `s`; false when it is not one. */
bool mf_parse_datetime(const char *s, size_t len, bool dashes, int64_t *out);

/* Set origin and capture time of member `idx` from its path and the input's
 * name. Returns 0, or -1 on allocation failure. */
int mf_layout_member(mf_evidence *ev, int32_t idx, const char *input_name);

/* Set the origin of member `idx` (copied; NULL clears it). -1 on failure. */
int mf_member_set_origin(mf_evidence *ev, int32_t idx, const char *origin,
                         size_t len);

#endif
