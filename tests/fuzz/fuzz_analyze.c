/* libFuzzer target over the whole library. The first byte selects the
 * entry point (cmark's trick); the rest is the input:
 *   0  the whole analysis of a buffer (archives, members, parsing, report)
 *   1  the line reader and the log normaliser alone, in uneven chunks
 * Built with clang -fsanitize=fuzzer when MF_BUILD_FUZZERS is on; under gcc
 * the replay driver (replay.c) runs the committed corpus as a test. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "memforensics.h"
#include "text/linereader.h"
#include "text/normalize.h"

static int count_message(void *ctx, const mf_logmsg *m)
{
    size_t *n = ctx;
    *n += m->len;
    return 0;
}

typedef struct lines_ctx {
    mf_normalizer *norm;
    size_t total;
} lines_ctx;

static int on_line(void *ctx, const mf_line *line)
{
    lines_ctx *c = ctx;
    return mf_normalizer_line(c->norm, line, count_message, &c->total) < 0 ? -1 : 0;
}

static void fuzz_lines(const uint8_t *data, size_t size)
{
    lines_ctx c = {mf_normalizer_new(&mf_default_allocator), 0};
    if (!c.norm)
        return;
    mf_linereader lr;
    mf_linereader_init(&lr, &mf_default_allocator, 256, on_line, &c);
    size_t pos = 0, step = 1;
    while (pos < size) {
        size_t n = size - pos < step ? size - pos : step;
        if (mf_linereader_feed(&lr, (const char *)data + pos, n) < 0)
            break;
        pos += n;
        step = step * 3 % 61 + 1; /* uneven chunk sizes */
    }
    mf_linereader_finish(&lr);
    mf_linereader_free(&lr);
    mf_normalizer_free(c.norm);
}

static void fuzz_analyze(const uint8_t *data, size_t size)
{
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_member_bytes = 4u << 20;
    o.limits.max_total_bytes = 16u << 20;
    o.limits.max_members = 200;
    o.limits.max_line_bytes = 1024;
    mf_report *r = NULL;
    mf_analyze_buffer(&r, data, size, "fuzz.bin", &o);
    if (r) {
        mf_report_render(r, MF_FORMAT_JSON, NULL);
        mf_report_render(r, MF_FORMAT_TEXT, NULL);
    }
    mf_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    switch (data[0]) {
    case 0: fuzz_analyze(data + 1, size - 1); break;
    case 1: fuzz_lines(data + 1, size - 1); break;
    default: break;
    }
    return 0;
}
