/* snap.h - the analyses of /proc snapshot series (snap_*.c). */
#ifndef MF_SNAP_H
#define MF_SNAP_H

#include "analyze/series.h"
#include "analyze/trend.h"
#include "model/evidence.h"

/* Everything: fills ev->snapfind. Returns 0 or MF_ENOMEM. */
int mf_analyze_snapshots(mf_evidence *ev);

int mf_snap_slab(mf_evidence *ev, mf_snapfind *f, mf_boots *boots);
int mf_snap_mem(mf_evidence *ev, mf_snapfind *f, mf_boots *boots);
int mf_snap_other(mf_evidence *ev, mf_snapfind *f, mf_boots *boots);
/* vmstat and pressure first: their counters find the reboots. */
int mf_snap_counters(mf_evidence *ev, mf_snapfind *f, mf_boots *boots);

/* Merge candidates of `cache` (object size `objsize` as slabinfo shows it)
 * from the shipped table for a `bits`-bit kernel `kmaj.kmin` (0 unknown):
 * calls fn for each other cache name that may share its slab. */
typedef int (*mf_cand_fn)(void *ctx, const char *name, size_t len);
int mf_slab_merge_candidates(const char *cache, uint32_t objsize, int bits,
                             int kmaj, int kmin, mf_cand_fn fn, void *ctx);
bool mf_slab_is_bookkeeping(const char *cache);

/* Group the named rows of a series by name: per name, one point per
 * snapshot holding it (values summed). */
typedef struct mf_group {
    uint32_t *off;   /* per name id: first point (size names+1) */
    double *t, *v, *aux; /* points */
    uint32_t *last_snap; /* per point: series position */
    uint64_t *line;  /* per point: a line of it */
    uint32_t *member;
    uint32_t *cnt;   /* per point: rows summed */
    size_t names;
} mf_group;
int mf_group_named(mf_evidence *ev, const mf_series *s, const char *prefix,
                   mf_group *g);
void mf_group_free(mf_evidence *ev, mf_group *g);

#endif
