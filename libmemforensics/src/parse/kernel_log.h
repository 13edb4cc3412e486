/* kernel_log.h - readers of kernel messages.
 *
 * The kernel-log module hands every normalised message to each reader in
 * its table (kernel_log.c), in order. A reader recognises its own reports
 * (the boot banner, OOM reports, allocation failures, low-memory-killer
 * kills, kmemleak lines ...) by cheap literal checks first, keeps its
 * per-member state, and records typed evidence with source locations.
 * Readers must tolerate other messages interleaved inside their reports. */
#ifndef MF_KERNEL_LOG_H
#define MF_KERNEL_LOG_H

#include "parse/module.h"

typedef struct mf_klog_reader {
    const char *name;
    /* Per-member state, or NULL for a stateless reader (then open may be
     * NULL too). Return NULL only on allocation failure when stateful. */
    void *(*open)(mf_parse_ctx *pc);
    int (*message)(void *state, mf_parse_ctx *pc, const mf_logmsg *msg);
    /* End of the member: finish open reports (they may be truncated) and
     * free the state. */
    void (*close)(void *state, mf_parse_ctx *pc);
    bool stateful; /* open() must return non-NULL */
} mf_klog_reader;

/* The upstream version a distribution states in a banner or `uname -a`
 * after the build tag ("#1 SMP Debian 5.10.162-1"), newly allocated, or
 * NULL. */
char *mf_distro_upstream(mf_evidence *ev, const char *s, const char *end);

/* The banner reader: kernel release and architecture. */
extern const mf_klog_reader mf_klog_banner;

#endif
