/* libFuzzer target over the whole library. The first byte selects the
 * entry point (cmark's trick); the rest is the input:
 *   0  the whole analysis of a buffer (archives, members, parsing, report)
 *   1  the line reader and the log normaliser alone, in uneven chunks
 *   2  the whole analysis of one named member: the next byte picks a file
 *      name from `names` (so classification by name reaches every parse
 *      module: /proc files, sosreport commands, bundles), the rest is its
 *      content
 *   3  the source stage alone (bytes -> members): archives, nesting,
 *      compression, refused entries, dumpstate splitting, read through a
 *      counting sink; checks every begun member ends once
 * Built with clang -fsanitize=fuzzer when MF_BUILD_FUZZERS is on; under gcc
 * the replay driver (replay.c) runs the committed corpus as a test. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "memforensics.h"
#include "model/evidence.h"
#include "source/source.h"
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

static void fuzz_analyze(const uint8_t *data, size_t size, const char *name)
{
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_member_bytes = 4u << 20;
    o.limits.max_total_bytes = 16u << 20;
    o.limits.max_members = 200;
    o.limits.max_line_bytes = 1024;
    mf_report *r = NULL;
    mf_analyze_buffer(&r, data, size, name, &o);
    if (r) {
        mf_report_render(r, MF_FORMAT_JSON, NULL);
        mf_report_render(r, MF_FORMAT_TEXT, NULL);
    }
    mf_report_free(r);
}

/* Names the classifier knows (basenames, sosreport command files, bundle
 * names); index = byte % count. */
static const char *const names[] = {
    "fuzz.bin", "dmesg", "kmsg", "messages", "logcat.txt", "events.log",
    "bugreport-x-2024-01-16-09-20-11.txt", "dumpstate.txt", "bugreport.zip",
    "sosreport.tar.xz", "proc/meminfo", "proc/slabinfo", "proc/buddyinfo",
    "proc/pagetypeinfo", "proc/vmallocinfo", "proc/zoneinfo", "proc/vmstat",
    "proc/pressure/memory", "proc/1/status", "proc/net/raw6", "proc/net/raw",
    "proc/net/udp6", "proc/net/udp", "proc/net/sockstat", "proc/net/dev",
    "proc/net/rt6_stats", "sos_commands/networking/netstat_-W_-neopa",
    "sos_commands/networking/ss_-peaonmi", "sos_commands/networking/ip_-6_rule",
    "sos_commands/networking/ethtool_-S_eth0", "sos_commands/kernel/sysctl_-a",
    "boot/config-6.1.0-13-amd64", "sos_commands/kernel/uname_-a", "etc/os-release",
    "etc/config/uwsgi", "slabtop", "sys/kernel/slab/kmalloc-64/objects", "ps",
    "top", "du_-sk_tmp", "df", "free", "sys/kernel/debug/kmemleak", "logread",
    "journalctl_--no-pager", "var/log/syslog", "x.tar.gz", "x.gz", "x.7z"};

typedef struct src_ctx {
    int open;
    size_t bytes;
} src_ctx;

static int src_begin(void *ctx, int32_t i)
{
    src_ctx *c = ctx;
    if (c->open || i < 0)
        __builtin_trap();
    c->open = 1;
    return 0;
}

static int src_data(void *ctx, const void *b, size_t n)
{
    src_ctx *c = ctx;
    (void)b;
    if (!c->open)
        __builtin_trap();
    c->bytes += n;
    return 0;
}

static void src_end(void *ctx, mf_member_status st, const char *e)
{
    src_ctx *c = ctx;
    (void)st;
    (void)e;
    if (!c->open)
        __builtin_trap();
    c->open = 0;
}

static void fuzz_source(const uint8_t *data, size_t size)
{
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    if (!ev)
        return;
    mf_limits in = {0}, l;
    in.max_member_bytes = 4u << 20;
    in.max_total_bytes = 16u << 20;
    in.max_members = 200;
    mf_limits_resolve(&l, &in);
    src_ctx c = {0, 0};
    mf_source_sink sink = {src_begin, src_data, src_end, NULL, &c};
    mf_source_buffer(ev, data, size, "fuzz.bin", &l, &sink);
    if (c.open)
        __builtin_trap();
    mf_evidence_free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    switch (data[0]) {
    case 0: fuzz_analyze(data + 1, size - 1, "fuzz.bin"); break;
    case 1: fuzz_lines(data + 1, size - 1); break;
    case 2:
        if (size >= 2)
            fuzz_analyze(data + 2, size - 2, names[data[1] % (sizeof names / sizeof names[0])]);
        break;
    case 3: fuzz_source(data + 1, size - 1); break;
    default: break;
    }
    return 0;
}
