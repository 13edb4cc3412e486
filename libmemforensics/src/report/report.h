/* report.h - the report stage: the JSON document of schema version 1
 * (docs/report.schema.json) built from the evidence, and its renderings. */
#ifndef MF_REPORT_H
#define MF_REPORT_H

#include <cjson/cJSON.h>

#include "model/evidence.h"
#include "text/normalize.h"

/* Build the report document. `flags` are MF_OPT_* (MF_OPT_EVIDENCE_ONLY
 * leaves out diagnoses and not_evaluable). Returns NULL on allocation
 * failure. */
cJSON *mf_report_build(const mf_evidence *ev, unsigned flags,
                       const char *rules_version);

/* The text summary of a report document; caller frees with mf_free. */
char *mf_report_text(const mf_allocator *a, const cJSON *doc);

/* Deterministic JSON text (pretty: two-space indent and a final newline;
 * otherwise one line). Caller frees with mf_free. */
char *mf_json_print(const mf_allocator *a, const cJSON *doc, int pretty);
/* Append a number as the report prints numbers. */
void mf_json_put_number(mf_buf *b, double v);

/* Add `key`: {boot, mono_s, wall} of a log time (all null when !has).
 * A year-less wall stamp takes its year from the evidence's date reference
 * (the year before when its month is later than the reference's) and then
 * says so in "year_from" {member, line, basis}; without a reference it is
 * written "--MM-DDThh:mm:ss" as ISO 8601 allows. */
void mf_json_add_time(const mf_evidence *ev, cJSON *obj, const char *key,
                      const mf_logtime *t, bool has);

/* Create the public report object; takes ownership of `doc`. */
mf_report *mf_report_new(const mf_allocator *a, cJSON *doc);

/* Hand the rules' explanations (mf_explain, rules/rules.h) to the report,
 * which frees them; `explain` is left empty. */
void mf_report_take_explain(mf_report *r, mf_vec *explain);
void mf_report_free_explain(const mf_allocator *a, mf_vec *explain);

/* Add a string member, replacing invalid UTF-8 (NULL adds JSON null). */
cJSON *mf_json_add_str(const mf_allocator *a, cJSON *obj, const char *key,
                       const char *value);

#endif
