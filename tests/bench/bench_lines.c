/* bench_lines.c - throughput of the line reader + prefix normaliser.
 *
 * Generates ~256 MB of raw dmesg text and ~256 MB of syslog-wrapped kernel
 * text (with daemon lines in between) in memory, runs linereader+normaliser
 * over each in 1 MiB chunks on one core, and prints MB/s and the ratio to a
 * plain memchr('\n') line count over the same buffer.
 *
 *   bench_lines [MB]      (default 256)
 *
 * Build without sanitizers, -O2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/linereader.h"
#include "text/normalize.h"

static const char *const KMSG[] = {
    "grep invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0",
    "CPU: 1 PID: 49358 Comm: grep Not tainted 5.15.0-91-generic #101-Ubuntu",
    "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.15.0-1 04/01/2014",
    "Call Trace:",
    " <TASK>",
    " dump_stack_lvl+0x4a/0x63",
    " dump_header+0x4a/0x1f4",
    " oom_kill_process.cold+0xb/0x10",
    " out_of_memory+0x106/0x2e0",
    " __alloc_pages_slowpath.constprop.0+0x97a/0xa40",
    "Mem-Info:",
    "active_anon:203 inactive_anon:478223 isolated_anon:0",
    " active_file:12 inactive_file:0 isolated_file:0",
    "Node 0 DMA free:15904kB min:136kB low:168kB high:200kB reserved_highatomic:0KB active_anon:0kB",
    "lowmem_reserve[]: 0 2939 7899 7899 7899",
    "Node 0 DMA: 45*4kB (U) 40*8kB (UE) 131*16kB (U) 0*4096kB = 17476kB",
    "Node 0 Normal: 1203*4kB (UME) 541*8kB (UME) 77*16kB (UM) 0*32kB 0*64kB 0*128kB 0*256kB = 10372kB",
    "4812 total pagecache pages",
    "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
    "[    412]     0   412    12334      211   110592        0          -250 systemd-journal",
    "Out of memory: Killed process 49358 (grep) total-vm:1982120kB, anon-rss:1911180kB, file-rss:4kB, shmem-rss:0kB, UID:1000 pgtables:3776kB oom_score_adj:0",
    "usb 1-1: new high-speed USB device number 2 using xhci_hcd",
    "EXT4-fs (dm-0): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.",
    "audit: type=1400 audit(1565076912.123:2): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"/usr/bin/man\"",
    "r8169 0000:02:00.0 enp2s0: Link is Up - 1Gbps/Full - flow control off",
    "IPv6: ADDRCONF(NETDEV_CHANGE): enp2s0: link becomes ready",
    "[UFW BLOCK] IN=enp2s0 OUT= MAC=01:00:5e:00:00:01:aa:bb:cc:dd:ee:ff:08:00 SRC=192.168.1.1 DST=224.0.0.1 LEN=36",
    "perf: interrupt took too long (2502 > 2500), lowering kernel.perf_event_max_sample_rate to 79750",
    "kmemleak: 12 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
    "TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.",
};
#define NK (sizeof KMSG / sizeof KMSG[0])

static const char *const DAEMON[] = {
    "systemd[1]: Started Session 4 of user anna.",
    "CRON[48801]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
    "dnsmasq[812]: query[A] connectivity-check.ubuntu.com from 192.168.1.23",
    "sshd[20111]: Accepted publickey for ops from 10.0.0.5 port 51234 ssh2: RSA SHA256:abc",
    "systemd-logind[640]: Session 31 logged out. Waiting for processes to exit.",
};
#define ND (sizeof DAEMON / sizeof DAEMON[0])

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append text without the cost of snprintf for the fixed parts. */
static char *put(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *gen(size_t target, int syslog, size_t *len)
{
    char *buf = malloc(target + 1024);
    if (!buf)
        return NULL;
    char *p = buf, *end = buf + target;
    unsigned long long us = 1000000;
    unsigned i = 0, sec = 0;
    static const char *const MON[] = {"Aug  6", "Aug  7", "Aug  8"};
    while (p < end) {
        us += 1 + (i * 7919u) % 5000;
        char ts[40];
        int n = snprintf(ts, sizeof ts, "[%5llu.%06llu] ", us / 1000000,
                         us % 1000000);
        if (syslog) {
            sec = (unsigned)(us / 1000000);
            p += sprintf(p, "%s %02u:%02u:%02u nas01 ", MON[(sec / 86400) % 3],
                         sec / 3600 % 24, sec / 60 % 60, sec % 60);
            if (i % 5 == 4) {
                p = put(p, DAEMON[i % ND]);
                *p++ = '\n';
                i++;
                continue;
            }
            p = put(p, "kernel: ");
            memcpy(p, ts, (size_t)n);
            p += n;
        } else {
            if (i % 3 == 0)
                p += sprintf(p, "<%u>", 4 + i % 3);
            memcpy(p, ts, (size_t)n);
            p += n;
        }
        p = put(p, KMSG[i % NK]);
        *p++ = '\n';
        i++;
    }
    *len = (size_t)(p - buf);
    return buf;
}

typedef struct counts {
    mf_normalizer *nz;
    unsigned long long msgs, bytes, kernel;
} counts;

static int on_msg(void *ctx, const mf_logmsg *m)
{
    counts *c = ctx;
    c->msgs++;
    c->bytes += m->len;
    c->kernel += m->from_kernel;
    return 0;
}

static int on_line(void *ctx, const mf_line *l)
{
    counts *c = ctx;
    return mf_normalizer_line(c->nz, l, on_msg, c);
}

static double run_norm(const char *buf, size_t len, counts *c)
{
    memset(c, 0, sizeof *c);
    c->nz = mf_normalizer_new(NULL);
    mf_linereader lr;
    mf_linereader_init(&lr, NULL, 0, on_line, c);
    double t0 = now();
    const size_t chunk = 1 << 20;
    for (size_t off = 0; off < len; off += chunk)
        mf_linereader_feed(&lr, buf + off, len - off < chunk ? len - off : chunk);
    mf_linereader_finish(&lr);
    mf_normalizer_finish(c->nz, on_msg, c);
    double t = now() - t0;
    mf_linereader_free(&lr);
    mf_normalizer_free(c->nz);
    return t;
}

static double run_memchr(const char *buf, size_t len, unsigned long long *lines)
{
    double t0 = now();
    unsigned long long n = 0;
    const char *p = buf, *e = buf + len;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl)
            break;
        n++;
        p = nl + 1;
    }
    *lines = n;
    return now() - t0;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 256;
    const char *names[2] = {"raw dmesg", "syslog-wrapped"};
    for (int k = 0; k < 2; k++) {
        size_t len;
        char *buf = gen(mb << 20, k, &len);
        if (!buf) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        counts c;
        unsigned long long lines;
        /* best of 3, after one warm-up pass */
        double tn = 1e9, tm = 1e9;
        run_norm(buf, len, &c);
        for (int r = 0; r < 3; r++) {
            double t = run_norm(buf, len, &c);
            if (t < tn)
                tn = t;
            t = run_memchr(buf, len, &lines);
            if (t < tm)
                tm = t;
        }
        double mbs = (double)len / 1e6;
        printf("%-15s %7.1f MB %10llu lines %10llu msgs (%llu kernel): "
               "normalise %7.1f MB/s, memchr %8.1f MB/s, ratio %.2f\n",
               names[k], mbs, lines, c.msgs, c.kernel, mbs / tn, mbs / tm,
               tn / tm);
        free(buf);
    }
    return 0;
}
