/* system.c - system{} facts: the kernel the device ran and its architecture.
 *
 * The release is the one of the last `Linux version` banner read: bundles
 * list older logs (last_kmsg, rotated files) before the current dmesg in
 * most layouts, and a kernel update shows as a later boot. */
#include <stdint.h>
#include <string.h>

#include "analyze/analyze.h"
#include "parse/kernel_log.h"
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

/* Year and month of an epoch second (UTC). */
static void civil_from_epoch(int64_t t, int *year, int *month)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    /* inverse of mf_days_from_civil (H. Hinnant's algorithm) */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)((int64_t)yoe + era * 400 + (m <= 2));
    *month = (int)m;
}

/* The date year-less stamps borrow their year from, in order of trust:
 * the bundle's capture time, the newest dated log line, the newest archive
 * entry mtime (never a checkout's file mtime). */
static void choose_date_ref(mf_evidence *ev)
{
    mf_date_ref best = {MF_DATE_NONE, 0, 0, -1, 0};
    int64_t newest_capture = INT64_MIN, newest_mtime = INT64_MIN;
    int32_t cap_member = -1, mtime_member = -1;
    for (size_t i = 0; i < ev->members.len; i++) {
        const mf_member *m = mf_vec_at(&ev->members, i);
        if (m->has_capture_time && m->capture_time > newest_capture) {
            newest_capture = m->capture_time;
            cap_member = (int32_t)i;
        }
        if (m->mtime_source == MF_MTIME_ARCHIVE && m->mtime > newest_mtime) {
            newest_mtime = m->mtime;
            mtime_member = (int32_t)i;
        }
    }
    if (cap_member >= 0) {
        best.basis = MF_DATE_CAPTURE;
        best.member = cap_member;
        civil_from_epoch(newest_capture, &best.year, &best.month);
    } else if (ev->log_date.basis == MF_DATE_LOG) {
        best = ev->log_date;
    } else if (mtime_member >= 0) {
        best.basis = MF_DATE_ARCHIVE_MTIME;
        best.member = mtime_member;
        civil_from_epoch(newest_mtime, &best.year, &best.month);
    }
    ev->date_ref = best;
}

int mf_analyze_evidence(mf_evidence *ev)
{
    choose_date_ref(ev);
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
    if (last && copy_fact(ev, &ev->system.kernel_version,
                          last->upstream ? last->upstream : last->release,
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
    int stop;
    if ((stop = mf_evidence_check(ev)) != 0)
        return stop;
    if (mf_analyze_events(ev) < 0)
        return MF_ENOMEM;
    if ((stop = mf_evidence_check(ev)) != 0)
        return stop;
    if (mf_analyze_oom(ev) < 0)
        return MF_ENOMEM;
    if ((stop = mf_evidence_check(ev)) != 0)
        return stop;
    if (mf_analyze_snapshots(ev) < 0)
        return MF_ENOMEM;
    if ((stop = mf_evidence_check(ev)) != 0)
        return stop;
    /* last: byte order needs the final system.arch */
    if (mf_analyze_netcfg(ev) < 0)
        return MF_ENOMEM;
    /* a release from uname alone: the upstream version uname states, else
     * the release itself */
    const mf_strfact *rel = &ev->system.kernel_release;
    if (!ev->system.kernel_version.value && rel->value) {
        const char *text = rel->text ? rel->text : rel->value;
        char *up = mf_distro_upstream(ev, text, text + strlen(text));
        int rc = copy_fact(ev, &ev->system.kernel_version, up ? up : rel->value,
                           rel->loc, text);
        mf_free(ev->alloc, up);
        if (rc < 0)
            return MF_ENOMEM;
    }
    return 0;
}
