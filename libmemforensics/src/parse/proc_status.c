/* proc_status.c - /proc/PID/status, one or many (cat of every PID),
 * the Name, Pid and VmRSS of each process; kernel threads have no VmRSS.
 * One snapshot per member, or per capture-loop time line. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct st_state {
    mf_snapcur c;
    char name[65];
    size_t name_len;
    int64_t pid;
} st_state;

static int status_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    bool name = (len >= 5 && memcmp(head, "Name:", 5) == 0) ||
                mf_memmem(head, len, "\nName:", 6);
    if (name && mf_memmem(head, len, "\nPid:", 5) &&
        (mf_memmem(head, len, "\nVmRSS:", 7) || mf_memmem(head, len, "\nTgid:", 6)))
        return 95;
    return 0;
}

static void *st_open(mf_parse_ctx *pc)
{
    st_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s) {
        mf_snapcur_init(&s->c, MF_SNAP_PROC_STATUS);
        s->pid = -1;
    }
    return s;
}

static int st_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    st_state *s = state;
    const char *colon = memchr(l->text, ':', l->len);
    if (!colon) {
        if (!mf_line_blank(l) && !mf_snapcur_time_line(&s->c, pc, l))
            mf_snapcur_bad(&s->c, pc, l, "status line");
        return 0;
    }
    size_t kl = (size_t)(colon - l->text);
    mf_tok t[4];
    size_t n = mf_tokens(colon + 1, (size_t)(l->text + l->len - colon - 1), t, 4);
    if (kl == 4 && memcmp(l->text, "Name", 4) == 0) {
        /* the name is the rest of the line (it may hold spaces) */
        const char *a = colon + 1, *e = l->text + l->len;
        while (a < e && (*a == ' ' || *a == '\t'))
            a++;
        while (e > a && (e[-1] == '\r' || e[-1] == ' '))
            e--;
        s->name_len = (size_t)(e - a) > 64 ? 64 : (size_t)(e - a);
        memcpy(s->name, a, s->name_len);
        s->pid = -1;
        return 0;
    }
    if (kl == 3 && memcmp(l->text, "Pid", 3) == 0 && n >= 1) {
        if (!mf_tok_i64(t[0], &s->pid))
            mf_snapcur_bad(&s->c, pc, l, "status Pid");
        return 0;
    }
    if (kl == 5 && memcmp(l->text, "VmRSS", 5) == 0) {
        int64_t kb;
        if (n < 1 || !mf_tok_i64(t[0], &kb) || s->name_len == 0) {
            mf_snapcur_bad(&s->c, pc, l, "status VmRSS");
            return 0;
        }
        void *p;
        if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.named, l->lineno, &p) < 0)
            return -1;
        if (!p)
            return 0;
        mf_named_row *r = p;
        r->name = mf_strtab_intern(&pc->ev->snaps.names, s->name, s->name_len);
        r->v0 = kb;
        r->v1 = s->pid;
        r->line = l->lineno;
        return r->name == UINT32_MAX ? -1 : 0;
    }
    return 0;
}

static void st_close(void *state, mf_parse_ctx *pc)
{
    st_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_proc_status = {
    "proc-status", "/proc/PID/status (VmRSS per process)", status_bid, false,
    st_open, st_line, NULL, st_close,
};
