/* system.c - system{} facts: the kernel the device ran and its architecture.
 *
 * The release is the one of the last `Linux version` banner read: bundles
 * list older logs (last_kmsg, rotated files) before the current dmesg in
 * most layouts, and a kernel update shows as a later boot. */
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/events.h"
#include "analyze/oom.h"
#include "analyze/snap.h"

static int copy_fact(mf_evidence *ev, mf_strfact *dst, const char *value,
                     mf_loc loc, const char *text)
{
    if (!value || !text)
        return MF_ENOMEM; /* the record lost a field to a failed allocation */
    return mf_strfact_set(ev, dst, value, strlen(value), loc, text,
                          strlen(text));
}

int mf_analyze_evidence(mf_evidence *ev)
{
    const mf_banner *last = NULL;
    const mf_banner *last_arch = NULL;
    for (size_t i = 0; i < ev->banners.len; i++) {
        const mf_banner *b = mf_vec_at(&ev->banners, i);
        if (!b->release || !b->text)
            continue;
        last = b;
        if (b->arch)
            last_arch = b;
    }
    if (last && copy_fact(ev, &ev->system.kernel_release, last->release,
                          last->loc, last->text) < 0)
        return MF_ENOMEM;
    if (last_arch && (!last || strcmp(last_arch->release, last->release) == 0)) {
        if (copy_fact(ev, &ev->system.arch, last_arch->arch, last_arch->loc,
                      last_arch->text) < 0)
            return MF_ENOMEM;
    } else if (ev->arch_hint.value) {
        if (copy_fact(ev, &ev->system.arch, ev->arch_hint.value,
                      ev->arch_hint.loc, ev->arch_hint.text) < 0)
            return MF_ENOMEM;
    }
    if (mf_analyze_events(ev) < 0)
        return MF_ENOMEM;
    if (mf_analyze_oom(ev) < 0)
        return MF_ENOMEM;
    if (mf_analyze_snapshots(ev) < 0)
        return MF_ENOMEM;
    /* last: byte order needs the final system.arch */
    return mf_analyze_netcfg(ev);
}
