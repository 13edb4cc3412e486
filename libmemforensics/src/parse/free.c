/* free.c - `free` output (procps 3.3+ `total used free shared buff/cache
 * available`, older procps and busybox `total used free shared buffers
 * cached`, `free -h` suffixes). Values become meminfo keys (MemTotal,
 * MemFree, Shmem, Buffers, Cached, MemAvailable, SwapTotal, SwapFree) so
 * the meminfo trends read them when no /proc/meminfo was captured. A bare
 * number is taken as kB (free's default). Each header starts a snapshot. */
#include <string.h>

#include "parse/snapparse.h"

typedef struct free_state {
    mf_snapcur c;
    const char *col[8]; /* meminfo key of each column, NULL to skip */
    size_t ncol;
} free_state;

static int free_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    if (mf_memmem(head, len, "total", 5) && mf_memmem(head, len, "used", 4) &&
        mf_memmem(head, len, "\nMem:", 5) &&
        (mf_memmem(head, len, "available", 9) ||
         mf_memmem(head, len, "buffers", 7) || mf_memmem(head, len, "\nSwap:", 6)))
        return 85;
    return 0;
}

static void *free_open(mf_parse_ctx *pc)
{
    free_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s)
        mf_snapcur_init(&s->c, MF_SNAP_FREE);
    return s;
}

static int put(free_state *s, mf_parse_ctx *pc, const mf_line *l,
               const char *key, int64_t v)
{
    void *p;
    if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.named, l->lineno, &p) < 0)
        return -1;
    if (!p)
        return 0;
    mf_named_row *r = p;
    r->name = mf_strtab_intern(&pc->ev->snaps.names, key, strlen(key));
    r->v0 = v;
    r->line = l->lineno;
    return r->name == UINT32_MAX ? -1 : 0;
}

static int free_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    free_state *s = state;
    if (mf_line_blank(l))
        return 0;
    mf_tok t[10];
    size_t n = mf_tokens(l->text, l->len, t, 10);
    if (n >= 3 && mf_tok_eq(t[0], "total") && mf_tok_eq(t[1], "used")) {
        s->ncol = n < 8 ? n : 8;
        for (size_t i = 0; i < s->ncol; i++) {
            s->col[i] = mf_tok_eq(t[i], "total")       ? "MemTotal"
                        : mf_tok_eq(t[i], "free")      ? "MemFree"
                        : mf_tok_eq(t[i], "shared")    ? "Shmem"
                        : mf_tok_eq(t[i], "buffers")   ? "Buffers"
                        : mf_tok_eq(t[i], "cached")    ? "Cached"
                        : mf_tok_eq(t[i], "available") ? "MemAvailable"
                                                       : NULL;
        }
        return mf_snapcur_begin(&s->c, pc, l->lineno) ? 0 : -1;
    }
    bool mem = n >= 2 && mf_tok_eq(t[0], "Mem:");
    bool swap = n >= 2 && mf_tok_eq(t[0], "Swap:");
    if (n >= 1 && (mf_tok_eq(t[0], "-/+") || mf_tok_eq(t[0], "Total:") ||
                   mf_tok_eq(t[0], "Low:") || mf_tok_eq(t[0], "High:")))
        return 0;
    if ((!mem && !swap) || s->ncol == 0) {
        if (!mf_snapcur_time_line(&s->c, pc, l))
            mf_snapcur_bad(&s->c, pc, l, "free line");
        return 0;
    }
    int64_t v[8];
    size_t nv = n - 1 < s->ncol ? n - 1 : s->ncol;
    for (size_t i = 0; i < nv; i++)
        if (!mf_tok_kb(t[i + 1], 1, &v[i])) {
            mf_snapcur_bad(&s->c, pc, l, "free value");
            return 0;
        }
    for (size_t i = 0; i < nv; i++) {
        const char *k = s->col[i];
        if (swap)
            k = i == 0 ? "SwapTotal" : (s->col[i] && strcmp(s->col[i], "MemFree") == 0)
                                           ? "SwapFree" : NULL;
        if (k && put(s, pc, l, k, v[i]) < 0)
            return -1;
    }
    return 0;
}

static void free_close(void *state, mf_parse_ctx *pc)
{
    free_state *s = state;
    mf_snapcur_close(&s->c, pc);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_free = {
    "free", "`free` output (mapped to meminfo keys)", free_bid, false,
    free_open, free_line, NULL, free_close,
};
