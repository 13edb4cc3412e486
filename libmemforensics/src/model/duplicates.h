/* duplicates.h - the same content reached twice.
 *
 * A bundle often holds one capture twice: a sosreport's root symlink and
 * its target, FS/proc/meminfo and a MEMORY INFO section of the same run.
 * Members read whole with the same content hash (FNV-1a 64) and size are
 * the same data; each later one points at the first. */
#ifndef MF_DUPLICATES_H
#define MF_DUPLICATES_H

#include "model/evidence.h"

/* For each member, the index of the earlier member with the same content,
 * or -1. An array of ev->members.len entries (free with mf_free), or NULL
 * on allocation failure. */
int32_t *mf_member_duplicates(const mf_evidence *ev);

#endif
