/* oom.h - OOM-killer reports read from kernel logs, and what they mean.
 *
 * The reader (src/parse/oom.c) fills one mf_oom_event per report with what
 * the kernel printed; the analysis (src/analyze/oom.c) adds the derived
 * part (mf_oom_derived): kB values, where the memory went, the watermark
 * verdict, the largest programs, and merges the same report read from two
 * members into one event. Strings are owned by the event (ev->alloc). */
/* evidence.h includes this header after mf_loc; include it first so that
 * either order works. */
#include "model/evidence.h"

#ifndef MF_MODEL_OOM_H
#define MF_MODEL_OOM_H

#include <stdbool.h>
#include <stdint.h>

#include "parse/showmem.h"
#include "text/normalize.h"

typedef enum mf_oom_kind {
    MF_OOM_GLOBAL = 0,
    MF_OOM_MANUAL, /* order=-1: SysRq-f, moom */
    MF_OOM_MEMCG
} mf_oom_kind;

#define MF_OOM_TOP 10      /* largest tasks and programs kept per event */
#define MF_OOM_TRACE 16    /* call-trace functions kept */
#define MF_OOM_MEMCG_STATS 24

typedef struct mf_oom_task {
    int64_t pid;
    char *comm;
    int64_t rss_pages;
    int64_t count; /* programs: instances summed */
} mf_oom_task;

typedef struct mf_oom_victim {
    bool known;
    int64_t pid;
    char *comm;
    int64_t total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb; /* -1 */
    int64_t uid, pgtables_kb, oom_score_adj;                     /* -1 / INT64_MIN */
    int64_t score; /* `score N` of pre-5.1 kernels, -1 */
} mf_oom_victim;

typedef struct mf_oom_memcg_stat {
    char key[32];
    int64_t kb;
} mf_oom_memcg_stat;

typedef struct mf_oom_memcg {
    int64_t usage_kb, limit_kb, failcnt;       /* memory: */
    int64_t memsw_usage_kb, memsw_limit_kb;    /* memory+swap: (v1) */
    int64_t kmem_usage_kb, kmem_limit_kb;      /* kmem: (v1) */
    int64_t swap_usage_kb, swap_limit_kb;      /* swap: (v2) */
    char *stats_path;                          /* Memory cgroup stats for */
    int nstats;
    mf_oom_memcg_stat stats[MF_OOM_MEMCG_STATS]; /* kB */
    bool stats_v2;
} mf_oom_memcg;

typedef struct mf_oom_loc {
    mf_loc loc;
} mf_oom_loc;

/* Filled by the analysis (src/analyze/oom.c). kB values are -1 when the
 * report did not give what they need. */
typedef enum mf_oom_zone_state {
    MF_ZONE_NOT_ALLOWED = 0, /* the gfp mask does not allow the zone */
    MF_ZONE_OK,              /* above low (+ reserve) with a block */
    MF_ZONE_BELOW_LOW,
    MF_ZONE_BELOW_MIN,
    MF_ZONE_NO_BLOCK,        /* above min but no free block >= order */
    MF_ZONE_UNKNOWN          /* allowed, counters missing */
} mf_oom_zone_state;

typedef struct mf_oom_derived {
    uint32_t page_kb;        /* the report's, else the system's; 0 unknown */
    int64_t ram_kb;          /* pages RAM */
    int64_t managed_kb;      /* sum of zone managed */
    int64_t free_kb, pagecache_kb, anon_kb, shmem_kb, unevictable_kb;
    int64_t slab_reclaimable_kb, slab_unreclaimable_kb;
    int64_t pagetables_kb, kernel_stack_kb, tasks_rss_kb, unaccounted_kb;
    const char *verdict;     /* user_processes, slab, page_cache_shmem,
                                unaccounted_kernel; NULL unknown */
    const char *wm_verdict;  /* below_min, below_low, fragmentation,
                                above_watermarks; NULL not applicable */
    char highest_zone[16];   /* highest zone the gfp mask allows */
    mf_oom_zone_state zone_state[MF_SM_MAX_ZONES];
    const char *memcg_filled_by; /* anon, file, shmem, kernel */
} mf_oom_derived;

typedef struct mf_oom_event {
    mf_loc loc;          /* the header line */
    char *text;          /* that line (<= 200 bytes): the report's evidence */
    mf_logtime time;
    mf_oom_kind kind;
    bool truncated;
    bool killed;         /* a kill line was read */
    char *trigger_comm;
    int64_t trigger_pid; /* -1 */
    int64_t trigger_uid; /* 6.11+ CPU line, -1 */
    char *gfp_mask;      /* "0x140dca" */
    char *gfp_flags;     /* "GFP_HIGHUSER_MOVABLE|__GFP_COMP", NULL if none */
    int32_t order;
    bool has_order;
    int64_t oom_score_adj; /* INT64_MIN unknown */
    int64_t oom_adj;       /* 2.6.32 .. 3.7, INT64_MIN unknown */
    char *nodemask;
    char *constraint;    /* CONSTRAINT_NONE ... */
    char *memcg;         /* the OOM's cgroup: oom_memcg= or `limit of` */
    char *task_memcg;
    char *cpuset;
    char *mems_allowed;
    char *kernel_release;
    char *taint;         /* "Not tainted" or the flags */
    char *hardware;
    int ntrace;
    char *trace[MF_OOM_TRACE];
    mf_oom_victim victim;
    /* oom_reaper */
    bool reaped_known, reap_failed;
    mf_loc reaped_loc;
    int64_t reaped_anon_kb, reaped_file_kb, reaped_shmem_kb;
    mf_showmem sm;
    mf_oom_memcg mcg;
    bool has_memcg_info;
    /* task table */
    bool has_tasks;
    int64_t ntasks;
    int64_t tasks_rss_pages;
    int ntop, nprograms;
    mf_oom_task top[MF_OOM_TOP];
    mf_oom_task programs[MF_OOM_TOP];
    /* header and kill lines hashed: duplicates without timestamps */
    uint64_t text_hash;
    /* duplicates */
    mf_vec also;         /* mf_loc: the same report in other members */
    bool duplicate;      /* merged into another event; not reported */
    mf_oom_derived d;
} mf_oom_event;

typedef struct mf_oom_records {
    mf_vec events; /* mf_oom_event, in reading order */
} mf_oom_records;

void mf_oom_records_init(mf_oom_records *r, const mf_allocator *a);
void mf_oom_records_free(mf_oom_records *r, const mf_allocator *a);
void mf_oom_event_clear(mf_oom_event *e, const mf_allocator *a);

#endif
