#include "model/duplicates.h"

#include <stdlib.h>

typedef struct dup_key {
    uint64_t hash;
    uint64_t size;
    int32_t index;
} dup_key;

static int cmp_key(const void *a, const void *b)
{
    const dup_key *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Only members read whole have a meaningful hash. */
static bool whole(const mf_member *m)
{
    return m->size > 0 &&
           (m->status == MF_MEMBER_PARSED || m->status == MF_MEMBER_RECOGNISED ||
            m->status == MF_MEMBER_UNRECOGNISED || m->status == MF_MEMBER_ERROR);
}

int32_t *mf_member_duplicates(const mf_evidence *ev)
{
    size_t n = ev->members.len;
    int32_t *dup = mf_calloc(ev->alloc, n ? n : 1, sizeof *dup);
    dup_key *keys = mf_calloc(ev->alloc, n ? n : 1, sizeof *keys);
    if (!dup || !keys) {
        mf_free(ev->alloc, dup);
        mf_free(ev->alloc, keys);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const mf_member *m = mf_vec_at(&ev->members, i);
        dup[i] = -1;
        if (whole(m))
            keys[k++] = (dup_key){m->content_hash, m->size, (int32_t)i};
    }
    qsort(keys, k, sizeof *keys, cmp_key);
    size_t first = 0;
    for (size_t i = 1; i < k; i++) {
        if (keys[i].hash != keys[first].hash || keys[i].size != keys[first].size)
            first = i;
        else
            dup[keys[i].index] = keys[first].index;
    }
    mf_free(ev->alloc, keys);
    return dup;
}
