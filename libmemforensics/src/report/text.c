/* text.c - the short summary a support engineer pastes into a ticket. It is
 * a view of the JSON document, so the two never disagree. Diagnoses first,
 * then the system, then what was read and what went wrong. */
#include <string.h>

#include "report/report.h"
#include "report/json_events.h"
#include "report/json_netcfg.h"
#include "report/json_oom.h"
#include "report/json_snap.h"

static const char *str(const cJSON *obj, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
    return s ? s : NULL;
}

static double num(const cJSON *obj, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(n) ? n->valuedouble : 0;
}

char *mf_report_text(const mf_allocator *a, const cJSON *doc)
{
    mf_buf b;
    mf_buf_init(&b, a);
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(doc, "input");
    const cJSON *sys = cJSON_GetObjectItemCaseSensitive(doc, "system");
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(input, "members");
    const cJSON *diags = cJSON_GetObjectItemCaseSensitive(doc, "diagnoses");
    const cJSON *notev = cJSON_GetObjectItemCaseSensitive(doc, "not_evaluable");
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(doc, "warnings");

    mf_buf_printf(&b, "memforensics: %s (%d member%s%s)\n",
                  str(input, "path") ? str(input, "path") : "-",
                  cJSON_GetArraySize(members),
                  cJSON_GetArraySize(members) == 1 ? "" : "s",
                  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(input, "complete"))
                      ? ""
                      : ", incomplete");
    if (str(input, "error"))
        mf_buf_printf(&b, "error: %s\n", str(input, "error"));

    if (diags) {
        if (cJSON_GetArraySize(diags) == 0) {
            mf_buf_puts(&b, "diagnoses: none\n");
        } else {
            const cJSON *d;
            cJSON_ArrayForEach(d, diags)
            {
                mf_buf_printf(&b, "[%s] %s (%s, confidence %.2f)\n",
                              str(d, "severity") ? str(d, "severity") : "?",
                              str(d, "title") ? str(d, "title") : "?",
                              str(d, "rule_id") ? str(d, "rule_id") : "?",
                              num(d, "confidence"));
                if (str(d, "summary"))
                    mf_buf_printf(&b, "  %s\n", str(d, "summary"));
                /* the first evidence that points at a line, else the first */
                const cJSON *evs = cJSON_GetObjectItemCaseSensitive(d, "evidence");
                const cJSON *ev0 = cJSON_GetArrayItem(evs, 0), *e;
                cJSON_ArrayForEach(e, evs)
                {
                    if (num(e, "line") > 0) {
                        ev0 = e;
                        break;
                    }
                }
                if (ev0 && str(ev0, "member")) {
                    if (num(ev0, "line") > 0)
                        mf_buf_printf(&b, "  at %s:%.0f: %s", str(ev0, "member"),
                                      num(ev0, "line"), str(ev0, "text") ? str(ev0, "text") : "");
                    else
                        mf_buf_printf(&b, "  at %s: %s", str(ev0, "member"),
                                      str(ev0, "text") ? str(ev0, "text") : "");
                    int more = cJSON_GetArraySize(evs) - 1;
                    if (more > 0)
                        mf_buf_printf(&b, " (+%d more in the JSON report)", more);
                    mf_buf_puts(&b, "\n");
                }
                if (str(d, "remediation"))
                    mf_buf_printf(&b, "  fix: %s\n", str(d, "remediation"));
            }
        }
        if (cJSON_GetArraySize(notev) > 0) {
            mf_buf_printf(&b, "not evaluable: %d rule(s)\n", cJSON_GetArraySize(notev));
            const cJSON *ne;
            cJSON_ArrayForEach(ne, notev)
                mf_buf_printf(&b, "  %s: collect %s\n",
                              str(ne, "rule_id") ? str(ne, "rule_id") : "?",
                              str(ne, "collect") ? str(ne, "collect") : "?");
        }
    }

    const char *rel = str(sys, "kernel_release");
    const char *arch = str(sys, "arch");
    mf_buf_printf(&b, "kernel: %s%s%s%s\n", rel ? rel : "unknown",
                  arch ? " (" : "", arch ? arch : "", arch ? ")" : "");
    mf_report_text_events(&b, doc); /* kmemleak, allocation failures, kills */
    mf_text_netcfg(&b, doc);

    mf_report_text_oom(&b, cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(doc, "findings"), "oom_events"));
    mf_text_snap(&b, doc);

    /* Members by status, in a fixed order. */
    static const char *const statuses[] = {
        "parsed",  "recognised", "unrecognised", "corrupt",      "truncated",
        "refused", "encrypted",  "error",        "skipped-limit", NULL};
    mf_buf_puts(&b, "members:");
    bool any = false;
    for (int i = 0; statuses[i]; i++) {
        int n = 0;
        const cJSON *m;
        cJSON_ArrayForEach(m, members)
        {
            const char *st = str(m, "status");
            if (st && strcmp(st, statuses[i]) == 0)
                n++;
        }
        if (n) {
            mf_buf_printf(&b, "%s %d %s", any ? "," : "", n, statuses[i]);
            any = true;
        }
    }
    mf_buf_puts(&b, any ? "\n" : " none\n");

    int nw = cJSON_GetArraySize(warnings);
    if (nw > 0) {
        mf_buf_printf(&b, "warnings: %d\n", nw);
        int shown = 0;
        const cJSON *w;
        cJSON_ArrayForEach(w, warnings)
        {
            if (shown++ == 5) {
                mf_buf_printf(&b, "  ... %d more in the JSON report\n", nw - 5);
                break;
            }
            const char *mem = str(w, "member");
            double line = num(w, "line");
            if (mem && line > 0)
                mf_buf_printf(&b, "  %s:%.0f: %s\n", mem, line, str(w, "message"));
            else
                mf_buf_printf(&b, "  %s%s%s\n", mem ? mem : "", mem ? ": " : "",
                              str(w, "message") ? str(w, "message") : "");
        }
    }
    if (b.failed) {
        mf_buf_free(&b);
        return NULL;
    }
    return mf_buf_detach(&b);
}
