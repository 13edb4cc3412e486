/* libFuzzer target for the OOM reader (parse/oom.c, parse/showmem.c) and
 * everything after it (analyze/oom.c, report/json_oom.c). Each input line
 * becomes one kernel message, so the reader sees its state machine driven
 * directly (no classifier in the way); the first byte picks the time model:
 * even bytes give every message a monotonic time, odd ones none, which
 * exercises both duplicate paths. A second pass reads the same lines as a
 * second member so that duplicates merge. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze/oom.h"
#include "parse/oom.h"
#include "report/json_oom.h"
#include "report/report.h"

static void feed(mf_evidence *ev, int32_t member, const uint8_t *data,
                 size_t size, bool timed)
{
    mf_parse_ctx pc = {ev, member, "fuzz"};
    void *st = mf_klog_oom.open(&pc);
    if (!st)
        return;
    const char *p = (const char *)data, *end = p + size;
    uint64_t line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        mf_logmsg m;
        memset(&m, 0, sizeof m);
        m.msg = p;
        m.len = (size_t)(le - p);
        m.lineno = ++line;
        m.time.boot = 0;
        m.time.has_mono = timed;
        m.time.mono_s = timed ? (double)line * 0.0001 : 0;
        m.level = -1;
        m.pid = m.tid = -1;
        m.uid = -1;
        m.from_kernel = true;
        mf_klog_oom.message(st, &pc, &m);
        p = nl ? nl + 1 : end;
    }
    mf_klog_oom.close(st, &pc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool timed = (data[0] & 1) == 0;
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    if (!ev)
        return 0;
    ev->max_records = 64;
    int32_t a = mf_evidence_add_member(ev, "dmesg");
    int32_t b = mf_evidence_add_member(ev, "messages");
    if (a >= 0 && b >= 0) {
        feed(ev, a, data + 1, size - 1, timed);
        feed(ev, b, data + 1, size - 1, timed);
        mf_analyze_oom(ev);
        cJSON *doc = mf_report_build(ev, 0, "fuzz");
        char *text = doc ? mf_report_text(&mf_default_allocator, doc) : NULL;
        mf_free(&mf_default_allocator, text);
        cJSON_Delete(doc);
    }
    /* the shared show_mem parser on its own, line by line */
    mf_showmem sm;
    mf_showmem_reset(&sm);
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        mf_showmem_line(&sm, p, (size_t)(le - p));
        p = nl ? nl + 1 : end;
    }
    mf_evidence_free(ev);
    return 0;
}
