/* events.h - memory events found in logs and dumps: kmemleak suspects
 * (grouped by backtrace while they are read), page allocation failures,
 * and the kills of low-memory killers (in-kernel lowmemorykiller, lmkd,
 * ActivityManager) with the pressure signals around them.
 *
 * The records hang off mf_evidence.events, created on first use and freed by
 * mf_events_free(). Every record keeps its source location. */
#ifndef MF_EVENTS_H
#define MF_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"
#include "text/normalize.h"

/* ---- kmemleak ---- */

#define MF_KML_MAX_SIZES 16
#define MF_KML_MAX_COMMS 16

/* Objects with the same normalised backtrace. */
typedef struct mf_kml_group {
    uint64_t hash;
    char *key;         /* normalised frames, one per line ("sym [mod]") */
    size_t key_len;
    uint32_t nframes;
    uint64_t count;
    uint64_t bytes;
    uint64_t sizes[MF_KML_MAX_SIZES]; /* distinct object sizes, first seen */
    uint32_t nsizes;
    char *comms[MF_KML_MAX_COMMS];    /* distinct comms, first seen */
    uint32_t ncomms;
    mf_loc first;      /* the `unreferenced object` line of the first one */
    char *culprit;     /* set by the analyze stage; NULL: no frame at all */
} mf_kml_group;

/* A `N new suspected memory leaks` line. */
typedef struct mf_kml_summary {
    uint64_t count;
    mf_logtime time;
    bool has_time;
    mf_loc loc;
} mf_kml_summary;

typedef struct mf_kmemleak {
    uint64_t objects;
    uint64_t bytes;
    uint64_t dropped_objects; /* counted, but no group left (limit) */
    mf_vec groups;     /* mf_kml_group; sorted by the analyze stage */
    uint32_t *table;   /* open addressing: group index + 1, 0 = empty */
    size_t table_cap;
    mf_vec summaries;  /* mf_kml_summary, in reading order */
} mf_kmemleak;

/* ---- page allocation failures ---- */

#define MF_BUDDY_MAX_ORDERS 16

/* One buddy line of a show_mem report: free blocks per order of a zone. */
typedef struct mf_buddy_zone {
    int32_t node;      /* -1 when the line names no node */
    char zone[16];
    uint32_t norders;
    uint64_t counts[MF_BUDDY_MAX_ORDERS];
    uint32_t page_kb;  /* size of an order-0 block (the page size) */
    uint64_t free_kb;  /* the `= NkB` total */
} mf_buddy_zone;

typedef struct mf_alloc_failure {
    const char *kind;  /* static: "page", "stall", "vmalloc" */
    char *comm;
    int32_t pid;       /* -1 unknown (from the `CPU: … PID: … Comm:` line) */
    int32_t order;     /* -1 unknown */
    int64_t size_bytes;/* vmalloc request, -1 unknown */
    int64_t stall_ms;  /* -1 unless a stall */
    int64_t mode;      /* gfp mask, -1 unknown */
    char *gfp_flags;   /* "GFP_KERNEL|__GFP_NOWARN" as printed, or NULL */
    char *nodemask;    /* NULL when not printed */
    char *slab_cache;  /* SLUB's `cache: NAME` after the report, or NULL */
    mf_vec frames;     /* char *: function names (offsets dropped) */
    char *culprit;     /* first frame that is not plumbing (analyze) */
    mf_vec buddy;      /* mf_buddy_zone */
    mf_logtime time;
    bool has_time;
    mf_loc loc;
    char *text;        /* the header line (≤ 200 bytes) */
} mf_alloc_failure;

/* ---- low-memory killers ---- */

#define MF_ADJ_UNKNOWN INT64_MIN

typedef struct mf_lmk_kill {
    const char *source; /* static: "kernel-lmk", "lmkd", "am_kill", "killinfo" */
    char *comm;         /* NULL unknown */
    int64_t pid, uid, freed_kb, swap_kb, size_pages; /* -1 unknown */
    int64_t adj, min_adj; /* may be negative: MF_ADJ_UNKNOWN when unknown */
    char *reason;       /* NULL when the source gives none */
    mf_logtime time;
    bool has_time;
    mf_loc loc;
    char *text;         /* the line at loc (<= 200 bytes), or NULL */
} mf_lmk_kill;

/* A memory-pressure signal that is not a kill (am_low_memory). */
typedef struct mf_lmk_pressure {
    const char *source; /* static: "am_low_memory" */
    int64_t processes;  /* processes still running, -1 unknown */
    mf_logtime time;
    bool has_time;
    mf_loc loc;
} mf_lmk_pressure;

typedef struct mf_events {
    mf_kmemleak kmemleak;
    bool kmemleak_seen;  /* any kmemleak line was read */
    mf_vec alloc_failures; /* mf_alloc_failure, in reading order */
    mf_vec lmk_kills;      /* mf_lmk_kill, in reading order */
    mf_vec lmk_pressure;   /* mf_lmk_pressure, in reading order */
    bool oom; /* a record was lost to a failed allocation */
} mf_events;

/* The events of `ev`, created on first use (NULL on allocation failure). */
mf_events *mf_events_get(mf_evidence *ev);
void mf_events_free(mf_evidence *ev);

/* Push a record of a list, honouring the record limit: NULL when the limit
 * is hit (a warning is recorded once per list) or memory runs out. */
mf_alloc_failure *mf_events_add_alloc_failure(mf_evidence *ev, mf_loc loc);
mf_lmk_kill *mf_events_add_kill(mf_evidence *ev, mf_loc loc);
mf_lmk_pressure *mf_events_add_pressure(mf_evidence *ev, mf_loc loc);

/* After an add function returned NULL: -1 when memory ran out, 0 when the
 * record limit stopped it (the caller goes on). */
int mf_events_lost(mf_evidence *ev);

/* Add one kmemleak object: `key` holds its normalised frames (one per
 * line). Returns 0, or -1 when out of memory. */
int mf_kmemleak_add_object(mf_evidence *ev, const char *key, size_t key_len,
                           uint32_t nframes, uint64_t size, const char *comm,
                           size_t comm_len, mf_loc loc);
int mf_kmemleak_add_summary(mf_evidence *ev, uint64_t count,
                            const mf_logmsg *m, mf_loc loc);

#endif
