/* bench_oom.c - throughput of the kernel-log path with OOM reports in it.
 *
 * Generates a dmesg log in memory: ordinary kernel messages with a full
 * OOM report (header, CPU line, trace, Mem-Info, zones, buddy lines, a
 * 40-row task table, oom-kill and kill lines, reaper) every SPACING_KB of
 * text, and runs the whole analysis (mf_analyze_buffer: classification,
 * normaliser, every kernel-log reader, analysis, JSON) over it. Prints MB/s
 * and two linearity checks:
 *   - size: the same density at SIZE and SIZE/4 (time ratio, ideal 4.0);
 *   - reports: SIZE/4 with 8x more reports (time ratio, ideal ~1: the cost
 *     of a report is the cost of its lines).
 *
 *   bench_oom [SIZE_MB [SPACING_KB]]      (defaults 1024 and 1024)
 *
 * Times are CPU seconds of the process (the analysis is single-threaded),
 * so a busy machine does not skew them. Each analysis runs three times;
 * the best time counts. Build without
 * sanitizers, -O2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memforensics.h"

static const char *const NOISE[] = {
    "usb 1-1: new high-speed USB device number 2 using xhci_hcd",
    "EXT4-fs (dm-0): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.",
    "audit: type=1400 audit(1565076912.123:2): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"/usr/bin/man\"",
    "r8169 0000:02:00.0 enp2s0: Link is Up - 1Gbps/Full - flow control off",
    "[UFW BLOCK] IN=enp2s0 OUT= MAC=01:00:5e:00:00:01:aa:bb:cc:dd:ee:ff:08:00 SRC=192.168.1.1 DST=224.0.0.1 LEN=36",
    "perf: interrupt took too long (2502 > 2500), lowering kernel.perf_event_max_sample_rate to 79750",
    "TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.",
    "nvme nvme0: I/O 123 QID 4 timeout, completion polled",
};
#define NN (sizeof NOISE / sizeof NOISE[0])

static const char *const REPORT[] = {
    "java invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0",
    "CPU: 1 PID: %u Comm: java Not tainted 5.15.0-91-generic #101-Ubuntu",
    "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.15.0-1 04/01/2014",
    "Call Trace:", " <TASK>", " dump_stack_lvl+0x4a/0x63", " dump_header+0x4a/0x1f4",
    " oom_kill_process.cold+0xb/0x10", " out_of_memory+0x106/0x2e0",
    " __alloc_pages_slowpath.constprop.0+0x97a/0xa40", " __alloc_pages+0x30a/0x320", " </TASK>",
    "Mem-Info:",
    "active_anon:203 inactive_anon:478223 isolated_anon:0",
    " active_file:12 inactive_file:0 isolated_file:0",
    " unevictable:0 dirty:0 writeback:0",
    " slab_reclaimable:5423 slab_unreclaimable:9876",
    " mapped:12 shmem:311 pagetables:4407 bounce:0",
    " kernel_misc_reclaimable:0",
    " free:13221 free_pcp:0 free_cma:0",
    "Node 0 active_anon:812kB inactive_anon:1912892kB active_file:48kB inactive_file:0kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:48kB dirty:0kB writeback:0kB shmem:1244kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB kernel_stack:4208kB pagetables:17628kB all_unreclaimable? yes",
    "Node 0 DMA free:15360kB boost:0kB min:68kB low:84kB high:100kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB",
    "lowmem_reserve[]: 0 1910 1910 1910 1910",
    "Node 0 DMA32 free:37524kB boost:0kB min:8464kB low:10580kB high:12696kB reserved_highatomic:0KB active_anon:812kB inactive_anon:1912892kB active_file:48kB inactive_file:0kB unevictable:0kB writepending:0kB present:2080640kB managed:2000000kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB",
    "lowmem_reserve[]: 0 0 0 0 0",
    "Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 1*1024kB (U) 1*2048kB (M) 3*4096kB (M) = 15360kB",
    "Node 0 DMA32: 1203*4kB (UME) 541*8kB (UME) 77*16kB (UM) 31*32kB (UM) 12*64kB (UM) 6*128kB (M) 2*256kB (M) 1*512kB (M) 1*1024kB (M) 1*2048kB (M) 4*4096kB (M) = 37524kB",
    "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
    "323 total pagecache pages", "0 pages in swap cache", "Free swap  = 0kB", "Total swap = 0kB",
    "524158 pages RAM", "0 pages HighMem/MovableOnly", "20158 pages reserved",
    "Tasks state (memory values in pages):",
    "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
    "@TASKS",
    "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=java,pid=%u,uid=1000",
    "Out of memory: Killed process %u (java) total-vm:1982120kB, anon-rss:1911180kB, file-rss:4kB, shmem-rss:0kB, UID:1000 pgtables:3776kB oom_score_adj:0",
    "oom_reaper: reaped process %u (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
};
#define NR (sizeof REPORT / sizeof REPORT[0])

static const char *const TASKS[] = {"systemd-journal", "systemd-udevd", "cron", "sshd", "nginx", "uwsgi", "postgres", "kworker/u8:2"};

/* CPU time of the process: the figure that does not depend on what else
 * the (shared) machine runs; the analysis is single-threaded. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *gen(size_t target, size_t spacing, size_t *len, unsigned *reports)
{
    char *buf = malloc(target + (1u << 16));
    if (!buf)
        return NULL;
    char *p = buf, *end = buf + target;
    unsigned long long us = 1000000;
    size_t next = spacing;
    unsigned i = 0, pid = 5000;
    *reports = 0;
    p += sprintf(p, "[    0.000000] Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc 11.4.0) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023\n");
    while (p < end) {
        us += 1 + (i * 7919u) % 5000;
        if ((size_t)(p - buf) >= next) {
            next += spacing;
            pid++;
            (*reports)++;
            for (size_t r = 0; r < NR; r++) {
                if (strcmp(REPORT[r], "@TASKS") == 0) {
                    for (unsigned t = 0; t < 40; t++)
                        p += sprintf(p, "[%5llu.%06llu] [%7u] %5u %7u %8u %8u %14u %8u %13d %s\n",
                                     us / 1000000, us % 1000000, 300 + t, t % 3 ? 0 : 1000, 300 + t,
                                     20000 + t * 911, 1000 + t * 397, 200704 + t * 4096, 0,
                                     t == 0 ? -250 : 0, TASKS[t % 8]);
                    continue;
                }
                p += sprintf(p, "[%5llu.%06llu] ", us / 1000000, us % 1000000);
                p += sprintf(p, REPORT[r], pid);
                *p++ = '\n';
            }
            continue;
        }
        p += sprintf(p, "[%5llu.%06llu] %s\n", us / 1000000, us % 1000000, NOISE[i % NN]);
        i++;
    }
    *len = (size_t)(p - buf);
    return buf;
}

static double run(size_t mb, size_t spacing_kb, unsigned *reports, unsigned *events)
{
    size_t len;
    char *buf = gen(mb << 20, spacing_kb << 10, &len, reports);
    if (!buf) {
        fprintf(stderr, "bench_oom: out of memory\n");
        exit(1);
    }
    /* best of three: the machine is shared */
    mf_report *r = NULL;
    double dt = 0;
    for (int k = 0; k < 3; k++) {
        mf_report_free(r);
        r = NULL;
        double t0 = now();
        int rc = mf_analyze_buffer(&r, buf, len, "dmesg", NULL);
        double t = now() - t0;
        if (rc != 0 || !r) {
            fprintf(stderr, "bench_oom: analysis failed (%d)\n", rc);
            exit(1);
        }
        if (k == 0 || t < dt)
            dt = t;
    }
    /* count the events in the report, to check nothing was lost */
    const char *json = mf_report_render(r, MF_FORMAT_JSON, NULL);
    *events = 0;
    for (const char *q = json; q && (q = strstr(q, "\"kind\": \"global\"")) != NULL; q++)
        (*events)++;
    mf_report_free(r);
    free(buf);
    printf("  %5zu MB, a report every %4zu kB: %6u reports, %6u events, %7.3f s CPU, %7.1f MB/s\n",
           mb, spacing_kb, *reports, *events, dt, (double)len / dt / 1e6);
    return dt;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 1024;
    size_t spacing = argc > 2 ? strtoul(argv[2], NULL, 10) : 1024;
    if (mb < 4 || spacing < 8) {
        fprintf(stderr, "usage: bench_oom [SIZE_MB>=4 [SPACING_KB>=8]]\n");
        return 2;
    }
    unsigned ra, ea, rb, eb, rc, ec;
    printf("bench_oom: whole analysis of a dmesg log with OOM reports\n");
    double a = run(mb, spacing, &ra, &ea);
    double b = run(mb / 4, spacing, &rb, &eb);
    double c = run(mb / 4, spacing / 8 ? spacing / 8 : 1, &rc, &ec);
    printf("linearity in size:    time(%zu MB) / time(%zu MB) = %.2f (ideal 4.00)\n", mb, mb / 4, a / b);
    printf("linearity in reports: time(8x reports) / time(1x) at %zu MB = %.2f (ideal ~1: a report costs its lines)\n",
           mb / 4, c / b);
    if (ea != ra || eb != rb || ec != rc)
        printf("WARNING: events differ from reports generated\n");
    return 0;
}
