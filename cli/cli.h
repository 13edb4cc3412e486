/* cli.h - the memforensics command: a thin client of memforensics.h. One
 * file per subcommand. Exit codes (DESIGN.md): 0 analysed, 1 --fail-on
 * threshold met, 2 usage, 3 rule files invalid, 4 an input could not be
 * read at all; with several paths the worst wins in the order 2 > 4 > 1 > 0. */
#ifndef MF_CLI_H
#define MF_CLI_H

#define MF_EXIT_OK 0
#define MF_EXIT_FAIL_ON 1
#define MF_EXIT_USAGE 2
#define MF_EXIT_RULES 3
#define MF_EXIT_INPUT 4

extern const char *mf_cli_name; /* "memforensics" */

int mf_cmd_analyze(int argc, char **argv, int evidence_only);
int mf_cmd_facts(int argc, char **argv);
int mf_cmd_rules(int argc, char **argv);

/* The embedded rules, plus the rules of `dir` (NULL: none) on top of them.
 * Prints every problem and returns MF_EXIT_RULES when a file is invalid. */
struct mf_ruleset;
int mf_cli_load_rules(const char *dir, struct mf_ruleset **out);

/* One-line error on stderr: "memforensics: <what>: <message>". */
void mf_cli_error(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Combine two exit codes by precedence 2 > 4 > 1 > 0 (3 ranks with 2). */
int mf_cli_worst(int a, int b);

#endif
