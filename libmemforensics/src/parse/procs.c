/* procs.c - process lists: `ps aux`, `ps -o pid,rss,comm` and Android
 * `ps -A` (RSS in kB), `top -b` (RES in KiB or with m/g suffixes) and
 * procrank (Rss with a K suffix). The header names the columns; each
 * header after rows (or each `top -` summary, or time line) starts a
 * snapshot. Rows keep the process name, pid and resident set in kB. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct ps_state {
    mf_snapcur c;
    int pid_col, rss_col, name_col, ncol;
    bool name_rest; /* the name column runs to the end of the line */
} ps_state;

static int procs_bid(const char *path, const char *head, size_t len)
{
    /* a header line naming both the pid and the resident set */
    static const char *const h1[] = {"PID", " RSS", NULL};
    static const char *const h2[] = {"PID", " RES ", NULL};
    static const char *const h3[] = {"PID", " Rss ", NULL};
    bool hdr = mf_head_count_lines(head, len, "", false, h1, 40) +
                   mf_head_count_lines(head, len, "", false, h2, 40) +
                   mf_head_count_lines(head, len, "", false, h3, 40) > 0;
    if (!hdr)
        return 0;
    if (len >= 6 && memcmp(head, "top - ", 6) == 0)
        return 90;
    if (mf_memmem(head, len, "cmdline", 7) || mf_memmem(head, len, "COMMAND", 7) ||
        mf_memmem(head, len, " NAME", 5) || mf_memmem(head, len, " CMD", 4) ||
        mf_memmem(head, len, " COMM", 5) || mf_memmem(head, len, " ARGS", 5))
        return mf_memmem(path, strlen(path), "procrank", 8) ? 90 : 80;
    return 0;
}

static void *ps_open(mf_parse_ctx *pc)
{
    ps_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s) {
        mf_snapcur_init(&s->c, MF_SNAP_PROCS);
        s->pid_col = -1;
    }
    return s;
}

static bool header(ps_state *s, const mf_tok *t, size_t n)
{
    int pid = -1, rss = -1, name = -1;
    bool rest = false;
    for (size_t i = 0; i < n; i++) {
        if (mf_tok_eq(t[i], "PID"))
            pid = (int)i;
        else if (mf_tok_eq(t[i], "RSS") || mf_tok_eq(t[i], "RES") ||
                 mf_tok_eq(t[i], "Rss"))
            rss = (int)i;
        else if (mf_tok_eq(t[i], "COMMAND") || mf_tok_eq(t[i], "CMD") ||
                 mf_tok_eq(t[i], "ARGS") || mf_tok_eq(t[i], "cmdline") ||
                 mf_tok_eq(t[i], "NAME") || mf_tok_eq(t[i], "COMM") ||
                 mf_tok_eq(t[i], "Name")) {
            name = (int)i;
            rest = i == n - 1;
        }
    }
    if (pid < 0 || rss < 0 || name < 0)
        return false;
    s->pid_col = pid;
    s->rss_col = rss;
    s->name_col = name;
    s->ncol = (int)n;
    s->name_rest = rest;
    return true;
}

static int ps_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    ps_state *s = state;
    if (mf_line_blank(l))
        return 0;
    if (mf_starts_with(l->text, l->len, "top - ")) {
        s->pid_col = -1;
        return mf_snapcur_begin(&s->c, pc, l->lineno) ? 0 : -1;
    }
    mf_tok t[32];
    size_t n = mf_tokens(l->text, l->len, t, 32);
    if (n >= 3 && header(s, t, n)) {
        mf_snap *sn = s->c.snap < 0 ? NULL
                      : mf_vec_at(&pc->ev->snaps.snaps, (size_t)s->c.snap);
        if ((!sn || sn->row_count > 0) && !mf_snapcur_begin(&s->c, pc, l->lineno))
            return -1;
        return 0;
    }
    uint64_t pid;
    if (n > 0 && mf_tok_eq(t[n - 1], "TOTAL"))
        return 0; /* procrank's sum */
    if (s->pid_col < 0 || n < (size_t)s->ncol ||
        !mf_tok_u64(t[s->pid_col], &pid)) {
        /* summary lines of top and procrank, a time line, or noise */
        if (!mf_snapcur_time_line(&s->c, pc, l) && s->pid_col >= 0 && n > 0 &&
            t[0].s[0] >= '0' && t[0].s[0] <= '9')
            mf_snapcur_bad(&s->c, pc, l, "process row");
        return 0;
    }
    int64_t rss;
    /* ps gives kB; top's RES is KiB unless suffixed; procrank says K */
    if (!mf_tok_kb(t[s->rss_col], 1, &rss)) {
        mf_snapcur_bad(&s->c, pc, l, "process RSS");
        return 0;
    }
    /* a ps aux COMMAND may hold spaces: with the name last, columns after
     * the header's count belong to it; take its first word */
    size_t ni = (size_t)s->name_col;
    if (!s->name_rest && n != (size_t)s->ncol) {
        mf_snapcur_bad(&s->c, pc, l, "process row columns");
        return 0;
    }
    mf_tok nm = t[ni];
    if (nm.len > 1 && nm.s[0] == '/') {
        const char *b = nm.s;
        for (size_t i = 0; i < nm.len; i++)
            if (nm.s[i] == '/' && i + 1 < nm.len)
                b = nm.s + i + 1;
        nm.len -= (size_t)(b - nm.s);
        nm.s = b;
    }
    if (nm.len > 1 && nm.s[nm.len - 1] == ':')
        nm.len--; /* "php-fpm: pool www", "postgres: checkpointer" */
    if (nm.len > 64)
        nm.len = 64;
    void *p;
    if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.named, l->lineno, &p) < 0)
        return -1;
    if (!p)
        return 0;
    mf_named_row *r = p;
    r->name = mf_strtab_intern(&pc->ev->snaps.names, nm.s, nm.len);
    r->v0 = rss;
    r->v1 = (int64_t)pid;
    r->line = l->lineno;
    return r->name == UINT32_MAX ? -1 : 0;
}

static void ps_close(void *state, mf_parse_ctx *pc)
{
    ps_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_procs = {
    "process-list", "ps aux, ps -o, top -b, procrank", procs_bid, false,
    ps_open, ps_line, NULL, ps_close,
};
