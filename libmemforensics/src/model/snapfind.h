/* snapfind.h - what the analyze stage derives from /proc snapshots: slab
 * growth and merge candidates, meminfo trends and time to exhaustion,
 * buddy fragmentation, per-process RSS growth, tmpfs, vmalloc, vmstat and
 * pressure. Filled by src/analyze/snap_*.c, read by src/report/json_snap.c.
 * Owned by the evidence (mf_evidence.snapfind). */
#ifndef MF_SNAPFIND_H
#define MF_SNAPFIND_H

#include <stdbool.h>
#include <stdint.h>

#include "model/snapshot.h"

/* A fitted trend. Slopes are per second (per snapshot when the series has
 * no times). `claim` is true only when the data supports a statement:
 * otherwise `limit` says which limit applied. */
typedef struct mf_fit {
    bool valid;
    bool claim;
    const char *limit; /* too-few-points, span-under-1h, poor-fit, no-time,
                          no-change, small-change; NULL with a claim */
    uint32_t n;        /* points used */
    double span_s, t0;
    double slope, intercept;
    double r2; /* NAN when undefined */
} mf_fit;

/* One series: snapshots of a kind ordered by time. */
typedef struct mf_series {
    uint32_t *snaps;     /* snapshot indexes, in time order (the segment
                            analysed: the last boot) */
    double *t;           /* their times (s since the first), or order */
    uint32_t n;
    uint32_t total;      /* snapshots of the kind, duplicates left out */
    uint32_t duplicates; /* snapshots reached twice, counted once */
    uint32_t segments;   /* boots seen (counter resets split the series) */
    uint32_t bad_rows;
    mf_time_basis basis;
    int64_t t_first, t_last; /* epoch seconds (basis order: 0) */
} mf_series;

typedef struct mf_merge_cand {
    const char *name;   /* static (table) or interned (sysfs) */
    const char *source; /* "table" or "sysfs" */
} mf_merge_cand;

typedef struct mf_slab_find {
    uint32_t name, objsize;
    const char *name_s;
    uint64_t num_objs_last, active_objs_last, bytes_last;
    mf_fit objs, bytes; /* per second */
    bool bookkeeping;   /* kmemleak's own caches */
    size_t cand_first, cand_count;
    uint32_t member;
    uint64_t line;
} mf_slab_find;

#define MF_MEM_KEYS 8
/* One value of a meminfo series and the line it was read from. */
typedef struct mf_mem_point {
    int64_t kb;
    uint32_t member;
    uint64_t line;
    bool derived; /* MemFree+Buffers+Cached (line: the MemFree line) */
} mf_mem_point;

typedef struct mf_mem_find {
    const char *key;
    bool present;
    mf_mem_point first, last;
    mf_fit fit;
} mf_mem_find;

typedef struct mf_zone_find {
    int32_t node;
    uint32_t zone;
    uint8_t norders;
    int64_t free_kb, high_order_free_kb;
    double unusable_index;
    int64_t first_free_kb, first_high_order_free_kb;
    double first_unusable_index;
    mf_fit high_fit;
    int64_t wm_min_kb, wm_low_kb, wm_high_kb, managed_kb; /* -1 unknown */
    uint32_t member;
    uint64_t line;
} mf_zone_find;

typedef struct mf_named_find {
    uint32_t name;
    const char *name_s;
    int64_t first, last, aux_last; /* aux: processes / areas / size */
    bool in_last; /* present in the series' last snapshot */
    mf_fit fit;
    uint32_t member;
    uint64_t line;
} mf_named_find;

typedef struct mf_snapfind {
    uint32_t page_kb;
    /* slab */
    mf_series slab;
    mf_vec caches; /* mf_slab_find, ranked */
    size_t caches_total;
    mf_vec cands;  /* mf_merge_cand */
    char merge_table[64]; /* which rows of the table applied */
    bool sysfs_links;
    mf_vec aliases; /* mf_merge_cand: name, source = its :flags-size target;
                       sorted by target then name */
    /* meminfo */
    mf_series mem;
    bool mem_from_free;
    mf_mem_find mem_keys[MF_MEM_KEYS];
    const char *avail_basis;
    bool has_eta;
    double eta_h;
    const char *eta_limit;
    bool has_mem_total;
    int64_t mem_total_kb;
    uint32_t mem_total_member;
    uint64_t mem_total_line;
    const char *mem_total_text;
    /* fragmentation */
    mf_series buddy;
    mf_vec zones; /* mf_zone_find */
    /* processes */
    mf_series procs;
    mf_vec proc_growth; /* mf_named_find: rss kB by name */
    size_t procs_total;
    bool split_valid;
    uint32_t split_points;
    int64_t split_used_first, split_used_last, split_user_first, split_user_last;
    uint32_t split_first_snap, split_last_snap; /* the process lists paired */
    mf_fit split_used, split_user;
    const char *split_verdict;
    /* tmpfs */
    mf_series df, du;
    mf_vec mounts;   /* mf_named_find: used kB, aux size kB */
    mf_vec du_paths; /* mf_named_find: kB */
    /* vmalloc */
    mf_series vmalloc;
    mf_vec vm_kinds;   /* mf_named_find: bytes, aux areas */
    mf_vec vm_callers; /* mf_named_find */
    /* vmstat and pressure */
    mf_series vmstat, psi;
    mf_vec vm_counters; /* mf_named_find */
    mf_vec psi_values;  /* mf_named_find */
    uint32_t reboots;
} mf_snapfind;

mf_snapfind *mf_snapfind_new(const mf_allocator *a);
void mf_snapfind_free(const mf_allocator *a, mf_snapfind *f);

#endif
