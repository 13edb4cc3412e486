/* events.h - derived facts of memory events: kmemleak culprits and ranking,
 * allocation-failure culprits, kills told by two sources joined by pid. */
#ifndef MF_ANALYZE_EVENTS_H
#define MF_ANALYZE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/evidence.h"

/* The allocator-plumbing list (rules/kmemleak-plumbing.txt, built in). */
extern const char mf_kmemleak_plumbing_txt[];

typedef struct mf_plumbing {
    const mf_allocator *alloc;
    struct mf_plumb_name { const char *s; size_t n; } *exact, *prefix;
    size_t nexact, nprefix;
} mf_plumbing;

/* Parse a plumbing list (the format of rules/kmemleak-plumbing.txt); `text`
 * must outlive `p`. Returns 0 or -1 when out of memory. */
int mf_plumbing_init(mf_plumbing *p, const mf_allocator *a, const char *text);
void mf_plumbing_free(mf_plumbing *p);
/* Is the bare function name `name` plumbing? */
bool mf_plumbing_match(const mf_plumbing *p, const char *name, size_t n);
/* The bare name of a frame "sym+0x1/0x2 [mod]" or "sym.isra.3 [mod]":
 * returns its length from `frame`. */
size_t mf_frame_bare_name(const char *frame, size_t n);

/* Derive every fact of the events; returns 0 or MF_ENOMEM. */
int mf_analyze_events(mf_evidence *ev);

#endif
