/* json_events.h - report sections of memory events (model/events.h). */
#ifndef MF_JSON_EVENTS_H
#define MF_JSON_EVENTS_H

#include "report/report.h"

/* findings.kmemleak ({} when no kmemleak output was read) */
void mf_json_kmemleak(const mf_evidence *ev, cJSON *findings);
/* findings.alloc_failures[] */
void mf_json_alloc_failures(const mf_evidence *ev, cJSON *findings);
/* findings.lmk_kills[] and findings.lmk_pressure[] */
void mf_json_lmk(const mf_evidence *ev, cJSON *findings);

/* The summary lines of these sections for the text report. */
void mf_report_text_events(mf_buf *b, const cJSON *doc);

#endif
