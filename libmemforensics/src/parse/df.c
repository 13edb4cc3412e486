/* df.c - `df` / `df -k` / `df -h` / `df -T` output; tmpfs rows only
 * (filesystem or type tmpfs, shm, devtmpfs is left out: it is not RAM).
 * A long filesystem name wraps its numbers onto the next line. Each
 * header starts a snapshot. Rows: mount, used kB (v0), size kB (v1). */
#include <string.h>

#include "parse/snapparse.h"

typedef struct df_state {
    mf_snapcur c;
    int type_col;   /* -1 without -T */
    double unit_kb; /* 1 for 1K-blocks; 1 with -h suffixes */
    bool header;
    bool wrapped_tmpfs; /* the previous line was a lone tmpfs name */
    bool wrapped;
} df_state;

static int df_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    if (mf_memmem(head, len, "Filesystem", 10) &&
        mf_memmem(head, len, "Mounted on", 10) && mf_memmem(head, len, "tmpfs", 5))
        return 85;
    return 0;
}

static void *df_open(mf_parse_ctx *pc)
{
    df_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s) {
        mf_snapcur_init(&s->c, MF_SNAP_DF);
        s->type_col = -1;
    }
    return s;
}

static bool is_tmpfs(mf_tok t)
{
    return mf_tok_eq(t, "tmpfs") || mf_tok_eq(t, "shm") || mf_tok_eq(t, "shmfs") ||
           mf_tok_eq(t, "ramfs");
}

static int df_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    df_state *s = state;
    if (mf_line_blank(l))
        return 0;
    if (mf_snapcur_time_line(&s->c, pc, l))
        return 0;
    mf_tok t[10];
    size_t n = mf_tokens(l->text, l->len, t, 10);
    if (n >= 5 && mf_tok_eq(t[0], "Filesystem")) {
        s->header = true;
        s->type_col = mf_tok_eq(t[1], "Type") ? 1 : -1;
        s->unit_kb = 1;
        mf_tok b = t[s->type_col == 1 ? 2 : 1];
        if (b.len > 7 && mf_memmem(b.s, b.len, "-blocks", 7)) {
            int64_t kb;
            mf_tok u = {b.s, b.len - 7};
            if (mf_tok_kb(u, 1.0 / 1024, &kb) && kb > 0)
                s->unit_kb = (double)kb;
            else if (u.len == 2 && u.s[0] == '1' && (u.s[1] | 0x20) == 'k')
                s->unit_kb = 1;
        }
        return mf_snapcur_begin(&s->c, pc, l->lineno) ? 0 : -1;
    }
    if (!s->header) {
        mf_snapcur_bad(&s->c, pc, l, "df line before its header");
        return 0;
    }
    size_t first = 0;
    bool tmp;
    if (n == 1) { /* a long filesystem name alone */
        s->wrapped = true;
        s->wrapped_tmpfs = is_tmpfs(t[0]);
        return 0;
    }
    if (s->wrapped) {
        tmp = s->wrapped_tmpfs;
        first = 0;
        s->wrapped = false;
    } else {
        tmp = is_tmpfs(t[0]) || (s->type_col == 1 && n > 1 && is_tmpfs(t[1]));
        first = s->type_col == 1 ? 2 : 1;
    }
    if (n < first + 5) {
        mf_snapcur_bad(&s->c, pc, l, "df row");
        return 0;
    }
    if (!tmp)
        return 0;
    int64_t size, used;
    if (!mf_tok_kb(t[first], s->unit_kb, &size) ||
        !mf_tok_kb(t[first + 1], s->unit_kb, &used)) {
        mf_snapcur_bad(&s->c, pc, l, "df numbers");
        return 0;
    }
    mf_tok mnt = t[first + 4];
    const char *me = l->text + l->len;
    while (me > mnt.s && (me[-1] == ' ' || me[-1] == '\r'))
        me--;
    void *p;
    if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.named, l->lineno, &p) < 0)
        return -1;
    if (!p)
        return 0;
    mf_named_row *r = p;
    r->name = mf_strtab_intern(&pc->ev->snaps.names, mnt.s, (size_t)(me - mnt.s));
    r->v0 = used;
    r->v1 = size;
    r->line = l->lineno;
    return r->name == UINT32_MAX ? -1 : 0;
}

static void df_close(void *state, mf_parse_ctx *pc)
{
    df_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_df = {
    "tmpfs-df", "`df` output, tmpfs rows", df_bid, false,
    df_open, df_line, NULL, df_close,
};
