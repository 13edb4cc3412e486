/* vmstat.c - /proc/vmstat: `name value` lines. The first key seen again
 * starts the next snapshot. Event counters only grow within a boot: the
 * series stage reads their decrease as a reboot. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct vs_state {
    mf_snapcur c;
    uint32_t first_key;
} vs_state;

static int vmstat_bid(const char *path, const char *head, size_t len)
{
    if (len >= 14 && memcmp(head, "nr_free_pages ", 14) == 0)
        return 95;
    if (mf_memmem(head, len, "\nnr_free_pages ", 15) &&
        mf_memmem(head, len, "\nnr_", 4))
        return 85;
    if (mf_path_basename_is(path, "vmstat") &&
        mf_head_count_lines_with(head, len, "nr_", 20) >= 5)
        return 70;
    return 0;
}

static void *vs_open(mf_parse_ctx *pc)
{
    vs_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s) {
        mf_snapcur_init(&s->c, MF_SNAP_VMSTAT);
        s->first_key = UINT32_MAX;
    }
    return s;
}

static int vs_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    vs_state *s = state;
    if (mf_line_blank(l))
        return 0;
    mf_tok t[3];
    size_t n = mf_tokens(l->text, l->len, t, 3);
    int64_t v;
    bool ok = n == 2 && t[0].s == l->text && t[0].len < 64 &&
              mf_tok_i64(t[1], &v);
    for (size_t i = 0; ok && i < t[0].len; i++) {
        char ch = t[0].s[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    }
    if (!ok) {
        if (mf_snapcur_time_line(&s->c, pc, l)) {
            s->first_key = UINT32_MAX;
            return 0;
        }
        mf_snapcur_bad(&s->c, pc, l, "vmstat line");
        return 0;
    }
    mf_snapstore *st = &pc->ev->snaps;
    uint32_t key = mf_strtab_intern(&st->names, t[0].s, t[0].len);
    if (key == UINT32_MAX)
        return -1;
    if (key == s->first_key || s->c.snap < 0) {
        if (!mf_snapcur_begin(&s->c, pc, l->lineno))
            return -1;
        s->first_key = key;
    }
    void *p;
    if (mf_snapcur_row(&s->c, pc, &st->named, l->lineno, &p) < 0)
        return -1;
    if (p) {
        mf_named_row *r = p;
        r->name = key;
        r->v0 = v;
        r->line = l->lineno;
    }
    return 0;
}

static void vs_close(void *state, mf_parse_ctx *pc)
{
    vs_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_vmstat = {
    "vmstat", "/proc/vmstat snapshots", vmstat_bid, false,
    vs_open, vs_line, NULL, vs_close,
};
