#include <string.h>

#include "parse/module.h"

extern const mf_module mf_module_kernel_log;
extern const mf_module mf_module_meminfo;

/* The one place a new input kind is added. */
const mf_module *const mf_modules[] = {
    &mf_module_kernel_log,
    &mf_module_meminfo,
    NULL,
};

const mf_module *mf_classify(const char *path, const char *head, size_t len)
{
    const mf_module *best = NULL;
    int best_bid = 0;
    for (size_t i = 0; mf_modules[i]; i++) {
        int bid = mf_modules[i]->bid(path, head, len);
        if (bid > best_bid) { /* ties go to the earlier module */
            best_bid = bid;
            best = mf_modules[i];
        }
    }
    return best;
}

const mf_module *mf_classify_member(const char *path, const char *origin,
                                    const char *head, size_t len)
{
    if (!origin)
        return mf_classify(path, head, len);
    const mf_module *best = NULL;
    int best_bid = 0;
    for (size_t i = 0; mf_modules[i]; i++) {
        int bid = mf_modules[i]->bid(path, head, len);
        int by_origin = mf_modules[i]->bid(origin, head, len);
        if (by_origin > bid)
            bid = by_origin;
        if (bid > best_bid) {
            best_bid = bid;
            best = mf_modules[i];
        }
    }
    return best;
}

bool mf_path_basename_is(const char *path, const char *name)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '!' || *p == '#')
            base = p + 1;
    return strcmp(base, name) == 0;
}

int mf_head_count_lines_with(const char *head, size_t len, const char *needle,
                             int max_lines)
{
    int count = 0, lines = 0;
    size_t nlen = strlen(needle);
    const char *p = head, *end = head + len;
    while (p < end && lines < max_lines) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (mf_memmem(p, (size_t)(le - p), needle, nlen))
            count++;
        lines++;
        p = nl ? nl + 1 : end;
    }
    return count;
}
