/* oom.h - derived facts of OOM reports (analyze/oom.c). */
#ifndef MF_ANALYZE_OOM_H
#define MF_ANALYZE_OOM_H

#include "model/evidence.h"

/* Fill every event's derived part, merge duplicates across members and set
 * the system facts the reports prove (page size, RAM). 0 or MF_ENOMEM. */
int mf_analyze_oom(mf_evidence *ev);

/* Highest zone type an allocation may use: 0 DMA, 1 DMA32, 2 Normal,
 * 3 HighMem, 4 Movable; from the flag names (`GFP_KERNEL|__GFP_DMA32`) or,
 * without them, from the zone bits of the hex mask; -1 unknown. */
int mf_oom_gfp_highest_zone(const char *flags, const char *mask);
/* Rank of a zone name in that order (unknown names rank as Normal). */
int mf_oom_zone_rank(const char *name);

#endif
