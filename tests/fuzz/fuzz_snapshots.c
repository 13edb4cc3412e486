/* libFuzzer target over the /proc snapshot parsers and the series
 * analyses. The first byte selects the parse module (the family: slabinfo,
 * slabtop, slab-sysfs, buddyinfo, pagetypeinfo, meminfo, vmallocinfo,
 * zoneinfo, vmstat, psi-memory, process-list, proc-status, tmpfs-du,
 * tmpfs-df, free); the second byte's low bit cuts the input into two
 * members (a series across files). The rest is fed line by line to the
 * module, then analysed and rendered. Under gcc, replay.c runs the
 * committed corpus (tests/fuzz/corpus/snapshots/) as a test. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze/analyze.h"
#include "parse/module.h"
#include "report/report.h"

static const char *const kinds[] = {
    "slabinfo", "slabtop", "slab-sysfs", "buddyinfo", "pagetypeinfo",
    "meminfo", "vmallocinfo", "zoneinfo", "vmstat", "psi-memory",
    "process-list", "proc-status", "tmpfs-du", "tmpfs-df", "free"};

typedef struct feed {
    const mf_module *mod;
    void *state;
    mf_parse_ctx pc;
} feed;

static int on_line(void *ctx, const mf_line *l)
{
    feed *f = ctx;
    return f->mod->line(f->state, &f->pc, l) < 0 ? -1 : 0;
}

static void member(mf_evidence *ev, const mf_module *mod, const uint8_t *data,
                   size_t size, const char *name)
{
    int32_t idx = mf_evidence_add_member(ev, name);
    if (idx < 0)
        return;
    feed f = {mod, NULL, {ev, idx, name}};
    f.state = mod->open(&f.pc);
    if (!f.state)
        return;
    mf_linereader lr;
    mf_linereader_init(&lr, ev->alloc, 512, on_line, &f);
    mf_linereader_feed(&lr, (const char *)data, size);
    mf_linereader_finish(&lr);
    mf_linereader_free(&lr);
    mod->close(f.state, &f.pc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const char *kind = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
    const mf_module *mod = NULL;
    for (size_t i = 0; mf_modules[i]; i++)
        if (strcmp(mf_modules[i]->kind, kind) == 0)
            mod = mf_modules[i];
    if (!mod || !mod->line)
        return 0;
    bool split = data[1] & 1;
    data += 2;
    size -= 2;
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    if (!ev)
        return 0;
    ev->max_records = 20000;
    ev->max_record_bytes = 8u << 20;
    if (split) {
        member(ev, mod, data, size / 2, "a/snap.20200101-000000");
        member(ev, mod, data + size / 2, size - size / 2, "b/snap.20200101-010000");
    } else {
        member(ev, mod, data, size, "snap");
    }
    if (mf_analyze_evidence(ev) == 0) {
        cJSON *doc = mf_report_build(ev, 0, "0000000000000000");
        if (doc) {
            char *json = mf_json_print(ev->alloc, doc, 1);
            char *text = mf_report_text(ev->alloc, doc);
            mf_free(ev->alloc, json);
            mf_free(ev->alloc, text);
            cJSON_Delete(doc);
        }
    }
    mf_evidence_free(ev);
    return 0;
}
