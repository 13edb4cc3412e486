/* logcat.c - Android logcat text (`logcat -v threadtime`, with or without
 * `-v uid`; bugreport SYSTEM LOG sections; FS/data/misc/logd files).
 *
 * The normaliser parses the logcat prefix (time, uid, pid, tid, level, tag).
 * This module reads the kills: lmkd (tags lowmemorykiller and lmkd), the
 * in-kernel lowmemorykiller when kernel messages are merged in (tag kernel),
 * and event-log tags when the buffers are mixed (`logcat -b all`). */
#include <string.h>

#include "parse/lmk.h"
#include "parse/logcat_head.h"

static bool is_threadtime(const char *p, size_t n)
{
    return n >= 20 && p[2] == '-' && p[5] == ' ' && p[8] == ':' &&
           p[11] == ':' && p[14] == '.' && p[0] >= '0' && p[0] <= '1' &&
           p[3] >= '0' && p[3] <= '3';
}

void mf_logcat_head_scan(const char *head, size_t len, mf_logcat_head *out)
{
    memset(out, 0, sizeof *out);
    const char *p = head, *end = head + len;
    while (p < end && out->lines < 60) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t n = (size_t)(le - p);
        if (!nl && p != head)
            break; /* a cut last line says little */
        if (n > 0 && !(n == 1 && *p == '\r')) {
            out->lines++;
            if (n >= 22 && memcmp(p, "--------- beginning of ", 22) == 0) {
                out->banners++;
            } else if (is_threadtime(p, n)) {
                out->threadtime++;
                /* the level letter, then the tag up to ':' */
                const char *q = p + 18;
                const char *lv = NULL;
                for (; q + 2 < le; q++)
                    if (q[0] == ' ' && q[2] == ' ' && strchr("VDIWEFAS", q[1]) &&
                        q[1]) {
                        lv = q + 1;
                        break;
                    }
                if (lv) {
                    const char *t = lv + 2, *c = t;
                    bool snake = true;
                    while (c < le && *c != ':') {
                        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                              *c == '_' || *c == ' '))
                            snake = false;
                        c++;
                    }
                    if (c - t >= 6 && memcmp(t, "kernel", 6) == 0 &&
                        (t[6] == ' ' || t[6] == ':'))
                        out->kernel++;
                    else if (snake && c < le && c > t) {
                        const char *v = c + 1;
                        while (v < le && *v == ' ')
                            v++;
                        if (v < le && (*v == '[' || *v == '-' || (*v >= '0' && *v <= '9')))
                            out->events++;
                    }
                }
            }
        }
        p = nl ? nl + 1 : end;
    }
}

static bool path_has(const char *path, const char *s)
{
    return strstr(path, s) != NULL;
}

static int logcat_bid(const char *path, const char *head, size_t len)
{
    mf_logcat_head h;
    mf_logcat_head_scan(head, len, &h);
    int bid = 0;
    if (h.threadtime > 0 && (h.threadtime + h.banners) * 2 >= h.lines) {
        bid = 85;
        if (h.events * 2 > h.threadtime)
            bid = 50; /* the event buffer: event-log bids higher */
        else if (h.kernel * 2 > h.threadtime)
            bid = 60; /* `logcat -b kernel`: the kernel-log module reads it */
    } else if (h.threadtime > 0) {
        bid = 40;
    }
    if (bid && (path_has(path, "SYSTEM LOG") || path_has(path, "logcat")))
        bid += 5;
    return bid;
}

static void *logcat_open(mf_parse_ctx *pc)
{
    mf_lmk_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (st)
        mf_lmk_state_init(st);
    return st;
}

static int logcat_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    mf_lmk_state *st = state;
    if (!m->ident || m->ident_len == 0)
        return 0;
    if (mf_lmkd_tag(m->ident, m->ident_len))
        return mf_lmkd_message(st, pc, m);
    if (m->from_kernel)
        return mf_lmk_kernel_message(st, pc, m, m->msg, m->len);
    char c = m->ident[0];
    if (c == 'a' || c == 'k')
        return mf_eventlog_message(pc, m);
    return 0;
}

static void logcat_close(void *state, mf_parse_ctx *pc)
{
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_logcat = {
    "logcat",
    "Android logcat text (threadtime, with or without uid): lmkd and kernel LMK kills",
    logcat_bid,
    true,
    logcat_open,
    NULL,
    logcat_message,
    logcat_close,
};
