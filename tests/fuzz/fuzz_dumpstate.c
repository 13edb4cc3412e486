/* Fuzz target for the dumpstate splitter, fed in uneven chunks.
 *
 * The input's first byte picks the chunk size (1..256); the rest follows a
 * fixed dumpstate header. Checks: every begun member ends once, sections
 * never overlap, and the bytes of header and sections never exceed the
 * file's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/evidence.h"
#include "source/dumpstate.h"

typedef struct fz {
    mf_evidence *ev;
    int32_t open;       /* member begun and not ended, or -1 */
    uint64_t bytes;     /* bytes handed to members */
} fz;

static int32_t fz_member(void *ctx, const char *path)
{
    fz *f = ctx;
    if (f->ev->members.len >= 200)
        return -1;
    return mf_evidence_add_member(f->ev, path);
}

static int fz_begin(void *ctx, int32_t i)
{
    fz *f = ctx;
    if (f->open >= 0 || i < 0)
        __builtin_trap();
    f->open = i;
    return 0;
}

static int fz_data(void *ctx, const void *b, size_t n)
{
    fz *f = ctx;
    (void)b;
    if (f->open < 0 || n == 0)
        __builtin_trap();
    f->bytes += n;
    return 0;
}

static void fz_end(void *ctx, mf_member_status st, const char *e)
{
    fz *f = ctx;
    (void)e;
    if (f->open < 0)
        __builtin_trap();
    mf_member_set_status(f->ev, f->open, st, e);
    f->open = -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char head[] = "========================================================\n"
                               "== dumpstate: 2024-01-16 09:20:11\n";
    if (size == 0)
        return 0;
    size_t step = (size_t)data[0] + 1;
    size_t len = sizeof head - 1 + size - 1;
    char *text = malloc(len ? len : 1);
    if (!text)
        return 0;
    memcpy(text, head, sizeof head - 1);
    memcpy(text + sizeof head - 1, data + 1, size - 1);
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    fz f = {ev, -1, 0};
    int32_t file = mf_evidence_add_member(ev, "bugreport.txt");
    mf_source_sink sink = {fz_begin, fz_data, fz_end, NULL, &f};
    mf_dumpstate *d = mf_dumpstate_new(ev, file, "bugreport.txt", fz_member, &f, &sink);
    if (d) {
        for (size_t pos = 0; pos < len; pos += step) {
            size_t n = len - pos < step ? len - pos : step;
            if (mf_dumpstate_feed(d, text + pos, n) < 0)
                break;
        }
        mf_dumpstate_finish(d, MF_MEMBER_PARSED, NULL);
        mf_dumpstate_free(d);
        if (f.open >= 0 || f.bytes > len)
            __builtin_trap();
        uint64_t sum = 0;
        for (size_t i = 1; i < ev->members.len; i++)
            sum += ((mf_member *)mf_vec_at(&ev->members, i))->size;
        if (sum != f.bytes)
            __builtin_trap();
    }
    mf_evidence_free(ev);
    free(text);
    return 0;
}
