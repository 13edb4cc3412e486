/* snapshot.h - /proc snapshots and the rows they hold.
 *
 * Every /proc-style parse module (slabinfo, buddyinfo, meminfo, ...) turns a
 * member into one or more snapshots: a capture-loop file holding N copies of
 * a file, each preceded by a `date` line or an epoch, gives N snapshots with
 * their times. A snapshot's rows are stored contiguously in one of the row
 * vectors below (parsing is sequential, member after member). Names (cache,
 * process, key, caller, mount) are interned once per analysis.
 *
 * The analyze stage (src/analyze/series.c) orders snapshots of one kind by
 * time into series, drops snapshots reached twice and splits at reboots. */
#ifndef MF_SNAPSHOT_H
#define MF_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

typedef enum mf_snap_kind {
    MF_SNAP_SLAB = 0,   /* slabinfo 2.0/2.1 and slabtop -o */
    MF_SNAP_SLAB_SYSFS, /* ls -l /sys/kernel/slab */
    MF_SNAP_BUDDY,      /* buddyinfo */
    MF_SNAP_PAGETYPE,   /* pagetypeinfo */
    MF_SNAP_MEMINFO,    /* meminfo */
    MF_SNAP_FREE,       /* free (mapped to meminfo keys) */
    MF_SNAP_VMALLOC,    /* vmallocinfo */
    MF_SNAP_ZONEINFO,
    MF_SNAP_VMSTAT,
    MF_SNAP_PSI,
    MF_SNAP_PROCS,      /* ps, top -b, procrank */
    MF_SNAP_PROC_STATUS,
    MF_SNAP_DU,
    MF_SNAP_DF,
    MF_SNAP_KINDS
} mf_snap_kind;

/* Where a snapshot's time came from, most trusted first. */
typedef enum mf_time_basis {
    MF_TB_CAPTURE = 0, /* a date line or epoch inside the capture */
    MF_TB_MEMBER,      /* the member's capture time (dumpstate header) */
    MF_TB_FILENAME,    /* a timestamp in the file name */
    MF_TB_MTIME,       /* the archive member's mtime */
    MF_TB_ORDER,       /* order of appearance: no times */
    MF_TB_NONE
} mf_time_basis;

const char *mf_time_basis_name(mf_time_basis b);
/* "meminfo", "slabinfo", ... (the report's source_kind) */
const char *mf_snap_kind_name(unsigned kind);
/* "meminfo rows", ... (what the record limits count) */
const char *mf_snap_rows_name(unsigned kind);

typedef struct mf_snap {
    uint8_t kind;      /* mf_snap_kind */
    bool has_time;     /* a time inside the capture */
    uint32_t member;
    uint64_t line;     /* first line of the snapshot */
    int64_t time;      /* seconds since the epoch (offset applied if known) */
    bool has_uptime;   /* an `uptime` or /proc/uptime line in the capture */
    int64_t uptime_s;
    uint32_t seq;      /* order of appearance within its kind */
    uint32_t bad_rows; /* rows that did not parse */
    size_t row_first, row_count;
    /* meminfo: the MemTotal line, for system.sources */
    uint64_t text_line;
    char *text;
} mf_snap;

/* slabinfo / slabtop row. */
typedef struct mf_slab_row {
    uint32_t snap, name;
    uint32_t objsize, objperslab, pagesperslab;
    uint64_t active_objs, num_objs, num_slabs;
    uint64_t bytes; /* slabtop CACHE SIZE, else num_slabs*pagesperslab*page */
    uint64_t line;
} mf_slab_row;

/* buddyinfo, pagetypeinfo (type set) and zoneinfo (watermarks) row. */
#define MF_MAX_ORDER 16
/* More pages than a zone can have (2^40: 4 PiB of 4 KiB pages): a count
 * above it is a bad row, so that pages times page size (and free blocks
 * times 2^order) always fit in 64 bits. */
#define MF_MAX_PAGES ((uint64_t)1 << 40)
typedef struct mf_zone_row {
    uint32_t snap;
    int32_t node;
    uint32_t zone; /* interned name */
    uint32_t type; /* pagetypeinfo: interned migratetype; else UINT32_MAX */
    uint8_t norders;
    bool capped;   /* pagetypeinfo '>' (capped at 100000) */
    uint64_t count[MF_MAX_ORDER];
    /* zoneinfo: pages */
    int64_t free, min, low, high, managed;
    uint64_t line;
} mf_zone_row;

/* A named value: meminfo, free, vmstat, psi and vmalloc kinds are key/value;
 * processes (v0 rss kB, v1 pid), du (v0 kB), df (v0 used kB, v1 size kB),
 * vmalloc callers (v0 bytes, v1 allocations; name "caller:FUNC"). */
typedef struct mf_named_row {
    uint32_t snap, name;
    int64_t v0, v1;
    uint64_t line;
} mf_named_row;

/* One `/sys/kernel/slab` alias: name -> target (:[flags]-NNNNNNN). */
typedef struct mf_slab_link {
    uint32_t name, target;
    uint32_t member;
    uint64_t line;
} mf_slab_link;

typedef struct mf_strtab {
    const mf_allocator *alloc;
    mf_vec strs;      /* char * */
    uint32_t *slots;  /* open addressing: index+1, 0 empty */
    size_t nslots;
    /* When *full is true (the record budget is spent, see mf_evidence_keep)
     * new names are refused with MF_STRTAB_FULL; known ones are still found. */
    const bool *full;
} mf_strtab;

#define MF_STRTAB_FULL (UINT32_MAX - 1)

typedef struct mf_snapstore {
    mf_vec snaps;   /* mf_snap */
    mf_vec slab;    /* mf_slab_row */
    mf_vec zone;    /* mf_zone_row (buddy, pagetype, zoneinfo) */
    mf_vec named;   /* mf_named_row */
    mf_vec links;   /* mf_slab_link */
    mf_strtab names;
    uint32_t seq[MF_SNAP_KINDS];
    uint64_t records[MF_SNAP_KINDS]; /* rows kept per kind */
} mf_snapstore;

void mf_snapstore_init(mf_snapstore *s, const mf_allocator *a);
void mf_snapstore_free(mf_snapstore *s);

/* Intern a name; returns its id, UINT32_MAX on allocation failure, or
 * MF_STRTAB_FULL for a new name once the record budget is spent (the row
 * it was for is then refused too: callers skip it). */
uint32_t mf_strtab_intern(mf_strtab *t, const char *s, size_t len);
const char *mf_strtab_get(const mf_strtab *t, uint32_t id);
/* Look up without adding; UINT32_MAX when absent. */
uint32_t mf_strtab_find(const mf_strtab *t, const char *s, size_t len);

/* ---- time helpers ---- */

/* A capture-loop time line: `date` output (`Tue Aug  6 15:35:12 CST 2019`),
 * ISO 8601 (`2019-08-06 15:35:12`, `2019-08-06T15:35:12+08:00`), `date -R`
 * (`Tue, 06 Aug 2019 15:35:12 +0800`), `date` in a zh_CN or ja_JP locale
 * (`2019年 08月 06日 星期二 15:35:12 CST`), or an
 * epoch (`1565077000`, `1565077000.123`), optionally framed by `=`, `-`,
 * `#` or `*` runs or a `date:` / `time:` label. Named zones other than
 * UTC/GMT are ignored (times of one capture share the zone). */
bool mf_parse_time_line(const char *s, size_t len, int64_t *out);
/* An uptime line of a capture loop: /proc/uptime (`350735.47 234388.90`)
 * or `uptime` output (` 15:35:12 up 12 days,  3:04,  1 user,  load
 * average: ...`, busybox and procps; `up 5 min`). Seconds since boot. */
bool mf_parse_uptime_line(const char *s, size_t len, int64_t *out);
/* A timestamp inside a file name (20190806-153512, 2019-08-06_15-35-12,
 * an epoch of 10 digits). */
bool mf_parse_time_in_name(const char *path, int64_t *out);

#endif
