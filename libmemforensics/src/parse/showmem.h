/* showmem.h - the show_mem / show_free_areas dump (mm/show_mem.c,
 * mm/page_alloc.c) that OOM reports and allocation-failure reports print.
 *
 * One mf_showmem gathers one dump: the Mem-Info counters (pages), the
 * per-node lines (kB), the per-zone lines (kB) with their lowmem_reserve
 * arrays, the buddy lines (free blocks per order, with and without a
 * `Node N` prefix), hugepages, page cache, swap and the `pages RAM` tail.
 * Feed it every message of the report with mf_showmem_line(); it says
 * whether the message was part of the dump. It keeps no pointer into the
 * messages and allocates nothing (fixed-size tables), so it is cheap to
 * embed in a reader's state and to reset between reports.
 *
 * Units: counters as printed (pages for Mem-Info and the tail, kB for node
 * and zone lines). The page size comes from the first order of a buddy line
 * (`12*4kB`, `3*64kB`) and is never assumed: page_kb stays 0 without one.
 * Every value is -1 when the dump did not print it. */
#ifndef MF_SHOWMEM_H
#define MF_SHOWMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every number read is clamped to this (2^50: 1 EiB in kB), so that the
 * derived sums and page-size products of hostile input cannot overflow. */
#define MF_SM_VALUE_MAX ((int64_t)1 << 50)

/* Mem-Info counters, in the order the kernel prints them. */
typedef enum mf_sm_counter {
    MF_SM_ACTIVE_ANON, MF_SM_INACTIVE_ANON, MF_SM_ISOLATED_ANON,
    MF_SM_ACTIVE_FILE, MF_SM_INACTIVE_FILE, MF_SM_ISOLATED_FILE,
    MF_SM_UNEVICTABLE, MF_SM_DIRTY, MF_SM_WRITEBACK, MF_SM_UNSTABLE,
    MF_SM_SLAB_RECLAIMABLE, MF_SM_SLAB_UNRECLAIMABLE, MF_SM_MAPPED,
    MF_SM_SHMEM, MF_SM_PAGETABLES, MF_SM_SEC_PAGETABLES, MF_SM_BOUNCE,
    MF_SM_KERNEL_MISC_RECLAIMABLE, MF_SM_FREE, MF_SM_FREE_PCP, MF_SM_FREE_CMA,
    MF_SM_NCOUNTERS
} mf_sm_counter;

/* The counter's name as the kernel prints it ("active_anon"). */
const char *mf_sm_counter_name(mf_sm_counter c);

#define MF_SM_MAX_ZONES 16  /* zone lines kept per dump (nodes x zones) */
#define MF_SM_MAX_ORDER 16  /* buddy orders kept (MAX_ORDER is 11..13) */
#define MF_SM_MAX_RESERVE 8 /* lowmem_reserve entries (MAX_NR_ZONES) */

typedef struct mf_sm_zone {
    int32_t node;   /* -1: no `Node N` prefix (kernel without NUMA) */
    char name[16];  /* "DMA", "DMA32", "Normal", "HighMem", "Movable" */
    bool has_line;  /* the per-zone line was seen */
    int64_t free_kb, boost_kb, min_kb, low_kb, high_kb;
    int64_t present_kb, managed_kb;
    int64_t kernel_stack_kb, pagetables_kb; /* zone lines up to 5.x */
    int nreserve;
    int64_t lowmem_reserve[MF_SM_MAX_RESERVE]; /* pages */
    bool has_buddy; /* the buddy line was seen */
    int norders;
    int64_t blocks[MF_SM_MAX_ORDER]; /* free blocks per order */
    int64_t buddy_total_kb;          /* the `= NkB` total */
} mf_sm_zone;

typedef struct mf_showmem {
    bool seen;       /* any line of the dump was recognised */
    bool mem_info;   /* the `Mem-Info:` line was seen */
    int64_t counters[MF_SM_NCOUNTERS]; /* pages */
    uint32_t page_kb; /* 0 unknown */
    int nzones;
    mf_sm_zone zones[MF_SM_MAX_ZONES];
    int last_zone;   /* zone of the last zone line (lowmem_reserve), -1 */
    int open_buddy;  /* buddy line without its `= NkB` end yet, -1: its
                        continuation may come as a line of its own when
                        another CPU's message broke the pr_cont chain */
    /* Node lines (4.8+), summed over nodes, kB. */
    int64_t node_kernel_stack_kb, node_pagetables_kb, node_shmem_kb;
    int64_t hugepages_total, hugepages_free, hugepages_size_kb; /* summed */
    int64_t pagecache_pages, swapcache_pages;
    int64_t free_swap_kb, total_swap_kb;
    int64_t ram_pages, highmem_pages, reserved_pages, cma_reserved_pages;
} mf_showmem;

/* Forget everything (all values -1). */
void mf_showmem_reset(mf_showmem *sm);

/* Read one message (no log prefix, no trailing newline). Returns true when
 * it belongs to the dump and was consumed. */
bool mf_showmem_line(mf_showmem *sm, const char *msg, size_t len);

/* The zone (node, name), or NULL. node -1 matches zones without a node. */
const mf_sm_zone *mf_showmem_zone(const mf_showmem *sm, int32_t node,
                                  const char *name);

/* Parse one buddy line on its own (`Node 0 DMA: 3*4kB (U) ... = 12kB` or
 * `Normal: ...`). Returns true and fills node, name, page_kb (size of the
 * first order), blocks and total_kb. Exposed for buddy-only readers and
 * tests. */
bool mf_showmem_parse_buddy(const char *msg, size_t len, mf_sm_zone *out,
                            uint32_t *page_kb);

#endif
