/* bench_slab.c - slabinfo capture-loop parsing and series analysis.
 *
 * Builds a capture-loop file of slabinfo 2.1 snapshots (a `date` line, the
 * header and 120 caches each, a few growing) of ~50 MB in memory, parses it
 * with the slabinfo module in 1 MiB chunks (MB/s; goal >= 100 MB/s), and
 * times the series analysis (growth fits of every cache) for the whole file
 * and for its first half: the ratio of the two times should be ~2 (linear
 * in the number of snapshots). Also prints the ratio of parsing to a plain
 * memchr('\n') pass over the same bytes.
 *
 *   bench_slab [MB]      (default 50)
 *
 * Build without sanitizers, -O2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "parse/module.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const MON[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Append one snapshot; returns bytes written. */
static size_t snapshot(char *out, size_t cap, int i)
{
    size_t n = 0;
    long sec = 1565076912L + (long)i * 60;
    struct tm tm;
    time_t t = (time_t)sec;
    gmtime_r(&t, &tm);
    n += (size_t)snprintf(out + n, cap - n, "Tue %s %2d %02d:%02d:%02d CST %d\n",
                          MON[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
                          tm.tm_sec, tm.tm_year + 1900);
    n += (size_t)snprintf(out + n, cap - n,
                          "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> "
                          "<objsize> <objperslab> <pagesperslab> : tunables <limit> "
                          "<batchcount> <sharedfactor> : slabdata <active_slabs> "
                          "<num_slabs> <sharedavail>\n");
    for (int c = 0; c < 120; c++) {
        unsigned objs = 1000u + (unsigned)c * 37u + (c % 10 == 0 ? (unsigned)i * 16u : (unsigned)((i * 7 + c) % 13));
        unsigned slabs = objs / 16 + 1;
        n += (size_t)snprintf(out + n, cap - n,
                              "cache-%03d-%-7s %6u %6u %6u %4u %4u : tunables %4u %4u %4u : "
                              "slabdata %6u %6u %6u\n",
                              c, c % 3 ? "kmalloc" : "objects", objs - 3, slabs * 16, 256, 16, 1,
                              0, 0, 0, slabs, slabs, 0);
    }
    return n;
}

typedef struct feed {
    const mf_module *mod;
    void *state;
    mf_parse_ctx pc;
} feed;

static int on_line(void *ctx, const mf_line *l)
{
    feed *f = ctx;
    return f->mod->line(f->state, &f->pc, l);
}

static const mf_module *slabinfo_module(void)
{
    for (size_t i = 0; mf_modules[i]; i++)
        if (strcmp(mf_modules[i]->kind, "slabinfo") == 0)
            return mf_modules[i];
    return NULL;
}

/* Parse buf[0..len) as one member; returns the evidence. */
static mf_evidence *parse(const char *buf, size_t len, double *secs)
{
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    ev->max_records = 100000000; /* no budget either: the bench measures parsing */
    int32_t idx = mf_evidence_add_member(ev, "slabinfo.log");
    feed f = {slabinfo_module(), NULL, {ev, idx, "slabinfo.log"}};
    double t0 = now();
    f.state = f.mod->open(&f.pc);
    mf_linereader lr;
    mf_linereader_init(&lr, ev->alloc, 0, on_line, &f);
    for (size_t pos = 0; pos < len; pos += 1 << 20) {
        size_t n = len - pos < (1u << 20) ? len - pos : 1u << 20;
        mf_linereader_feed(&lr, buf + pos, n);
    }
    mf_linereader_finish(&lr);
    mf_linereader_free(&lr);
    f.mod->close(f.state, &f.pc);
    *secs = now() - t0;
    return ev;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 50;
    size_t cap = mb << 20;
    char *buf = malloc(cap + 65536);
    size_t len = 0, half = 0;
    int snaps = 0;
    while (len < cap) {
        len += snapshot(buf + len, cap + 65536 - len, snaps++);
        if (!half && len >= cap / 2)
            half = len;
    }
    double t0 = now();
    size_t lines = 0;
    for (const char *p = buf, *e = buf + len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        lines++;
    double floor_s = now() - t0;

    double parse_s, parse_half_s;
    mf_evidence *ev = parse(buf, len, &parse_s);
    mf_evidence *evh = parse(buf, half, &parse_half_s);
    t0 = now();
    mf_analyze_evidence(ev);
    double an_full = now() - t0;
    t0 = now();
    mf_analyze_evidence(evh);
    double an_half = now() - t0;

    printf("input: %.1f MB, %d snapshots, %zu lines\n", (double)len / 1e6, snaps, lines);
    printf("parse: %.0f MB/s (goal >= 100), %.1fx the memchr line count (%.0f MB/s)\n",
           (double)len / 1e6 / parse_s, parse_s / floor_s, (double)len / 1e6 / floor_s);
    printf("series analysis: %.3f s for %d snapshots, %.3f s for half: ratio %.2f (linear: ~2)\n",
           an_full, snaps, an_half, an_half > 0 ? an_full / an_half : 0);
    mf_evidence_free(ev);
    mf_evidence_free(evh);
    free(buf);
    return 0;
}
