/* bench_rules.c - cost of the rules' log matcher and of rule evaluation.
 *
 * Generates ~MB of kernel messages in memory, offers each message to a log
 * matcher holding the log patterns of the signature set (literal prefilter,
 * then PCRE2), and prints MB/s and the ratio to a plain memchr pass over
 * the same messages; then times loading the rules and evaluating them over
 * a report document with 10000 slab caches.
 *
 *   bench_rules [MB]      (default 128)
 *
 * Build without sanitizers, -O2. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"
#include "rules/rules.h"

static const char *const KMSG[] = {
    "grep invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0",
    "CPU: 1 PID: 49358 Comm: grep Not tainted 5.15.0-91-generic #101-Ubuntu",
    "Call Trace:",
    " dump_stack_lvl+0x4a/0x63",
    "Node 0 Normal: 1203*4kB (UME) 541*8kB (UME) 77*16kB (UM) 0*32kB 0*64kB 0*128kB 0*256kB = 10372kB",
    "[    412]     0   412    12334      211   110592        0          -250 systemd-journal",
    "Out of memory: Killed process 49358 (grep) total-vm:1982120kB, anon-rss:1911180kB, file-rss:4kB",
    "usb 1-1: new high-speed USB device number 2 using xhci_hcd",
    "r8169 0000:02:00.0 enp2s0: Link is Up - 1Gbps/Full - flow control off",
    "IPv6: ADDRCONF(NETDEV_CHANGE): enp2s0: link becomes ready",
    "[UFW BLOCK] IN=enp2s0 OUT= MAC=01:00:5e:00:00:01:aa:bb:cc:dd:ee:ff:08:00 SRC=192.168.1.1 DST=224.0.0.1",
    "kmemleak: 12 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
    "ath10k_pci 0000:01:00.0: failed to post pci rx buf: -12",
    "IPv6: Route cache is full: consider increasing sysctl net.ipv6.route.max_size.",
};

/* Log patterns in the style of the signature set. */
static const char *const PATTERNS[] = {
    "failed to post pci rx buf: -12",
    "failed to alloc CE src ring \\\\d+: -12",
    "ath10k_(pci|ahb) [0-9a-f:.]+: qca\\\\d+ hw",
    "page allocation failure: order:[2-9]",
    "Route cache is full: consider increasing sysctl net\\\\.ipv6\\\\.route\\\\.max_size",
    "NETDEV WATCHDOG: \\\\S+ \\\\(\\\\S+\\\\): transmit queue \\\\d+ timed out",
    "page_pool_release_retry\\\\(\\\\) stalled pool shutdown",
    "Out of memory: Killed process \\\\d+ \\\\((zebra|uhttpd|hostapd|dnsmasq)\\\\)",
    "kmemleak: \\\\d+ new suspected memory leaks",
    "fsl_dpa(_mac)?: .*congestion",
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 128;
    size_t target = mb << 20, total = 0, n = 0;
    size_t nk = sizeof KMSG / sizeof KMSG[0];
    while (total < target)
        total += strlen(KMSG[n++ % nk]);

    /* a rule set with every pattern as a log condition */
    mf_ruleset *rs = mf_ruleset_new_empty();
    double t0 = now();
    for (size_t i = 0; i < sizeof PATTERNS / sizeof PATTERNS[0]; i++) {
        char text[1024], name[32];
        snprintf(text, sizeof text,
                 "{\"id\": \"p%zu\", \"title\": \"t\", \"category\": \"c\", \"severity\": \"low\","
                 " \"summary\": \"{m.count}\", \"remediation\": \"r\","
                 " \"conditions\": [{\"log\": \"%s\", \"as\": \"m\"}]}", i, PATTERNS[i]);
        snprintf(name, sizeof name, "p%zu.json", i);
        mf_ruleset_add_text(rs, name, text, strlen(text), 0);
    }
    mf_ruleset_finish(rs);
    double t_load = now() - t0;
    if (rs->errors.len) {
        fprintf(stderr, "%s\n", *(char **)mf_vec_at(&rs->errors, 0));
        return 1;
    }
    size_t with_literal = 0;
    for (size_t i = 0; i < rs->logs.len; i++)
        with_literal += (*(mf_regex **)mf_vec_at(&rs->logs, i))->literal != NULL;

    /* baseline: one memchr pass over every message */
    t0 = now();
    size_t hits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *m = KMSG[i % nk];
        hits += memchr(m, ':', strlen(m)) != NULL;
    }
    double t_base = now() - t0;

    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    mf_evidence_add_member(ev, "dmesg");
    mf_logmatch *lm = mf_logmatch_new(ev, rs);
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        const char *m = KMSG[i % nk];
        mf_logmatch_message(lm, 0, i + 1, m, strlen(m));
    }
    double t_match = now() - t0;
    uint64_t matched = 0;
    for (size_t i = 0; i < rs->logs.len; i++)
        matched += mf_logmatch_count(lm, i);

    printf("log matcher: %zu patterns (%zu with a literal), %zu messages, %.0f MB\n",
           rs->logs.len, with_literal, n, total / 1e6);
    printf("  matcher  %8.1f MB/s  %6.1f ns/message  (%llu matches)\n", total / 1e6 / t_match,
           t_match * 1e9 / (double)n, (unsigned long long)matched);
    printf("  memchr   %8.1f MB/s  (baseline, %zu)\n", total / 1e6 / t_base, hits);
    printf("  ratio matcher/memchr: %.1fx\n", t_match / (t_base > 0 ? t_base : 1e-9));
    printf("load and compile %zu rules: %.2f ms\n", rs->rules.len, t_load * 1e3);

    /* evaluation over a document with many records */
    cJSON *doc = cJSON_CreateObject();
    cJSON *in = cJSON_AddObjectToObject(doc, "input");
    cJSON *members = cJSON_AddArrayToObject(in, "members");
    for (int i = 0; i < 10000; i++) {
        cJSON *m = cJSON_CreateObject();
        char path[64];
        snprintf(path, sizeof path, "FS/proc/member-%d", i);
        cJSON_AddStringToObject(m, "path", path);
        cJSON_AddStringToObject(m, "kind", "unknown");
        cJSON_AddNumberToObject(m, "size_bytes", i);
        cJSON_AddStringToObject(m, "status", i == 9999 ? "error" : "parsed");
        cJSON_AddItemToArray(members, m);
    }
    cJSON_AddArrayToObject(doc, "diagnoses");
    cJSON_AddArrayToObject(doc, "not_evaluable");
    cJSON_AddArrayToObject(doc, "warnings");
    mf_ruleset *def = NULL;
    t0 = now();
    mf_ruleset_load_default(&def);
    double t_def = now() - t0;
    mf_vec explain;
    mf_vec_init(&explain, ev->alloc, sizeof(mf_explain));
    t0 = now();
    mf_rules_evaluate(def, doc, NULL, ev, &explain);
    double t_eval = now() - t0;
    printf("default set: %zu rule(s) loaded in %.2f ms; evaluated over 10000 members in %.2f ms (%d diagnoses)\n",
           mf_ruleset_count(def), t_def * 1e3, t_eval * 1e3,
           cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "diagnoses")));
    /* the shipped set's own log patterns over the same messages */
    size_t def_lit = 0;
    for (size_t i = 0; i < def->logs.len; i++)
        def_lit += (*(mf_regex **)mf_vec_at(&def->logs, i))->literal != NULL;
    mf_logmatch *dlm = mf_logmatch_new(ev, def);
    t0 = now();
    for (size_t i = 0; dlm && i < n; i++) {
        const char *m = KMSG[i % nk];
        mf_logmatch_message(dlm, 0, i + 1, m, strlen(m));
    }
    double t_dm = now() - t0;
    printf("default set's log matcher: %zu patterns (%zu with a literal): %.1f MB/s, ratio to memchr %.1fx\n",
           def->logs.len, def_lit, total / 1e6 / t_dm, t_dm / (t_base > 0 ? t_base : 1e-9));
    mf_logmatch_free(dlm);
    mf_report_free_explain(ev->alloc, &explain);
    cJSON_Delete(doc);
    mf_ruleset_free(def);
    mf_logmatch_free(lm);
    mf_evidence_free(ev);
    mf_ruleset_free(rs);
    return 0;
}
