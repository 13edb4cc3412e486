/* slab_merge.c - merge candidates from the shipped table
 * (data/slab-merge.tsv, embedded at build time). The table is read on each
 * lookup: it is small, and the library keeps no mutable global state. */
#include <stdlib.h>
#include <string.h>

#include "analyze/snap.h"

extern const char mf_slab_merge_tsv[];
extern const size_t mf_slab_merge_tsv_len;

typedef struct trow {
    int bits, from_maj, from_min, to_maj, to_min; /* to -1: open */
    const char *name;
    size_t name_len;
    unsigned objsize, size;
    char flags[8];
} trow;

static bool parse_ver(const char *s, size_t n, int *maj, int *min)
{
    if (n == 1 && s[0] == '-') {
        *maj = *min = -1;
        return true;
    }
    char buf[16];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *e;
    *maj = (int)strtol(buf, &e, 10);
    if (*e != '.')
        return false;
    *min = (int)strtol(e + 1, &e, 10);
    return *e == 0;
}

/* Next table row from *p; false at the end. */
static bool next_row(const char **p, const char *end, trow *r)
{
    while (*p < end) {
        const char *ls = *p;
        const char *nl = memchr(ls, '\n', (size_t)(end - ls));
        const char *le = nl ? nl : end;
        *p = nl ? nl + 1 : end;
        if (le == ls || *ls == '#')
            continue;
        const char *f[7];
        size_t fl[7], nf = 0;
        const char *q = ls;
        while (q <= le && nf < 7) {
            const char *tab = memchr(q, '\t', (size_t)(le - q));
            const char *fe = tab ? tab : le;
            f[nf] = q;
            fl[nf] = (size_t)(fe - q);
            nf++;
            q = fe + 1;
        }
        if (nf != 7)
            continue;
        r->bits = atoi(f[0]);
        if (!parse_ver(f[1], fl[1], &r->from_maj, &r->from_min) ||
            !parse_ver(f[2], fl[2], &r->to_maj, &r->to_min))
            continue;
        r->name = f[3];
        r->name_len = fl[3];
        r->objsize = (unsigned)atoi(f[4]);
        r->size = (unsigned)atoi(f[5]);
        size_t n = fl[6] < sizeof r->flags - 1 ? fl[6] : sizeof r->flags - 1;
        memcpy(r->flags, f[6], n);
        r->flags[n] = 0;
        return true;
    }
    return false;
}

static bool applies(const trow *r, int bits, int kmaj, int kmin)
{
    if (bits && r->bits != bits)
        return false;
    if (kmaj <= 0)
        return true;
    int v = kmaj * 1000 + kmin;
    if (v < r->from_maj * 1000 + r->from_min)
        return false;
    return r->to_maj < 0 || v <= r->to_maj * 1000 + r->to_min;
}

bool mf_slab_is_bookkeeping(const char *cache)
{
    return strcmp(cache, "kmemleak_object") == 0 ||
           strcmp(cache, "kmemleak_scan_area") == 0;
}

int mf_slab_merge_candidates(const char *cache, uint32_t objsize, int bits,
                             int kmaj, int kmin, mf_cand_fn fn, void *ctx)
{
    const char *end = mf_slab_merge_tsv + mf_slab_merge_tsv_len;
    size_t clen = strlen(cache);
    if (bits != 32 && bits != 64)
        return 0; /* sizes depend on the word size: no guessing */
    /* the cache's own merge key, from the table or its object size; a
     * cache the table lacks is taken to have no merge-same flags (as the
     * kmalloc caches), but kmalloc-cg-* (SLAB_ACCOUNT), dma-kmalloc-* */
    unsigned size = (objsize + 7u) & ~7u;
    char flags[8] = "-";
    if (strncmp(cache, "kmalloc-cg-", 11) == 0)
        flags[0] = 'A';
    else if (strncmp(cache, "dma-kmalloc-", 12) == 0)
        flags[0] = 'd';
    bool known = false;
    trow r;
    for (const char *p = mf_slab_merge_tsv; next_row(&p, end, &r);) {
        if (r.name_len == clen && memcmp(r.name, cache, clen) == 0 &&
            applies(&r, bits, kmaj, kmin)) {
            size = r.size;
            memcpy(flags, r.flags, sizeof flags);
            known = true;
            break;
        }
    }
    if (known && strchr(flags, 'N'))
        return 0;
    for (const char *p = mf_slab_merge_tsv; next_row(&p, end, &r);) {
        if (!applies(&r, bits, kmaj, kmin) || strchr(r.flags, 'N'))
            continue;
        if (r.name_len == clen && memcmp(r.name, cache, clen) == 0)
            continue;
        unsigned d = r.size > size ? r.size - size : size - r.size;
        if (d >= (unsigned)(bits == 32 ? 4 : 8))
            continue;
        if (strcmp(r.flags, flags) != 0)
            continue;
        int rc = fn(ctx, r.name, r.name_len);
        if (rc)
            return rc;
    }
    return 0;
}
