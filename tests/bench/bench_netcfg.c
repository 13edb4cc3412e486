/* bench_netcfg.c - throughput of the network and configuration modules.
 *
 * Generates in memory a capture loop of /proc/net/udp6 (a date line, the
 * header and 2000 sockets per snapshot), an `ethtool -S` loop and a sysctl
 * dump, feeds each through classification and its module in 1 MiB chunks,
 * runs the analysis (series, byte order, owners), and prints MB/s and the
 * ratio to a plain memchr('\n') line count over the same buffer.
 *
 *   bench_netcfg [MB [udp6|ethtool|sysctl]]      (default 64 MB, all three)
 *
 * Build without sanitizers, -O2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "model/netcfg.h"
#include "parse/dispatch.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct gen {
    char *buf;
    size_t len, cap;
} gen;

static void put(gen *g, const char *s, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        g->cap = (g->len + n + 1) * 2;
        g->buf = realloc(g->buf, g->cap);
        if (!g->buf)
            exit(1);
    }
    memcpy(g->buf + g->len, s, n);
    g->len += n;
}

static void gen_udp6(gen *g, size_t target)
{
    char line[256];
    for (unsigned snap = 0; g->len < target; snap++) {
        int n = snprintf(line, sizeof line, "%lld\n", 1700000000LL + snap * 60);
        put(g, line, (size_t)n);
        const char *h = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n";
        put(g, h, strlen(h));
        for (unsigned i = 0; i < 2000; i++) {
            n = snprintf(line, sizeof line,
                         "%5u: 0000000000000000FFFF0000%08X:%04X 00000000000000000000000000000000:0000 07 00000000:%08X 00:00000000 00000000  %4u        0 %u 2 0000000000000000 %u\n",
                         i, 0x0100000au + i, 1024 + i, (i % 7) * snap * 64, i % 1000,
                         100000 + i, (i % 5) * snap);
            put(g, line, (size_t)n);
        }
    }
}

static void gen_ethtool(gen *g, size_t target)
{
    char line[256];
    for (unsigned snap = 0; g->len < target; snap++) {
        int n = snprintf(line, sizeof line, "Mon Jun 12 %02u:%02u:00 UTC 2023\nNIC statistics:\n",
                         (snap / 60) % 24, snap % 60);
        put(g, line, (size_t)n);
        for (unsigned i = 0; i < 200; i++) {
            n = snprintf(line, sizeof line, "     rx_queue_%u_packets: %u\n", i, snap * 1000 + i);
            put(g, line, (size_t)n);
        }
    }
}

static void gen_sysctl(gen *g, size_t target)
{
    char line[256];
    for (unsigned i = 0; g->len < target; i++) {
        int n = snprintf(line, sizeof line, "net.ipv6.conf.veth%u.accept_ra = %u\n", i, i % 3);
        put(g, line, (size_t)n);
    }
}

static void run(const char *name, const char *path, const gen *g)
{
    /* floor: count lines with memchr */
    double t0 = now();
    size_t lines = 0;
    for (const char *p = g->buf, *end = g->buf + g->len; p < end; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    double floor_s = now() - t0;

    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    ev->max_records = 10000000;
    mf_dispatch *d = mf_dispatch_new(ev, 65536);
    int32_t m = mf_evidence_add_member(ev, path);
    t0 = now();
    mf_dispatch_begin(d, m);
    for (size_t pos = 0; pos < g->len; pos += 1u << 20) {
        size_t n = g->len - pos < (1u << 20) ? g->len - pos : (1u << 20);
        mf_dispatch_data(d, g->buf + pos, n);
    }
    mf_dispatch_end(d, MF_MEMBER_PARSED, NULL);
    double parse_s = now() - t0;
    t0 = now();
    int rc = mf_analyze_evidence(ev);
    double analyze_s = now() - t0;
    const mf_member *mem = mf_vec_at(&ev->members, 0);
    double mb = (double)g->len / 1e6;
    printf("%-8s %7.1f MB  %-9s parse %7.1f MB/s  analyze %6.3f s  memchr floor %7.1f MB/s  "
           "ratio parse/floor %5.1fx  (%zu lines, rc %d)\n",
           name, mb, mem->kind, mb / parse_s, analyze_s, mb / floor_s, parse_s / floor_s,
           lines, rc);
    mf_dispatch_free(d);
    mf_evidence_free(ev);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 64;
    size_t target = mb << 20;
    const char *only = argc > 2 ? argv[2] : NULL;
    gen g = {0};
    if (!only || !strcmp(only, "udp6")) {
        gen_udp6(&g, target);
        run("udp6", "udp6-loop.txt", &g);
    }
    if (!only || !strcmp(only, "ethtool")) {
        g.len = 0;
        gen_ethtool(&g, target);
        run("ethtool", "ethtool_-S_eth0", &g);
    }
    if (!only || !strcmp(only, "sysctl")) {
        g.len = 0;
        gen_sysctl(&g, target);
        run("sysctl", "sysctl_-a", &g);
    }
    free(g.buf);
    return 0;
}
