/* series.h - snapshots of one kind ordered by time.
 *
 * Time, most trusted first: a time line inside the capture, the member's
 * capture time (dumpstate header), a timestamp in the file name, the
 * archive member's mtime; when some snapshot has none of these the whole
 * series falls back to order of appearance (basis "order"), and no rate per
 * hour is claimed. A filesystem mtime is never used (it changes with every
 * checkout). The same snapshot reached twice (same origin and capture time,
 * or same content hash unless capture times or file-name times differ)
 * counts once. A reboot between two snapshots (an uptime going back, a
 * counter going back, a MemTotal change, or a reboot seen by another
 * series) splits the series; the last boot's segment is analysed. */
#ifndef MF_SERIES_H
#define MF_SERIES_H

#include "model/evidence.h"
#include "model/snapfind.h"

/* True when snapshot b follows a reboot after snapshot a. */
typedef bool (*mf_reset_fn)(const mf_evidence *ev, const mf_snap *a,
                            const mf_snap *b);

typedef struct mf_boots {
    int64_t t[64]; /* epoch time of the first snapshot after a reboot */
    size_t n;
} mf_boots;

/* Build the series of snapshots whose kind is in `kinds`. Resets found by
 * `reset` (may be NULL) are added to `boots`; known boots split the
 * series. Returns 0 or MF_ENOMEM; an empty series has n == 0. */
int mf_series_build(mf_evidence *ev, const uint8_t *kinds, size_t nkinds,
                    mf_reset_fn reset, mf_boots *boots, mf_series *out);

/* Value of key `name` in a key/value snapshot, or false. */
bool mf_snap_value(const mf_evidence *ev, const mf_snap *s, uint32_t name,
                   int64_t *out);

/* The row of key `name` in a key/value snapshot, or NULL. */
const mf_named_row *mf_snap_row(const mf_evidence *ev, const mf_snap *s, uint32_t name);

#endif
