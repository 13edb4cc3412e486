/* bench_kmemleak.c - grouping speed of a large kmemleak dump.
 *
 * Generates a /sys/kernel/debug/kmemleak dump of N objects (default
 * 500 000, ~300 MB) spread over a few thousand backtraces of realistic
 * depth (1/8 of the objects share one hot leak, as real dumps do), and a dump
 * of N/2 objects; runs the whole analysis (classification, line reader,
 * normaliser, builder, grouping, culprits, JSON report) over each as one
 * buffer, and prints MB/s, the ratio of the two times (2.0 = linear) and the
 * ratio to a plain memchr('\n') line count over the same text.
 *
 *   bench_kmemleak [OBJECTS]
 *
 * Build without sanitizers, -O2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memforensics.h"

static const char *const FN[] = {
    "hci_event_packet", "hci_rx_work", "process_one_work", "worker_thread", "kthread",
    "ret_from_fork", "fib6_info_alloc", "ip6_route_info_create", "ip6_route_add",
    "inet6_rtm_newroute", "rtnetlink_rcv_msg", "netlink_rcv_skb", "netlink_unicast",
    "netlink_sendmsg", "____sys_sendmsg", "___sys_sendmsg", "__sys_sendmsg",
    "do_syscall_64", "entry_SYSCALL_64_after_hwframe", "tun_set_iff.constprop.51",
    "__tun_chr_ioctl", "tun_chr_ioctl", "do_vfs_ioctl", "ksys_ioctl", "__x64_sys_ioctl",
    "dpaa_eth_refill_bpool", "net_rx_action", "__do_softirq", "run_ksoftirqd",
    "smpboot_thread_fn", "nft_counter_init", "nf_tables_newexpr", "nft_expr_init",
};
#define NFN (sizeof FN / sizeof FN[0])
static const char *const MODS[] = {"", " [bluetooth]", "", " [tun]", "", "", " [nf_tables]", ""};

static unsigned long rng = 88172645463325252ul;
static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static char *generate(long objects, size_t *len)
{
    size_t cap = (size_t)objects * 900 + 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (long i = 0; i < objects; i++) {
        unsigned long trace = i % 8 == 0 ? 0 : next() % 4000; /* the hot leak + 4000 others */
        unsigned long size = 32u << (trace % 6);
        n += (size_t)snprintf(buf + n, cap - n,
                              "unreferenced object 0xffff8881%08lx (size %lu):\n"
                              "  comm \"kworker/u%lu:%lu\", pid %lu, jiffies %lu (age %lu.%03lus)\n"
                              "  hex dump (first 32 bytes):\n"
                              "    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
                              "    a0 7c 44 1b 80 ff ff ff a0 7c 44 1b 80 ff ff ff  .|D......|D.....\n"
                              "  backtrace:\n"
                              "    [<00000000%08lx>] kmem_cache_alloc_trace+0x1b4/0x2c0\n",
                              (unsigned long)i * 64, size, trace % 17, trace % 5, 1000 + trace,
                              4294671976ul + (unsigned long)i, 100 + trace % 900, trace % 1000,
                              next() & 0xffffffff);
        unsigned long depth = 6 + trace % 7;
        for (unsigned long d = 0; d < depth; d++) {
            unsigned long f = (trace * 31 + d * 7 + (d == 0 ? trace : 0)) % NFN;
            n += (size_t)snprintf(buf + n, cap - n, "    [<00000000%08lx>] %s+0x%lx/0x%lx%s\n",
                                  next() & 0xffffffff, FN[f], 0x10 + (trace + d) % 0x200,
                                  0x400 + (trace * 3 + d) % 0x800, MODS[(trace + d) % 8]);
        }
    }
    *len = n;
    return buf;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double analyse(const char *buf, size_t len, long *groups_out)
{
    mf_options o = MF_OPTIONS_INIT;
    mf_report *r = NULL;
    double t0 = now();
    int rc = mf_analyze_buffer(&r, buf, len, "kmemleak", &o);
    const char *json = r ? mf_report_render(r, MF_FORMAT_JSON, NULL) : NULL;
    double t = now() - t0;
    if (rc != MF_OK || !json) {
        fprintf(stderr, "bench_kmemleak: analysis failed (%d)\n", rc);
        exit(1);
    }
    long groups = 0;
    for (const char *p = strstr(json, "\"title\""); p; p = strstr(p + 1, "\"title\""))
        groups++;
    *groups_out = groups;
    mf_report_free(r);
    return t;
}

static double count_lines(const char *buf, size_t len, size_t *lines)
{
    double t0 = now();
    size_t n = 0;
    for (const char *p = buf, *e = buf + len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        n++;
    *lines = n;
    return now() - t0;
}

int main(int argc, char **argv)
{
    long objects = argc > 1 ? atol(argv[1]) : 500000;
    if (objects < 2)
        objects = 2;
    size_t len_full, len_half;
    char *full = generate(objects, &len_full);
    rng = 88172645463325252ul;
    char *half = generate(objects / 2, &len_half);
    if (!full || !half) {
        fprintf(stderr, "bench_kmemleak: out of memory\n");
        return 1;
    }
    long g_full, g_half;
    double t_half = analyse(half, len_half, &g_half);
    double t_full = analyse(full, len_full, &g_full);
    size_t lines;
    double t_lines = count_lines(full, len_full, &lines);
    printf("kmemleak dump: %ld objects, %.1f MB, %zu lines, %ld groups\n", objects,
           (double)len_full / 1e6, lines, g_full);
    printf("  analysis:      %.3f s  %.0f MB/s  %.0f objects/s\n", t_full,
           (double)len_full / 1e6 / t_full, (double)objects / t_full);
    printf("  half the dump: %.3f s  %.0f MB/s (%ld groups)\n", t_half,
           (double)len_half / 1e6 / t_half, g_half);
    printf("  time ratio full/half: %.2f (2.00 = linear; sizes ratio %.2f)\n", t_full / t_half,
           (double)len_full / (double)len_half);
    printf("  ratio to memchr line count: %.1fx (%.0f MB/s)\n", t_full / t_lines,
           (double)len_full / 1e6 / t_lines);
    free(full);
    free(half);
    return 0;
}
