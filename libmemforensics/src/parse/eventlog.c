/* eventlog.c - the Android event log (`logcat -b events`, the bugreport's
 * EVENT LOG section): binary events printed by logcat as
 *   08-06 15:35:12.345  1017  1033 I am_kill : [0,21044,com.foo,906,empty #17]
 * Read: am_kill and killinfo (kills), am_low_memory (memory pressure). */
#include <string.h>

#include "parse/lmk.h"
#include "parse/logcat_head.h"

static int eventlog_bid(const char *path, const char *head, size_t len)
{
    mf_logcat_head h;
    mf_logcat_head_scan(head, len, &h);
    int bid = 0;
    if (h.threadtime > 0 && (h.threadtime + h.banners) * 2 >= h.lines &&
        h.events * 2 > h.threadtime)
        bid = 90;
    else if (h.events > 0 && (strstr(path, "EVENT LOG") || strstr(path, "events")))
        bid = 70;
    return bid;
}

static int eventlog_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    (void)state;
    return mf_eventlog_message(pc, m);
}

const mf_module mf_module_eventlog = {
    "event-log",
    "Android event log (logcat -b events): am_kill, killinfo, am_low_memory",
    eventlog_bid,
    true,
    NULL,
    NULL,
    eventlog_message,
    NULL,
};
