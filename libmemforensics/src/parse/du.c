/* du.c - `du` listings of tmpfs (`du -k /dev/shm`, `du -ah /run`): SIZE,
 * a tab, PATH; sizes in KiB or with K/M/G suffixes. du prints a folder
 * after its contents, so the first path seen again starts the next
 * snapshot of a capture loop. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct du_state {
    mf_snapcur c;
    uint32_t first;
} du_state;

static bool du_row(const char *s, size_t len, size_t *tab)
{
    const char *t = memchr(s, '\t', len);
    if (!t || t == s || (size_t)(t - s) > 12 || t + 1 >= s + len || t[1] != '/')
        return false;
    for (const char *p = s; p < t; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == ',' || *p == 'K' ||
              *p == 'M' || *p == 'G' || *p == 'T' || *p == 'k'))
            return false;
    *tab = (size_t)(t - s);
    return true;
}

static int du_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    int rows = 0, lines = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 30) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = (size_t)((nl ? nl : end) - p), tab;
        if (du_row(p, ll, &tab))
            rows++;
        lines++;
        p = nl ? nl + 1 : end;
    }
    return rows >= 2 && rows * 2 >= lines ? 75 : 0;
}

static void *du_open(mf_parse_ctx *pc)
{
    du_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s) {
        mf_snapcur_init(&s->c, MF_SNAP_DU);
        s->first = UINT32_MAX;
    }
    return s;
}

static int du_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    du_state *s = state;
    if (mf_line_blank(l))
        return 0;
    size_t tab;
    int64_t kb;
    mf_tok size = {l->text, 0};
    if (!du_row(l->text, l->len, &tab) ||
        (size.len = tab, !mf_tok_kb(size, 1, &kb))) {
        if (mf_snapcur_time_line(&s->c, pc, l)) {
            s->first = UINT32_MAX;
            return 0;
        }
        mf_snapcur_bad(&s->c, pc, l, "du line");
        return 0;
    }
    const char *ps = l->text + tab + 1, *pe = l->text + l->len;
    while (pe > ps && (pe[-1] == '\r' || pe[-1] == ' '))
        pe--;
    if (pe - ps > 1 && pe[-1] == '/')
        pe--;
    uint32_t id = mf_strtab_intern(&pc->ev->snaps.names, ps,
                                   (size_t)(pe - ps) > 200 ? 200 : (size_t)(pe - ps));
    if (id == UINT32_MAX)
        return -1;
    if (id == s->first || s->c.snap < 0) {
        if (!mf_snapcur_begin(&s->c, pc, l->lineno))
            return -1;
        s->first = id;
    }
    void *p;
    if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.named, l->lineno, &p) < 0)
        return -1;
    if (p) {
        mf_named_row *r = p;
        r->name = id;
        r->v0 = kb;
        r->line = l->lineno;
    }
    return 0;
}

static void du_close(void *state, mf_parse_ctx *pc)
{
    du_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_du = {
    "tmpfs-du", "`du` listings of tmpfs", du_bid, false,
    du_open, du_line, NULL, du_close,
};
