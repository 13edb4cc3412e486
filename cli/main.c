/* main.c - subcommand dispatch, --help and --version. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "memforensics.h"

const char *mf_cli_name = "memforensics";

void mf_cli_error(const char *what, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (what)
        fprintf(stderr, "%s: %s: %s\n", mf_cli_name, what, msg);
    else
        fprintf(stderr, "%s: %s\n", mf_cli_name, msg);
}

static int rank(int code)
{
    switch (code) {
    case MF_EXIT_USAGE:
    case MF_EXIT_RULES: return 4;
    case MF_EXIT_INPUT: return 3;
    case MF_EXIT_FAIL_ON: return 2;
    default: return 1;
    }
}

int mf_cli_worst(int a, int b)
{
    return rank(a) >= rank(b) ? a : b;
}

static void usage(void)
{
    printf(
        "usage: memforensics <command> [options] PATH...\n"
        "\n"
        "Triage memory failures (OOM kills, leaks, fragmentation) from the logs\n"
        "and dumps of a device: a file, a folder, an archive or - for stdin.\n"
        "\n"
        "commands:\n"
        "  analyze [options] PATH...  evidence, diagnoses and fixes as JSON or text\n"
        "  parse [options] PATH...    members and evidence only, no rules\n"
        "  facts [--markdown]         the facts rules can test (the fact registry)\n"
        "  rules list                 the rules in use (--rules DIR adds a folder)\n"
        "  rules check [DIR]          validate rule files: FILE:LINE:COL: errors, exit 3\n"
        "  rules show ID              the JSON of one rule\n"
        "\n"
        "analyze and parse options:\n"
        "  -f, --format json|text     output format (default json; several\n"
        "                             paths give JSON Lines, one report a line)\n"
        "  -o, --output FILE          write the output to FILE\n"
        "      --fail-on SEVERITY     exit 1 when a diagnosis is at least\n"
        "                             critical|high|medium|low|info (analyze)\n"
        "      --rules DIR            add the rules of DIR (same id: DIR wins)\n"
        "      --explain ID           why rule ID fired or not, condition by\n"
        "                             condition, instead of the report (analyze)\n"
        "      --redact               mask IP/MAC addresses, host and user names\n"
        "                             in evidence, summaries and system{}\n"
        "      --timeout SECONDS      give up on an input after SECONDS\n"
        "      --max-total-bytes N    bytes read from one input (default 8G)\n"
        "      --max-member-bytes N   bytes read from one member (default 1G)\n"
        "      --max-members N        members of one input (default 25000)\n"
        "      --max-depth N          archive nesting depth (default 4)\n"
        "      --max-line-bytes N     longer lines are cut (default 64K)\n"
        "      --max-records N        records kept per kind (default 1000000)\n"
        "      --max-record-bytes N   memory for the records kept and their\n"
        "                             share of the report (default 32M)\n"
        "\n"
        "  -h, --help                 this help\n"
        "  -V, --version              version of the tool, library and schema\n"
        "\n"
        "exit: 0 analysed, 1 --fail-on met, 2 usage, 3 rules invalid,\n"
        "      4 an input could not be read. See memforensics(1).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        mf_cli_error(NULL, "no command given (try --help)");
        return MF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage();
        return MF_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("memforensics %s (library %s, report schema %d)\n",
               MF_VERSION_STRING, mf_version(), MF_SCHEMA_VERSION);
        return MF_EXIT_OK;
    }
    if (strcmp(cmd, "analyze") == 0)
        return mf_cmd_analyze(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "parse") == 0)
        return mf_cmd_analyze(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "facts") == 0)
        return mf_cmd_facts(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return mf_cmd_rules(argc - 1, argv + 1);
    mf_cli_error(NULL, "unknown command '%s' (try --help)", cmd);
    return MF_EXIT_USAGE;
}
