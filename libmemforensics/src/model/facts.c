/* facts.c - the fact registry: every report path a rule may test.
 *
 * One name for one fact, from parser to JSON to rule. A module that adds a
 * field to the report adds its row here; docs/facts.md is generated from
 * this table (`memforensics facts --markdown`) and a test keeps it current;
 * the rule checker rejects any path not listed. Keep rows sorted by path. */
#include "memforensics.h"

static const mf_fact_info facts[] = {
    {"input.complete", "boolean", "", "*",
     "false when a limit cut any member or the input could not be read whole"},
    {"input.members[]", "list", "", "*", "every member of the bundle, in reading order"},
    {"input.members[].error", "string", "", "*",
     "why the member was not read whole (capture error text, corruption, limit), or absent"},
    {"input.members[].kind", "string", "", "*",
     "the member kind the classifier chose (kernel-log, meminfo, ..., unknown)"},
    {"input.members[].path", "string", "", "*",
     "path inside the bundle (a.tar.gz!b/c.zip!d for nesting, file#SECTION for dumpstate sections)"},
    {"input.members[].size_bytes", "integer", "bytes", "*", "bytes of content read from the member"},
    {"input.members[].status", "string", "", "*",
     "parsed, recognised, unrecognised, corrupt, truncated, refused, encrypted, error or skipped-limit"},
    {"system.arch", "string", "", "kernel-log",
     "CPU architecture (x86_64, i686, arm, arm64, mips, powerpc, ...) from the kernel banner or boot messages"},
    {"system.kernel_release", "string", "", "kernel-log",
     "kernel release of the last boot seen, from its `Linux version` banner (e.g. 5.10.16-1-default)"},
};

size_t mf_fact_count(void)
{
    return sizeof facts / sizeof facts[0];
}

const mf_fact_info *mf_fact_at(size_t i)
{
    return i < mf_fact_count() ? &facts[i] : 0;
}
