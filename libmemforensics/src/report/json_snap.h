/* json_snap.h - report sections built from /proc snapshot series. */
#ifndef MF_JSON_SNAP_H
#define MF_JSON_SNAP_H

#include "report/report.h"

/* Add findings.NAME (slab, meminfo, fragmentation, processes, tmpfs,
 * vmalloc, vmstat, psi): empty when the bundle has no such snapshots. */
cJSON *mf_json_snap_section(const mf_evidence *ev, cJSON *findings,
                            const char *name);
/* system.mem_total_kb and its source line. */
void mf_json_snap_mem_total(const mf_evidence *ev, cJSON *sys);
void mf_json_snap_mem_total_source(const mf_evidence *ev, cJSON *sources);
/* One or two lines of the text summary. */
void mf_text_snap(mf_buf *b, const cJSON *doc);

#endif
