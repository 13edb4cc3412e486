#include <string.h>

#include "parse/module.h"

extern const mf_module mf_module_kernel_log;
extern const mf_module mf_module_meminfo;
extern const mf_module mf_module_kmemleak;
extern const mf_module mf_module_logcat;
extern const mf_module mf_module_eventlog;
extern const mf_module mf_module_net_raw6;
extern const mf_module mf_module_net_raw;
extern const mf_module mf_module_net_udp6;
extern const mf_module mf_module_net_udp;
extern const mf_module mf_module_sockstat;
extern const mf_module mf_module_netstat;
extern const mf_module mf_module_ss;
extern const mf_module mf_module_rt6_stats;
extern const mf_module mf_module_net_dev;
extern const mf_module mf_module_ethtool;
extern const mf_module mf_module_ip_rule;
extern const mf_module mf_module_sysctl;
extern const mf_module mf_module_kconfig;
extern const mf_module mf_module_uname;
extern const mf_module mf_module_os_release;
extern const mf_module mf_module_uwsgi;
extern const mf_module mf_module_slabinfo;
extern const mf_module mf_module_slabtop;
extern const mf_module mf_module_slab_sysfs;
extern const mf_module mf_module_buddyinfo;
extern const mf_module mf_module_pagetypeinfo;
extern const mf_module mf_module_vmallocinfo;
extern const mf_module mf_module_zoneinfo;
extern const mf_module mf_module_vmstat;
extern const mf_module mf_module_psi;
extern const mf_module mf_module_procs;
extern const mf_module mf_module_proc_status;
extern const mf_module mf_module_du;
extern const mf_module mf_module_df;
extern const mf_module mf_module_free;

/* The one place a new input kind is added. */
const mf_module *const mf_modules[] = {
    &mf_module_kernel_log,
    &mf_module_meminfo,
    &mf_module_kmemleak,
    &mf_module_logcat,
    &mf_module_eventlog,
    &mf_module_net_raw6,
    &mf_module_net_raw,
    &mf_module_net_udp6,
    &mf_module_net_udp,
    &mf_module_sockstat,
    &mf_module_netstat,
    &mf_module_ss,
    &mf_module_rt6_stats,
    &mf_module_net_dev,
    &mf_module_ethtool,
    &mf_module_ip_rule,
    &mf_module_sysctl,
    &mf_module_kconfig,
    &mf_module_uname,
    &mf_module_os_release,
    &mf_module_uwsgi,
    &mf_module_slabinfo,
    &mf_module_slabtop,
    &mf_module_slab_sysfs,
    &mf_module_buddyinfo,
    &mf_module_pagetypeinfo,
    &mf_module_vmallocinfo,
    &mf_module_zoneinfo,
    &mf_module_vmstat,
    &mf_module_psi,
    &mf_module_procs,
    &mf_module_proc_status,
    &mf_module_du,
    &mf_module_df,
    &mf_module_free,
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
