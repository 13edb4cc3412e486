/* cmd_rules.c - `memforensics rules list | check [DIR] | show ID`, and the
 * rule-set loading shared with `analyze --rules DIR`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "memforensics.h"

/* Print every problem of a rule set, "FILE:LINE:COL: MESSAGE", one a line
 * on stderr (the form editors jump to). */
static void print_errors(const mf_ruleset *rs)
{
    for (size_t i = 0; i < mf_ruleset_error_count(rs); i++)
        fprintf(stderr, "%s\n", mf_ruleset_error_at(rs, i));
}

int mf_cli_load_rules(const char *dir, mf_ruleset **out)
{
    mf_ruleset *base = NULL;
    *out = NULL;
    int rc = mf_ruleset_load_default(&base);
    if (rc < 0) {
        if (base)
            print_errors(base);
        else
            mf_cli_error("rules", "%s", mf_error_last() ? mf_error_last()->message : "cannot load");
        mf_ruleset_free(base);
        return MF_EXIT_RULES;
    }
    if (!dir) {
        *out = base;
        return MF_EXIT_OK;
    }
    mf_ruleset *rs = NULL;
    rc = mf_ruleset_load_dir(&rs, dir, base);
    mf_ruleset_free(base);
    if (rc < 0) {
        if (rs)
            print_errors(rs);
        else
            mf_cli_error(dir, "%s", mf_error_last() ? mf_error_last()->message : "cannot load");
        mf_ruleset_free(rs);
        return MF_EXIT_RULES;
    }
    *out = rs;
    return MF_EXIT_OK;
}

static void rules_usage(void)
{
    printf("usage: memforensics rules list [--rules DIR]\n"
           "       memforensics rules check [DIR]\n"
           "       memforensics rules show [--rules DIR] ID\n"
           "See docs/rules.md and memforensics(1).\n");
}

int mf_cmd_rules(int argc, char **argv)
{
    if (argc < 2) {
        mf_cli_error("rules", "no subcommand given (list, check or show)");
        return MF_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
        rules_usage();
        return MF_EXIT_OK;
    }
    const char *dir = NULL;
    const char *arg = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--rules") == 0 && strcmp(sub, "check") != 0) {
            if (i + 1 >= argc) {
                mf_cli_error("rules", "option '--rules' needs a value");
                return MF_EXIT_USAGE;
            }
            dir = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            mf_cli_error("rules", "unknown option '%s'", argv[i]);
            return MF_EXIT_USAGE;
        } else if (!arg) {
            arg = argv[i];
        } else {
            mf_cli_error("rules", "unexpected argument '%s'", argv[i]);
            return MF_EXIT_USAGE;
        }
    }
    if (strcmp(sub, "check") == 0) {
        mf_ruleset *rs = NULL;
        int rc = mf_cli_load_rules(arg, &rs);
        if (rc != MF_EXIT_OK)
            return rc;
        printf("%s: %zu rule%s, no errors (rules_version %s)\n", arg ? arg : "embedded rules",
               mf_ruleset_count(rs), mf_ruleset_count(rs) == 1 ? "" : "s",
               mf_ruleset_version(rs));
        mf_ruleset_free(rs);
        return MF_EXIT_OK;
    }
    if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0) {
        int show = sub[0] == 's';
        if (show && !arg) {
            mf_cli_error("rules", "show needs a rule id");
            return MF_EXIT_USAGE;
        }
        if (!show && arg) {
            mf_cli_error("rules", "unexpected argument '%s'", arg);
            return MF_EXIT_USAGE;
        }
        mf_ruleset *rs = NULL;
        int rc = mf_cli_load_rules(dir, &rs);
        if (rc != MF_EXIT_OK)
            return rc;
        int found = 0;
        for (size_t i = 0; i < mf_ruleset_count(rs); i++) {
            mf_rule_info info;
            if (mf_ruleset_rule_at(rs, i, &info) < 0)
                continue;
            if (!show) {
                printf("%-36s %-8s %-20s %s\n", info.id, info.severity, info.category, info.title);
            } else if (strcmp(info.id, arg) == 0) {
                size_t n = strlen(info.source);
                printf("# %s\n%s%s", info.file, info.source,
                       n && info.source[n - 1] == '\n' ? "" : "\n");
                found = 1;
            }
        }
        mf_ruleset_free(rs);
        if (show && !found) {
            mf_cli_error("rules", "no rule '%s' (see memforensics rules list)", arg);
            return MF_EXIT_USAGE;
        }
        return MF_EXIT_OK;
    }
    mf_cli_error("rules", "unknown subcommand '%s' (list, check or show)", sub);
    return MF_EXIT_USAGE;
}
