/* json_oom.h - the OOM part of the report (report/json_oom.c). */
#ifndef MF_JSON_OOM_H
#define MF_JSON_OOM_H

#include <cjson/cJSON.h>

#include "model/evidence.h"
#include "report/report.h"

/* Add findings.oom_events[] (reading order, duplicates merged). */
void mf_json_oom_events(const mf_evidence *ev, cJSON *findings);
/* Fill system.page_size and, when still null, system.mem_total_kb from the
 * OOM reports, with their sources. */
void mf_json_oom_system(const mf_evidence *ev, cJSON *sys, cJSON *sources);

/* The text summary's OOM lines: two per event (who asked and who was
 * killed; where the memory went), from the JSON document. */
void mf_report_text_oom(mf_buf *b, const cJSON *oom_events);

#endif
