/* slab_sysfs.c - `ls -l /sys/kernel/slab`: each merged cache name is a
 * symlink to a `:[flags]-NNNNNNN` entry; names linking to the same entry
 * share one cache, and /proc/slabinfo shows only one of them. */
#include <string.h>

#include "parse/snapparse.h"

static int sysfs_bid(const char *path, const char *head, size_t len)
{
    int links = mf_head_count_lines_with(head, len, " -> :", 60) +
                mf_head_count_lines_with(head, len, "/:", 60);
    if (links >= 2 && mf_head_count_lines_with(head, len, "lrwx", 60) >= 2)
        return mf_memmem(path, strlen(path), "slab", 4) ? 95 : 85;
    return 0;
}

static void *sysfs_open(mf_parse_ctx *pc)
{
    mf_snapcur *c = mf_calloc(pc->ev->alloc, 1, sizeof *c);
    if (c)
        mf_snapcur_init(c, MF_SNAP_SLAB_SYSFS);
    return c;
}

static int sysfs_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    mf_snapcur *c = state;
    if (l->len == 0 || l->text[0] != 'l')
        return 0; /* directories (unmerged caches, targets), total, headers */
    const char *arrow = mf_memmem(l->text, l->len, " -> ", 4);
    if (!arrow) {
        mf_snapcur_bad(c, pc, l, "symlink without target");
        return 0;
    }
    const char *ne = arrow;
    const char *ns = ne;
    while (ns > l->text && ns[-1] != ' ')
        ns--;
    const char *ts = arrow + 4, *te = l->text + l->len;
    while (te > ts && (te[-1] == '\r' || te[-1] == ' ' || te[-1] == '/'))
        te--;
    for (const char *p = ts; p < te; p++)
        if (*p == '/')
            ts = p + 1;
    if (ns == ne || ts >= te || *ts != ':') {
        mf_snapcur_bad(c, pc, l, "slab alias");
        return 0;
    }
    mf_snapstore *st = &pc->ev->snaps;
    if (!mf_evidence_keep(pc->ev, st->records[MF_SNAP_SLAB_SYSFS], "slab alias links",
                          st->links.elem, 64, pc->member, l->lineno))
        return 0;
    mf_slab_link *k = mf_vec_push(&st->links);
    if (!k)
        return -1;
    st->records[MF_SNAP_SLAB_SYSFS]++;
    k->name = mf_strtab_intern(&st->names, ns, (size_t)(ne - ns));
    k->target = mf_strtab_intern(&st->names, ts, (size_t)(te - ts));
    k->member = (uint32_t)pc->member;
    k->line = l->lineno;
    return k->name == UINT32_MAX || k->target == UINT32_MAX ? -1 : 0;
}

static void sysfs_close(void *state, mf_parse_ctx *pc)
{
    mf_snapcur_close(state, pc);
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_slab_sysfs = {
    "slab-sysfs", "`ls -l /sys/kernel/slab` (merged-cache aliases)",
    sysfs_bid, false, sysfs_open, sysfs_line, NULL, sysfs_close,
};
