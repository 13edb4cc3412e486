/* cmd_analyze.c - `memforensics analyze` and `memforensics parse`. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "memforensics.h"

/* "64K", "1G", "100000" → bytes; returns -1 on a bad number. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return -1;
    unsigned long long mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    default: break;
    }
    if (*end || v == 0 || v > UINT64_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

enum {
    OPT_FAIL_ON = 256,
    OPT_TIMEOUT,
    OPT_MAX_TOTAL,
    OPT_MAX_MEMBER,
    OPT_MAX_MEMBERS,
    OPT_MAX_DEPTH,
    OPT_MAX_LINE,
    OPT_MAX_RECORDS,
    OPT_MAX_RECORD_BYTES,
    OPT_RULES,
    OPT_EXPLAIN,
    OPT_REDACT,
};

int mf_cmd_analyze(int argc, char **argv, int evidence_only)
{
    const char *cmd = evidence_only ? "parse" : "analyze";
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"max-total-bytes", required_argument, NULL, OPT_MAX_TOTAL},
        {"max-member-bytes", required_argument, NULL, OPT_MAX_MEMBER},
        {"max-members", required_argument, NULL, OPT_MAX_MEMBERS},
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"max-line-bytes", required_argument, NULL, OPT_MAX_LINE},
        {"max-records", required_argument, NULL, OPT_MAX_RECORDS},
        {"max-record-bytes", required_argument, NULL, OPT_MAX_RECORD_BYTES},
        {"rules", required_argument, NULL, OPT_RULES},
        {"explain", required_argument, NULL, OPT_EXPLAIN},
        {"redact", no_argument, NULL, OPT_REDACT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    mf_options opts = MF_OPTIONS_INIT;
    if (evidence_only)
        opts.flags |= MF_OPT_EVIDENCE_ONLY;
    int text = 0;
    const char *output = NULL;
    mf_severity fail_on = MF_SEVERITY_NONE;
    const char *rules_dir = NULL;
    const char *explain = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
        uint64_t v = 0;
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") == 0) {
                text = 0;
            } else if (strcmp(optarg, "text") == 0) {
                text = 1;
            } else {
                mf_cli_error(cmd, "unknown format '%s' (json or text)", optarg);
                return MF_EXIT_USAGE;
            }
            break;
        case 'o':
            output = optarg;
            break;
        case OPT_FAIL_ON:
            fail_on = mf_severity_from_name(optarg);
            if (fail_on == MF_SEVERITY_NONE || evidence_only) {
                mf_cli_error(cmd, evidence_only ? "--fail-on needs analyze"
                                                : "unknown severity '%s'",
                             optarg);
                return MF_EXIT_USAGE;
            }
            break;
        case OPT_RULES:
            rules_dir = optarg;
            break;
        case OPT_EXPLAIN:
            if (evidence_only) {
                mf_cli_error(cmd, "--explain needs analyze");
                return MF_EXIT_USAGE;
            }
            explain = optarg;
            break;
        case OPT_REDACT:
            opts.flags |= MF_OPT_REDACT;
            break;
        case 'h':
            printf("usage: memforensics %s [--format json|text] [--output FILE]%s [--redact] [limits] PATH...\n"
                   "See memforensics --help and memforensics(1).\n",
                   cmd, evidence_only ? "" : " [--fail-on SEVERITY] [--rules DIR] [--explain ID]");
            return MF_EXIT_OK;
        case ':':
            mf_cli_error(cmd, "option '%s' needs a value", argv[optind - 1]);
            return MF_EXIT_USAGE;
        case '?':
            mf_cli_error(cmd, "unknown option '%s'", argv[optind - 1]);
            return MF_EXIT_USAGE;
        default:
            if (parse_size(optarg, &v) < 0) {
                mf_cli_error(cmd, "bad number '%s' for %s", optarg,
                             argv[optind - 1]);
                return MF_EXIT_USAGE;
            }
            if (c == OPT_TIMEOUT)
                opts.timeout_ms = v > UINT64_MAX / 1000 ? UINT64_MAX : v * 1000;
            else if (c == OPT_MAX_TOTAL)
                opts.limits.max_total_bytes = v;
            else if (c == OPT_MAX_MEMBER)
                opts.limits.max_member_bytes = v;
            else if (c == OPT_MAX_MEMBERS)
                opts.limits.max_members = v;
            else if (c == OPT_MAX_DEPTH)
                opts.limits.max_depth = v > 64 ? 64 : (uint32_t)v;
            else if (c == OPT_MAX_LINE)
                opts.limits.max_line_bytes = v > (1u << 30) ? (1u << 30) : (uint32_t)v;
            else if (c == OPT_MAX_RECORDS)
                opts.limits.max_records = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
            else if (c == OPT_MAX_RECORD_BYTES)
                opts.limits.max_record_bytes = v;
            break;
        }
    }
    if (optind >= argc) {
        mf_cli_error(cmd, "no PATH given (use - for stdin)");
        return MF_EXIT_USAGE;
    }
    int npaths = argc - optind;
    mf_ruleset *rules = NULL;
    if (rules_dir || explain) {
        int rc = mf_cli_load_rules(rules_dir, &rules);
        if (rc != MF_EXIT_OK)
            return rc;
        opts.rules = rules;
        int known = 0;
        for (size_t k = 0; explain && k < mf_ruleset_count(rules); k++) {
            mf_rule_info info;
            known |= mf_ruleset_rule_at(rules, k, &info) == 0 && strcmp(info.id, explain) == 0;
        }
        if (explain && !known) {
            mf_cli_error(cmd, "no rule '%s' (see memforensics rules list)", explain);
            mf_ruleset_free(rules);
            return MF_EXIT_USAGE;
        }
    }
    FILE *out = stdout;
    if (output) {
        out = fopen(output, "w");
        if (!out) {
            mf_cli_error(output, "cannot write: %s", strerror(errno));
            mf_ruleset_free(rules);
            return MF_EXIT_USAGE;
        }
    }
    mf_format format = text ? MF_FORMAT_TEXT
                            : npaths > 1 ? MF_FORMAT_JSON_LINE : MF_FORMAT_JSON;
    int exit_code = MF_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        const char *path = argv[i];
        mf_report *report = NULL;
        int rc = mf_analyze_path(&report, path, &opts);
        if (rc < 0) {
            const mf_error *e = mf_error_last();
            /* Library messages name the path already. */
            if (e)
                mf_cli_error(NULL, "%s", e->message);
            else
                mf_cli_error(path, "analysis failed");
            exit_code = mf_cli_worst(exit_code, rc == MF_ERULES ? MF_EXIT_RULES : MF_EXIT_INPUT);
        }
        if (report) {
            /* Bad members: one line each; the rest was still analysed. */
            for (size_t k = 0; k < mf_report_problem_count(report); k++)
                mf_cli_error(path, "%s", mf_report_problem_at(report, k));
            size_t len = 0;
            const char *s = explain ? mf_report_explain(report, explain)
                                    : mf_report_render(report, format, &len);
            if (explain && s) {
                if (i > optind)
                    fputc('\n', out);
                if (npaths > 1)
                    fprintf(out, "%s:\n", path);
                len = strlen(s);
            }
            if (!s) {
                mf_cli_error(path, "cannot render the report");
                exit_code = mf_cli_worst(exit_code, MF_EXIT_INPUT);
            } else {
                if (text && i > optind)
                    fputc('\n', out);
                fwrite(s, 1, len, out);
                if (len == 0 || s[len - 1] != '\n')
                    fputc('\n', out);
            }
            if (fail_on != MF_SEVERITY_NONE &&
                mf_report_max_severity(report) >= fail_on)
                exit_code = mf_cli_worst(exit_code, MF_EXIT_FAIL_ON);
            mf_report_free(report);
        }
    }
    mf_ruleset_free(rules);
    if (fflush(out) != 0 || (output && fclose(out) != 0)) {
        mf_cli_error(output ? output : "stdout", "write failed: %s",
                     strerror(errno));
        return mf_cli_worst(exit_code, MF_EXIT_INPUT);
    }
    return exit_code;
}
