/* logcat_head.h - what the logcat and event-log bidders look at: lines of
 * `logcat -v threadtime` (with or without `-v uid`) in a member's head. */
#ifndef MF_PARSE_LOGCAT_HEAD_H
#define MF_PARSE_LOGCAT_HEAD_H

#include <stddef.h>

typedef struct mf_logcat_head {
    int lines;      /* non-empty lines looked at */
    int threadtime; /* lines starting "MM-DD HH:MM:SS.mmm " */
    int events;     /* of those: event-log tags ("am_kill : [0,…]") */
    int kernel;     /* of those: tag kernel */
    int banners;    /* "--------- beginning of …" */
} mf_logcat_head;

void mf_logcat_head_scan(const char *head, size_t len, mf_logcat_head *out);

#endif
