/* Shared by the per-module fuzz targets: feed bytes to one parse module
 * directly (no classification), in uneven chunks, then run the analyze
 * stage and build and print the report, so the module's records reach the
 * JSON and text renderers too. */
#ifndef MF_FUZZ_MODULE_H
#define MF_FUZZ_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/analyze.h"
#include "parse/module.h"
#include "report/report.h"

typedef struct fuzz_ctx {
    const mf_module *mod;
    void *state;
    mf_parse_ctx pc;
    mf_normalizer *norm;
} fuzz_ctx;

static int fuzz_on_message(void *ctx, const mf_logmsg *m)
{
    fuzz_ctx *c = ctx;
    return c->mod->message(c->state, &c->pc, m);
}

static int fuzz_on_line(void *ctx, const mf_line *line)
{
    fuzz_ctx *c = ctx;
    if (c->mod->log)
        return mf_normalizer_line(c->norm, line, fuzz_on_message, c);
    return c->mod->line(c->state, &c->pc, line);
}

static void fuzz_module(const mf_module *mod, const uint8_t *data, size_t size)
{
    const mf_allocator *a = &mf_default_allocator;
    mf_evidence *ev = mf_evidence_new(a);
    if (!ev)
        return;
    ev->max_records = 1000;
    ev->max_record_bytes = 1u << 20; /* reached by large inputs: the budget path is fuzzed too */
    fuzz_ctx c = {mod, NULL, {ev, 0, "fuzz"}, mf_normalizer_new(a)};
    if (mf_evidence_add_member(ev, "fuzz") != 0 || !c.norm)
        goto out;
    if (mod->open && !(c.state = mod->open(&c.pc)))
        goto out;
    mf_linereader lr;
    mf_linereader_init(&lr, a, 512, fuzz_on_line, &c);
    size_t pos = 0, step = 7;
    while (pos < size) {
        size_t n = size - pos < step ? size - pos : step;
        if (mf_linereader_feed(&lr, (const char *)data + pos, n) != 0)
            break;
        pos += n;
        step = step * 5 % 97 + 1;
    }
    mf_linereader_finish(&lr);
    if (mod->log)
        mf_normalizer_finish(c.norm, fuzz_on_message, &c);
    mf_linereader_free(&lr);
    if (mod->close)
        mod->close(c.state, &c.pc);
    if (mf_analyze_evidence(ev) == 0) {
        cJSON *doc = mf_report_build(ev, 0, "fuzz");
        if (doc) {
            char *json = mf_json_print(a, doc, 1);
            char *text = mf_report_text(a, doc);
            mf_free(a, json);
            mf_free(a, text);
            cJSON_Delete(doc);
        }
    }
out:
    mf_normalizer_free(c.norm);
    mf_evidence_free(ev);
}

#endif
