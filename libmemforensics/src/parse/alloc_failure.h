/* alloc_failure.h - page allocation failures and stalls, vmalloc failures,
 * in kernel logs (every variant 2.6.32 → 6.x), and the one piece of show_mem
 * they need: the buddy lines. */
#ifndef MF_PARSE_ALLOC_FAILURE_H
#define MF_PARSE_ALLOC_FAILURE_H

#include "model/events.h"
#include "parse/kernel_log.h"

/* Parse a show_mem buddy line "[Node N ]ZONE: 45*4kB (U) 40*8kB … = 17476kB"
 * into `out`. Returns true when the line is one. The one place buddy text
 * is read for allocation failures (src/parse/showmem.c may take over). */
bool mf_buddy_line_parse(const char *s, size_t n, mf_buddy_zone *out);

extern const mf_klog_reader mf_klog_alloc_failure;

#endif
