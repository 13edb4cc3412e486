/* lmk.h - low-memory-killer kills, shared by the kernel-log reader, the
 * logcat module and the event-log module:
 *   the in-kernel Android lowmemorykiller (kernel logs, logcat tag kernel),
 *   userspace lmkd (logcat tags lowmemorykiller / lmkd),
 *   ActivityManager's am_kill / am_low_memory and lmkd's killinfo events. */
#ifndef MF_PARSE_LMK_H
#define MF_PARSE_LMK_H

#include "parse/kernel_log.h"

/* Per-member state of a multi-line kill report (kernel or lmkd 8.x). */
typedef struct mf_lmk_state {
    long kcur;       /* open kernel kill, -1 none */
    uint32_t ksince;
    long dcur;       /* open lmkd kill, -1 none */
    uint32_t dsince;
} mf_lmk_state;

void mf_lmk_state_init(mf_lmk_state *st);
/* A kernel message (prefixes removed). Returns 0 or -1 out of memory. */
int mf_lmk_kernel_message(mf_lmk_state *st, mf_parse_ctx *pc,
                          const mf_logmsg *m, const char *s, size_t n);
/* An lmkd message (tag lowmemorykiller or lmkd). */
int mf_lmkd_message(mf_lmk_state *st, mf_parse_ctx *pc, const mf_logmsg *m);
/* Is `tag` an lmkd tag? */
bool mf_lmkd_tag(const char *tag, size_t n);
/* An event-log message: am_kill, am_low_memory, killinfo (by m->ident);
 * others are ignored. */
int mf_eventlog_message(mf_parse_ctx *pc, const mf_logmsg *m);

extern const mf_klog_reader mf_klog_lmk;

#endif
