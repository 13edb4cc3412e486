/* oom.h - the OOM-killer reader of the kernel-log module (parse/oom.c).
 * Its records are in model/oom.h, its derived facts in analyze/oom.c. */
#ifndef MF_PARSE_OOM_H
#define MF_PARSE_OOM_H

#include "parse/kernel_log.h"

extern const mf_klog_reader mf_klog_oom;

#endif
