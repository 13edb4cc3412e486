/* A counting allocator for the tests that fail every allocation in turn:
 * it fails once `budget` allocations have been made (-1: never) and counts
 * the blocks still live, so a test can check that nothing leaked and
 * nothing crashed on any failure path. */
#ifndef MF_FAILALLOC_H
#define MF_FAILALLOC_H

#include <stdlib.h>

#include "memforensics.h"

typedef struct tu_counting {
    long live;   /* blocks allocated and not yet freed */
    long calls;  /* allocations made */
    long budget; /* allocations allowed; -1: unlimited */
} tu_counting;

static inline void *tu_counting_calloc(size_t n, size_t s, void *ctx)
{
    tu_counting *c = ctx;
    if (c->budget >= 0 && c->calls >= c->budget)
        return NULL;
    c->calls++;
    void *p = calloc(n, s);
    c->live += p != NULL;
    return p;
}

static inline void *tu_counting_realloc(void *p, size_t s, void *ctx)
{
    tu_counting *c = ctx;
    if (c->budget >= 0 && c->calls >= c->budget)
        return NULL;
    c->calls++;
    void *q = realloc(p, s);
    c->live += q && !p;
    return q;
}

static inline void tu_counting_free(void *p, void *ctx)
{
    tu_counting *c = ctx;
    c->live -= p != NULL;
    free(p);
}

/* An allocator over `c`. */
static inline mf_allocator tu_counting_allocator(tu_counting *c)
{
    mf_allocator a = {tu_counting_calloc, tu_counting_realloc, tu_counting_free, c};
    return a;
}

#endif
