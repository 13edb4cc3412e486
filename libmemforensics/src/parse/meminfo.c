/* meminfo.c - /proc/meminfo. Recognised now; the parser comes with the
 * snapshot-series work. */
#include <string.h>

#include "parse/module.h"

static int meminfo_bid(const char *path, const char *head, size_t len)
{
    int bid = mf_path_basename_is(path, "meminfo") ? 40 : 0;
    if (len >= 9 && memcmp(head, "MemTotal:", 9) == 0)
        bid = 95;
    else if (mf_memmem(head, len, "\nMemTotal:", 10) &&
             mf_memmem(head, len, "\nMemFree:", 9))
        bid = bid ? 80 : 60;
    return bid;
}

const mf_module mf_module_meminfo = {
    "meminfo", "/proc/meminfo snapshots", meminfo_bid, false,
    NULL,      NULL,                      NULL,        NULL,
};
