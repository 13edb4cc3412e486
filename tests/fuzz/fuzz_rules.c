/* libFuzzer target for the rule loader: the input is one rule file. It is
 * parsed, located, validated and compiled; a rule that loads is evaluated
 * over a small report document and a few log messages, and the report is
 * redacted, so the evaluator and the templates see fuzzed rules too.
 * Built with clang -fsanitize=fuzzer when MF_BUILD_FUZZERS is on; under gcc
 * the replay driver (replay.c) runs the committed corpus as a test. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "report/report.h"
#include "rules/rules.h"

static const char *const DOC =
    "{\"tool\": {\"name\": \"memforensics\"},"
    " \"input\": {\"complete\": false, \"members\": ["
    "  {\"path\": \"bugreport.txt#KERNEL LOG (dmesg)\", \"kind\": \"kernel-log\", \"size_bytes\": 4096, \"status\": \"parsed\"},"
    "  {\"path\": \"FS/proc/slabinfo\", \"kind\": \"unknown\", \"size_bytes\": 0, \"status\": \"error\","
    "   \"error\": \"*** Error dumping /proc/slabinfo\"}]},"
    " \"system\": {\"kernel_release\": \"5.10.16-1-default\", \"arch\": \"x86_64\", \"hostname\": \"db01\","
    "  \"sources\": {\"kernel_release\": {\"member\": \"dmesg\", \"line\": 1, \"text\": \"Linux version 5.10.16-1-default\"}}},"
    " \"findings\": {\"oom_events\": []}, \"facts\": {\"sysctl\": {}}, \"diagnoses\": [], \"not_evaluable\": []}";

static const char *const MESSAGES[] = {
    "Linux version 5.10.16-1-default (geeko@buildhost) #1 SMP",
    "Out of memory: Killed process 812 (zebra) total-vm:123kB, anon-rss:1kB",
    "IPv6: Route cache is full: consider increasing sysctl net.ipv6.route.max_size.",
    "ath10k_pci 0000:01:00.0: failed to post pci rx buf: -12",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mf_ruleset *rs = mf_ruleset_new_empty();
    if (!rs)
        return 0;
    if (mf_ruleset_add_text(rs, "fuzz.json", (const char *)data, size, 0) < 0 ||
        mf_ruleset_finish(rs) < 0 || rs->errors.len || rs->rules.len == 0) {
        mf_ruleset_free(rs);
        return 0;
    }
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    cJSON *doc = cJSON_Parse(DOC);
    if (ev && doc && mf_evidence_add_member(ev, "dmesg") == 0) {
        mf_logmatch *lm = mf_logmatch_new(ev, rs);
        for (size_t i = 0; lm && i < sizeof MESSAGES / sizeof MESSAGES[0]; i++)
            mf_logmatch_message(lm, 0, i + 1, MESSAGES[i], strlen(MESSAGES[i]));
        mf_vec explain;
        mf_vec_init(&explain, ev->alloc, sizeof(mf_explain));
        if (mf_rules_evaluate(rs, doc, lm, ev, &explain) == 0)
            mf_redact_report(ev->alloc, doc);
        char *out = mf_json_print(ev->alloc, doc, 0);
        mf_free(ev->alloc, out);
        mf_report_free_explain(ev->alloc, &explain);
        mf_logmatch_free(lm);
    }
    cJSON_Delete(doc);
    mf_evidence_free(ev);
    mf_ruleset_free(rs);
    return 0;
}
